"""Readers' moderation endpoints: report a comment, and the reasons one can give.

(The moderators' desk endpoints are in `desk_api.py`.)"""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from masthead.community.threads import readable_comments
from masthead.core import ratelimit
from masthead.core.api import ObjectId, errors, signed_in
from masthead.moderation import services
from masthead.moderation.views import THANKS, UPDATED

router = Router(tags=["reports"])


class ReportIn(Schema):
    reason: str = Field(max_length=40, description="A report reason's code, e.g. `abuse`.")
    note: str = Field("", max_length=2000, description="Optional; at most 500 characters.")


class ReportOut(Schema):
    status: str = Field(description="`received` for a new report, `updated` for a second one.")
    message: str


class ReasonOut(Schema):
    code: str
    label: str
    help_text: str


class ReasonsOut(Schema):
    guidelines_url: str | None
    items: list[ReasonOut]


@router.post(
    "/comments/{comment_id}/reports",
    response={202: ReportOut, **errors(400, 401, 403, 404, 422, 429)},
    auth=signed_in,
    summary="Report a comment (a second report by the same reader updates the first)",
)
def report(request: HttpRequest, comment_id: ObjectId, payload: ReportIn) -> Status:
    comment = get_object_or_404(readable_comments(), pk=comment_id)
    _, created = services.report_comment(
        reporter=request.user,
        comment=comment,
        reason=payload.reason,
        note=payload.note,
        ip=ratelimit.client_ip(request),
    )
    return Status(
        202,
        {"status": "received" if created else "updated", "message": THANKS if created else UPDATED},
    )


@router.get(
    "/report-reasons",
    response=ReasonsOut,
    auth=None,
    summary="The community guidelines a report can name",
)
def reasons(request: HttpRequest) -> dict:
    return {
        "guidelines_url": services.guidelines_url(),
        "items": [
            {"code": r.code, "label": r.label, "help_text": r.help_text}
            for r in services.report_reasons()
        ],
    }
