"""Views for the page-cache tests: pages marked as everyone's that then do something personal."""

from django.http import HttpResponse
from django.urls import path

from masthead.caching import cacheable


def public(request):
    return cacheable(HttpResponse("the same for everyone"), keys={"test-public"})


def reads_session(request):
    name = request.session.get("name", "stranger")
    return cacheable(HttpResponse(f"hello {name}"), keys={"test-session"})


def sets_cookie(request):
    response = HttpResponse("with a cookie")
    response.set_cookie("seen", "1")
    return cacheable(response, keys={"test-cookie"})


def varies_on_cookie(request):
    response = HttpResponse("varies")
    response["Vary"] = "Cookie"
    return cacheable(response, keys={"test-vary"})


def personal_unmarked(request):
    return HttpResponse(f"hello {request.session.get('name', 'stranger')}")


urlpatterns = [
    path("t/public/", public),
    path("t/session/", reads_session),
    path("t/cookie/", sets_cookie),
    path("t/vary/", varies_on_cookie),
    path("t/personal/", personal_unmarked),
]
