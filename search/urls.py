"""The portal's search URLs, under /<language>/search/ (settings/urls.py puts them in i18n_patterns)."""

from django.urls import path

from search import views

urlpatterns = [
    path("", views.search_page, name="search"),
    path("suggest/", views.suggest, name="search-suggest"),
]
