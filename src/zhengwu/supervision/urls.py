from django.urls import path

from . import views

app_name = "supervision"

urlpatterns = [
    path("", views.ledger, name="ledger"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("export.xlsx", views.export, name="export"),
    path("new/", views.item_new, name="new"),
    path("performance/", views.performance, name="performance"),
    path("performance.xlsx", views.performance_export, name="performance-export"),
    path("accountability/new/", views.accountability_new, name="accountability-new"),
    path("accountability/<int:proposal_id>/", views.accountability_detail, name="accountability"),
    path("accountability/<int:proposal_id>/decide/", views.accountability_decide, name="accountability-decide"),
    path("sources/", views.source_list, name="sources"),
    path("from-decision/<int:agenda_item_id>/", views.take_decision, name="take-decision"),
    path("from-instruction/<int:task_id>/", views.take_instruction, name="take-instruction"),
    path("<int:item_id>/", views.item_detail, name="item"),
    path("<int:item_id>/extensions/<int:extension_id>/decide/", views.extension_decide, name="extension-decide"),
    path("<int:item_id>/reviews/<int:review_id>/decide/", views.review_decide, name="review-decide"),
    path("<int:item_id>/<slug:action>/", views.item_action, name="action"),
]
