"""The 信访 register (art. 43; 信访工作条例) and public consultations on major matters (art. 42). Writes go through services.py only."""

from __future__ import annotations

from django.urls import path

from . import views

app_name = "petitions"

urlpatterns = [
    path("", views.petition_list, name="list"),
    path("register/", views.petition_register, name="register"),
    path("cases/<int:petition_id>/", views.petition_detail, name="detail"),
    path("cases/<int:petition_id>/<str:action>/", views.petition_act, name="act"),
    path("leaders/", views.leader_index, name="leaders"),
    path("leaders/record/", views.leader_record, name="leader-record"),
    path("leaders/<int:leader_id>/", views.leader_page, name="leader"),
    path("consultations/", views.consultation_list, name="consultations"),
    path("consultations/open/", views.consultation_open, name="consultation-open"),
    path("consultations/<int:consultation_id>/", views.consultation_detail, name="consultation"),
    path("consultations/<int:consultation_id>/<str:action>/", views.consultation_act, name="consultation-act"),
]
