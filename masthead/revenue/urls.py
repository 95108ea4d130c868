"""Readers' contribution pages. The names are global (`reverse("contribute")`)."""

from django.urls import path

from masthead.revenue import views

urlpatterns = [
    path("contribute", views.contribute, name="contribute"),
    path("contribute/thanks/<uuid:contribution_id>/", views.thanks, name="contribute_thanks"),
    path(
        "contribute/test-checkout/<uuid:contribution_id>/",
        views.test_checkout,
        name="contribute_test_checkout",
    ),
    path("contribute/manage", views.manage, name="contribute_manage"),
    path("contribute/test-portal/", views.test_portal, name="contribute_test_portal"),
]
