"""Ad clicks and impressions. Both only add to a counter; neither touches a reader's data."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from masthead.ads import services
from masthead.core.counters import is_bot
from masthead.core.ratelimit import client_ip, hit

# Per address; a page shows at most three ads, so this leaves room for a busy office.
MAX_ID = 2**63 - 1  # the largest id the database can hold


@never_cache
@require_GET
def click(request: HttpRequest, ad_id: int) -> HttpResponse:
    """Count a click, then send the reader on to the ad's stored address (never one taken
    from the request, so this cannot be used as an open redirect)."""
    target = services.click_target(ad_id=ad_id) if ad_id <= MAX_ID else None
    if target is None:
        raise Http404("No such ad.")
    if not is_bot(request) and hit("ad_click_ip", client_ip(request)).allowed:
        services.record_click(ad_id=ad_id)
    return HttpResponseRedirect(target)


# A beacon from ads.js carries no cookie and changes nothing a reader owns: it adds one to a
# public tally. A CSRF token would not make a forged one less real, and a token in the page
# would split the cache per reader, so it is exempt and rate limited per address instead.
@csrf_exempt
@require_POST
def impression(request: HttpRequest, ad_id: int) -> HttpResponse:
    if is_bot(request):
        return HttpResponse(status=204)
    if not hit("ad_impression_ip", client_ip(request)).allowed:
        return HttpResponse(
            "Too many impressions from this address.", status=429, content_type="text/plain"
        )
    if ad_id > MAX_ID or not services.ad_exists(ad_id):
        return HttpResponse("No such ad.", status=404, content_type="text/plain")
    services.record_impression(ad_id=ad_id)
    return HttpResponse(status=204)
