from django.urls import path

from masthead.accounts import views

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("profile/export.json", views.export_data, name="profile_export"),
    path("profile/delete/", views.delete, name="profile_delete"),
]
