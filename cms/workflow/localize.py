"""The project's fixes to wagtail-localize's Persian gaps.

- Slugs: `TranslationSource.create_or_update_translation()` runs Django's `slugify` without
  `allow_unicode`, so a Persian slug on a translation collapses to an empty string (or to its ASCII
  part). The module-level name it calls is pointed at a Unicode-preserving slugify.
- English slugs: a translation into English gets an ASCII slug, and keeps the one its translator chose
  when the source is synced again (`cms.workflow.slugs`).
- Translations are drafts: wagtail-localize publishes a page's translation the moment it is created
  from a live source ("Translate this page"), synced with "Publish immediately", or published from
  its editor, before anyone reviewed it. Every page translation it saves is saved as a draft; it goes
  live through the publication workflow and its gate like any other page (snippets are not pages and
  keep wagtail-localize's behaviour).
- No translation becomes an alias of its source ("Convert to alias"): the source-language page would
  be published under the translation's language (now if the source is live, or at its next
  publication) without review; the conversion is refused and its menu item removed
  (`cms.workflow.policy.construct_page_action_menu`).
- Drafts of live translations: saving a translation as a draft (`save_target(publish=False)`, used by
  "Sync translated pages" and by our "Submit for review") writes the new text into the live page's
  own row, so unapproved text goes public at once. Wagtail's editor keeps a live page's row as it is
  and stores the draft only as a revision; the wrapper below restores the live content the same way.
- Direction: the translation editor (a React component) sets no `dir`/`lang` on the source strings and
  the target fields; `translation_editor.js` (added through the `insert_editor_js` hook) sets them from
  the editor's own source and target locales.
"""

import functools

from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.models import Page

from cms.publication import ChecklistItem, PublishBlockedError
from cms.workflow import slugs

unicode_slugify = functools.partial(slugify, allow_unicode=True)


def drafts_only(create_or_update_translation):
    """Wrap `TranslationSource.create_or_update_translation`: a page's translation is saved as a draft,
    and a draft never changes a live page."""

    @functools.wraps(create_or_update_translation)
    def wrapper(self, locale, *args, publish=True, **kwargs):
        is_page = issubclass(self.specific_content_type.model_class(), Page)
        previous_slug = None
        if is_page:
            publish = False
            existing = Page.objects.filter(translation_key=self.object_id, locale=locale).first()
            latest = existing.get_latest_revision() if existing else None
            previous_slug = (latest.content.get("slug") if latest else None) or getattr(
                existing, "slug", None
            )
        translation, created = create_or_update_translation(self, locale, *args, publish=publish, **kwargs)
        if is_page:
            slugs.give_english_slug(translation, previous_slug)  # the sync brought the Persian slug back
        if (
            not publish
            and isinstance(translation, Page)
            and translation.live
            and translation.live_revision_id
        ):
            live = Page.objects.get(pk=translation.pk).specific.live_revision.as_object()
            live.save(clean=False)  # the draft stays in the latest revision, as Wagtail's editor does
        return translation, created

    return wrapper


def refuse_alias_conversion(source_page, alias_page, *args, **kwargs):
    """Replaces wagtail-localize's `sync_alias`, the first step of "Convert to alias"."""
    raise PublishBlockedError(
        [
            ChecklistItem(
                "translation-alias",
                _(
                    "A translation cannot become an alias of its source: the source-language text would be "
                    "published in this language without review."
                ),
                False,
            )
        ]
    )


def apply_fixes():
    import wagtail_localize.models
    import wagtail_localize.views.convert

    wagtail_localize.views.convert.sync_alias = refuse_alias_conversion

    wagtail_localize.models.slugify = unicode_slugify
    source = wagtail_localize.models.TranslationSource
    source.create_or_update_translation = drafts_only(source.create_or_update_translation)
