from django.urls import path

from masthead.ads import views

app_name = "ads"

urlpatterns = [
    path("click/<int:ad_id>", views.click, name="click"),
    path("impressions/<int:ad_id>", views.impression, name="impression"),
]
