from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("", views.calendar, name="calendar"),
    path("new/", views.schedule, name="new"),
    path("new/members/", views.schedule_members, name="new-members"),
    path("followups/", views.followups, name="followups"),
    path("followups/<int:followup_id>/issued/", views.followup_issued, name="followup-issued"),
    path("<int:meeting_id>/", views.detail, name="detail"),
    path("<int:meeting_id>/submit/", views.submit, name="submit"),
    path("<int:meeting_id>/cancel/", views.cancel, name="cancel"),
    path("<int:meeting_id>/leaves/<int:attendance_id>/", views.leave_decide, name="leave-decide"),
    path("<int:meeting_id>/agenda/", views.agenda, name="agenda"),
    path("<int:meeting_id>/agenda/propose/", views.item_propose, name="propose"),
    path("<int:meeting_id>/items/<int:item_id>/confirm/", views.item_confirm, name="confirm"),
    path("<int:meeting_id>/items/<int:item_id>/withdraw/", views.item_withdraw, name="withdraw"),
    path("<int:meeting_id>/phone/", views.phone, name="phone"),
    path("<int:meeting_id>/sign-in/", views.sign_in, name="sign-in"),
    path("<int:meeting_id>/leave/", views.leave_request, name="leave"),
    path("<int:meeting_id>/views/", views.views_submit, name="views"),
    path("<int:meeting_id>/chair/", views.chair, name="chair"),
    path("<int:meeting_id>/open/", views.meeting_open, name="open"),
    path("<int:meeting_id>/items/<int:item_id>/opinions/", views.opinion, name="opinion"),
    path("<int:meeting_id>/items/<int:item_id>/decide/", views.decide, name="decide"),
    path("<int:meeting_id>/close/", views.meeting_close, name="close"),
    path("<int:meeting_id>/minutes/", views.minutes, name="minutes"),
    path("<int:meeting_id>/minutes/save/", views.minutes_save, name="minutes-save"),
    path("<int:meeting_id>/minutes/docx/", views.minutes_docx, name="minutes-docx"),
    path("<int:meeting_id>/minutes/<str:op>/", views.minutes_act, name="minutes-act"),
    path("<int:meeting_id>/followups/", views.followup_create, name="followup-create"),
]
