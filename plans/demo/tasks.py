"""The background task that makes the demo's narrated media (queued by `load_demo`)."""

import logging

from django_tasks import task

from plans.demo import generated

logger = logging.getLogger(__name__)


@task()
def generate_demo_media(numbers=None):
    """Generate and attach every plan's podcast episode and film; the media library shows each item's
    processing as it goes."""
    generated.generate_all(numbers, progress=lambda step: logger.info("Demo media ready: %s", step))
