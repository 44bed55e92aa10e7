"""Requests for information (依申请公开, 政府信息公开条例 arts. 29-45) on their statutory clocks, and the 舆情 register with its response clocks (art. 36). Writes go through services.py only."""

from __future__ import annotations

from django.urls import path

from . import views

app_name = "info_requests"

urlpatterns = [
    path("", views.request_list, name="list"),
    path("new/", views.request_new, name="new"),
    path("<int:request_id>/", views.request_detail, name="detail"),
    path("<int:request_id>/<str:action>/", views.request_act, name="act"),
    path("opinion/", views.opinion_list, name="opinion_list"),
    path("opinion/new/", views.opinion_new, name="opinion_new"),
    path("opinion/<int:event_id>/", views.opinion_detail, name="opinion_detail"),
    path("opinion/<int:event_id>/respond/", views.opinion_respond, name="opinion_respond"),
]
