"""`masthead demo [--no-serve] [--host H] [--port P]`: migrate, load the demo newsroom, serve it.

Safe to run again: the content is loaded once, and the demo accounts keep the passwords that
were generated on the first run (stored in var/demo-passwords.json).
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import connections

from masthead.newsroom.demo.load import DemoSummary, load_demo_content


class Command(BaseCommand):
    help = "Migrate the database, load The Masthead Courier demo content and serve it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-serve", action="store_true", help="Set everything up, then exit.")
        parser.add_argument("--host", help="Address to serve on (default: as `masthead serve`).")
        parser.add_argument(
            "--port", type=int, help="Port to serve on (default: as `masthead serve`)."
        )

    def handle(self, *args: object, **options: object) -> None:
        verbosity = int(options["verbosity"])  # type: ignore[call-overload]
        self.stdout.write("Migrating the database…")
        call_command("migrate", interactive=False, verbosity=max(0, verbosity - 1))
        summary = load_demo_content(stdout=self.stdout if verbosity else None)
        self.print_summary(summary)
        if options["no_serve"]:
            return
        serve_options = {
            name: options[name] for name in ("host", "port") if options[name] is not None
        }
        connections.close_all()  # `serve` replaces this process with the web server
        call_command("serve", **serve_options)

    def print_summary(self, summary: DemoSummary) -> None:
        loaded = f"loaded in {summary.seconds:.0f} s" if summary.created else "already loaded"
        self.stdout.write(
            self.style.SUCCESS(
                f"The Masthead Courier is ready: {summary.sections} sections, "
                f"{summary.articles} articles, {summary.photos} photos ({loaded})."
            )
        )
        self.stdout.write(f"Demo accounts (passwords kept in {summary.passwords_file}):")
        width = max(len(account.email) for account in summary.accounts)
        for account in summary.accounts:
            self.stdout.write(f"  {account.role:<10} {account.email:<{width}}  {account.password}")
        self.stdout.write(
            "Sign in at /accounts/login/; writers, editors, moderators and admins also reach "
            "the CMS at /cms/."
        )
