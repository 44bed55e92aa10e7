from django.urls import include, path

from . import views

app_name = "disclosure"

urlpatterns = [
    path("", views.index, name="index"),
    path("queue/", views.queue, name="queue"),
    path("queue/<int:record_id>/", views.record_detail, name="record"),
    path("queue/<int:record_id>/<str:action>/", views.record_action, name="action"),
    path("report/", views.report, name="report"),
    path("report/export/", views.report_export, name="report-export"),
    path("report/publish/", views.report_publish, name="report-publish"),
    path("challenges/", views.challenges, name="challenges"),
    path("challenges/new/", views.challenge_new, name="challenge-new"),
    path("challenges/<int:challenge_id>/decide/", views.challenge_decide, name="challenge-decide"),
    path("requests/", include("zhengwu.disclosure.requests.urls")),
    path("petitions/", include("zhengwu.disclosure.petitions.urls")),
]
