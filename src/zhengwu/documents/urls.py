from django.urls import include, path

from . import views, views_batch, views_paper, views_plans

app_name = "documents"

urlpatterns = [
    # ---- attachments (upload; permission-checked download) ----
    path("<int:doc_id>/attachments/", views.attachment_upload, name="attachment-upload"),
    path("<int:doc_id>/attachments/<int:att_id>/", views.attachment_download, name="attachment-download"),
    # ---- registers (登记簿) and full-text search ----
    path("", include("zhengwu.documents.urls_registers")),
    # ---- annual document plans (年度发文计划, art. 70) ----
    path("plans/", views_plans.plan_list, name="plans"),
    path("plans/new/", views_plans.plan_new, name="plan-new"),
    path("plans/<int:plan_id>/", views_plans.plan_detail, name="plan"),
    path("plans/<int:plan_id>/items/", views_plans.plan_item_add, name="plan-item-add"),
    path("plans/<int:plan_id>/items/<int:item_id>/", views_plans.plan_item_edit, name="plan-item-edit"),
    # ---- the documents pages ----
    path("", views.document_list, name="list"),
    path("new/", views.document_new, name="new"),
    path("precheck/", views.document_precheck, name="precheck"),
    path("intake/", views.intake_queue, name="intake"),
    path("intake/batch-register/", views_batch.batch_register, name="batch-register"),
    path("batch/circulate/", views_batch.batch_circulate, name="batch-circulate"),
    path("batch/archive/", views_batch.batch_archive, name="batch-archive"),
    path("intake/paper/", views_paper.intake_paper, name="intake-paper"),
    path("<int:doc_id>/", views.document_detail, name="detail"),
    path("<int:doc_id>/edit/", views.document_edit, name="edit"),
    path("<int:doc_id>/sheet/", views.document_sheet, name="sheet"),
    path("<int:doc_id>/timeline/", views.document_timeline, name="timeline"),
    path("<int:doc_id>/approve/", views.document_approve, name="approve"),
    path("<int:doc_id>/docx/", views.document_docx, name="docx"),
    path("<int:doc_id>/signatures/<int:sig_id>.png", views.signature_image, name="signature"),
    *[path(f"<int:doc_id>/{op}/", views.document_act, {"op": op}, name=op) for op in views.ACTIONS],
]
