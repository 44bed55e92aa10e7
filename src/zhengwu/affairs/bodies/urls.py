"""Coordination bodies (arts. 71-74), emergency reports (75) and items for the 区委, 人大 and 政协 (6, 38, 76-78)."""

from __future__ import annotations

from django.urls import path

from . import views

app_name = "bodies"

urlpatterns = [
    path("", views.body_list, name="list"),
    path("<int:body_id>/", views.body_detail, name="detail"),
    path("<int:body_id>/<str:action>/", views.body_act, name="act"),
    path("emergencies/", views.report_list, name="emergencies"),
    path("emergencies/<int:report_id>/", views.report_detail, name="emergency"),
    path("emergencies/<int:report_id>/<str:action>/", views.report_act, name="emergency_act"),
    path("submissions/", views.submission_list, name="submissions"),
    path("submissions/<int:submission_id>/", views.submission_detail, name="submission"),
    path("submissions/<int:submission_id>/<str:action>/", views.submission_act, name="submission_act"),
]
