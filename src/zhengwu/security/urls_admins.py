"""The pages of the separated administrators (三权分立), included at the site's root by zhengwu.urls."""

from django.urls import path

from . import views_admins, views_audit

urlpatterns = [
    path("system/", views_admins.system_page, name="system-admin"),
    path("security/roles/", views_admins.roles_page, name="security-roles"),
    path("audit/", views_audit.trail_page, name="audit-trail"),
    path("audit/object/<str:obj_type>/<path:obj_id>/", views_audit.object_page, name="audit-object"),
    path("audit/verify/", views_audit.verify_page, name="audit-verify"),
    path("audit/export.xlsx", views_audit.export_xlsx, name="audit-export"),
]
