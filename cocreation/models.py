"""Calls, rounds, participants, invitations, worksheets and their audited extensions.

Instants are stored in UTC and shown in Asia/Tehran as Jalali dates. A round is open while
`starts_at <= now < ends_at` (the end is exclusive), computed from the clock on every request: closing
never waits for a job. A person's extension moves only their own deadline. Every worksheet belongs to one
invitation (one person in one round) and is addressed by an unguessable id *and* its owner's session
(`cocreation.access`): an id alone answers 404.
"""

import datetime
import hashlib
import secrets
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail_localize.fields import TranslatableField

from cms.models import BasePage

TOKEN_BYTES = 32


def hash_token(token):
    """Tokens are stored as SHA-256 only: a leaked table gives no working link."""
    return hashlib.sha256(token.encode()).hexdigest()


# Pages -----------------------------------------------------------------------------------------------
class CallPage(BasePage):
    """A co-creation call of plan 12 (translatable); its rounds and worksheets hang off the source page."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link", "ul", "ol"])
    worksheet_title = models.CharField(_("worksheet title"), max_length=400, blank=True)

    parent_page_types = ["plans.PlanPage"]
    subpage_types = ["cocreation.ResultsPage"]
    content_panels = [*BasePage.content_panels, FieldPanel("intro"), FieldPanel("worksheet_title")]
    translatable_fields = [
        *BasePage.translatable_fields,
        TranslatableField("intro"),
        TranslatableField("worksheet_title"),
    ]

    class Meta:
        verbose_name = _("co-creation call")

    def rounds(self):
        """The rounds of the call, whichever language this page is in (they hang off the source)."""
        return Round.objects.filter(call__translation_key=self.translation_key).order_by("number")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        from cms.i18n import format_date

        now = timezone.now()
        context["rounds"] = [
            {
                "round": r,
                "open": r.is_open(now),
                "starts": format_date(r.starts_at),
                "last_day": format_date(r.ends_at - datetime.timedelta(seconds=1)),
            }
            for r in self.rounds()
        ]
        return context


class ResultsPage(BasePage):
    """The aggregated results of a call: no names, no personal data. Created as a draft by the
    secretariat (`cocreation.results`) and published through the normal approval workflow."""

    body = RichTextField(_("body"), blank=True)
    aggregates = models.JSONField(_("aggregates"), default=dict, blank=True, editable=False)

    parent_page_types = ["cocreation.CallPage"]
    subpage_types = []
    content_panels = [*BasePage.content_panels, FieldPanel("body")]
    translatable_fields = [*BasePage.translatable_fields, TranslatableField("body")]

    class Meta:
        verbose_name = _("co-creation results")


# What the secretariat edits: domains and scales -----------------------------------------------------
class Domain(models.Model):
    """A domain of the worksheet (economy, investment, health care, insurance …); a snippet."""

    name_fa = models.CharField(_("name (Persian)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("offered in new worksheets"), default=True)

    panels = [FieldPanel("name_fa"), FieldPanel("name_en"), FieldPanel("sort_order"), FieldPanel("active")]

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("worksheet domain")

    def __str__(self):
        return self.name_fa


DEFAULT_HORIZONS = "1405-1410\n1410-1415\n1415-1420\n1420-1425\n1425-1430"
DEFAULT_CONFIDENCE = "low|کم\nmedium|متوسط\nhigh|زیاد"


@register_setting(icon="table")
class WorksheetScales(BaseGenericSetting):
    """The worksheet's scales the secretariat may change: onset-horizon bands (Jalali years up to 1430)
    and confidence levels. Impact (−2…+2) and likelihood (1–5) are fixed: the analysis compares them."""

    horizon_bands = models.TextField(
        _("onset horizon bands"),
        default=DEFAULT_HORIZONS,
        help_text=_("One Jalali year band per line, e.g. 1405-1410; the last ends at 1430 at most."),
    )
    confidence_levels = models.TextField(
        _("confidence levels"),
        default=DEFAULT_CONFIDENCE,
        help_text=_("One per line: code|label shown to participants."),
    )

    class Meta:
        verbose_name = _("worksheet scales")

    def horizons(self):
        return [line.strip() for line in self.horizon_bands.splitlines() if line.strip()]

    def confidences(self):
        pairs = []
        for line in self.confidence_levels.splitlines():
            if line.strip():
                code, _sep, label = line.strip().partition("|")
                pairs.append((code.strip(), (label or code).strip()))
        return pairs


# Rounds and extensions ------------------------------------------------------------------------------
class Round(models.Model):
    class Access(models.TextChoices):
        OPEN = "open", _("open: anyone may sign up")
        INVITE = "invite", _("invite-only")

    call = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="cocreation_rounds")
    number = models.PositiveSmallIntegerField(_("number"), default=1)
    title = models.CharField(_("title"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at (exclusive)"))
    access = models.CharField(_("access"), max_length=10, choices=Access.choices, default=Access.INVITE)
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="next_rounds"
    )

    class Meta:
        ordering = ["call", "number"]
        unique_together = [("call", "number")]
        verbose_name = _("round")

    def __str__(self):
        return self.title or f"Round {self.number}"

    def is_open(self, now=None):
        now = now or timezone.now()
        return self.starts_at <= now < self.ends_at


class Extension(models.Model):
    """An audited move of a deadline: the whole round's (participant empty) or one invitee's."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="extensions")
    invitation = models.ForeignKey(
        "Invitation", null=True, blank=True, on_delete=models.CASCADE, related_name="extensions"
    )
    old_end = models.DateTimeField()
    new_end = models.DateTimeField()
    reason = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    notified = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-at"]

    def __str__(self):
        return f"{self.round}: {self.old_end} → {self.new_end}"


# People ---------------------------------------------------------------------------------------------
class StakeholderGroup(models.TextChoices):
    INSIDERS = "insiders", _("Staff and retirees")  # ذی‌مدخلان
    RELATED_BODIES = "related", _("Related government bodies")  # ذی‌ربطان
    STAKEHOLDERS = "stakeholders", _("Insured people, employers, pensioners")  # ذی‌نفعان
    EXPERTS = "experts", _("Experts and thinkers")


class Participant(models.Model):
    """A person who answers a call. Personal data: only the secretariat sees it."""

    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)
    mobile = models.CharField(_("mobile"), max_length=20, blank=True)
    group = models.CharField(_("stakeholder group"), max_length=20, choices=StakeholderGroup.choices)
    organization = models.CharField(_("organization"), max_length=200, blank=True)
    illustrative = models.BooleanField(
        _("illustrative (demo)"), default=False, help_text=_("A made-up person of the demo content.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        permissions = [("access_secretariat", "Can run co-creation calls (the secretariat)")]
        verbose_name = _("participant")

    def __str__(self):
        return self.name


class Invitation(models.Model):
    """One person in one round: their personal link, their deadline, their progress."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="invitations")
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, null=True, blank=True, unique=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    send_count = models.PositiveSmallIntegerField(default=0)
    opened_at = models.DateTimeField(null=True, blank=True)
    extended_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        unique_together = [("participant", "round")]
        verbose_name = _("invitation")

    def __str__(self):
        return f"{self.participant} · {self.round}"

    def issue_token(self, lifetime):
        """A new personal link (the previous one stops working); returns the raw token, never stored."""
        token = secrets.token_urlsafe(TOKEN_BYTES)
        self.token_hash = hash_token(token)
        self.expires_at = timezone.now() + lifetime
        self.revoked_at = None
        return token

    def deadline(self):
        """The participant's exclusive end: the round's, or their own extension when later."""
        if self.extended_until and self.extended_until > self.round.ends_at:
            return self.extended_until
        return self.round.ends_at

    def may_edit(self, now=None):
        now = now or timezone.now()
        return self.revoked_at is None and self.round.starts_at <= now < self.deadline()

    @property
    def state(self):
        worksheet = getattr(self, "worksheet", None)
        if self.revoked_at:
            return "revoked"
        if worksheet is not None and worksheet.submitted_at:
            return "submitted"
        if worksheet is not None and worksheet.version > 0:
            return "started"
        if self.opened_at:
            return "opened"
        if self.sent_at:
            return "sent"
        return "created"


# The worksheet ----------------------------------------------------------------------------------------
class Worksheet(models.Model):
    """The participant's answers in one round; `version` counts saves (optimistic locking)."""

    invitation = models.OneToOneField(Invitation, on_delete=models.CASCADE, related_name="worksheet")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    version = models.PositiveIntegerField(default=0)
    commentary = models.TextField(_("general commentary"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # The secretariat's review (round chaining)
    score = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(10)]
    )
    tags = models.CharField(max_length=300, blank=True)
    shortlisted = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("worksheet")

    def __str__(self):
        return f"worksheet of {self.invitation}"

    def status(self, now=None):
        if not self.invitation.may_edit(now):
            return "locked"
        return "submitted" if self.submitted_at else "draft"

    def as_data(self):
        return {
            "version": self.version,
            "commentary": self.commentary,
            "submitted": bool(self.submitted_at),
            "items": [item.as_data() for item in self.items.all()],
        }


class Kind(models.TextChoices):
    TREND = "trend", _("trend")
    MEGATREND = "megatrend", _("megatrend")
    EMERGING = "emerging", _("emerging phenomenon")


class WorksheetItem(models.Model):
    worksheet = models.ForeignKey(Worksheet, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.TREND)
    domain = models.ForeignKey(Domain, null=True, blank=True, on_delete=models.SET_NULL)
    title = models.CharField(max_length=300, blank=True)
    description = models.TextField(blank=True)
    impact = models.SmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(-2), MaxValueValidator(2)]
    )
    likelihood = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    horizon = models.CharField(max_length=20, blank=True)
    confidence = models.CharField(max_length=20, blank=True)
    analysis = models.TextField(blank=True)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title

    FIELDS = ("kind", "domain", "title", "description", "impact", "likelihood", "horizon", "confidence")

    def as_data(self):
        return {
            "kind": self.kind,
            "domain": self.domain_id,
            "title": self.title,
            "description": self.description,
            "impact": self.impact,
            "likelihood": self.likelihood,
            "horizon": self.horizon,
            "confidence": self.confidence,
            "analysis": self.analysis,
        }


class Submission(models.Model):
    """A frozen copy of the worksheet at each "submit": the history of what was handed in."""

    worksheet = models.ForeignKey(Worksheet, on_delete=models.CASCADE, related_name="submissions")
    number = models.PositiveIntegerField()
    submitted_at = models.DateTimeField(default=timezone.now)
    data = models.JSONField()

    class Meta:
        ordering = ["worksheet", "number"]
        unique_together = [("worksheet", "number")]

    def __str__(self):
        return f"submission {self.number}"
