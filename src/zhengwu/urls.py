from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("zhengwu.api.urls")),
    path("documents/", include("zhengwu.documents.urls")),
    path("decisions/", include("zhengwu.decisions.urls")),
    path("meetings/", include("zhengwu.meetings.urls")),
    path("supervision/", include("zhengwu.supervision.urls")),
    path("proposals/", include("zhengwu.proposals.urls")),
    path("seals/", include("zhengwu.seals.urls")),
    path("affairs/", include("zhengwu.affairs.urls")),
    path("disclosure/", include("zhengwu.disclosure.urls")),
    path("public/", include("zhengwu.disclosure.public_urls")),  # the public site: no login
    path("", include("zhengwu.security.urls_admins")),  # 系统管理 /system/, 安全管理 /security/roles/, 审计 /audit/
    path("", include("zhengwu.security.urls_identity")),  # /login/verify/, /account/…, /security/lockouts|policy/
    path("", include("zhengwu.web.urls")),
]

handler400 = "zhengwu.web.input_guard.bad_request"  # a readable page (or the API's error shape), never Django's bare one
