"""Admin views of distribution: the outbox report with its actions, and the per-page post preview.

The report lists outbox rows (per page and channel) with their status, reason, attempts, next attempt,
remote link and attempt history, 50 to a page in a constant number of queries. Retry, cancel and
"mark as sent" are POST-only, checked on the server (`can_act_on_outbox`) and written to the audit log.
The preview shows, for the page's latest draft, each post as its channel would show it.
"""

from collections import Counter

import django_filters
from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.views.reports import ReportView as BaseReportView
from wagtail.log_actions import log
from wagtail.models import Page

from cms import i18n
from cms.distribution import actions
from cms.distribution.admin import can_act_on_outbox, can_view_distribution
from cms.distribution.blocks import CROP_CHOICES
from cms.distribution.channels import adapter_class
from cms.distribution.models import OPEN_STATUSES, Channel, Event, OutboxEntry, Status
from cms.distribution.posts import post_for
from cms.distribution.routing import channels_for, disabled_channels_for
from cms.links import site_root_url
from cms.page_access import editable_page_ids

ROWS_PER_PAGE = 50
CANCELLABLE = (Status.PENDING, Status.DEAD, Status.UNCERTAIN)
PROBLEM_STATUSES = (Status.DEAD, Status.UNCERTAIN)
# What a preview's "unit" and "media" mean, in words the editor reads (other values are shown as given).
UNITS = {
    "chars": gettext_lazy("characters"),
    "utf16": gettext_lazy("UTF-16 units"),
    "weighted": gettext_lazy("weighted characters"),
}
MEDIA_KINDS = {
    None: gettext_lazy("text only"),
    "photo": gettext_lazy("photo"),
    "video": gettext_lazy("video"),
    "audio": gettext_lazy("audio"),
}


def format_datetime(value):
    """A moment in the active language: «۲ آذر ۱۴۰۵، ۰۳:۱۵» on fa, «23 November 2026, 03:15» on en."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    separator = "، " if i18n.is_persian() else ", "
    return i18n.format_date(local) + separator + i18n.localize_digits(local.strftime("%H:%M"))


# The report ---------------------------------------------------------------------------------------
class OutboxFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"), choices=Status.choices, empty_label=gettext_lazy("All statuses")
    )
    channel = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Channel"),
        queryset=Channel.objects.all(),
        empty_label=gettext_lazy("All channels"),
    )
    language = django_filters.ChoiceFilter(
        label=gettext_lazy("Language"),
        field_name="language_code",
        choices=settings.LANGUAGES,
        empty_label=gettext_lazy("All languages"),
    )
    page = django_filters.NumberFilter(
        label=gettext_lazy("Page ID"), field_name="page_key", min_value=1, max_value=2**31 - 1
    )  # set by the page header's summary link

    class Meta:
        model = OutboxEntry
        fields = []


def status_counts(entries):
    """[(status, label, count)] of the given rows, in the order of `Status` (one query)."""
    counts = Counter(dict(entries.order_by().values_list("status").annotate(n=Count("pk"))))
    return [(value, label, counts[value]) for value, label in Status.choices if counts[value]]


def report_row(entry, acting):
    """What the report shows of one row, and which actions it offers."""
    return {
        "entry": entry,
        "next_attempt": format_datetime(entry.next_attempt_at) if entry.status in OPEN_STATUSES else "",
        "finished": format_datetime(entry.finished_at),
        "attempts": [
            {"attempt": attempt, "started": format_datetime(attempt.started_at)}
            for attempt in entry.attempt_history.all()
        ],
        "problem": entry.status in PROBLEM_STATUSES,
        "can_retry": acting and entry.status in actions.RETRYABLE,
        "can_cancel": acting and entry.status in CANCELLABLE,
        "can_mark_sent": acting and entry.status == Status.UNCERTAIN,
    }


class ReportView(BaseReportView):
    """Outbox rows, newest first, filtered by status, channel, language or page; 50 to a page, in a constant
    number of queries. Exported rows are the ones shown: every admin user who may open it sees them all."""

    page_title = gettext_lazy("Distribution")
    header_icon = "globe"
    template_name = "distribution/report.html"
    results_template_name = "distribution/report_results.html"
    index_url_name = "distribution:report"
    index_results_url_name = "distribution:report_results"
    filterset_class = OutboxFilterSet
    paginate_by = ROWS_PER_PAGE
    queryset = OutboxEntry.objects.select_related("channel").prefetch_related("attempt_history")
    default_ordering = ("-created_at", "pk")
    list_export = [
        "page_title",
        "language_code",
        "channel.name",
        "get_event_display",
        "get_status_display",
        "attempts",
        "reason",
        "created_at",
        "finished_at",
        "remote_url",
    ]
    export_headings = {
        "page_title": gettext_lazy("Page"),
        "language_code": gettext_lazy("Language"),
        "channel.name": gettext_lazy("Channel"),
        "get_event_display": gettext_lazy("Event"),
        "get_status_display": gettext_lazy("Status"),
        "attempts": gettext_lazy("Attempts"),
        "reason": gettext_lazy("Reason"),
        "created_at": gettext_lazy("Created"),
        "finished_at": gettext_lazy("Finished"),
        "remote_url": gettext_lazy("Address of the post"),
    }
    export_filename = "distribution"

    def dispatch(self, request, *args, **kwargs):
        if not can_view_distribution(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def acting(self):
        return can_act_on_outbox(self.request.user)

    def decorate_paginated_queryset(self, object_list):
        if self.is_export:  # the spreadsheet reads the rows' own fields
            return object_list
        return [report_row(entry, self.acting) for entry in object_list]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page_id = self.filters.form.cleaned_data.get("page") if self.filters.is_valid() else None
        query = self.request.GET.copy()
        query.pop("_w_filter_fragment", None)
        # Wagtail decorates the rows after get_context_data(): object_list still holds the entries here.
        page_ids = {entry.page_id for entry in context["object_list"]} | {page_id}
        return {
            **context,
            "paused": paused_channels(),
            "counts": status_counts(self.object_list),
            "acting": self.acting,
            "editable": editable_page_ids(self.request.user, page_ids),
            "filtered_page": Page.objects.filter(pk=page_id).first() if page_id else None,
            "next_url": f"{self.index_url}?{query.urlencode()}" if query else self.index_url,
        }


def paused_channels():
    """Channels paused because they refused their credentials, with the number of rows each holds."""
    return Channel.objects.filter(paused_at__isnull=False).annotate(
        waiting=Count("outbox", filter=Q(outbox__status=Status.PENDING))
    )


# Actions ------------------------------------------------------------------------------------------
class MarkSentForm(forms.Form):
    remote_url = forms.URLField(
        label=gettext_lazy("Address of the post"), max_length=500, assume_scheme="https"
    )


def _back(request):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("distribution:report")


def _log(request, entry, action, **data):
    """An audit log entry on the page (its history), or on the row itself once the page is gone."""
    instance = entry.page.specific_deferred if entry.page_id else entry
    log(
        instance=instance,
        action=action,
        user=request.user,
        data={"channel": entry.channel.name, "event": entry.event, "entry": str(entry.pk), **data},
    )


def _entry_for_action(request, entry_id):
    if not can_act_on_outbox(request.user):
        raise PermissionDenied
    return get_object_or_404(OutboxEntry.objects.select_related("channel", "page"), pk=entry_id)


def _describe(entry):
    return {"page": entry.page_title, "channel": entry.channel.name}


def _act(request, entry_id, action, refused, done, log_action):
    """Run `action` on a row and say how it went; a row in the wrong state is refused with a message."""
    entry = _entry_for_action(request, entry_id)
    try:
        action(entry)
    except ValueError:
        messages.error(request, refused % {**_describe(entry), "status": entry.get_status_display()})
        return _back(request)
    _log(request, entry, log_action)
    messages.success(request, done % _describe(entry))
    return _back(request)


@require_POST
def retry(request, entry_id):
    """Send a failed, cancelled, skipped or unconfirmed row again now."""
    return _act(
        request,
        entry_id,
        actions.retry,
        _("“%(page)s” → %(channel)s cannot be retried: it is %(status)s."),
        _("“%(page)s” → %(channel)s will be sent again."),
        "revayat.distribution_retry",
    )


@require_POST
def cancel(request, entry_id):
    """Stop a row that is waiting, failed or needs checking."""
    reason = _("Cancelled by %(user)s") % {"user": request.user.get_username()}
    return _act(
        request,
        entry_id,
        lambda entry: actions.cancel(entry, reason=reason),
        _("“%(page)s” → %(channel)s cannot be cancelled: it is %(status)s."),
        _("“%(page)s” → %(channel)s was cancelled."),
        "revayat.distribution_cancel",
    )


@require_POST
def mark_sent(request, entry_id):
    """Record a row that needs checking as sent, with the address of the post a person found."""
    entry = _entry_for_action(request, entry_id)
    form = MarkSentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the full address (https://…) of the post you found on the channel."))
        return _back(request)
    if entry.status != Status.UNCERTAIN:
        messages.error(
            request,
            _("“%(page)s” → %(channel)s cannot be marked as sent: it is %(status)s.")
            % {**_describe(entry), "status": entry.get_status_display()},
        )
        return _back(request)
    remote_url = form.cleaned_data["remote_url"]
    actions.mark_sent(entry, remote_url=remote_url)
    _log(request, entry, "revayat.distribution_mark_sent", remote_url=remote_url)
    messages.success(request, _("“%(page)s” → %(channel)s was marked as sent.") % _describe(entry))
    return _back(request)


# Per page -----------------------------------------------------------------------------------------
def page_summary(page_id):
    """[(status, label, count)] of a page's outbox rows, or [] (one query)."""
    return status_counts(OutboxEntry.objects.filter(page_key=page_id))


def summary_label(counts):
    """«Distribution: 3 sent, 1 failed» with localized digits."""
    parts = [f"{i18n.localize_digits(count)} {label}" for _value, label, count in counts]
    separator = "، " if i18n.is_persian() else ", "
    return _("Distribution: %(counts)s") % {"counts": separator.join(parts)}


def report_url_for_page(page_id):
    return reverse("distribution:report") + "?" + urlencode({"page": page_id})


def channel_preview(channel, channel_settings, page):
    """One channel's rendering of the page: the adapter's preview plus what the admin shows around it."""
    post = post_for(page, Event.PUBLISH, channel_settings=channel_settings)
    adapter = adapter_class(channel.kind)(channel, credentials={}, client=None)
    shown = adapter.preview(post)
    limit = shown.get("limit")
    language = post.language
    return {
        "channel": channel,
        "text": shown.get("text", ""),
        "length": shown.get("length", 0),
        "limit": limit,
        "unit": UNITS.get(shown.get("unit"), shown.get("unit", "")),
        "over_limit": bool(limit) and shown.get("length", 0) > limit,
        "shortened": bool(post.text.strip()) and post.text.strip() not in shown.get("text", ""),
        "direction": shown.get("direction") or i18n.direction(language),
        "language": language,
        "media": MEDIA_KINDS.get(shown.get("media"), shown.get("media")),
        "thumbnail": post.image.url.removeprefix(site_root_url(page)) if post.image else "",
        "crop": dict(CROP_CHOICES).get((channel_settings or {}).get("crop", "square")),
        "override": post.text_override,
        "refusal": shown.get("refusal", ""),
    }


def page_preview(request, page_id):
    """The latest draft of a page, as each channel it would go to would show it."""
    page = get_object_or_404(Page, pk=page_id)
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    draft = page.get_latest_revision_as_object()
    previews = [
        channel_preview(channel, channel_settings, draft)
        for channel, channel_settings in channels_for(draft).items()
    ]
    counts = page_summary(page.pk)
    return TemplateResponse(
        request,
        "distribution/preview.html",
        {
            "page_title": _("Distribution preview"),
            "page_subtitle": draft.title,
            "header_icon": "globe",
            "page": page,
            "draft": draft,
            "previews": previews,
            "summary": summary_label(counts) if counts else "",
            "report_url": report_url_for_page(page.pk),
            "disabled_channels": Channel.objects.filter(enabled=False).count(),
            "disabled_targets": disabled_channels_for(draft),
        },
    )


@require_POST
def resume_channel(request, channel_id):
    """Lift a channel's pause once its credentials were fixed: the rows it held are sent again."""
    if not can_act_on_outbox(request.user):
        raise PermissionDenied
    channel = get_object_or_404(Channel, pk=channel_id)
    try:
        waiting = actions.resume_channel(channel)
    except ValueError:
        messages.error(request, _("%(channel)s is not paused.") % {"channel": channel.name})
        return _back(request)
    log(
        instance=channel,
        action="revayat.distribution_resume",
        user=request.user,
        data={"channel": channel.name},
    )
    messages.success(
        request,
        _("%(channel)s resumed: %(count)s waiting posts will be sent.")
        % {"channel": channel.name, "count": i18n.localize_digits(str(waiting))},
    )
    return _back(request)
