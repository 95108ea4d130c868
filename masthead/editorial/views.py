"""Public editorial pages: the list of corrections and updates."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from masthead.caching import cacheable
from masthead.caching import keys as surrogate
from masthead.caching.pages import SITE
from masthead.editorial.models import Correction
from masthead.newsroom.services import paginate


def corrections(request: HttpRequest) -> HttpResponse:
    """Every correction and update on a live, public story, newest first, paginated."""
    notes = Correction.objects.listed()
    page_obj = paginate(notes, request.GET.get("page"))
    response = render(request, "editorial/corrections.html", {"page_obj": page_obj})
    keys = {surrogate.CORRECTIONS, surrogate.NAV, SITE}
    keys |= {surrogate.article(note.article_id) for note in page_obj}
    return cacheable(response, keys=keys, kind="list")
