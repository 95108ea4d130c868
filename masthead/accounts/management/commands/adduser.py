"""`masthead adduser EMAIL --password P --role ROLE [--verified] [--token]`."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from masthead.accounts.models import Role
from masthead.accounts.services import create_user, issue_token


class Command(BaseCommand):
    help = "Create an account with a role; --token prints a new API token on the last line."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument("--password", required=True)
        parser.add_argument("--role", choices=[role.value for role in Role], default=Role.READER)
        parser.add_argument("--name", default="", help="Public display name.")
        parser.add_argument(
            "--verified", action="store_true", help="Mark the email address as verified."
        )
        parser.add_argument("--token", action="store_true", help="Issue and print an API token.")

    def handle(self, *args: object, **options: object) -> None:
        try:
            user = create_user(
                email=options["email"],
                password=options["password"],
                role=options["role"],
                verified=options["verified"],
                display_name=options["name"],
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(f"Created {options['role']} {user.email} (id {user.pk}).")
        if options["token"]:
            _, raw = issue_token(user=user, name="adduser")
            self.stdout.write(raw)
