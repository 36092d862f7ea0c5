"""Absolute URLs for what leaves the portal: feeds, channel posts, deliverables, QR codes, og: tags.

A path is made absolute on the root URL of the page's Wagtail Site (the address the portal answers at);
storage URLs that are absolute already (S3, a CDN) stay as they are.
"""

from urllib.parse import urljoin


def site_root_url(page):
    """The root URL (scheme and host, no trailing slash) of the page's site; "" when it has none. From
    Wagtail's cached site root paths (`get_url_parts`), not `get_site()`, which reads the Site again."""
    parts = page.get_url_parts()
    return parts[1] if parts else ""


def absolute_url(url, root):
    """`url` on `root` (a site's root URL); an empty or already absolute URL is returned unchanged."""
    if not url or url.startswith(("http://", "https://")):
        return url
    return urljoin(root + "/", url)
