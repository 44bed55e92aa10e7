from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import batch, inbox, search_view, views
from .context import BUILT, NAV

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),  # set_language at /i18n/setlang/
    path("", inbox.home, name="home"),
    path("tasks/<int:pk>/", inbox.task_page, name="task"),
    path("approvals/<int:pk>/", inbox.approval_page, name="approval"),
    path("notifications/", inbox.notifications_page, name="notifications"),
    path("rulebook/", views.rulebook, name="rulebook"),
    path("rulebook/params/", views.rulebook_params, name="rulebook-params"),
    path("org/", views.org_index, name="org"),
    path("org/units/<int:pk>/", views.org_unit, name="org-unit"),
    path("org/people/<int:pk>/", views.org_person, name="org-person"),
    path("calendar/", views.calendar_year, name="calendar"),
    path("search/", search_view.search_page, name="search"),
    path("batch/<str:token>/", batch.result_page, name="batch-result"),
]

# Modules not built yet: one generic placeholder page each, until the module's own urls (included
# before these in zhengwu.urls) take the path.
urlpatterns += [
    path(url.strip("/") + "/", views.coming_soon, {"module": key}, name=f"soon-{key}")
    for key, _label, url in NAV
    if key not in BUILT and url != "/"
]
