"""Settings for sites that outgrow the database backend: Wagtail's OpenSearch/Elasticsearch backend
with the Persian search key as analysis chain, built from the same tables as search/normalize.py.

    WAGTAILSEARCH_BACKENDS = {"default": {
        "BACKEND": "wagtail.search.backends.elasticsearch8",   # or opensearch2 / elasticsearch9
        "URLS": [os.environ["SEARCH_URL"]],
        "INDEX": "revayat",
        "INDEX_SETTINGS": search.opensearch.index_settings(),
    }}

The `fa_key` char filters do what `normalize.fold` does character by character (letter folding, hamza
rules, harakat and tatweel, digits, separators, invisible marks, ZWNJ kept as a joiner: a compound is
indexed joined) and the analyzer lower-cases and applies the English stemmer. What a char filter
cannot do (re-attaching spaced می/ها, the plural table with its guards, dates) stays in Python: index
`search.normalize.index_key(text)` in a field of its own when that matters, as the database backend does.
Override `edgengram_analyzer` too (Wagtail's is ASCII-folding only), so autocomplete gets the key.
"""

from search import normalize


def _mappings():
    """ "from => to" lines for a mapping char filter (single characters; deletions map to nothing)."""
    lines = []
    for table in (normalize._INVISIBLE, normalize._LETTERS):
        for code, target in sorted(table.items()):
            source = chr(code)
            lines.append(f"{source} => {target or ''}".rstrip() if target else f"{source} =>")
    for code in range(0x064B, 0x0660):  # harakat
        lines.append(f"{chr(code)} =>")
    lines += ["\u0670 =>", "\u0621 =>", "\u200b => \u200c", "\u200d => \u200c"]
    return [line.replace("\\", "\\\\") for line in lines]


def index_settings():
    """INDEX_SETTINGS: the `fa_key` analyzer for every text field and for autocomplete."""
    char_filters = {
        "fa_hamza_waw": {"type": "pattern_replace", "pattern": "[ئؤ]و", "replacement": "و"},
        "fa_chars": {"type": "mapping", "mappings": _mappings()},
        "fa_thousands": {
            "type": "pattern_replace",
            "pattern": "(?<=\\d)[,٬](?=\\d{3}(?!\\d))",
            "replacement": "",
        },
        "fa_zwnj_join": {"type": "pattern_replace", "pattern": "\u200c", "replacement": ""},
    }
    chain = ["fa_hamza_waw", "fa_chars", "fa_thousands", "fa_zwnj_join"]
    analyzer = {
        "type": "custom",
        "char_filter": chain,
        "tokenizer": "standard",
        "filter": ["lowercase", "decimal_digit", "english_possessive_stemmer", "english_light_stemmer"],
    }
    return {
        "settings": {
            "analysis": {
                "char_filter": char_filters,
                "filter": {
                    "english_possessive_stemmer": {"type": "stemmer", "language": "possessive_english"},
                    "english_light_stemmer": {"type": "stemmer", "language": "light_english"},
                    "edgengram": {"type": "edge_ngram", "min_gram": 1, "max_gram": 15},
                },
                "analyzer": {
                    "default": analyzer,
                    "fa_key": analyzer,
                    "edgengram_analyzer": {**analyzer, "filter": [*analyzer["filter"], "edgengram"]},
                },
            }
        }
    }
