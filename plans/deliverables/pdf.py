"""PDF rendering (WeasyPrint) of the print documents, with resources read from Django's storages.

Images come from the default storage (local or S3), fonts and other static files from the static
finders; nothing is fetched over the network.
"""

import mimetypes
import threading
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.files.storage import default_storage
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from cms.links import site_root_url

_local = threading.local()


class StorageFetcher(URLFetcher):
    """Serves `MEDIA_URL` paths from the default storage and `STATIC_URL` paths from the static files."""

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        path = unquote(urlsplit(url).path)
        media, static = urlsplit(settings.MEDIA_URL).path, urlsplit(settings.STATIC_URL).path
        if path.startswith(media):
            with default_storage.open(path.removeprefix(media)) as file:
                return self.response(url, file.read())
        if path.startswith(static):
            name = path.removeprefix(static)
            found = finders.find(name)
            with open(found, "rb") if found else staticfiles_storage.open(name) as file:
                return self.response(url, file.read())
        raise ValueError(f"Not a media or static URL: {url}")

    @staticmethod
    def response(url, body):
        content_type = mimetypes.guess_type(urlsplit(url).path)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, {"Content-Type": content_type})


def base_url(page):
    """The site's root URL: relative media and static URLs in the HTML resolve against it."""
    return site_root_url(page) + "/"


def font_config():
    """This thread's font configuration: the @font-face fonts load once, and later layouts take a third
    of the time (WeasyPrint's objects are not shared between threads)."""
    if not hasattr(_local, "fonts"):
        _local.fonts = FontConfiguration()
    return _local.fonts


def render_document(html, page):
    """Lay out `html` (a WeasyPrint Document, whose `pages` can be counted before writing)."""
    return HTML(string=html, base_url=base_url(page), url_fetcher=StorageFetcher()).render(
        font_config=font_config()
    )


PDF_VARIANT = "pdf/ua-1"  # tagged (structure tree, reading order, alt texts), title and language set


def write_pdf(document):
    """The PDF bytes of a laid-out document: tagged PDF/UA-1 for screen readers, fonts subset and
    embedded, the document's language (`<html lang>`) and title (`<title>`) in its metadata."""
    return document.write_pdf(pdf_identifier=None, uncompressed_pdf=False, pdf_variant=PDF_VARIANT)
