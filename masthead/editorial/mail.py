"""Email through the worker: an email backend that queues each message as a task.

With ``EMAIL_BACKEND = "masthead.editorial.mail.QueuedEmailBackend"``, a request that sends
email (sign-up verification, workflow notifications, receipts) only writes a task row; the
worker (`masthead worker`, or the one `masthead serve` starts) hands the message to the real
backend, ``QUEUED_EMAIL_DELIVERY_BACKEND`` (SMTP unless set). A slow or unreachable mail server
then never holds up a page, and a failed delivery is recorded on the task.

Messages are stored as JSON: subject, body, addresses, headers, HTML alternatives and file
attachments (base64). A message carrying a ready-made MIME part cannot be stored that way and
is delivered at once instead.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django_tasks import task

DEFAULT_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


def delivery_backend() -> str:
    return getattr(settings, "QUEUED_EMAIL_DELIVERY_BACKEND", DEFAULT_DELIVERY_BACKEND)


def _text(value: str | bytes) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def message_to_data(message: EmailMessage) -> dict[str, Any] | None:
    """The message as JSON-ready data, or None when it holds parts JSON cannot carry."""
    attachments = []
    for attachment in message.attachments:
        if not isinstance(attachment, tuple):  # a MIMEBase part
            return None
        filename, content, mimetype = attachment
        raw = content.encode() if isinstance(content, str) else content
        attachments.append([filename, base64.b64encode(raw).decode("ascii"), mimetype])
    alternatives = [
        [_text(content), mimetype] for content, mimetype in getattr(message, "alternatives", [])
    ]
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": {str(key): str(value) for key, value in message.extra_headers.items()},
        "content_subtype": message.content_subtype,
        "alternatives": alternatives,
        "attachments": attachments,
    }


def data_to_message(data: dict[str, Any]) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=data["subject"],
        body=data["body"],
        from_email=data["from_email"],
        to=data["to"],
        cc=data["cc"],
        bcc=data["bcc"],
        reply_to=data["reply_to"],
        headers=data["headers"],
    )
    message.content_subtype = data.get("content_subtype", "plain")
    for content, mimetype in data["alternatives"]:
        message.attach_alternative(content, mimetype)
    for filename, encoded, mimetype in data["attachments"]:
        message.attach(filename, base64.b64decode(encoded), mimetype)
    return message


@task()
def deliver_email(*, message: dict[str, Any]) -> int:
    """Hand one queued message to the real email backend; returns how many were sent."""
    with get_connection(delivery_backend(), fail_silently=False) as connection:
        return connection.send_messages([data_to_message(message)]) or 0


class QueuedEmailBackend(BaseEmailBackend):
    """Queues messages for the worker instead of sending them during the request."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        queued = 0
        direct = []
        for message in email_messages:
            if not message.recipients():
                continue
            data = message_to_data(message)
            if data is None:
                direct.append(message)
                continue
            deliver_email.enqueue(message=data)
            queued += 1
        if direct:
            with get_connection(delivery_backend(), fail_silently=self.fail_silently) as conn:
                queued += conn.send_messages(direct) or 0
        return queued
