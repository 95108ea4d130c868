"""Cross-cutting middleware."""

from collections.abc import Callable

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse

# Wagtail's admin screens still rely on inline styles and scripts. Staff reach
# them only after signing in, so they get a looser policy; every public page keeps the strict
# one from settings.CONTENT_SECURITY_POLICY.
STAFF_PREFIXES = ("/cms/",)
STAFF_POLICY_UPDATE = {
    "script-src": ["'unsafe-inline'"],
    "style-src": ["'unsafe-inline'"],
    "img-src": ["blob:"],
}


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith(STAFF_PREFIXES):
            parts.update = {**STAFF_POLICY_UPDATE, **(parts.update or {})}
        return parts


class PermissionsPolicyMiddleware:
    """Turns off browser features no page of a news site needs (camera, microphone, location,
    payment request...), so injected or third-party code cannot ask for them either. Placed
    before the page cache, so stored pages get it too."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.value = settings.PERMISSIONS_POLICY

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if self.value:
            response.headers.setdefault("Permissions-Policy", self.value)
        return response


FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}


class RejectNulCharactersMiddleware:
    """Refuses a query string or form holding a NUL character with a 400.

    No reader types one, PostgreSQL cannot store one (it would be a 500 deep inside a save),
    and it hides text from people and filters. Django's form fields already refuse it; this
    covers the views that read a field directly. The CMS is left to Wagtail's forms."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not request.path_info.startswith(STAFF_PREFIXES) and self.holds_nul(request):
            message = "The request holds a NUL character."
            if request.path_info.startswith("/api/"):
                return JsonResponse({"error": "bad_request", "message": message}, status=400)
            return HttpResponse(message, status=400, content_type="text/plain")
        return self.get_response(request)

    @staticmethod
    def holds_nul(request: HttpRequest) -> bool:
        sources = [request.GET]
        if request.method == "POST" and request.content_type in FORM_TYPES:
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            # Forms of words, not uploads: an upload is left to its view rather than held in
            # memory here. The body is read whole first and kept, so a view that reads
            # `request.body` itself (the Stripe webhook) still can after the form is parsed.
            if length <= settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
                request.body  # noqa: B018
                sources.append(request.POST)
        return any(
            "\x00" in key or any("\x00" in value for value in values)
            for source in sources
            for key, values in source.lists()
        )
