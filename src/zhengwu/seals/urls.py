from django.urls import path

from . import views

app_name = "seals"

urlpatterns = [
    path("", views.index, name="index"),
]
