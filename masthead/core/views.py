"""Error pages: JSON under /api/, HTML elsewhere."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render


def api_not_found(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"error": "not_found", "message": "No such API endpoint."}, status=404)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        return api_not_found(request)
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"error": "server_error", "message": "Something went wrong on our side."}, status=500
        )
    return render(request, "500.html", status=500)
