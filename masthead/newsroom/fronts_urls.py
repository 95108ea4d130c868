from django.urls import path

from masthead.newsroom import beacons

app_name = "fronts"

urlpatterns = [
    path("reads/<int:article_id>", beacons.record_read, name="read"),
]
