from django.urls import include, path

from . import views

app_name = "documents"

urlpatterns = [
    # ---- attachments (upload; permission-checked download) ----
    path("<int:doc_id>/attachments/", views.attachment_upload, name="attachment-upload"),
    path("<int:doc_id>/attachments/<int:att_id>/", views.attachment_download, name="attachment-download"),
    # ---- registers (登记簿) and full-text search ----
    path("", include("zhengwu.documents.urls_registers")),
    # ---- the documents pages ----
    path("", views.document_list, name="list"),
    path("new/", views.document_new, name="new"),
    path("precheck/", views.document_precheck, name="precheck"),
    path("intake/", views.intake_queue, name="intake"),
    path("<int:doc_id>/", views.document_detail, name="detail"),
    path("<int:doc_id>/edit/", views.document_edit, name="edit"),
    path("<int:doc_id>/sheet/", views.document_sheet, name="sheet"),
    path("<int:doc_id>/timeline/", views.document_timeline, name="timeline"),
    path("<int:doc_id>/approve/", views.document_approve, name="approve"),
    path("<int:doc_id>/docx/", views.document_docx, name="docx"),
    path("<int:doc_id>/signatures/<int:sig_id>.png", views.signature_image, name="signature"),
    *[path(f"<int:doc_id>/{op}/", views.document_act, {"op": op}, name=op) for op in views.ACTIONS],
]
