"""Cross-cutting middleware."""

from csp.middleware import CSPMiddleware, PolicyParts
from django.http import HttpRequest, HttpResponseBase

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
