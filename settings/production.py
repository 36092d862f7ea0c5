"""Production settings (gunicorn + WhiteNoise). Refuses to start on unsafe defaults."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DEFAULT_SECRET_KEY, SECRET_KEY, STORAGES, env_bool

if env_bool("DEBUG", False):
    raise ImproperlyConfigured("settings.production refuses to run with DEBUG on.")
if SECRET_KEY == DEFAULT_SECRET_KEY or len(SECRET_KEY) < 32:
    raise ImproperlyConfigured(
        "settings.production needs SECRET_KEY set to a random value of at least 32 characters."
    )
DEBUG = False

# Compressed, content-hashed static files served by WhiteNoise
# https://whitenoise.readthedocs.io/en/stable/django.html
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_MAX_AGE = 31536000

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "SAMEORIGIN"
