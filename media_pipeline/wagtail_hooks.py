"""Admin wiring: the processing queue and the subtitle tracks, under the media menu."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.model import ModelViewSet

from media_pipeline import views
from media_pipeline.forms import SubtitleForm
from media_pipeline.models import Subtitle

urls = [
    path("", views.ProcessingReportView.as_view(), name="processing"),
    path("results/", views.ProcessingReportView.as_view(results_only=True), name="processing_results"),
    path("<int:media_id>/retry/", views.retry, name="retry"),
]


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("media-processing/", include((urls, "media_pipeline"), namespace="media_pipeline"))]


class ProcessingMenuItem(MenuItem):
    """Shown to those the queue lets in (who may add or change audio and video)."""

    def is_shown(self, request):
        return views.permission_policy().user_has_any_permission(request.user, ["add", "change"])


@hooks.register("register_admin_menu_item")
def register_processing_menu_item():
    return ProcessingMenuItem(
        _("Media processing"), reverse("media_pipeline:processing"), icon_name="media", order=301
    )


class SubtitleViewSet(ModelViewSet):
    model = Subtitle
    form_fields = ["media", "language", "label", "file"]
    list_display = ["media", "language", "label"]
    list_filter = ["language"]
    icon = "doc-full"
    menu_label = _("Subtitles")
    menu_order = 302
    add_to_admin_menu = True
    add_to_settings_menu = False

    def get_form_class(self, for_update=False):
        from wagtail.admin.forms.models import WagtailAdminModelForm

        class Form(SubtitleForm, WagtailAdminModelForm):
            class Meta:
                model = Subtitle
                fields = self.form_fields

        return Form


@hooks.register("register_admin_viewset")
def register_subtitle_viewset():
    return SubtitleViewSet("subtitles")
