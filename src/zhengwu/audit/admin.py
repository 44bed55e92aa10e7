"""A read-only view of the trail: nobody adds, changes or deletes audit events, not even a superuser;
and only the audit administrator (审计管理员, 三权分立) reads it — not the system or security
administrator, not the installation superuser."""

from django.contrib import admin

from zhengwu.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["seq", "at", "actor_label", "action_label", "obj_type", "obj_id", "article", "summary"]
    list_filter = ["action", "obj_type"]
    search_fields = ["obj_id", "actor_label", "summary", "action"]
    ordering = ["-seq"]
    date_hierarchy = "at"
    list_per_page = 50
    show_full_result_count = False  # no COUNT(*) over the whole trail on every page
    actions = None  # no "delete selected"

    @admin.display(description="操作")
    def action_label(self, obj: AuditEvent) -> str:
        return obj.action_label

    @staticmethod
    def _is_auditor(request) -> bool:
        from zhengwu.security import roles

        return roles.AUDIT in roles.kinds_of(request.user)

    def has_module_permission(self, request) -> bool:
        return self._is_auditor(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return self._is_auditor(request)

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
