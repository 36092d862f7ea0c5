"""Admin wiring of distribution: the channel and rule snippets under "Distribution", the report under
Reports, the page header's preview and summary, the dashboard's alert for paused channels, and the audit
log's distribution actions."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.log_actions import LogFormatter
from wagtail.snippets.models import register_snippet

from cms.distribution import views
from cms.distribution.admin import DistributionGroup, can_act_on_outbox, can_view_distribution

register_snippet(DistributionGroup)

urls = [
    path("", views.ReportView.as_view(), name="report"),
    path("results/", views.ReportView.as_view(results_only=True), name="report_results"),
    path("outbox/<uuid:entry_id>/retry/", views.retry, name="retry"),
    path("outbox/<uuid:entry_id>/cancel/", views.cancel, name="cancel"),
    path("outbox/<uuid:entry_id>/mark-sent/", views.mark_sent, name="mark_sent"),
    path("channel/<int:channel_id>/resume/", views.resume_channel, name="resume_channel"),
    path("page/<int:page_id>/preview/", views.page_preview, name="page_preview"),
]


@hooks.register("register_admin_urls")
def register_distribution_urls():
    return [path("distribution/", include((urls, "distribution"), namespace="distribution"))]


class ReportMenuItem(MenuItem):
    def is_shown(self, request):
        return can_view_distribution(request.user)


@hooks.register("register_reports_menu_item")
def register_report_menu_item():
    return ReportMenuItem(
        _("Distribution"),
        reverse("distribution:report"),
        icon_name="globe",
        name="distribution-report",
        order=910,
    )


class DistributionPreviewButton(PageMenuItem):
    label = _("Distribution preview")
    icon_name = "globe"
    url_name = "distribution:page_preview"
    priority = 66

    def is_shown(self, user):
        return self.page.permissions_for_user(user).can_edit()


class DistributionSummaryButton(PageMenuItem):
    """«Distribution: 3 sent, 1 failed», linking to the report filtered on the page."""

    icon_name = "list-ul"
    priority = 67

    def __init__(self, *, page, counts):
        super().__init__(label=views.summary_label(counts), url=views.report_url_for_page(page.pk), page=page)

    def is_shown(self, user):
        return can_view_distribution(user)


@hooks.register("register_page_header_buttons")
def distribution_page_buttons(page, user, view_name, next_url=None):
    if page.is_root():
        return
    yield DistributionPreviewButton(page=page)
    counts = views.page_summary(page.pk)
    if counts:
        yield DistributionSummaryButton(page=page, counts=counts)


class PausedChannelsPanel(Component):
    """The dashboard's alert: channels paused because they refused their credentials (401/403)."""

    name = "distribution_paused"
    order = 10  # above Wagtail's own panels
    template_name = "distribution/paused_channels.html"

    def __init__(self, channels, acting):
        self.channels, self.acting = channels, acting

    def get_context_data(self, parent_context=None):
        parent_context = parent_context or {}
        return {
            "request": parent_context.get("request"),
            "csrf_token": parent_context.get("csrf_token"),  # the resume buttons post from the dashboard
            "paused": self.channels,
            "acting": self.acting,
        }


@hooks.register("construct_homepage_panels")
def paused_channels_alert(request, panels):
    if can_view_distribution(request.user) and (paused := list(views.paused_channels())):
        panels.append(PausedChannelsPanel(paused, can_act_on_outbox(request.user)))


@hooks.register("register_log_actions")
def register_distribution_log_actions(actions):
    class DistributionFormatter(LogFormatter):
        message = ""

        def format_message(self, log_entry):
            return self.message % {
                "channel": log_entry.data.get("channel", ""),
                "remote_url": log_entry.data.get("remote_url", ""),
            }

    @actions.register_action("revayat.distribution_retry")
    class RetryFormatter(DistributionFormatter):
        label = _("Distribution retried")
        message = _("Distribution to %(channel)s retried")

    @actions.register_action("revayat.distribution_cancel")
    class CancelFormatter(DistributionFormatter):
        label = _("Distribution cancelled")
        message = _("Distribution to %(channel)s cancelled")

    @actions.register_action("revayat.distribution_resume")
    class ResumeFormatter(DistributionFormatter):
        label = _("Distribution channel resumed")
        message = _("Distribution to %(channel)s resumed")

    @actions.register_action("revayat.distribution_mark_sent")
    class MarkSentFormatter(DistributionFormatter):
        label = _("Distribution marked as sent")
        message = _("Distribution to %(channel)s marked as sent (%(remote_url)s)")
