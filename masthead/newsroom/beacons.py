"""The read beacon behind "Most read": `reads.js` posts here once per article view."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from masthead.core.counters import is_bot
from masthead.core.ratelimit import client_ip, hit
from masthead.newsroom import popularity

# Per address: generous, since many readers can share one (an office, a mobile carrier).
MAX_ID = 2**63 - 1  # the largest id the database can hold


# The beacon carries no cookie and changes nothing a reader owns: it adds one to a public
# tally. A CSRF token would not make a forged read less real, and a token in the page would
# split the page cache per reader, so it is exempt and rate limited per address instead.
@csrf_exempt
@require_POST
def record_read(request: HttpRequest, article_id: int) -> HttpResponse:
    if is_bot(request):
        return HttpResponse(status=204)
    if not hit("read_ip", client_ip(request)).allowed:
        return HttpResponse(
            "Too many reads from this address.", status=429, content_type="text/plain"
        )
    if article_id > MAX_ID or not popularity.is_countable(article_id):
        return HttpResponse("No such story.", status=404, content_type="text/plain")
    popularity.record_read(article_id)
    return HttpResponse(status=204)
