"""Rich text is sanitized with nh3 on every path: pasted scripts, handlers and javascript: URLs go."""

from cms.blocks import SanitizedRichTextBlock
from cms.sanitize import clean_rich_text, strip_tags

PASTE = (
    '<p data-block-key="a1">متن <b>پررنگ</b>\u200cها<script>alert("x")</script>'
    '<a href="javascript:alert(1)" onclick="steal()">پیوند</a> '
    '<a linktype="page" id="3">صفحه</a></p>'
    '<style>body{display:none}</style><img src="x" onerror="alert(1)">'
    '<embed embedtype="image" id="5" format="left" alt="نمودار"/>'
)


def test_scripts_handlers_and_javascript_urls_are_removed():
    cleaned = clean_rich_text(PASTE)
    assert "script" not in cleaned and "alert" not in cleaned
    assert "onclick" not in cleaned and "javascript:" not in cleaned
    assert "<style" not in cleaned and "<img" not in cleaned and "onerror" not in cleaned


def test_wagtail_markup_and_persian_text_survive():
    cleaned = clean_rich_text(PASTE)
    assert '<a linktype="page" id="3">صفحه</a>' in cleaned
    assert '<embed embedtype="image" id="5" format="left" alt="نمودار"/>' in cleaned
    assert "<b>پررنگ</b>\u200cها" in cleaned  # ZWNJ is Persian orthography, not noise
    assert 'data-block-key="a1"' in cleaned


def test_the_rich_text_block_cleans_what_is_validated_and_stored():
    block = SanitizedRichTextBlock()
    cleaned = block.clean(block.to_python(PASTE))
    assert "script" not in cleaned.source
    assert "script" not in block.get_prep_value(block.to_python(PASTE))


def test_strip_tags_gives_plain_text():
    assert strip_tags("<p>a &amp; b</p><script>x()</script>") == "a & b"
    assert strip_tags("<ul><li>یک</li><li>دو</li></ul>").split() == ["یک", "دو"]
