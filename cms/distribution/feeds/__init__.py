"""RSS 2.0 and Atom 1.0 feeds of the public site: per language, and per page (a plan and what is under it).

URLs sit outside the page tree, so a renamed slug or a moved page does not break a subscription:

    /feeds/<language>/rss/                     /feeds/<language>/atom/
    /feeds/<language>/pages/<page id>/rss/     /feeds/<language>/pages/<page id>/atom/

The language feed lists every public page of that language under the site's home page; a page feed
lists the page itself and its public descendants. Items come newest first by their last publication (an
updated page comes back up; its GUID does not change, so readers do not show it twice), at most
`REVAYAT_FEED_ITEMS`. What is public is `cms.visibility`'s answer alone; an unknown language or a page
the public may not see is a 404 that looks like any other.

The package, one concern a module: `formats.py` (the RSS and Atom documents), `items.py` (what a feed
shows, fetched from `cms.visibility`), `views.py` (the cached, conditional view), `links.py` (feed URLs
and the `<link rel="alternate">` a page advertises), `middleware.py` (LocaleMiddleware undone for the
feeds' own paths) and `urls.py` (mounted at /feeds/ by settings/urls.py).
"""
