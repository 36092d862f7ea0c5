"""What a translator may learn of pages outside their own permissions, and the wagtail-localize views
that forget to ask.

Wagtail's page chooser (browsing, its search, the rich-text link chooser) lists every page to every admin
user, and wagtail-localize's "Translate this page" and "Sync translated pages" only check the global
"submit_translation" permission. A translator must not learn the title of a Persian draft or of a
restricted page from them: outside their own languages they see only what the public sees
(`cms.visibility`), and nothing of a restricted page in any language. wagtail-localize's snippet API
lists any snippet model to any admin user; it now asks the model's own permission policy.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from wagtail.models import Page
from wagtail.snippets.views.snippets import get_snippet_model_from_url_params
from wagtail_localize.models import TranslationSource
from wagtail_localize.views import snippets_api, submit_translations, update_translations

from cms import visibility
from cms.workflow import roles


def visible_pages(user):
    """The pages `user` may see listed anywhere in the admin: all of them, or for a translator the public
    pages and the unrestricted pages of the translation languages (not restricted in any language)."""
    pages = Page.objects.all()
    if not roles.is_translator_only(user):
        return pages
    own = pages.filter(locale__language_code__in=roles.TRANSLATION_LANGUAGES)
    restricted = visibility.restricted_pages().values("translation_key")
    return pages.filter(pk__in=(visibility.public_pages() | own).values("pk")).exclude(
        translation_key__in=restricted
    )


def hidden_page_ids(user):
    """Ids of the pages `user` may not see (empty for everyone but translators); search backends filter on
    a list of ids, not on subqueries."""
    if not roles.is_translator_only(user):
        return set()
    return set(Page.objects.exclude(pk__in=visible_pages(user).values("pk")).values_list("pk", flat=True))


def filter_page_chooser(pages, request):
    """`construct_page_chooser_queryset`: leave out hidden pages; browsing into a hidden one is a 404."""
    hidden = hidden_page_ids(request.user)
    if not hidden:
        return pages
    parent_id = request.resolver_match.kwargs.get("parent_page_id") if request.resolver_match else None
    if parent_id in hidden:
        raise Http404
    return pages.exclude(pk__in=hidden)


def _require_visible(user, page_id):
    if page_id in hidden_page_ids(user):
        raise Http404


def submit_page_translation(request, page_id):
    """wagtail-localize's "Translate this page", for pages the user may see."""
    _require_visible(request.user, page_id)
    return submit_translations.SubmitPageTranslationView.as_view()(request, page_id=page_id)


def update_translations_view(request, translation_source_id):
    """wagtail-localize's "Sync translated pages", for sources the user may see."""
    source = get_object_or_404(TranslationSource, pk=translation_source_id)
    page = Page.objects.filter(translation_key=source.object_id, locale_id=source.locale_id).first()
    if page is not None:
        _require_visible(request.user, page.pk)
    return update_translations.UpdateTranslationsView.as_view()(
        request, translation_source_id=translation_source_id
    )


def snippets_api_view(action):
    """wagtail-localize's snippet chooser API (`list` or `retrieve`), for users who may see the model."""
    view = snippets_api.SnippetViewSet.as_view({"get": action})

    def guarded(request, app_label, model_name, **kwargs):
        model = get_snippet_model_from_url_params(app_label, model_name)
        policy_ = model.snippet_viewset.permission_policy
        if not policy_.user_has_any_permission(request.user, ["add", "change", "delete", "view"]):
            raise PermissionDenied
        return view(request, app_label=app_label, model_name=model_name, **kwargs)

    return guarded
