from django.urls import path

from . import views

app_name = "foreign"

urlpatterns = [
    path("invitations/", views.invitations, name="invitations"),
    path("visits/", views.visits, name="visits"),
    path("gifts/", views.gifts, name="gifts"),
    path("research/", views.research, name="research"),
    path("speeches/", views.speeches, name="speeches"),
    path("<str:section>/new/", views.create, name="create"),
    path("invitations/<int:pk>/", views.invitation, name="invitation"),
    path("visits/<int:pk>/", views.visit, name="visit"),
    path("visits/<int:pk>/<str:action>/", views.visit_act, name="visit_act"),
    path("gifts/<int:pk>/", views.gift, name="gift"),
    path("gifts/<int:pk>/<str:action>/", views.gift_act, name="gift_act"),
    path("research/<int:pk>/", views.plan, name="plan"),
    path("research/<int:pk>/<str:action>/", views.plan_act, name="plan_act"),
    path("speeches/<int:pk>/", views.speech, name="speech"),
    path("speeches/<int:pk>/<str:action>/", views.speech_act, name="speech_act"),
]
