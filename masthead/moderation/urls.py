"""The moderation desk under /moderation/ (moderators only), and the author's appeal page."""

from django.urls import path

from masthead.moderation import desk

app_name = "moderation"
urlpatterns = [
    path("", desk.home, name="desk"),
    path("queue/<slug:name>/", desk.queue, name="queue"),
    path("comment/<int:comment_id>/", desk.item, name="item"),
    path("comment/<int:comment_id>/decide", desk.decide, name="decide"),
    path("comment/<int:comment_id>/undo", desk.undo, name="undo"),
    path("comment/<int:comment_id>/note", desk.note, name="note"),
    path("comment/<int:comment_id>/feature", desk.feature, name="feature"),
    path("comment/<int:comment_id>/appeal-decision", desk.appeal_decision, name="appeal_decision"),
    path("bulk", desk.bulk, name="bulk"),
    path("log/", desk.log, name="log"),
    path("log.csv", desk.log_csv, name="log_csv"),
    path("dashboard/", desk.dashboard, name="dashboard"),
]
