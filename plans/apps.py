"""The domain: SSO's transformation plans, their 8-section reports and executive summaries."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = _("Transformation plans")

    def ready(self):
        from plans.signal_handlers import register_signal_handlers

        register_signal_handlers()
        register_visibility()


def register_visibility():
    """Deliverables are public when their plan page is, its source package once it is released; the
    podcast feed and the KPI dashboards and downloads are doors of their own."""
    from wagtail import views as wagtail_views

    from cms import visibility
    from cms.views import serve_media
    from plans.models import PlanDeliverables, PlanSourcePackage
    from plans.models.deliverables import FILE_FIELDS

    visibility.register_owned(PlanDeliverables, lambda record: record.page, "deliverables/", FILE_FIELDS)
    visibility.register_door("deliverables", serve_media)
    # A plan's source files: staff only until an approver releases them, then as public as the plan.
    visibility.register_owned(
        PlanSourcePackage, lambda package: package.page, "sources/", released=lambda package: package.released
    )
    visibility.register_door("source_packages", serve_media)
    visibility.register_door("podcast_feed", wagtail_views.serve)
    # The KPI dashboards (plan and plan index sub-routes) and their CSV/XLSX downloads; which series
    # they show is `KPI.objects.visible_to()`'s answer (plans/kpi_data.py).
    visibility.register_door("kpi_dashboard", wagtail_views.serve)
    visibility.register_door("kpi_downloads", wagtail_views.serve)
