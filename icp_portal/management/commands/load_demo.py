"""Demonstration data for a development machine: fictional people, clearly marked."""

import sys
from base64 import b32encode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from meetings.demo import meetings_demo_load
from meetings.models import Minutes
from membership.demo import ReferenceDataMissing, demo_load
from publishing.services import agenda_pack_request, minutes_document_request
from strategy import demo as strategy_demo
from transparency.services import scorecard_compute

# Printed by `make run`. Demonstration accounts only: load_demo refuses to run with DEBUG off.
DEMO_LOGINS = [
    # username, password, description, is_superuser
    ("admin", "demo-admin-password", "Administrator (Django admin)", True),
    ("secretariat", "demo-secretariat-password", "Secretariat of NENC's Strategic ICP", False),
    ("chair", "demo-chair-password", "Co-chair of NENC's Strategic ICP", False),
    ("member", "demo-member-password", "Member of NENC's Strategic ICP", False),
]


# The demo's authenticator app, shared by the accounts that must use two-factor sign-in. Its key is
# published here, like the passwords, so it is set up only with DEBUG on (never by --force).
DEMO_TOTP_KEY = b"icp-portal-demo-totp".hex()  # 20 bytes, as authenticator apps expect
DEMO_TOTP_NAME = "Demo authenticator (published key)"
DEMO_SECOND_FACTOR_USERS = ("admin", "secretariat", "chair")


def demo_totp_secret() -> str:
    """The demo key as authenticator apps take it (base32), in groups of four."""
    secret = b32encode(bytes.fromhex(DEMO_TOTP_KEY)).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def demo_second_factors_set_up(users: dict) -> list[str]:
    """Give the demo accounts that must use two-factor sign-in the demo authenticator (its key is
    public). Idempotent. Returns their usernames."""
    done = []
    for username in DEMO_SECOND_FACTOR_USERS:
        user = users[username]
        TOTPDevice.objects.update_or_create(
            user=user,
            name=DEMO_TOTP_NAME,
            defaults={"key": DEMO_TOTP_KEY, "confirmed": True},
        )
        done.append(username)
    return done


class Command(BaseCommand):
    help = "Load demonstration data and logins (idempotent). Refuses to run with DEBUG off unless --force."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Load even with DEBUG off (never in production).")

    def handle(self, *args, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError("load_demo creates accounts with published passwords; it runs only with DEBUG=1.")
        try:
            # The demo's PDFs are built in this process, as each is asked for, before the command
            # returns: a build thread (PUBLISHING_BUILD_IN_THREAD, on with DEBUG and no worker)
            # would die with the command and leave its document unbuilt, with no worker or
            # sweeper to take it up under `make run`.
            with override_settings(PUBLISHING_BUILD_IN_THREAD=False), transaction.atomic():
                users = self.ensure_logins()
                report = demo_load(users=users)
                self.publish(meetings_demo_load())
                strategy_demo.build()
                # Never with DEBUG off (--force): the key is published.
                second_factors = demo_second_factors_set_up(users) if settings.DEBUG else []
        except ReferenceDataMissing as error:
            raise CommandError(str(error)) from error
        # The transparency scorecard is otherwise worked out nightly or on a publication: work it
        # out now, from the committed demo record, so its page is full from the start.
        systems = scorecard_compute()
        self.stdout.write(f"Demo data: {report}.")
        self.stdout.write(f"Transparency scorecard: worked out for {systems} systems.")
        self.stdout.write(self.style.SUCCESS("Demo data is ready. Demo logins (fictional people):"))
        for username, password, description, _ in DEMO_LOGINS:
            code = " + a code (below)" if username in second_factors else ""
            self.stdout.write(f"  {description:<40} username {username:<14} password {password}{code}")
        if second_factors:
            self.stdout.write(
                f"Two-factor sign-in: {', '.join(second_factors)} are asked for a code after the password. "
                "Print the current code with\n"
                f"  DEBUG=1 {sys.executable} manage.py demo_totp secretariat\n"
                f"or add this key to any authenticator app (time-based, 6 digits): {demo_totp_secret()}"
            )

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
