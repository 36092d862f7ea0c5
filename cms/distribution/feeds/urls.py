"""The feeds' URLs (`feeds:site`, `feeds:page`), mounted at /feeds/ by settings/urls.py: a URLconf of their
own, outside the page tree, so a renamed slug or a moved page does not break a subscription.
"""

from django.urls import re_path

from cms.distribution.feeds.views import feed

app_name = "feeds"
LANGUAGE, FORMAT = r"(?P<language>[a-z]{2,3}(?:-[a-z0-9]+)?)", r"(?P<feed_format>rss|atom)"
urlpatterns = [
    re_path(rf"^{LANGUAGE}/{FORMAT}/$", feed, name="site"),
    re_path(rf"^{LANGUAGE}/pages/(?P<page_id>[0-9]{{1,9}})/{FORMAT}/$", feed, name="page"),
]
