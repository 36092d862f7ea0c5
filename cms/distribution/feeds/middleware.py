"""The feeds' fix-up of LocaleMiddleware, apart from the view because it runs on every request: settings
list it in MIDDLEWARE, and loading it should not load the feeds' queries and syndication classes.
"""

from django.conf import settings

from cms.views import page_not_found

FEEDS_PREFIX = "/feeds/"  # where settings/urls.py mounts these URLs


class FeedMiddleware:
    """What LocaleMiddleware does to a path without a language prefix, undone for the feeds, whose language is
    in their path: a 404 it would redirect to /<language>/feeds/… (a portal path that does not exist either)
    stays a 404, and a feed does not vary on Accept-Language (a CDN keeps one copy, not one per visitor's
    browser language). Goes before LocaleMiddleware in MIDDLEWARE."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(FEEDS_PREFIX):
            return response
        if response.status_code in (301, 302):
            prefixes = tuple(f"/{code}{FEEDS_PREFIX}" for code, _name in settings.LANGUAGES)
            if response.url.startswith(prefixes):
                return page_not_found(request)
        if response.status_code in (200, 304) and response.has_header("Vary"):
            vary = [
                value.strip()
                for value in response["Vary"].split(",")
                if value.strip() and value.strip().lower() != "accept-language"
            ]
            if vary:
                response["Vary"] = ", ".join(vary)
            else:
                del response["Vary"]
        return response
