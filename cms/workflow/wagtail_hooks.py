"""Admin wiring of the workflow app: what each role may see and open (`cms.workflow.access`).

Imported by `cms/wagtail_hooks.py` (Wagtail only discovers an app's top-level hooks module); its URLs
shadow wagtail-localize's (same paths, matched first because `cms` comes before it in INSTALLED_APPS).
"""

from django.urls import path
from wagtail import hooks

from cms.workflow import access

hooks.register("construct_page_chooser_queryset", access.filter_page_chooser)


@hooks.register("register_admin_urls")
def register_access_urls():
    return [
        path("localize/submit/page/<int:page_id>/", access.submit_page_translation,
             name="revayat_submit_page_translation"),
        path("localize/update/<int:translation_source_id>/", access.update_translations_view,
             name="revayat_update_translations"),
        path("localize/api/snippets/<slug:app_label>/<slug:model_name>/", access.snippets_api_view("list"),
             name="revayat_snippets_api_listing"),
        path("localize/api/snippets/<slug:app_label>/<slug:model_name>/<str:pk>/",
             access.snippets_api_view("retrieve"), name="revayat_snippets_api_detail"),
    ]
