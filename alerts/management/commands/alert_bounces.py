"""Stop emailing addresses the mail relay reports as bouncing for good (or complaining).

    manage.py alert_bounces bounces.txt          # one address a line
    some-relay-export | manage.py alert_bounces -

Blank lines and lines starting with # are ignored; a line that is not an email address is
reported and skipped. Running it again with the same list changes nothing.
"""

import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from alerts.services import address_suppress


class Command(BaseCommand):
    help = "Suppress bounced addresses (one a line, from a file or - for standard input) and end their alerts."

    def add_arguments(self, parser):
        parser.add_argument("path", help="A file of addresses, one a line, or - for standard input.")
        parser.add_argument("--reason", default="Hard bounce reported by the mail relay")

    def handle(self, *args, path, reason, **options):
        try:
            if path == "-":
                lines = sys.stdin.read().splitlines()
            else:
                with open(path, encoding="utf-8") as source:
                    lines = source.read().splitlines()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror or error}") from error
        except UnicodeDecodeError as error:
            raise CommandError(f"{path} is not a UTF-8 text file: {error}") from error
        suppressed = ended = 0
        for number, line in enumerate(lines, start=1):
            address = line.strip()
            if not address or address.startswith("#"):
                continue
            try:
                validate_email(address)
            except ValidationError:
                self.stderr.write(f"Line {number}: {address!r} is not an email address; skipped.")
                continue
            ended += address_suppress(email=address, reason=reason)
            suppressed += 1
        self.stdout.write(f"{suppressed} address(es) suppressed, {ended} subscription(s) ended.")
