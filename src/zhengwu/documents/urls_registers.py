"""Routes of the registers and the search page; included into documents/urls.py (namespace
"documents", mounted at /documents/)."""

from django.urls import path

from . import views_registers

urlpatterns = [
    path("registers/incoming/", views_registers.incoming_register, name="register-incoming"),
    path("registers/outgoing/", views_registers.outgoing_register, name="register-outgoing"),
    path("search/", views_registers.search_page, name="search"),
]
