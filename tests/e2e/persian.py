"""What a Persian admin screen shows, and the checks that none of it is English or in ASCII digits.

`visible_texts(page)` collects every text node a person sees (or a screen reader reads: visually hidden
`w-sr-only` text counts) and the `title`, `aria-label`, `placeholder` and `alt` of visible elements, plus the
document's title. `latin_words(texts, allow, content)` finds the Latin words among them, after dropping URLs,
e-mail addresses, file names, `@handles` and codes (`app.model`, `ENV_NAME`, `demo:key`);
`ascii_digits(texts, content)` the texts that show 0-9 outside such codes and outside English text.
`assert_no_latin(page, allow=..., content=...)` and `assert_persian_digits(page, content=...)` fail with each
finding and where it was seen; `screen_problems(page, name, screenshots)` returns both kinds for a journey's
screen (which collects them and fails once at its end, naming every screen) and saves its screenshot.

Content is not the interface: text inside an element marked `lang="en"`, `code`/`kbd`/`samp`, or an element
carrying `data-latin-ok` is skipped, and each string in `content` (English page titles, usernames) is cut
out of the texts before they are checked.
"""

import re

COLLECT = r"""() => {
  const out = [];
  const skip = el => el.closest(
    'script, style, noscript, template, code, kbd, samp, pre, svg, [lang^="en"], [data-latin-ok]');
  const shown = el => el.checkVisibility({checkOpacity: false, checkVisibilityCSS: true});
  const where = el => {
    const id = el.id ? '#' + el.id : '';
    const names = typeof el.className === 'string' ? el.className.trim().split(/\s+/).filter(Boolean) : [];
    const cls = names.length ? '.' + names.slice(0, 2).join('.') : '';
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
    (
        *("Wagtail", "PDF", "PO", "HTML", "JSON", "CSV", "XLSX", "TSV", "HLS", "QR", "SVG", "PNG"),
        *("JPEG", "JPG", "GIF", "WEBP", "AVIF", "MP3", "MP4", "M4A", "WAV", "OGG", "WEBM", "ZIP"),
        *("EPUB", "PPTX", "RSS", "API", "URL", "ID", "UTC", "SSO", "SEO", "OK", "KB", "MB", "GB"),
        *("Ctrl", "Cmd", "Alt", "Shift", "Enter", "Esc", "Tab"),
        "SMART",  # "اهداف SMART", a plan's section name (the acronym is the method's name)
        "TETA",  # a plan's name (تتا), in titles
    )
)
ROLE_USERNAMES = ("editor", "translator", "reviewer", "approver", "siteadmin")  # content: who did what
URL = re.compile(r"\b(?:https?|ftp|mailto):\S+|\bwww\.\S+|\S+@\S+\.\S+|@\w+")
CODE = re.compile(
    r"\b[A-Za-z][\w-]*(?:[.:][\w-]+)+|\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b"
    r"|\b[a-z0-9]+(?:-[a-z0-9]+)+\b"  # a slug (an English page's address)
)
FILE_NAME = re.compile(
    r"\S+\.(?:pdf|po|png|jpe?g|gif|svg|webp|avif|mp[34]|m4a|wav|ogg|webm|zip|epub|docx?|xlsx?|csv|txt|vtt|srt|json)\b",
    re.I,
)
WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")


def visible_texts(page):
    """[{"text", "where"}] of what the page shows now (see the module docstring)."""
    return page.evaluate(COLLECT)


def _strip(text, content=()):
    """The text without the given content strings (longest first), URLs, file names and codes."""
    for piece in sorted(content, key=len, reverse=True):
        if piece:
            text = text.replace(piece, " ")
    return CODE.sub(" ", FILE_NAME.sub(" ", URL.sub(" ", text)))


def latin_words(texts, allow=(), content=()):
    """[(word, text, where)] for each Latin word outside ALLOW + `allow` (case-insensitive)."""
    allowed = {word.lower() for word in ALLOW | set(allow)}
    found = []
    for item in texts:
        text = _strip(item["text"], content)
        for word in WORD.findall(text):
            if word.lower() not in allowed:
                found.append((word, item["text"][:120], item["where"]))
    return found


def ascii_digits(texts, content=()):
    """[(text, where)] for each text showing ASCII digits where Persian ones belong: not in a URL, file
    name or code, not in or next to a Latin word (a number in an English name), not in English text."""
    found = []
    for item in texts:
        text = _strip(item["text"], content)
        if re.search(r"[A-Za-z]", text) and not re.search(r"[\u0600-\u06FF]", text):
            continue
        words = text.split()
        latin = [bool(re.search(r"[A-Za-z_@:\\]", word)) for word in words]
        for index, word in enumerate(words):
            neighbours = latin[max(index - 1, 0) : index + 2]
            if re.search(r"[0-9]", word) and not any(neighbours):
                found.append((item["text"][:120], item["where"]))
                break
    return found


def assert_no_latin(page, allow=(), content=(), screen=""):
    """Fail, naming each Latin word and where it was seen, if the page shows any outside the allow-list."""
    found = latin_words(visible_texts(page), allow, content)
    lines = [f"  {word!r} in {text!r} ({where})" for word, text, where in found]
    assert not found, f"Latin words on {screen or page.url}:\n" + "\n".join(lines)


def assert_persian_digits(page, content=(), screen=""):
    """Fail, naming each text and where it was seen, if the page shows ASCII digits in Persian text."""
    found = ascii_digits(visible_texts(page), content)
    lines = [f"  {text!r} ({where})" for text, where in found]
    assert not found, f"ASCII digits on {screen or page.url}:\n" + "\n".join(lines)


def screen_problems(page, name, screenshots, allow=(), content=ROLE_USERNAMES):
    """[problem lines] of the screen a journey is on (Latin words, ASCII digits); its screenshot saved as
    `<name>.png`. Waits for the page to settle and for the digits script to handle what was added."""
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(150)
    page.screenshot(path=screenshots / f"{name}.png", full_page=True)
    texts = visible_texts(page)
    found = latin_words(texts, allow, content)
    problems = [f"  Latin {word!r} in {text!r} ({where})" for word, text, where in found]
    problems += [f"  ASCII digits in {text!r} ({where})" for text, where in ascii_digits(texts, content)]
    problems = [f"{name} ({page.url}):", *dict.fromkeys(problems)] if problems else []
    print(*problems, sep="\n")  # seen even when a later step of the journey fails first
    return problems
