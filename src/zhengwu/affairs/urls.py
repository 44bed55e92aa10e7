from django.urls import include, path

from . import views

app_name = "affairs"

urlpatterns = [
    path("", views.index, name="index"),
    path("leave/", include("zhengwu.affairs.leave.urls")),
    path("foreign/", include("zhengwu.affairs.foreign.urls")),
    path("bodies/", include("zhengwu.affairs.bodies.urls")),
]
