"""Distribution: publish once, reach the organization portal, social channels and feeds.

Publishing, unpublishing or deleting a page writes one outbox row per (revision, channel) in the same
transaction (`outbox.py`, for the channels `routing.py` picks); a relay hands due rows to background
delivery tasks (`tasks.py`), which call one adapter per channel kind (`channels/`) with retries, backoff
and an idempotency key; editors retry, cancel or mark rows by hand (`actions.py`). The RSS and Atom feeds
are `feeds/`. Only pages that `cms.visibility` calls public are ever distributed.
"""
