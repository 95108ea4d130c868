"""The revenue dashboard under /revenue/ (newsroom admins only)."""

from django.urls import path

from masthead.revenue import dashboard

app_name = "revenue_dashboard"
urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("contributions.csv", dashboard.contributions_csv, name="csv"),
]
