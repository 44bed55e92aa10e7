from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    # ---- attachments (upload; permission-checked download) ----
    path("<int:doc_id>/attachments/", views.attachment_upload, name="attachment-upload"),
    path("<int:doc_id>/attachments/<int:att_id>/", views.attachment_download, name="attachment-download"),
]
