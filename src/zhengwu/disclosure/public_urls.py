"""/public/: the public web site (no login, no session, read-only)."""

from django.urls import path

from . import public_views as views

app_name = "public"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("<int:record_id>/", views.record, name="record"),
    path("search/", views.search, name="search"),
    path("feed/", views.feed, name="feed"),
    path("reports/", views.reports, name="reports"),
    path("reports/<int:year>/", views.report, name="report"),
    path("consultations/", views.consultations, name="consultations"),
    path("consultations/<int:consultation_id>/", views.consultation, name="consultation"),
]
