from django.urls import path

from masthead.editorial import views

app_name = "editorial"
urlpatterns = [
    path("corrections/", views.corrections, name="corrections"),
]
