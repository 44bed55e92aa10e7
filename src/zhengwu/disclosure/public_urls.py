"""/public/: the public web site (no login, no session, read-only)."""

from django.urls import path

from . import public_views as views

app_name = "public"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("<int:record_id>/", views.record, name="record"),
    path("search/", views.search, name="search"),
    path("feed/", views.feed, name="feed"),
]
