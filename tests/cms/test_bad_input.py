"""Bad input in the admin is a form error, never a 500 (issue 13 §4).

Scenarios, as the editor role through the real page edit view: a rich-text field posted as raw HTML
instead of Draftail's JSON; StreamField data with its count missing, not a number, huge, or with values of
the wrong type; titles with NFD text and unbalanced bidi controls are stored normalized (ZWNJ kept);
`javascript:` links padded with invisible characters are neutralized by the sanitizer and by Draftail's
link conversion; control characters of a request path are escaped in the log; previews say noindex.
"""

import io
import json
import logging
import unicodedata

import pytest
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from cms.sanitize import clean_rich_text
from plans.models import PlanIndexPage
from tests.workflow.conftest import users  # noqa: F401  (fixture: one user per editorial role)

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client, users):  # noqa: F811
    client.force_login(users["editor"])
    return client


def index_form(demo, **fields):
    data = {
        "title": demo.index_fa.title,
        "slug": demo.index_fa.slug,
        "summary": "",
        "intro": rich_text("<p>مقدمه</p>"),
        "comments": inline_formset([]),
        "distribution": streamfield([]),
        **fields,
    }
    return nested_form_data(data)


def edit(client, page, data):
    return client.post(f"/admin/pages/{page.pk}/edit/", data)


def field_errors(response):
    return {name: [str(e) for e in errors] for name, errors in response.context["form"].errors.items()}


def test_the_editor_can_save_the_index_form(editor, demo):
    """The baseline the malformed posts below are variations of."""
    response = edit(editor, demo.index_fa, index_form(demo))
    assert response.status_code == 302


@pytest.mark.parametrize(
    "raw",
    [
        "<p>متن <b>پررنگ</b></p>",
        "not json",
        "[1, 2]",
        '{"blocks": 5}',
        '{"blocks": [{"text": 1}], "entityMap": []}',
    ],
)
def test_rich_text_posted_as_raw_html_is_a_form_error(editor, demo, raw):
    data = index_form(demo)
    data["intro"] = raw
    response = edit(editor, demo.index_fa, data)
    assert response.status_code == 200
    assert "intro" in field_errors(response)


@pytest.mark.parametrize("count", [None, "abc", "", str(10**9), "1e9", "٣"])
def test_malformed_streamfield_counts_are_form_errors(editor, demo, count):
    data = index_form(demo, distribution=streamfield([]))
    if count is None:
        del data["distribution-count"]
    else:
        data["distribution-count"] = count
    response = edit(editor, demo.index_fa, data)
    assert response.status_code == 200
    assert "distribution" in field_errors(response)


def test_streamfield_values_of_the_wrong_type_are_form_errors(editor, demo):
    data = index_form(
        demo, distribution=streamfield([("channel", {"channel": "abc", "enabled": "x", "text": ["a"]})])
    )
    data["distribution-0-order"] = "first"
    response = edit(editor, demo.index_fa, data)
    assert response.status_code == 200
    assert "distribution" in field_errors(response)


def test_a_chooser_given_a_non_numeric_id_is_a_form_error(editor, demo):
    data = index_form(demo, distribution=streamfield([("channel", {"channel": "abc"})]))
    response = edit(editor, demo.index_fa, data)
    assert response.status_code == 200
    assert "distribution" in field_errors(response)


# --- titles ------------------------------------------------------------------------------------------

LRE, RLE, PDF, LRO, RLO = "\u202a", "\u202b", "\u202c", "\u202d", "\u202e"
LRI, RLI, FSI, PDI = "\u2066", "\u2067", "\u2068", "\u2069"
ZWNJ, ZWJ = "\u200c", "\u200d"


def test_clean_title_normalizes_and_balances():
    from cms.i18n import clean_title

    nfd = unicodedata.normalize("NFD", "آیین‌نامهٔ café")
    assert clean_title(nfd) == unicodedata.normalize("NFC", nfd)
    assert clean_title(f"گزارش{RLO}exe.gpj{PDF} نهایی") == "گزارشexe.gpj نهایی"
    assert clean_title(f"{LRE}a{RLE}b{LRO}c") == "abc"
    assert clean_title(f"برنامهٔ {FSI}Revayat 2.0{PDI} تحول") == f"برنامهٔ {FSI}Revayat 2.0{PDI} تحول"
    assert clean_title(f"a{PDI}b{LRI}c") == "abc"  # a closer without opener, an opener never closed
    assert clean_title(f"{RLI}a{LRI}b{PDI}c") == f"a{LRI}b{PDI}c"
    assert clean_title(f"می{ZWNJ}شود{ZWJ}") == f"می{ZWNJ}شود{ZWJ}"
    assert clean_title(f"  {RLO}  ") == ""


def test_page_titles_from_the_admin_are_stored_normalized(editor, demo):
    title = unicodedata.normalize("NFD", f"فهرست{RLO} برنامه{ZWNJ}ها{LRI}")
    seo = f"{LRO}SEO{PDF} عنوان"
    response = edit(editor, demo.index_fa, index_form(demo, title=title, seo_title=seo))
    assert response.status_code == 302
    page = PlanIndexPage.objects.get(pk=demo.index_fa.pk).get_latest_revision_as_object()
    assert page.title == f"فهرست برنامه{ZWNJ}ها"
    assert page.seo_title == "SEO عنوان"
    assert PlanIndexPage.objects.get(pk=demo.index_fa.pk).draft_title == page.title


def test_titles_saved_in_code_are_normalized(demo):
    """Imports, commands and wagtail-localize save pages without a form."""
    page = PlanIndexPage.objects.get(pk=demo.index_fa.pk)
    page.title = f"{RLO}فهرست"
    page.save_revision()
    assert page.get_latest_revision_as_object().title == "فهرست"


def test_snippet_names_are_normalized(demo):
    from plans.models import OrganizationUnit

    unit = OrganizationUnit(name=f"{RLO}معاونت{PDF} فنی", locale=demo.locale_fa)
    unit.save()
    assert OrganizationUnit.objects.get(pk=unit.pk).name == "معاونت فنی"


# --- javascript: links -------------------------------------------------------------------------------

PADDED = [
    "java\u200bscript:alert(1)",
    "\u200bjavascript:alert(1)",
    "java\u00adscript:alert(1)",
    " javascript:alert(1)",
    "java&#x200b;script:alert(1)",
    "java\u2060script:alert(1)",
    "\ufeffjavascript:alert(1)",
    "java\u202escript:alert(1)",
    "JaVa\u200cScRiPt:alert(1)",
    "\u3000javascript:alert(1)",
    "vbscript\u200b:x",
    "data\u00ad:text/html,<script>x</script>",
]


@pytest.mark.parametrize("href", PADDED)
def test_padded_javascript_links_are_removed_by_the_sanitizer(href):
    cleaned = clean_rich_text(f'<p><a href="{href}">پیوند</a></p>')
    assert "href" not in cleaned and "پیوند" in cleaned


def test_ordinary_links_keep_their_address():
    persian = "https://fa.wikipedia.org/wiki/می\u200cشود"
    for href in ("https://example.org/a?b=c", "/fa/plans/", "mailto:a@example.org", "#top", persian):
        assert f'href="{href}"' in clean_rich_text(f'<p><a href="{href}">x</a></p>')


def draftail_link(url):
    return json.dumps(
        {
            "blocks": [
                {
                    "key": "a1",
                    "type": "unstyled",
                    "depth": 0,
                    "text": "پیوند",
                    "inlineStyleRanges": [],
                    "entityRanges": [{"offset": 0, "length": 5, "key": 0}],
                }
            ],
            "entityMap": {"0": {"type": "LINK", "mutability": "MUTABLE", "data": {"url": url}}},
        }
    )


@pytest.mark.parametrize("href", PADDED)
def test_padded_javascript_links_posted_through_draftail_are_removed(editor, demo, href):
    data = index_form(demo)
    data["intro"] = draftail_link(href)
    response = edit(editor, demo.index_fa, data)
    assert response.status_code == 302
    intro = PlanIndexPage.objects.get(pk=demo.index_fa.pk).get_latest_revision_as_object().intro
    assert "پیوند" in intro and "href" not in intro and "script" not in intro.lower().replace("<p", "")


def test_a_draftail_link_to_a_web_address_is_kept(editor, demo):
    data = index_form(demo)
    data["intro"] = draftail_link("https://example.org/report")
    assert edit(editor, demo.index_fa, data).status_code == 302
    intro = PlanIndexPage.objects.get(pk=demo.index_fa.pk).get_latest_revision_as_object().intro
    assert 'href="https://example.org/report"' in intro


# --- the log -------------------------------------------------------------------------------------------


def test_control_characters_of_a_request_path_are_escaped_in_the_log(client, monkeypatch):
    """A path with CR/LF/ESC, quoted by an exception message, must not forge log lines or drive the
    operator's terminal (Django escapes its own "Not Found: <path>", not what a traceback quotes)."""
    from media_pipeline import views

    def serve(request, document_id, document_filename):
        raise ValueError(f"cannot serve {document_filename}")

    monkeypatch.setattr(views, "wagtail_serve_document", serve)
    console = next(
        handler for handler in logging.getLogger().handlers if type(handler) is logging.StreamHandler
    )  # the console handler of settings.LOGGING
    buffer = io.StringIO()
    previous = console.setStream(buffer)
    try:
        client.raise_request_exception = False
        assert client.get("/documents/1/a%0d%0aFAKE%20entry%1b[31m.pdf").status_code == 500
    finally:
        console.setStream(previous)
    logged = buffer.getvalue()
    assert "Internal Server Error" in logged and "Traceback" in logged
    assert "\r" not in logged and "\x1b" not in logged
    assert "\nFAKE entry" not in logged
    assert "cannot serve a\\r\\nFAKE entry\\x1b[31m.pdf" in logged


# --- previews ------------------------------------------------------------------------------------------


def test_admin_previews_say_noindex(editor, demo):
    page = demo.index_fa
    url = f"/admin/pages/{page.pk}/edit/preview/"
    assert editor.post(url, index_form(demo)).json()["is_valid"]
    response = editor.get(url)
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex"
