"""The Persian search key (shared/PERSIAN.md §1.3): one lossy form for the index and the query.

`fold(text)` applies the character rules (NFKC, invisible and bidi marks, hamza and letter folding,
harakat and tatweel, digits and separators, lower case); `terms(text)` cuts folded text into words,
re-attaches what people type apart or joined (می/نمی before a verb, ها/های/تر/ترین after a noun), gives
dates one token (d14041001), and `index_key`/`query_groups` add the light stems. Each rule has a unit
test in tests/search/test_normalize.py. The text people read is never changed: only the key is.

Index side: every word gives its folded form, for a half-space compound also its joined form and its
parts, and for a plural its singular (…ها, …ان, …یان, …گان→…ه, …ات). Query side: every word is a group
of alternatives (its form and, for a plural, its singular), and the groups are ANDed; a word in
`NO_STEM` (میزان, سازمان, …) is never stemmed, and a stem is kept only when 3 letters remain, so
میزان≠میز, مستمری≠مستمر, مدیریت≠مدیر, بیمه≠بیم.
"""

import functools
import re
import unicodedata

ZWNJ = "\u200c"
MAX_QUERY_TERMS = 12

# Marks deleted from the key: bidi controls and isolates, LRM/RLM/ALM, BOM, soft hyphen, word joiner.
_INVISIBLE = dict.fromkeys(
    map(ord, "\u200e\u200f\u061c\ufeff\u00ad\u2060\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"),
    None,
)
# Wrong substitutes of the half-space become one; NBSP and other spaces become a space.
_SPACES = {ord(c): ZWNJ for c in "\u200b\u200d"} | {ord(c): " " for c in "\u00a0\u202f\u2009\u3000"}
_LETTERS = str.maketrans(
    {
        "ي": "ی",
        "ى": "ی",
        "ې": "ی",
        "ێ": "ی",
        "ك": "ک",
        "ڪ": "ک",
        "ة": "ه",
        "ۀ": "ه",
        "ە": "ه",
        "ھ": "ه",
        "ہ": "ه",
        "أ": "ا",
        "إ": "ا",
        "ٱ": "ا",
        "آ": "ا",
        "ؤ": "و",
        "ئ": "ی",
        "ـ": None,  # tatweel
        "٫": ".",  # Arabic decimal separator
        "٪": "%",
    }
    | {chr(0x06F0 + i): str(i) for i in range(10)}  # Persian digits
    | {chr(0x0660 + i): str(i) for i in range(10)}  # Arabic-Indic digits
)
_HARAKAT = re.compile("[\u064b-\u065f\u0670\u06d6-\u06ed]")
_HAMZA_WAW = re.compile("[ئؤ]و")  # مسئول = مسؤول = مسول
_HEH_HAMZA = re.compile("هء(?=\\W|$)")  # legacy ezafe: بیمهء
_THOUSANDS = re.compile(r"(?<=\d)[,٬](?=\d{3}(?!\d))")
_DECIMAL = re.compile(r"(?<=\d)\.(?=\d)")
_DATE = re.compile(r"(?<!\d)(\d{4})[/\-](\d{1,2})[/\-](\d{1,2})(?!\d)")
_WORD = re.compile(rf"[\w{ZWNJ}]+")

PREFIXES = ("می", "نمی")  # verb prefixes typed apart, joined or with a half-space
SUFFIXES = ("ها", "های", "هایی", "تر", "ترین")  # typed apart, joined or with a half-space

# Words that end like a plural or a comparative but are not one (guards against over-stemming).
NO_STEM = frozenset(
    re.findall(
        r"\S+",
        """میزان سازمان زمان درمان ساختمان پیمان آسمان گمان سامان مهمان فرمان دامان قانون ایران تهران
    جریان زبان جوان امکان پایان دوران بحران عنوان عمران جبران کاروان دیوان ارزان گران آسان یکسان همسان
    میان بیان اذعان اعیان پنهان جهان کیهان ایمان مکان دکان باران توان میهمان روان استان شادمان رایگان
    گروگان ارگان بازرگان شایگان نگهبان دندان خیابان انسان بستان باغبان دبستان دبیرستان بیمارستان
    شهرستان مالیات اوقات ساعات اثبات ثبات نجات حیات زکات تنها انتها بها رها کبوتر دفتر اختر بهتر""",
    )
)
# Singulars a rule cannot guess (the -ات plurals of words ending in ه or ت).
LEMMAS = {
    "مطالبات": "مطالبه",
    "خدمات": "خدمت",
    "حملات": "حمله",
    "معاملات": "معامله",
    "مصوبات": "مصوبه",
    "مقالات": "مقاله",
    "اطلاعات": "اطلاع",
    "تحقیقات": "تحقیق",
    "انتخابات": "انتخاب",
    "تغییرات": "تغییر",
    "تعهدات": "تعهد",
    "اقدامات": "اقدام",
    "ملاحظات": "ملاحظه",
    "محاسبات": "محاسبه",
    "مراجعات": "مراجعه",
    "کلمات": "کلمه",
    "نظرات": "نظر",
}
MIN_STEM = 3


def fold(text):
    """The character rules, in order; spaces and half-spaces stay where they were."""
    text = unicodedata.normalize("NFKC", str(text or "")).translate(_INVISIBLE).translate(_SPACES)
    text = _HEH_HAMZA.sub("ه", _HAMZA_WAW.sub("و", text))
    text = _HARAKAT.sub("", text.translate(_LETTERS)).replace("ء", "")
    text = _THOUSANDS.sub("", text)
    text = _DECIMAL.sub("p", text)  # 12.5 → 12p5: one token in FTS5 and PostgreSQL alike
    text = _DATE.sub(lambda m: f" d{m[1]}{int(m[2]):02d}{int(m[3]):02d} ", text)
    text = re.sub(f"{ZWNJ}+", ZWNJ, text)
    return re.sub(r"(?<=[a-z])['’]s\b", "", text.lower())  # possessive: the fund's → the fund


def _words(folded):
    """Words of folded text, with separated prefixes and suffixes re-attached by a half-space."""
    words = []
    for match in _WORD.finditer(folded):
        word = match[0].strip(ZWNJ)
        if not word or word == "_":
            continue
        attach = words and (
            (word in SUFFIXES and not words[-1].isascii()) or (words[-1] in PREFIXES and not word.isascii())
        )
        if attach:
            words[-1] += ZWNJ + word
        else:
            words.append(word)
    return [word.replace("_", "") for word in words if word.replace("_", "")]


def _parts(word):
    """A half-space compound's parts, without an ezafe or indefinite ی / ای after a final ه."""
    parts = [part for part in word.split(ZWNJ) if part]
    return [
        part for i, part in enumerate(parts) if not (i and part in ("ی", "ای") and parts[i - 1].endswith("ه"))
    ]


def _english_stem(word):
    """Plural and possessive folding for English words (PostgreSQL's `english` config stems further)."""
    if word.endswith("'s"):
        word = word[:-2]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def stems(word):
    """The singulars (and positive forms) a Persian word may stand for; empty when it is not plural."""
    if word.isascii() or word in NO_STEM:
        return set()
    if word in LEMMAS:
        return {LEMMAS[word]}
    found = set()
    for suffix in ("هایی", "های", "ها", "ترین", "تر"):
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
            found.add(word[: -len(suffix)])
            break
    if word.endswith("گان") and len(word) - 3 >= MIN_STEM - 1:
        found.add(word[:-3] + "ه")  # بازنشستگان → بازنشسته, بیمه‌شدگان → بیمه‌شده
    elif word.endswith(("ایان", "ویان")) and len(word) - 3 >= MIN_STEM:
        found.add(word[:-3])  # کارفرمایان → کارفرما, دانشجویان → دانشجو
    elif word.endswith("ان") and len(word) - 2 >= MIN_STEM and not word.endswith(("مان", "ستان")):
        found.add(word[:-2])  # کارگران → کارگر
    elif word.endswith("ات") and len(word) - 2 >= MIN_STEM:
        found.add(word[:-2])  # تبلیغات → تبلیغ
    return found


def _forms(word):
    """The forms one written word is indexed under: joined, parts, stems; English stemmed."""
    if word.isascii():
        return [_english_stem(word)]
    joined = word.replace(ZWNJ, "")
    forms = [joined]
    parts = _parts(word)
    if len(parts) > 1 or parts != [joined]:
        forms.append("".join(parts))
        forms += [part for part in parts if part not in PREFIXES and part not in SUFFIXES]
    for form in list(forms):
        forms += sorted(stems(form))
    return list(dict.fromkeys(forms))


def index_key(text):
    """The text the index stores for `text`: every form of every word, space-separated."""
    return " ".join(form for word in _words(fold(text)) for form in _forms(word))


def query_groups(query):
    """The query as groups of alternatives, to be ANDed: [[form as typed, singular…], …] (at most
    MAX_QUERY_TERMS groups)."""
    groups = []
    for word in _words(fold(query))[:MAX_QUERY_TERMS]:
        if word.isascii():
            groups.append([_english_stem(word)])
            continue
        parts = _parts(word)
        joined = "".join(parts)
        groups.append([joined, *sorted(stems(joined) - {joined})])
    return groups


def query_alternatives(query):
    """The query's readings, any of which may match: its groups as typed, and with two adjacent
    Persian words joined (شایسته سالاری also finds شایستهسالاری); each reading is a list of groups."""
    groups = query_groups(query)
    readings = [groups]
    for i in range(min(len(groups) - 1, 4)):
        a, b = groups[i][0], groups[i + 1][0]
        if not a.isascii() and not b.isascii():
            readings.append([*groups[:i], [a + b], *groups[i + 2 :]])
    return readings


def query_key(query):
    """The plain words of the query's key (for logs, "did you mean" and highlighting)."""
    return " ".join(group[0] for group in query_groups(query))


def word_matches(word, groups):
    """Whether a word of the original text is one the query found (for highlighting snippets)."""
    forms = written_forms(word)
    return any(forms.intersection(group) for group in groups)


@functools.lru_cache(maxsize=50_000)
def written_forms(word):
    """The forms a word of the original text is indexed under, kept by the process (a few MB at most):
    the snippets of every search are made of the same common words."""
    return frozenset(form for part in _words(fold(word)) for form in _forms(part))
