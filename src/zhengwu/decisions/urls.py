from django.urls import path

from . import views

app_name = "decisions"

urlpatterns = [
    path("", views.dossier_list, name="list"),
    path("new/", views.dossier_new, name="new"),
    path("<int:dossier_id>/", views.dossier_detail, name="detail"),
    path("<int:dossier_id>/procedures/", views.procedure_record, name="procedure"),
    path("<int:dossier_id>/preparation/", views.preparation_update, name="preparation"),
    path("<int:dossier_id>/consultations/", views.consultation_ask, name="consult"),
    path("<int:dossier_id>/consultations/<int:consultation_id>/reply/", views.consultation_reply, name="reply"),
    path("<int:dossier_id>/escalations/<str:body>/result/", views.escalation_result, name="escalation-result"),
]
