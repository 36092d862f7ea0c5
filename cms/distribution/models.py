"""Channels, default rules, the outbox, each delivery attempt and the remote post a channel holds, and
the mixin a page type lists to choose its own channels."""

import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Locale, Page, Revision
from wagtail_localize.fields import SynchronizedField

from cms.distribution.blocks import ChannelPostBlock
from cms.distribution.outbound import validate_outbound_url


class DistributedPageMixin(models.Model):
    """A page type that lists this mixin chooses, per page, channels besides the default rules and the
    text each gets (Promote → Distribution); a translation may override the choice.

    Page types add `distribution_panels` to their promote panels and `distribution_fields`
    to their translatable fields (class attributes of their own would hide a mixin's lists).
    """

    distribution = StreamField(
        [("channel", ChannelPostBlock())],
        verbose_name=_("distribution"),
        blank=True,
        default=list,
        help_text=_("Channels this page is posted to besides the default rules, with their own text."),
    )

    distribution_panels = [FieldPanel("distribution", heading=_("Distribution"))]
    distribution_fields = [SynchronizedField("distribution", overridable=True)]

    class Meta:
        abstract = True


class ChannelKind(models.TextChoices):
    PORTAL_WEBHOOK = "portal_webhook", _("Organization portal webhook")
    TELEGRAM = "telegram", _("Telegram")
    BALE = "bale", _("Bale")
    EITAA = "eitaa", _("Eitaa")
    INSTAGRAM = "instagram", _("Instagram")
    APARAT = "aparat", _("Aparat")
    X = "x", _("X")


class Channel(models.Model):
    """One account or endpoint we post to. Its credentials live outside the database (see credentials.py)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=ChannelKind.choices)
    locale = models.ForeignKey(
        Locale,
        verbose_name=_("language"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Only pages in this language go to the channel; empty: every language."),
    )
    target = models.CharField(
        _("target"),
        max_length=200,
        blank=True,
        help_text=_("Chat or channel id (@name), Instagram account id, or webhook URL."),
    )
    base_url = models.URLField(
        _("API address"),
        blank=True,
        help_text=_("Empty: the service's public API. Set it for a self-hosted or relayed API server."),
    )
    credentials_name = models.SlugField(
        _("credentials name"),
        max_length=60,
        help_text=_(
            "Read from the environment variable REVAYAT_CHANNEL_<NAME> or the secrets file; "
            "never stored here."
        ),
    )
    enabled = models.BooleanField(_("enabled"), default=True)
    # Set when the channel refused our credentials (401/403): its rows wait instead of each failing
    # for the same reason, until an editor fixes the token and resumes it (actions.resume_channel).
    paused_at = models.DateTimeField(_("paused at"), null=True, blank=True, editable=False)
    pause_reason = models.TextField(_("why it is paused"), blank=True, editable=False)

    class Meta:
        verbose_name = _("distribution channel")
        verbose_name_plural = _("distribution channels")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        """Neither address may lead into Revayat's own machine or network (see outbound.py)."""
        errors = {}
        urls = {"base_url": self.base_url, "target": self.target if "://" in self.target else ""}
        for field_name, url in urls.items():
            try:
                if url:
                    validate_outbound_url(url)
            except ValidationError as error:
                errors[field_name] = error
        if errors:
            raise ValidationError(errors)


class DistributionRule(models.Model):
    """A default: pages of this type (any type when empty) in the channel's language go to the channel.

    Per page, editors can still add channels, turn a rule's channel off, or override the text.
    """

    name = models.CharField(_("name"), max_length=150)
    page_type = models.ForeignKey(
        "contenttypes.ContentType",
        verbose_name=_("page type"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Empty: every page type."),
    )
    channel = models.ForeignKey(
        Channel, verbose_name=_("channel"), on_delete=models.CASCADE, related_name="rules"
    )
    enabled = models.BooleanField(_("enabled"), default=True)

    class Meta:
        verbose_name = _("distribution rule")
        verbose_name_plural = _("distribution rules")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Event(models.TextChoices):
    PUBLISH = "publish", _("Publish")
    UPDATE = "update", _("Update")
    UNPUBLISH = "unpublish", _("Unpublish")
    DELETE = "delete", _("Delete")


class Status(models.TextChoices):
    PENDING = "pending", _("Pending")  # waiting for its first or next attempt (next_attempt_at)
    QUEUED = "queued", _("Queued")  # handed to a delivery task by the relay
    SENDING = "sending", _("Sending")  # a worker holds it until lease_until
    SENT = "sent", _("Sent")
    SKIPPED = "skipped", _("Skipped")  # nothing to do (e.g. the channel cannot edit a post); see reason
    UNCERTAIN = "uncertain", _("Needs checking")  # the worker stopped while the channel was answering
    DEAD = "dead", _("Failed")  # dead letter: a permanent error or too many attempts; see reason
    CANCELLED = "cancelled", _("Cancelled")


OPEN_STATUSES = (Status.PENDING, Status.QUEUED, Status.SENDING)


class OutboxEntry(models.Model):
    """One event of one page revision for one channel, delivered at most once (idempotency_key)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    channel = models.ForeignKey(
        Channel, verbose_name=_("channel"), on_delete=models.CASCADE, related_name="outbox"
    )
    page = models.ForeignKey(
        Page, verbose_name=_("page"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    page_key = models.PositiveIntegerField(_("page id"), db_index=True)  # kept after deletion
    page_title = models.CharField(_("page title"), max_length=255)
    language_code = models.CharField(_("language"), max_length=10)
    revision = models.ForeignKey(Revision, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    event = models.CharField(_("event"), max_length=10, choices=Event.choices)
    idempotency_key = models.CharField(_("idempotency key"), max_length=100, unique=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    reason = models.TextField(_("reason"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), db_index=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    state = models.JSONField(default=dict, blank=True)  # an adapter's progress between attempts
    remote_id = models.CharField(_("remote id"), max_length=200, blank=True)
    remote_url = models.URLField(_("remote address"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("outbox entry")
        verbose_name_plural = _("outbox entries")
        ordering = ["-created_at"]
        # Held by the publishing roles (cms.workflow.roles): retry, cancel or mark a row as sent.
        permissions = [("act_on_outboxentry", _("Can retry, cancel or mark outbox entries as sent"))]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due")]

    def __str__(self):
        return f"{self.get_event_display()} · {self.page_title} → {self.channel}"


class Attempt(models.Model):
    """One delivery attempt: when, what the channel answered, and what happened to the entry."""

    class Outcome(models.TextChoices):
        RUNNING = "running", _("Running")
        SENT = "sent", _("Sent")
        SKIPPED = "skipped", _("Skipped")
        RETRY = "retry", _("Will retry")
        DEAD = "dead", _("Failed")
        INTERRUPTED = "interrupted", _("Interrupted")

    entry = models.ForeignKey(OutboxEntry, on_delete=models.CASCADE, related_name="attempt_history")
    number = models.PositiveSmallIntegerField()
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    posting = models.BooleanField(default=False)  # the irreversible request was on its way
    outcome = models.CharField(max_length=12, choices=Outcome.choices, default=Outcome.RUNNING)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    detail = models.TextField(blank=True)
    retry_after = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["entry", "number"]
        constraints = [models.UniqueConstraint(fields=["entry", "number"], name="one_attempt_number")]

    def __str__(self):
        return f"#{self.number} {self.get_outcome_display()}"


class RemotePost(models.Model):
    """The post a channel holds for a page, so updates edit it and unpublishing deletes it."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="posts")
    page_key = models.PositiveIntegerField()
    remote_id = models.CharField(max_length=200)
    remote_url = models.URLField(max_length=500, blank=True)
    posted_at = models.DateTimeField()
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["channel", "page_key"], name="one_post_per_page")]

    def __str__(self):
        return f"{self.channel} · {self.remote_url or self.remote_id}"
