"""URL configuration: admin, documents, sitemap, and the portal under /fa/ and /en/."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms import views as cms_views
from media_pipeline import views as media_views
from search import views as search_views

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/<int:document_id>/<str:document_filename>", media_views.serve_document),  # checks content
    path("documents/", include(wagtaildocs_urls)),
    path("sitemap.xml", cms_views.sitemap, name="sitemap"),
    path("healthz", cms_views.healthz, name="healthz"),
    path("robots.txt", cms_views.robots_txt, name="robots_txt"),
    path("favicon.ico", cms_views.favicon, name="favicon"),
]
urlpatterns += [path("api/v2/search/", search_views.api_search, name="api-search")]  # before api/'s 404
urlpatterns += [path("api/", include("cms.api.urls"))]
urlpatterns += [path("feeds/", include("cms.distribution.feeds.urls"))]  # RSS and Atom (dist-feeds)

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
if settings.DEBUG or settings.SERVE_MEDIA or settings.MEDIA_STORAGE == "s3":
    # Only files whose object cms.visibility says is public; originals are never served here. On S3 the
    # view redirects to a short-lived presigned URL (media_pipeline.storage.GatedS3Storage).
    urlpatterns += [
        re_path(rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.*)$", cms_views.serve_media),
    ]

urlpatterns += i18n_patterns(
    path("search/", include("search.urls")),
    # Plan 12's personal worksheet doors, before the page tree's catch-all (a real 404 stays a 404).
    path("cocreation/", include("cocreation.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)

handler404 = "cms.views.page_not_found"
handler500 = "cms.views.server_error"
