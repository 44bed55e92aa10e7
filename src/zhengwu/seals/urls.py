"""Seals, seal-use cards and introduction letters (arts. 82-84). Writes go through services.py only."""

from __future__ import annotations
from django.urls import path

from . import views

app_name = "seals"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.seal_new, name="seal-new"),
    path("log/", views.use_log, name="log"),
    path("log.xlsx", views.use_log_export, name="log-export"),
    path("<int:seal_id>/", views.seal_detail, name="seal"),
    path("<int:seal_id>/impression/", views.seal_impression, name="impression"),
    path("<int:seal_id>/impression.img", views.seal_image, name="image"),
    path("<int:seal_id>/retire/", views.seal_retire, name="retire"),
    path("cards/", views.card_list, name="cards"),
    path("cards/new/", views.card_new, name="card-new"),
    path("cards/<int:card_id>/", views.card_detail, name="card"),
    path("cards/<int:card_id>/stamp/", views.card_stamp, name="stamp"),
    path("take-outs/new/", views.take_out_new, name="take-out-new"),
    path("take-outs/<int:take_out_id>/", views.take_out_detail, name="take-out"),
    path("take-outs/<int:take_out_id>/check-out/", views.take_out_check_out, name="check-out"),
    path("take-outs/<int:take_out_id>/return/", views.take_out_return, name="take-out-return"),
    path("letters/books/new/", views.book_new, name="book-new"),
    path("letters/new/", views.letter_new, name="letter-new"),
    path("letters/<int:letter_id>/", views.letter_detail, name="letter"),
    path("letters/<int:letter_id>/issue/", views.letter_issue, name="issue"),
    path("letters/<int:letter_id>/return/", views.letter_return, name="letter-return"),
]
