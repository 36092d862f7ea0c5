"""Test settings: immediate background tasks, fast hashing, an isolated media folder per run."""

import os
import tempfile

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# A folder of its own per process, unless the demo build names one (tests/demo_server.py).
MEDIA_ROOT = os.environ.get("MEDIA_ROOT") or tempfile.mkdtemp(prefix="revayat-test-media-")
ALLOWED_HOSTS = ["*"]
REVAYAT_DEMO_MEDIA = False  # test builds keep the placeholder media (tests/demo makes real ones once)
REVAYAT_RENDITIONS_AFTER_UPLOAD = []  # tests that need them ask (tests/media/test_renditions_task.py)
REVAYAT_DELIVERABLES_ON_PUBLISH = False  # the demo is published at session start; tests build one plan
