"""`masthead pullwire [--all]`: poll the wire feeds now.

Without `--all`, only the active feeds whose polling interval has passed (what the worker does
on its own every minute); with it, every active feed at once. One line per feed; the exit status
is 1 when a feed could not be fetched or read.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from masthead.wire.feeds import poll_feed
from masthead.wire.models import WireFeed


class Command(BaseCommand):
    help = "Poll the RSS/Atom wire feeds now (the due ones, or --all)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--all", action="store_true", help="poll every active feed now")

    def handle(self, *args: object, **options: object) -> None:
        now = timezone.now()
        feeds = WireFeed.objects.filter(active=True).select_related("agency", "section")
        due = [feed for feed in feeds if options["all"] or feed.is_due(now)]
        if not due:
            self.stdout.write("No wire feed is due.")
            return
        failed = 0
        for feed in due:
            result = poll_feed(feed, now=now)
            failed += result.status == "failed"
            self.stdout.write(f"{feed.name}: {result}")
        if failed:
            raise CommandError(f"{failed} of {len(due)} feeds failed.", returncode=1)
