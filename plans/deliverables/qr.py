"""QR codes (segno) for a plan's digital version and its dashboard.

The URLs come from the Wagtail Site the page belongs to (`Page.get_full_url()`, i.e. the site's
configured hostname, port and scheme): that is the public portal's address. WAGTAILADMIN_BASE_URL is the
admin's address (notification emails), which may be an internal host, so it is not used here.
"""

import io

import segno

DASHBOARD_ANCHOR = "dashboard"  # the dashboard's summary inside the plan page (section 5)


def portal_url(page):
    """The absolute URL of the page on the public portal."""
    return page.get_full_url()


def dashboard_url(page):
    """The stable URL of the plan's interactive KPI dashboard: the plan page's `dashboard/` route."""
    return f"{portal_url(page)}dashboard/"


def make(url):
    """A QR code for `url`, with error correction M (survives print wear)."""
    return segno.make_qr(url, error="m")


def svg(url):
    """The QR code as a standalone SVG document (bytes)."""
    buffer = io.BytesIO()
    make(url).save(buffer, kind="svg", scale=4, border=2, xmldecl=True, svgns=True)
    return buffer.getvalue()


def png(url):
    """The QR code as a PNG image (bytes), 10 pixels per module."""
    buffer = io.BytesIO()
    make(url).save(buffer, kind="png", scale=10, border=4)
    return buffer.getvalue()


def svg_data_uri(url):
    """The QR code as an SVG data URI, for embedding in printed documents."""
    return make(url).svg_data_uri(scale=4, border=2)
