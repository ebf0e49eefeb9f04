"""Demonstration data for a development machine: fictional people, clearly marked."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from meetings.demo import meetings_demo_load
from meetings.models import Minutes
from membership.demo import ReferenceDataMissing, demo_load
from publishing.services import agenda_pack_request, minutes_document_request
from strategy import demo as strategy_demo

# Printed by `make run`. Demonstration accounts only: load_demo refuses to run with DEBUG off.
DEMO_LOGINS = [
    # username, password, description, is_superuser
    ("admin", "demo-admin-password", "Administrator (Django admin)", True),
    ("secretariat", "demo-secretariat-password", "Secretariat of NENC's Strategic ICP", False),
    ("chair", "demo-chair-password", "Co-chair of NENC's Strategic ICP", False),
    ("member", "demo-member-password", "Member of NENC's Strategic ICP", False),
]


class Command(BaseCommand):
    help = "Load demonstration data and logins (idempotent). Refuses to run with DEBUG off unless --force."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Load even with DEBUG off (never in production).")

    def handle(self, *args, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError("load_demo creates accounts with published passwords; it runs only with DEBUG=1.")
        try:
            with transaction.atomic():
                report = demo_load(users=self.ensure_logins())
                self.publish(meetings_demo_load())
                strategy_demo.build()
        except ReferenceDataMissing as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Demo data: {report}.")
        self.stdout.write(self.style.SUCCESS("Demo data is ready. Demo logins (fictional people):"))
        for username, password, description, _ in DEMO_LOGINS:
            self.stdout.write(f"  {description:<40} username {username:<14} password {password}")

    def publish(self, objects):
        """Ask for the PDFs of the demo's published agendas and minutes (built after commit)."""
        for obj in objects:
            if isinstance(obj, Minutes):
                minutes_document_request(minutes=obj)
            else:
                agenda_pack_request(meeting=obj)

    def ensure_logins(self):
        User = get_user_model()
        users = {}
        for username, password, _description, is_superuser in DEMO_LOGINS:
            user, created = User.objects.get_or_create(username=username, defaults={"email": f"{username}@example.org"})
            if created or not user.check_password(password):
                user.set_password(password)
            user.is_staff = user.is_superuser = is_superuser
            user.save()
            users[username] = user
        return users
