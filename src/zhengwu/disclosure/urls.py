from django.urls import include, path

from . import views

app_name = "disclosure"

urlpatterns = [
    path("", views.index, name="index"),
    path("requests/", include("zhengwu.disclosure.requests.urls")),
    path("petitions/", include("zhengwu.disclosure.petitions.urls")),
]
