"""Deployment check: the limit on guessing personal links must count in a cache every process shares."""

from django.core.cache import caches
from django.core.checks import Tags, Warning, register

PER_PROCESS = ("LocMemCache", "DummyCache")


@register(Tags.security, deploy=True)
def guess_limit_is_shared(app_configs=None, **kwargs):
    backend = type(caches["default"]).__name__
    if backend in PER_PROCESS:
        return [
            Warning(
                f"The default cache is {backend}: each server process counts wrong link guesses on its "
                "own, so several processes allow several times the limit.",
                hint="Set CACHE_URL to a Redis server (redis://…) shared by every process.",
                id="cocreation.W001",
            )
        ]
    return []
