from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from masthead.revenue.models import AppealSettings


def contribute(request: HttpRequest) -> HttpResponse:
    appeal = AppealSettings.for_request(request)
    return render(request, "revenue/contribute.html", {"appeal": appeal})
