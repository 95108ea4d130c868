"""The signed-in caller's own account."""

from django.http import HttpRequest
from ninja import Router, Schema

from masthead.core.api import errors, signed_in

router = Router(tags=["accounts"])


class MeOut(Schema):
    id: int
    display_name: str
    roles: list[str]


@router.get(
    "",
    response={200: MeOut, **errors(401)},
    auth=signed_in,
    summary="The account making the request",
)
def me(request: HttpRequest) -> dict:
    user = request.user
    return {
        "id": user.pk,
        "display_name": user.public_name,
        "roles": sorted(group.name for group in user.groups.all()),
    }
