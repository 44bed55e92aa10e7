"""Leave and absence (arts. 15, 89), the org write pages (arts. 10-15, 29) and the leaders' calendar (94)."""

from __future__ import annotations

from django.urls import path

from . import views

app_name = "leave"

urlpatterns = [
    path("", views.index, name="index"),
    path("calendar/", views.leaders_calendar, name="calendar"),
    path("org/", views.org_page, name="org"),
    path("<int:request_id>/", views.detail, name="request"),
    path("<int:request_id>/<slug:name>/", views.action, name="action"),
]
