from django.urls import path

from masthead.community import views

app_name = "community"
urlpatterns = [
    path("<int:article_id>/", views.thread, name="thread"),
    path("<int:article_id>/post", views.post, name="post"),
    path("c/<int:comment_id>/like", views.like, name="like"),
    path("c/<int:comment_id>/feature", views.feature, name="feature"),
    path("c/<int:comment_id>/unlike", views.unlike, name="unlike"),
    path("c/<int:comment_id>/edit", views.edit, name="edit"),
    path("c/<int:comment_id>/delete", views.delete, name="delete"),
]
