"""Page life-cycle signals write outbox rows inside the transaction that changes the page."""

from django.db.models.signals import pre_delete
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished

from cms.distribution import outbox


def on_page_published(sender, instance, revision, **kwargs):
    outbox.record_publish(instance, revision)


def on_page_unpublished(sender, instance, **kwargs):
    outbox.record_unpublish(instance)


def on_page_deleted(sender, instance, **kwargs):
    outbox.record_delete(instance)


def register_signal_handlers():
    page_published.connect(on_page_published, dispatch_uid="revayat_distribution_published")
    page_unpublished.connect(on_page_unpublished, dispatch_uid="revayat_distribution_unpublished")
    pre_delete.connect(on_page_deleted, sender=Page, dispatch_uid="revayat_distribution_deleted")
