"""The API's JSON, frozen: every page type's detail response (fa and en) and an image and a media item
(the demo has no document), compared with the golden files in `tests/api/golden/`.

Why: the portal and the apps are written against these shapes, and a refactor (e.g. blocks serializing
themselves) must not change a byte of them. A deliberate change regenerates the files
(`python -m tests.api.golden`) and the reviewer reads the diff. What is normalized, and why, is listed
in `tests.api.golden` and nowhere else.
"""

import difflib
import os

import pytest
from django.apps import apps

from cms.api.openapi import page_types
from cms.visibility import public_images, public_media
from tests.api import golden

pytestmark = pytest.mark.django_db

PAGE_CASES = [
    (f"{name}.{language}", label, language)
    for name, label in golden.PAGES.items()
    for language in golden.LANGUAGES
]
PUBLIC = {"images": public_images, "media": public_media}


def compare(name, data, kind="page"):
    """Fail with a unified diff when the normalized response differs from its golden file."""
    text = golden.dumps(golden.normalize(data, kind))
    file = golden.path(name)
    if os.environ.get(golden.UPDATE_ENV):
        file.write_text(text, encoding="utf-8")
        return
    expected = file.read_text(encoding="utf-8") if file.exists() else ""
    if text != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True),
                text.splitlines(keepends=True),
                f"golden/{name}.json",
                "live response",
            )
        )
        pytest.fail(
            f"The API response differs from tests/api/golden/{name}.json (if the change is intended, "
            f"run `python -m tests.api.golden` and review the diff):\n{diff}",
            pytrace=False,
        )


@pytest.mark.parametrize(("name", "label", "language"), PAGE_CASES, ids=[case[0] for case in PAGE_CASES])
def test_page_detail_matches_its_golden_file(api, name, label, language):
    page = apps.get_model(label).objects.filter(locale__language_code=language).order_by("path").first()
    status, data, _response = api(f"/api/v2/pages/{page.pk}/")
    assert status == 200
    compare(name, data)


@pytest.mark.parametrize("collection", golden.COLLECTIONS)
def test_collection_detail_matches_its_golden_file(api, collection):
    item = PUBLIC[collection]().order_by("title", "pk").first()
    status, data, _response = api(f"/api/v2/{collection}/{item.pk}/")
    assert status == 200
    compare(collection, data, kind=collection)


def test_every_page_type_has_golden_files():
    assert sorted(golden.PAGES.values()) == sorted(model._meta.label for model in page_types())
    expected = {f"{name}.json" for name, _label, _language in PAGE_CASES}
    expected |= {f"{collection}.json" for collection in golden.COLLECTIONS}
    assert {file.name for file in golden.GOLDEN_DIR.glob("*.json")} == expected
