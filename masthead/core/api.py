"""The JSON API at /api/v1/: one NinjaAPI, JSON errors, session or bearer-token auth."""

from __future__ import annotations

from typing import Annotated, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, NinjaAPI, Path, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser
from ninja.security import APIKeyCookie
from wagtail.api.v3.auth import BearerTokenAuth

from masthead.core.sessions import signed_in_user


class Session(APIKeyCookie):
    """The browser's session; unsafe methods are CSRF-checked by ninja."""

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        # No session cookie: not a browser session at all, so no CSRF question either; the
        # caller gets a plain 401 (e.g. a script whose bearer token was wrong or revoked).
        if self.param_name not in request.COOKIES:
            return None
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None):  # type: ignore[no-untyped-def]
        return signed_in_user(request) if key else None


# Database ids as the API accepts them: positive and within a 64-bit integer, so a huge number
# is a 422 from validation rather than an overflow deep in the database driver.
ID_MAX = 2**63 - 1
ObjectId = Annotated[int, Path(ge=1, le=ID_MAX)]

# Endpoints that need a signed-in caller use `auth=signed_in`.
signed_in = [BearerTokenAuth(), Session()]


class ErrorOut(Schema):
    """Every refusal the API sends (see `error` below); some add fields of their own."""

    error: str = Field(description="A stable code for programs, e.g. `not_found`.")
    message: str = Field(description="A sentence fit to show a reader.")


class InvalidOut(ErrorOut):
    details: list[dict[str, Any]] = Field(description="Each field that failed validation.")


def errors(*codes: int) -> dict[int, type[ErrorOut]]:
    """The refusals an operation can answer with, for its `response=` (and so the schema)."""
    return {code: InvalidOut if code == 422 else ErrorOut for code in codes}


class ObjectParser(Parser):
    """Every operation's body is a JSON object: an array or a bare value is refused (400)
    rather than read as an empty object whose defaults then apply (`[]` featured a comment)."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = super().parse_body(request)
        if not isinstance(data, dict):
            raise ValueError("The request body must be a JSON object.")
        if _holds_nul(data):
            # PostgreSQL cannot store a NUL character in text; no reader types one.
            raise ValueError("The request body must not contain NUL characters.")
        return data


def _holds_nul(value: object) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(k) or _holds_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_holds_nul(item) for item in value)
    return False


api = NinjaAPI(
    title="Masthead API",
    parser=ObjectParser(),
    version="1",
    description="Articles, reader comments, reports and moderation for a Masthead newsroom.",
    urls_namespace="api",
    docs_url="/docs",
)


def error(
    request: HttpRequest, status: int, code: str, message: str, **extra: object
) -> HttpResponse:
    return api.create_response(request, {"error": code, "message": message, **extra}, status=status)


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    first = exc.errors[0] if exc.errors else {}
    where = ".".join(str(part) for part in first.get("loc", ()) if part not in {"body", "query"})
    message = first.get("msg", "The request is not valid.")
    return error(
        request, 422, "invalid", f"{where}: {message}" if where else message, details=exc.errors
    )


@api.exception_handler(AuthenticationError)
def on_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error(request, 401, "unauthenticated", "Sign in or send a valid bearer token.")


@api.exception_handler(PermissionDenied)
def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return error(request, 403, "forbidden", str(exc) or "You may not do that.")


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error(request, 404, "not_found", str(exc) or "Not found.")


@api.exception_handler(RequestDataTooBig)
def on_too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return error(request, 413, "too_large", "The request body is too large.")


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    codes = {
        400: "bad_request",
        401: "unauthenticated",
        403: "forbidden",
        404: "not_found",
        405: "method_not_allowed",
        409: "conflict",
        429: "rate_limited",
    }
    return error(request, exc.status_code, codes.get(exc.status_code, "error"), str(exc))


api.add_router("/articles", "masthead.newsroom.api.router")
api.add_router("/me", "masthead.accounts.api.router")
api.add_router("", "masthead.community.api.router")
api.add_router("", "masthead.moderation.api.router")
api.add_router("/moderation", "masthead.moderation.desk_api.router")
api.add_router("/revenue", "masthead.revenue.reader_api.router")
api.add_router("/revenue", "masthead.revenue.api.router")


@api.get("/csrf", auth=None, tags=["session"], summary="A CSRF token for browser writes")
def csrf_token(request: HttpRequest, response: HttpResponse) -> dict:
    """Pages are cached without cookies, so a page's script asks for its token here."""
    from django.middleware.csrf import get_token

    response["Cache-Control"] = "private, no-store"
    return {"csrf_token": get_token(request)}
