from django.urls import path

from masthead.accounts import views

urlpatterns = [
    # Before allauth's own (same path and name): sign-out also clears the signed-in hint.
    path("logout/", views.logout_view, name="account_logout"),
    path("profile/", views.profile, name="profile"),
    path("profile/export.json", views.export_data, name="profile_export"),
    path("profile/delete/", views.delete, name="profile_delete"),
]
