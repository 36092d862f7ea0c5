"""The project's fixes to wagtail-localize's Persian gaps.

- Slugs: `TranslationSource.create_or_update_translation()` runs Django's `slugify` without
  `allow_unicode`, so a Persian slug on a translation collapses to an empty string (or to its ASCII
  part). The module-level name it calls is pointed at a Unicode-preserving slugify.
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
from wagtail.models import Page

unicode_slugify = functools.partial(slugify, allow_unicode=True)


def keep_live_content(create_or_update_translation):
    """Wrap `TranslationSource.create_or_update_translation` so that a draft never changes a live page."""

    @functools.wraps(create_or_update_translation)
    def wrapper(self, locale, *args, publish=True, **kwargs):
        translation, created = create_or_update_translation(self, locale, *args, publish=publish, **kwargs)
        if not publish and isinstance(translation, Page) and translation.live \
                and translation.live_revision_id:
            live = Page.objects.get(pk=translation.pk).specific.live_revision.as_object()
            live.save(clean=False)  # the draft stays in the latest revision, as Wagtail's editor does
        return translation, created

    return wrapper


def apply_fixes():
    import wagtail_localize.models

    wagtail_localize.models.slugify = unicode_slugify
    source = wagtail_localize.models.TranslationSource
    source.create_or_update_translation = keep_live_content(source.create_or_update_translation)
