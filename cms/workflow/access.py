"""What a translator may learn of pages outside their own permissions, and the wagtail-localize views
that forget to ask.

Wagtail's page chooser (browsing, its search, the rich-text link chooser) lists every page to every admin
user, and wagtail-localize's "Translate this page" and "Sync translated pages" only check the global
"submit_translation" permission. A translator must not learn the title of a Persian draft or of a
restricted page from them: outside their own languages they see only what the public sees
(`cms.visibility`), and nothing of a restricted page in any language. wagtail-localize's snippet API
lists any snippet model to any admin user; it now asks the model's own permission policy.

Wagtail shows a page's draft title in its choosers: a translator is shown the live (public) title of a
live page outside their languages, never the title of its unpublished changes. The explorer (its page
listing, search and the sidebar menu) leaves out the translations of restricted pages as the choosers do.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views import chooser
from wagtail.models import Locale, Page
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


_public_title_classes = {}


def _live_titles(pages):
    """Give the live pages among `pages` outside the translation languages, and their parents (which the
    chooser's search results show, fetched here in one query), their live title as draft title."""
    own = set(
        Locale.objects.filter(language_code__in=roles.TRANSLATION_LANGUAGES).values_list("pk", flat=True)
    )
    paths = {page.path[: -Page.steplen] for page in pages if page.depth > 1}
    parents = {parent.path: parent for parent in Page.objects.filter(path__in=paths)} if paths else {}
    for page in [*pages, *parents.values()]:
        if page.live and page.locale_id not in own:
            page.draft_title = page.title
    for page in pages:
        if page.path[: -Page.steplen] in parents:
            page._cached_parent_obj = parents[page.path[: -Page.steplen]]


def _show_public_titles(pages):
    """`pages` as a queryset (and the querysets chained from it) whose live pages outside the translation
    languages carry their live title as their draft title, which the choosers display."""
    base = type(pages)
    if getattr(base, "_revayat_public_titles", False):
        return pages
    if base not in _public_title_classes:

        def _fetch_all(self):
            fetched = self._result_cache is not None
            base._fetch_all(self)
            if not fetched:
                _live_titles([page for page in self._result_cache if isinstance(page, Page)])

        _public_title_classes[base] = type(
            f"PublicTitle{base.__name__}", (base,), {"_fetch_all": _fetch_all, "_revayat_public_titles": True}
        )
    pages = pages._chain()
    pages.__class__ = _public_title_classes[base]
    return pages


def filter_page_chooser(pages, request):
    """`construct_page_chooser_queryset`: leave out hidden pages; browsing into a hidden one is a 404;
    show a translator the live titles of the source language's live pages."""
    if not roles.is_translator_only(request.user):
        return pages
    hidden = hidden_page_ids(request.user)
    parent_id = request.resolver_match.kwargs.get("parent_page_id") if request.resolver_match else None
    if parent_id in hidden:
        raise Http404
    return _show_public_titles(pages.exclude(pk__in=hidden))


class _TranslatorBrowseView(chooser.BrowseView):
    """The chooser's browsing, whose parent page (shown above its children) carries its live title."""

    def get_object_list(self):
        _live_titles([self.parent_page])
        return super().get_object_list()


class _TranslatorChosenMultipleView(chooser.ChosenMultipleView):
    """The chooser's "choose these pages" answer, with live titles and without hidden pages."""

    def get(self, request):
        hidden = hidden_page_ids(request.user)
        pks = [pk for pk in request.GET.getlist("id") if pk.isdigit() and int(pk) not in hidden]
        pages = list(Page.objects.filter(pk__in=pks).specific())
        _live_titles(pages)
        return self.render_chosen_response(
            [
                {
                    "id": page.pk,
                    "parentId": page.get_parent().pk,
                    "adminTitle": page.get_admin_display_title(),
                    "editUrl": reverse("wagtailadmin_pages:edit", args=(page.pk,)),
                    "url": page.url,
                }
                for page in pages
            ]
        )


TRANSLATOR_CHOOSER_VIEWS = {  # as Wagtail's admin URLs are: admin access required
    "wagtailadmin_choose_page_child": require_admin_access(_TranslatorBrowseView.as_view()),
    "wagtailadmin_choose_page": require_admin_access(_TranslatorBrowseView.as_view()),
    "wagtailadmin_choose_page_chosen_multiple": require_admin_access(_TranslatorChosenMultipleView.as_view()),
}


def translator_chooser_view(request, view_kwargs):
    """For a translator, the chooser views whose page titles Wagtail takes from outside the queryset
    hook (the browsed parent, the chosen pages): their versions with live titles (from the middleware's
    `process_view`); None for everyone else."""
    match = request.resolver_match
    view = TRANSLATOR_CHOOSER_VIEWS.get(match.view_name if match else None)
    if view is None or not roles.is_translator_only(request.user):
        return None
    return view(request, **view_kwargs)


def filter_explorer(parent_page, pages, request):
    """`construct_explorer_page_queryset`: a translator's explorer (and its sidebar menu) leaves out
    hidden pages, such as the English translation of a restricted page; exploring one is a 404."""
    hidden = hidden_page_ids(request.user)
    if not hidden:
        return pages
    if parent_page is not None and parent_page.pk in hidden:
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
