"""Wagtail's database search backend, made safe for any query a visitor types.

modelsearch's SQLite backend wraps each term in double quotes for FTS5 without doubling the quotes
inside it, so `?search="abc` was an SQL error (a 500) on the API, the admin and the portal. A double
quote has no meaning in the plain queries Revayat sends (terms joined by AND or OR), so it is read as
a word break, on every database.
"""

from functools import cache

from modelsearch.backends.database import SearchBackend as database_backend


def plain(query):
    """A query string with double quotes as word breaks; a query object (admin filters) as it is."""
    return " ".join(query.replace('"', " ").split()) if isinstance(query, str) else query


class PlainQueryMixin:
    def search(self, query, *args, **kwargs):
        return super().search(plain(query), *args, **kwargs)

    def autocomplete(self, query, *args, **kwargs):
        return super().autocomplete(plain(query), *args, **kwargs)


@cache
def _with_plain_queries(backend_class):
    return type(backend_class.__name__, (PlainQueryMixin, backend_class), {})


def SearchBackend(params):  # the name Wagtail looks up in a backend module
    """The database backend for the default database (SQLite FTS5, PostgreSQL, …) with plain queries."""
    return _with_plain_queries(type(database_backend(params)))(params)
