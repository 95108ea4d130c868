"""Readers' side of moderation: report a comment, file an illegal-content notice, appeal."""

from django.urls import path

from masthead.moderation import views

app_name = "reports"
urlpatterns = [
    path("comments/<int:comment_id>/report/", views.report, name="report"),
    path("comments/<int:comment_id>/report/sent/", views.report_sent, name="report_sent"),
    path("comments/<int:comment_id>/notice/", views.notice, name="notice"),
    path("comments/<int:comment_id>/notice/sent/", views.notice_sent, name="notice_sent"),
    path("moderation/appeal/<int:comment_id>/", views.appeal, name="appeal"),
]
