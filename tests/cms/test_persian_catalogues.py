"""The Persian catalogues we ship (locale/): complete, well-formed, compiled, and loaded by Django.

`locale/fa/LC_MESSAGES/` is the project's own catalogue; `locale/packages/<package>/fa/LC_MESSAGES/` hold
the Persian for the strings Wagtail, wagtail-localize, wagtailmedia and taggit leave untranslated upstream
(see locale/README.md). After a package upgrade, the coverage tests below name every new msgid.
"""

import re
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from django.apps import apps
from django.conf import settings
from django.utils.translation import trans_real

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = sorted(
    [*ROOT.glob("locale/fa/LC_MESSAGES/*.po"), *ROOT.glob("locale/packages/*/fa/LC_MESSAGES/*.po")],
    key=str,
)
PLACEHOLDER = re.compile(r"%\([A-Za-z_]\w*\)[sdirf]|%[sdif]|\{[A-Za-z_]?\w*\}")
# Apps whose strings reach the admin and whose source catalogue (locale/en or a .pot) ships with them.
PACKAGE_PREFIXES = ("wagtail", "wagtail_localize", "wagtailmedia", "taggit")


def shipped_ids(po_file):
    return [str(path.relative_to(ROOT)) for path in po_file]


def test_the_shipped_catalogues_are_found():
    names = {str(path.relative_to(ROOT)) for path in SHIPPED}
    assert "locale/fa/LC_MESSAGES/django.po" in names
    for package in ("wagtail", "wagtail_localize", "wagtailmedia"):
        assert f"locale/packages/{package}/fa/LC_MESSAGES/django.po" in names
    for package in ("wagtail", "wagtail_localize"):  # the admin's JavaScript (autosave, translation editor)
        assert f"locale/packages/{package}/fa/LC_MESSAGES/djangojs.po" in names
    for path in [
        ROOT / "locale" / "packages" / name for name in ("wagtail", "wagtail_localize", "wagtailmedia")
    ]:
        assert path in settings.LOCALE_PATHS, f"{path} is not in LOCALE_PATHS: Django would not load it"
    assert settings.LOCALE_PATHS[0] == ROOT / "locale", (
        "the project's own catalogue must come first (it wins)"
    )


@pytest.mark.parametrize("path", SHIPPED, ids=shipped_ids(SHIPPED))
def test_no_untranslated_fuzzy_or_obsolete_entries(path):
    catalogue = polib.pofile(str(path))
    assert catalogue.metadata.get("Plural-Forms") == "nplurals=2; plural=(n > 1);"  # as Wagtail's fa
    problems = [
        ("fuzzy" if "fuzzy" in entry.flags else "obsolete" if entry.obsolete else "untranslated", entry.msgid)
        for entry in catalogue
        if entry.obsolete or "fuzzy" in entry.flags or not entry.translated()
    ]
    assert problems == []


@pytest.mark.parametrize("path", SHIPPED, ids=shipped_ids(SHIPPED))
def test_placeholders_survive_translation(path):
    """Every %(name)s, %s, {name} of a translation is its msgid's (and a singular msgid's are all kept)."""
    problems = []
    for entry in polib.pofile(str(path)):
        source = set(PLACEHOLDER.findall(entry.msgid)) | set(PLACEHOLDER.findall(entry.msgid_plural or ""))
        forms = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        for form in forms:
            found = set(PLACEHOLDER.findall(form))
            if found - source or (not entry.msgid_plural and found != source):
                problems.append(f"{entry.msgid!r} -> {form!r}")
    assert problems == []


@pytest.mark.parametrize("path", SHIPPED, ids=shipped_ids(SHIPPED))
def test_msgfmt_check_format_passes_and_the_mo_is_up_to_date(path, tmp_path):
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "GNU gettext's msgfmt is needed (bin/ensure-system-packages test installs it)"
    compiled = tmp_path / "out.mo"
    result = subprocess.run(
        [msgfmt, "--check-format", "-o", str(compiled), str(path)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    committed = polib.mofile(str(path.with_suffix(".mo")))
    fresh = polib.mofile(str(compiled))

    def entries(catalogue):
        return {
            (e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
            for e in catalogue
            if e.msgid
        }

    assert entries(committed) == entries(fresh), (
        f"{path.with_suffix('.mo')} is stale: run msgfmt (locale/README.md)"
    )


def package_sources(domain):
    """(app name, source catalogue, locale folder) of each installed package app that ships its msgids."""
    found = []
    for config in apps.get_app_configs():
        if config.name.split(".")[0] not in PACKAGE_PREFIXES:
            continue
        folder = Path(config.path) / "locale"
        for candidate in (folder / "en" / "LC_MESSAGES" / f"{domain}.po", folder / f"{domain}.pot"):
            if candidate.exists():
                found.append((config.name, candidate, folder))
                break
    return found


def untranslated_by_django(catalog, source):
    """msgids of `source` that the loaded Persian catalogue `catalog` (Django's own merge) does not have."""
    missing = []
    for entry in polib.pofile(str(source)):
        if entry.obsolete or not entry.msgid:
            continue
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        if entry.msgid_plural:
            if any(catalog.get((key, index)) in (None, "") for index in (0, 1)):
                missing.append(entry.msgid)
        elif catalog.get(key) in (None, ""):
            missing.append(entry.msgid)
    return missing


def test_every_package_msgid_is_persian_in_what_django_loads():
    sources = package_sources("django")
    names = {name for name, *_ in sources}
    assert {"wagtail.admin", "wagtail", "wagtail_localize", "wagtailmedia"} <= names
    catalog = trans_real.DjangoTranslation("fa")._catalog  # packages + LOCALE_PATHS, as the admin gets it
    missing = {name: untranslated_by_django(catalog, source) for name, source, _ in sources}
    assert {name: ids for name, ids in missing.items() if ids} == {}


def test_every_package_javascript_msgid_is_persian_in_the_admin_javascript_catalogues():
    sources = package_sources("djangojs")
    assert {"wagtail.admin", "wagtail_localize"} <= {name for name, *_ in sources}
    problems = {}
    for name, source, folder in sources:
        # What django.views.i18n.JavaScriptCatalog(packages=[name]) loads: the package, then LOCALE_PATHS.
        catalog = trans_real.DjangoTranslation("fa", domain="djangojs", localedirs=[folder])._catalog
        missing = untranslated_by_django(catalog, source)
        if missing:
            problems[name] = missing
    assert problems == {}
