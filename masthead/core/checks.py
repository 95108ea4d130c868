"""Deployment checks of Masthead's own settings, run by `masthead check --deploy`."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.security, deploy=True)
def check_payments(app_configs, **kwargs):  # type: ignore[no-untyped-def]
    masthead = settings.MASTHEAD
    problems = []
    if masthead["STRIPE_SECRET_KEY"] and not masthead["STRIPE_WEBHOOK_SECRET"]:
        problems.append(
            Error(
                "STRIPE_SECRET_KEY is set but STRIPE_WEBHOOK_SECRET is not.",
                hint="Without the webhook secret no payment can be verified, so paid "
                "contributions are never recorded. Copy it from Stripe's webhook settings.",
                id="masthead.E001",
            )
        )
    if not masthead["STRIPE_SECRET_KEY"]:
        problems.append(
            Warning(
                "STRIPE_SECRET_KEY is not set: contributions finish on the practice page and "
                "no money moves.",
                hint="Set STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET to take contributions.",
                id="masthead.W001",
            )
        )
    return problems


@register(Tags.security, deploy=True)
def check_content_security_policy(app_configs, **kwargs):  # type: ignore[no-untyped-def]
    # Pages are cached whole for every reader, so they cannot carry a per-request nonce; the
    # policy must work without inline code (see masthead.core.middleware for the CMS).
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    loose = [
        name
        for name, sources in directives.items()
        if any("unsafe" in source or source.startswith("'nonce") for source in sources)
    ]
    if loose:
        return [
            Error(
                f"The Content-Security-Policy allows unsafe sources in {', '.join(loose)}.",
                id="masthead.E002",
            )
        ]
    return []
