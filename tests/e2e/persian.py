"""What a Persian admin screen shows, and the check that none of it is English.

`visible_texts(page)` collects every text node a person sees (or a screen reader reads: visually hidden
`w-sr-only` text counts) and the `title`, `aria-label`, `placeholder` and `alt` of visible elements, plus the
document's title. `latin_words(texts, allow)` finds the Latin words among them, after dropping URLs, e-mail
addresses, file names and `@handles`. `assert_no_latin(page, allow=...)` fails with each word and where it
was seen. Content is not the interface: text inside an element marked `lang="en"` (an English page's title
or field in the translation editor), `code`/`kbd`/`samp`, or an element carrying `data-latin-ok` is skipped.
"""

import re

COLLECT = r"""() => {
  const out = [];
  const skip = el => el.closest('script, style, noscript, template, code, kbd, samp, pre, svg, [lang^="en"], [data-latin-ok]');
  const shown = el => el.checkVisibility({checkOpacity: false, checkVisibilityCSS: true});
  const where = el => {
    const id = el.id ? '#' + el.id : '';
    const cls = typeof el.className === 'string' && el.className.trim() ? '.' + el.className.trim().split(/\s+/).slice(0, 2).join('.') : '';
    return el.tagName.toLowerCase() + id + cls;
  };
  out.push({text: document.title, where: 'title'});
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    const text = node.nodeValue.trim();
    if (!text || !el || skip(el) || !shown(el)) continue;
    out.push({text, where: where(el)});
  }
  for (const el of document.body.querySelectorAll('[title], [aria-label], [placeholder], img[alt]')) {
    if (skip(el) || !shown(el)) continue;
    for (const name of ['title', 'aria-label', 'placeholder', 'alt']) {
      const value = (el.getAttribute(name) || '').trim();
      if (value) out.push({text: value, where: `${where(el)}[${name}]`});
    }
  }
  return out;
}"""

# Proper names, codes and format names that stay Latin on a Persian screen.
ALLOW = frozenset(
    """
    Wagtail PDF PO HTML JSON CSV XLSX TSV HLS QR SVG PNG JPEG JPG GIF WEBP AVIF MP MP3 MP4 M4A WAV OGG WEBM
    ZIP EPUB RSS API URL ID UTC SSO SEO OK Ctrl Cmd Alt Shift Enter Esc Tab KB MB GB px
    """.split()
)
URL = re.compile(r"\b(?:https?|ftp|mailto):\S+|\bwww\.\S+|\S+@\S+\.\S+|@\w+")
FILE_NAME = re.compile(r"\S+\.(?:pdf|po|png|jpe?g|gif|svg|webp|avif|mp[34]|m4a|wav|ogg|webm|zip|epub|docx?|xlsx?|csv|txt|vtt|srt|json)\b", re.I)
WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")


def visible_texts(page):
    """[{"text", "where"}] of what the page shows now (see the module docstring)."""
    return page.evaluate(COLLECT)


def latin_words(texts, allow=()):
    """[(word, text, where)] for each Latin word outside the allow-list (ALLOW + `allow`, case-insensitive)."""
    allowed = {word.lower() for word in ALLOW | set(allow)}
    found = []
    for item in texts:
        text = FILE_NAME.sub(" ", URL.sub(" ", item["text"]))
        for word in WORD.findall(text):
            if word.lower() not in allowed:
                found.append((word, item["text"][:120], item["where"]))
    return found


def assert_no_latin(page, allow=(), screen=""):
    """Fail, naming each Latin word and where it was seen, if the page shows any outside the allow-list."""
    found = latin_words(visible_texts(page), allow)
    lines = [f"  {word!r} in {text!r} ({where})" for word, text, where in found]
    assert not found, f"Latin words on {screen or page.url}:\n" + "\n".join(lines)
