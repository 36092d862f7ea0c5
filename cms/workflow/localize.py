"""The project's fixes to wagtail-localize's Persian gaps.

- Slugs: `TranslationSource.create_or_update_translation()` runs Django's `slugify` without
  `allow_unicode`, so a Persian slug on a translation collapses to an empty string (or to its ASCII
  part). The module-level name it calls is pointed at a Unicode-preserving slugify.
- Direction: the translation editor (a React component) sets no `dir`/`lang` on the source strings and
  the target fields; `translation_editor.js` (added through the `insert_editor_js` hook) sets them from
  the editor's own source and target locales.
"""

import functools

from django.utils.text import slugify

unicode_slugify = functools.partial(slugify, allow_unicode=True)


def apply_fixes():
    import wagtail_localize.models

    wagtail_localize.models.slugify = unicode_slugify
