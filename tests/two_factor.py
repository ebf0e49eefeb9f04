"""Signing in with a second factor in tests: an authenticator whose codes the test computes, as
the person's phone would (django_otp.oath.TOTP from the device's key)."""

import time

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP, hotp
from django_otp.plugins.otp_totp.models import TOTPDevice


def authenticator_for(user) -> TOTPDevice:
    """The user's authenticator app, set up now if they have none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="Test authenticator", confirmed=True)


def code_for(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The code the app shows now. A code is accepted once, and the device allows one step of
    clock drift: a test signing the same person in again within 30 seconds gets the next step's."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    step = max(totp.t() + steps_ahead, device.last_t + 1)
    return f"{hotp(device.bin_key, step, digits=device.digits):0{device.digits}d}"


def wrong_code(device: TOTPDevice) -> str:
    """A code the device would not accept now (not the code of any step it would allow)."""
    right = {code_for(device, steps_ahead=n) for n in (-1, 0, 1)}
    return next(f"{n:06d}" for n in range(1_000_000) if f"{n:06d}" not in right)


def pass_second_factor(client, user) -> TOTPDevice:
    """Mark `client`'s session (signed in as `user`) as verified by their authenticator, as the
    code page does after a right code."""
    device = authenticator_for(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device
