"""Wagtail's database search backend with the Persian search key, safe for any query a visitor types.

Index side: every text a model's search fields give (title, body and autocomplete columns) is stored
as `search.normalize.index_key(text)`, on SQLite FTS5 and PostgreSQL alike (modelsearch's indexer is
wrapped, nothing else of it changes). Query side: a query string becomes the same key, as an AND of
groups of alternatives (a word and its singular), ORed with the readings where two adjacent Persian
words are joined; so the admin, the API's `?search=` and the portal's search page all get it.

A double quote in a query had no meaning and was an SQL error in modelsearch's SQLite backend (its
terms are quoted for FTS5 without doubling quotes): the key drops every character that is not part
of a word, so any query string is safe. For OpenSearch, see docs/search.md (the same key as a char
filter and analyzer settings).
"""

import sys
from functools import cache

from modelsearch.backends.database import SearchBackend as database_backend
from modelsearch.query import And, Or, PlainText

from search.normalize import index_key, query_alternatives, query_key


def plain(query):
    """A query string with double quotes as word breaks; a query object (admin filters) as it is."""
    return " ".join(query.replace('"', " ").split()) if isinstance(query, str) else query


def _any(queries):
    return queries[0] if len(queries) == 1 else Or(queries)


def _all(queries):
    return queries[0] if len(queries) == 1 else And(queries)


def keyed_query(query, operator=None):
    """A query string as a query object on the key (None when nothing searchable is left)."""
    readings = query_alternatives(query)
    if not readings[0]:
        return None
    combine = _any if (operator or "and").lower() == "or" else _all
    return _any(
        [combine([_any([PlainText(form) for form in group]) for group in groups]) for groups in readings]
    )


class PersianKeyMixin:
    search_key = staticmethod(index_key)

    def search(self, query, model_or_queryset, *args, **kwargs):
        if isinstance(query, str):
            keyed = keyed_query(query, kwargs.get("operator"))
            if keyed is None:
                query = ""
            else:
                query = keyed
                kwargs.pop("operator", None)
        return super().search(query, model_or_queryset, *args, **kwargs)

    def autocomplete(self, query, *args, **kwargs):
        if isinstance(query, str):
            query = query_key(query)
        return super().autocomplete(query, *args, **kwargs)


class _KeyedIndexerMixin:
    """modelsearch's ObjectIndexer, storing the key of each text when its backend has one."""

    def __init__(self, obj, backend):
        super().__init__(obj, backend)
        self._key = getattr(backend, "search_key", None)

    def prepare_value(self, value):
        if self._key is None or getattr(self, "_keying", False):  # lists and dicts: keyed once, whole
            return super().prepare_value(value)
        self._keying = True
        try:
            return self._key(super().prepare_value(value))
        finally:
            self._keying = False


def _key_the_indexer(index_class):
    """Wrap the ObjectIndexer of the module that defines `index_class` (once)."""
    module = sys.modules[index_class.__module__]
    indexer = getattr(module, "ObjectIndexer", None)
    if indexer is not None and not issubclass(indexer, _KeyedIndexerMixin):
        module.ObjectIndexer = type("ObjectIndexer", (_KeyedIndexerMixin, indexer), {})


class _PassageKeyMixin:
    """The backend's index, also writing the passages' own index (search.passage_index) whenever it
    indexes passages: on save, in bulk (`add_items`) and in `update_index`."""

    def add_items(self, model, objs):
        objs = list(objs)  # read twice
        super().add_items(model, objs)
        from search import passage_index
        from search.models import Passage

        if issubclass(model, Passage):
            passage_index.store(objs)


@cache
def _keyed(backend_class):
    _key_the_indexer(backend_class.index_class)
    index_class = type(backend_class.index_class.__name__, (_PassageKeyMixin, backend_class.index_class), {})
    return type(backend_class.__name__, (PersianKeyMixin, backend_class), {"index_class": index_class})


def SearchBackend(params):  # the name Wagtail looks up in a backend module
    """The database backend for the default database (SQLite FTS5, PostgreSQL, …) with the Persian key."""
    return _keyed(type(database_backend(params)))(params)
