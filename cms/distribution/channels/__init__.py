"""One adapter module per channel kind; importing this package registers them all."""

from cms.distribution.channels.base import ADAPTERS


def adapter_class(kind):
    """The adapter class for a channel kind (KeyError for an unknown kind)."""
    from cms.distribution.channels import (  # noqa: F401  (registration)
        aparat,
        eitaa,
        instagram,
        portal_webhook,
        telegram,
        x,
    )

    return ADAPTERS[kind]
