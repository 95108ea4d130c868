"""Background tasks, queued with django-tasks and run by `masthead worker`."""

from __future__ import annotations

from django.core.mail import send_mail
from django_tasks import task


@task()
def send_email(*, subject: str, message: str, recipients: list[str]) -> int:
    """Send a plain-text email from the worker, so a slow mail server never holds up a page.

    Returns the number of messages sent (Django's `send_mail` result)."""
    return send_mail(subject, message, None, recipients, fail_silently=False)
