"""Print the current two-factor code of a demo account (DEBUG only): `manage.py demo_totp secretariat`."""

import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from .load_demo import DEMO_TOTP_KEY


class Command(BaseCommand):
    help = "Print the code the demo authenticator shows now for a demo account (DEBUG only)."

    def add_arguments(self, parser):
        parser.add_argument("username", help="A demo account with the demo authenticator, e.g. secretariat.")

    def handle(self, *args, username, **options):
        if not settings.DEBUG:
            raise CommandError("demo_totp prints sign-in codes; it runs only with DEBUG=1.")
        user = get_user_model().objects.filter(username=username).first()
        # Only the demo's published key: this never computes codes for a real person's app.
        device = TOTPDevice.objects.filter(user=user, key=DEMO_TOTP_KEY, confirmed=True).first() if user else None
        if device is None:
            raise CommandError(f"{username} has no demo authenticator. Run `make run` (load_demo) first.")
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        now = time.time()
        totp.time = now
        left = device.step - int(now - device.t0) % device.step
        self.stdout.write(f"{totp.token():0{device.digits}d}")
        self.stderr.write(f"(valid for about {left} more seconds; each code works once)")
