"""Public editorial pages: the list of corrections and updates."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from masthead.editorial.models import Correction
from masthead.newsroom.services import paginate


def corrections(request: HttpRequest) -> HttpResponse:
    """Every correction and update on a live, public story, newest first, paginated."""
    notes = Correction.objects.listed()
    return render(
        request,
        "editorial/corrections.html",
        {"page_obj": paginate(notes, request.GET.get("page"))},
    )
