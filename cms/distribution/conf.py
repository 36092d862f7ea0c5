"""Distribution's settings (`settings.REVAYAT_DISTRIBUTION`), read by the outbox and the delivery tasks."""

from django.conf import settings

DEFAULTS = {
    "max_attempts": 8,
    "backoff_base": 30,
    "backoff_cap": 3600,
    "lease_seconds": 600,
    "queue_seconds": 900,
    "sweep_seconds": 60,
    "relay_batch": 200,
    # Hours a transient failure keeps being retried, per channel kind, even after max_attempts: the
    # organization's portal may be down for a long weekend and must still hear of every publication.
    "retry_hours": {"portal_webhook": 72},
}


def config(name):
    """A distribution setting, with its default."""
    return getattr(settings, "REVAYAT_DISTRIBUTION", {}).get(name, DEFAULTS[name])
