"""Error pages: JSON under /api/, HTML elsewhere; 503 with Retry-After when the database is
unreachable."""

import sys

from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views import defaults


def api_not_found(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"error": "not_found", "message": "No such API endpoint."}, status=404)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        return api_not_found(request)
    return render(request, "404.html", status=404)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """A request Django refused before any view (a body over the size limit, a bad Host)."""
    too_large = isinstance(exception, RequestDataTooBig)
    if request.path.startswith("/api/"):
        if too_large:
            return JsonResponse(
                {"error": "too_large", "message": "The request body is too large."}, status=413
            )
        return JsonResponse(
            {"error": "bad_request", "message": "The request could not be understood."},
            status=400,
        )
    if too_large:
        return HttpResponse("The request is too large.", status=413, content_type="text/plain")
    return defaults.bad_request(request, exception)


# Seconds a client (or Stripe, or a proxy) is asked to wait when the database is unreachable.
RETRY_AFTER_SECONDS = 5
UNAVAILABLE_HTML = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Back in a moment</title></head>
<body>
  <main>
    <h1>We'll be back in a moment</h1>
    <p>The site cannot reach its database just now. Please try again in a few seconds.</p>
  </main>
</body>
</html>
"""


def database_unavailable(error: BaseException | None) -> bool:
    """The error says the database could not be reached (down, restarting, pool exhausted,
    locked), as opposed to a bug: the request may well work in a few seconds."""
    unreachable: tuple[type[BaseException], ...] = (OperationalError, InterfaceError)
    try:
        import psycopg  # the pool's PoolTimeout is a psycopg.OperationalError

        unreachable += (psycopg.OperationalError, psycopg.InterfaceError)
    except ImportError:  # pragma: no cover - SQLite-only installs
        pass
    return isinstance(error, unreachable)


def unavailable(request: HttpRequest) -> HttpResponse:
    """503 with Retry-After, built without the database, a template or the session."""
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(
            {
                "error": "unavailable",
                "message": "The service is briefly unavailable; try again shortly.",
            },
            status=503,
        )
    else:
        response = HttpResponse(UNAVAILABLE_HTML, status=503, content_type="text/html")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    # Django calls this inside its `except` block: the error being handled is at hand.
    if database_unavailable(sys.exc_info()[1]):
        return unavailable(request)
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"error": "server_error", "message": "Something went wrong on our side."}, status=500
        )
    try:
        return render(request, "500.html", status=500)
    except Exception:  # the page itself failed (its context needs what just broke): plain text
        return HttpResponse(
            "Something went wrong on our side.", status=500, content_type="text/plain"
        )
