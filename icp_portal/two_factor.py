"""Two-factor sign-in: an authenticator app (TOTP) and recovery codes, with django-otp.

Who must use it, and why: portal administrators, secretariats and approving chairs
(`membership.permissions.two_factor_required`); members may. After the password, the sign-in
page sends anyone whose account needs a second factor to give their code, or to set up an
authenticator app if they have none (`LoginView`). Until they do, they hold no rights at all
(`membership.permissions.second_factor_pending`), and `SecondFactorMiddleware` sends them back
here from the workspace and Django admin. See docs/accounts.md.

- Services: `authenticator_pending`, `authenticator_confirm`, `second_factor_check`,
  `recovery_codes_renew`, `two_factor_turn_off`, each auditing what it changes.
- Views: `verify` (the code), `setup` (the app), `recovery_codes`, `manage` and `turn_off`.

Wrong codes are throttled by django-otp on each device: after each failure the next attempt must
wait twice as long as the last (1, 2, 4, 8… seconds), until a right code resets the count.
"""

import math
from base64 import b32encode
from urllib.parse import urlencode

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import verify_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.services import audit_record
from membership.permissions import second_factor_needed, second_factor_pending, two_factor_required

NEW_CODES_SESSION_KEY = "two_factor_new_codes"
AUTHENTICATOR_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"


class CodeRefused(Exception):
    """A code that was wrong, or came too soon after wrong ones; the message says which."""


# Services ---------------------------------------------------------------------------------------


def authenticator(user) -> TOTPDevice | None:
    """The user's authenticator app, once set up."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()


def authenticator_pending(user) -> TOTPDevice:
    """The authenticator being set up: a secret not yet confirmed by a code from the app. The
    same one until it is confirmed, so reloading the page does not change the QR code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    return device or TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def _wait_words(seconds: float) -> str:
    seconds = max(1, math.ceil(seconds))
    if seconds < 120:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    if seconds < 2 * 3600:
        return f"{math.ceil(seconds / 60)} minutes"
    return f"{math.ceil(seconds / 3600)} hours"


def _check_not_throttled(device) -> None:
    allowed, info = device.verify_is_allowed()
    if allowed:
        return
    wait = (info["locked_until"] - timezone.now()).total_seconds() if info and info.get("locked_until") else 1
    raise CodeRefused(
        f"You have entered too many wrong codes. Wait {_wait_words(wait)}, then try again. If you cannot "
        "sign in, ask a portal administrator to reset your two-factor sign-in."
    )


def _normalised(code: str) -> str:
    """What people type, as the devices compare it: no spaces or hyphens, lower case."""
    return "".join(code.split()).replace("-", "").lower()


def _recovery_codes_issue(user) -> list[str]:
    """Replace the user's recovery codes with new ones (the old ones stop working)."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(settings.TWO_FACTOR_RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def authenticator_confirm(*, user, device: TOTPDevice, code: str) -> list[str]:
    """Finish setting up `device` with a code from the app: it becomes the user's authenticator
    (replacing any earlier one) and the user gets new recovery codes, returned to be shown once.
    `CodeRefused` for a wrong code (throttled like any other)."""
    code = _normalised(code)
    device = TOTPDevice.objects.get(pk=device.pk, user=user, confirmed=False)
    _check_not_throttled(device)
    # Checked in a transaction of its own, so that a wrong code's count is kept (raising inside
    # a transaction would roll it back, and with it the throttling).
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        if code.isdigit():
            accepted = device.verify_token(code)
        else:
            accepted = False
            device.throttle_increment()
    if not accepted:
        raise CodeRefused("The code is not right. Enter the 6 digits your app shows now for ICP Portal.")
    with transaction.atomic():
        replaced = TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk)
        had_one = replaced.exists()
        replaced.delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _recovery_codes_issue(user)
        action = "accounts.two_factor.replaced" if had_one else "accounts.two_factor.set_up"
        audit_record(actor=user, action=action, obj=user, changes={"recovery codes": len(codes)})
    return codes


def second_factor_check(*, user, code: str):
    """The device that accepts `code`: a 6-digit code from the authenticator app, or one of the
    recovery codes (each works once). `CodeRefused` for a wrong code, or while throttled."""
    code = _normalised(code)
    recovery = not (code.isdigit() and len(code) == 6)
    model = StaticDevice if recovery else TOTPDevice
    device = model.objects.filter(user=user, confirmed=True).order_by("-pk").first()
    if device is None:
        raise CodeRefused("The code is not right. Enter the 6 digits your app shows now, or a recovery code.")
    _check_not_throttled(device)
    # verify_token locks the device while it checks, so two requests cannot both use one code.
    verified = verify_token(user, device.persistent_id, code)
    if verified is None:
        raise CodeRefused("The code is not right. Enter the 6 digits your app shows now, or a recovery code.")
    if recovery:
        audit_record(
            actor=user,
            action="accounts.two_factor.recovery_code_used",
            obj=user,
            changes={"recovery codes left": recovery_codes_left(user)},
        )
    return verified


@transaction.atomic
def recovery_codes_renew(*, user) -> list[str]:
    """New recovery codes for a user with an authenticator; the old ones stop working."""
    codes = _recovery_codes_issue(user)
    audit_record(actor=user, action="accounts.two_factor.recovery_codes_renewed", obj=user)
    return codes


@transaction.atomic
def two_factor_turn_off(*, user) -> None:
    """Remove a member's authenticator and recovery codes. Refused (ValueError) for anyone who
    must sign in with a second factor."""
    if two_factor_required(user):
        raise ValueError("Your roles need two-factor sign-in.")
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    audit_record(actor=user, action="accounts.two_factor.turned_off", obj=user)


# Where to send people ---------------------------------------------------------------------------


def _safe_next(request, default: str = "") -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return candidate if candidate and allowed else (default or reverse(settings.LOGIN_REDIRECT_URL))


def second_factor_url(user, next_url: str = "") -> str:
    """The page where `user` gives their code, or sets up an app if they have none yet."""
    name = "two_factor_verify" if authenticator(user) else "two_factor_setup"
    url = reverse(name)
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


class SecondFactorMiddleware:
    """Send a user who still has to give their second factor from the workspace (every staff page
    is under /workspace/) and Django admin to the page that asks for it. Public pages stay open
    to them, showing what the public sees (they hold no rights until verified)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self._prefixes = None

    def __call__(self, request):
        if self._prefixes is None:
            self._prefixes = (reverse("workspace:home"), reverse("admin:index"))
        if request.path_info.startswith(self._prefixes) and second_factor_pending(request.user):
            target = request.get_full_path() if request.method == "GET" else request.path
            return redirect(second_factor_url(request.user, target))
        return self.get_response(request)


class LoginView(auth_views.LoginView):
    """Django's sign-in page; after the password, anyone whose account needs a second factor is
    asked for it (or to set one up) before going on to the page they wanted."""

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.get_user()
        if second_factor_needed(user):
            return redirect(second_factor_url(user, self.get_success_url()))
        return response


# Forms and views --------------------------------------------------------------------------------


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Security code",
        max_length=40,
        help_text="The 6 digits your authenticator app shows now for ICP Portal, or one of your recovery codes.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "spellcheck": "false", "autocapitalize": "none"}
        ),
        error_messages={"required": "Enter the security code."},
    )


class SetupCodeForm(CodeForm):
    code = forms.CharField(
        label="Code from the app",
        max_length=20,
        help_text="The 6 digits your app shows now for ICP Portal.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        error_messages={"required": "Enter the 6 digits your app shows."},
    )


def _posted(request):
    return request.POST if request.method == "POST" else None


def _is_verified(user) -> bool:
    return bool(getattr(user, "is_verified", None) and user.is_verified())


@never_cache
@sensitive_post_parameters("code")
@login_required
def verify(request):
    """Ask for the code from the authenticator app, or a recovery code."""
    next_url = _safe_next(request)
    if _is_verified(request.user):
        return redirect(next_url)
    if authenticator(request.user) is None:
        return redirect(second_factor_url(request.user, next_url))
    form = CodeForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            device = second_factor_check(user=request.user, code=form.cleaned_data["code"])
        except CodeRefused as refusal:
            form.add_error("code", str(refusal))
        else:
            otp_login(request, device)
            request.session.cycle_key()  # a new session id for the session that now has full rights
            if isinstance(device, StaticDevice):
                left = recovery_codes_left(request.user)
                messages.warning(
                    request,
                    f"You used a recovery code. You have {left} left: get new ones from your two-factor "
                    "sign-in settings, and set up your app again if you have lost it.",
                )
            return redirect(next_url)
    context = {"form": form, "next": next_url, "required": two_factor_required(request.user)}
    return render(request, "registration/two_factor_verify.html", context)


def _qr_svg(uri: str) -> str:
    """The otpauth URI as an inline SVG QR code, drawn here: no script, no image request, no
    inline style, so the Content Security Policy stays as it is."""
    svg = segno.make(uri, error="m").svg_inline(
        scale=4, border=4, dark="#000", light="#fff", title="QR code for your authenticator app"
    )
    return mark_safe(svg.replace("<svg ", '<svg role="img" aria-label="QR code for your authenticator app" ', 1))  # noqa: S308 - generated by segno from our own data


@never_cache
@sensitive_post_parameters("code")
@login_required
def setup(request):
    """Set up an authenticator app: scan the QR code or type the secret, then enter a code."""
    next_url = _safe_next(request)
    current = authenticator(request.user)
    if current is not None and not _is_verified(request.user):
        # Replacing an app takes the current one (or a recovery code) first: a password alone
        # must never be enough to move someone's second factor to another phone.
        return redirect(second_factor_url(request.user, request.get_full_path()))
    device = authenticator_pending(request.user)
    form = SetupCodeForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            codes = authenticator_confirm(user=request.user, device=device, code=form.cleaned_data["code"])
        except CodeRefused as refusal:
            form.add_error("code", str(refusal))
        else:
            device.refresh_from_db()
            otp_login(request, device)
            request.session.cycle_key()
            request.session[NEW_CODES_SESSION_KEY] = codes
            return redirect(f"{reverse('two_factor_recovery_codes')}?{urlencode({'next': next_url})}")
    secret = b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "next": next_url,
        "replacing": current is not None,
        "required": two_factor_required(request.user),
        "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
        "uri": device.config_url,
        "qr": _qr_svg(device.config_url),
    }
    return render(request, "registration/two_factor_setup.html", context)


@never_cache
@login_required
def recovery_codes(request):
    """New recovery codes, shown once; or how many are left, with a button for new ones."""
    next_url = _safe_next(request)
    if not _is_verified(request.user):
        return redirect(second_factor_url(request.user, request.get_full_path()))
    if request.method == "POST":
        request.session[NEW_CODES_SESSION_KEY] = recovery_codes_renew(user=request.user)
        return redirect(f"{reverse('two_factor_recovery_codes')}?{urlencode({'next': next_url})}")
    context = {
        "codes": request.session.pop(NEW_CODES_SESSION_KEY, None),
        "left": recovery_codes_left(request.user),
        "next": next_url,
    }
    return render(request, "registration/two_factor_recovery_codes.html", context)


@never_cache
@login_required
def manage(request):
    """Your two-factor sign-in: whether it is on, and what you can do about it."""
    device = authenticator(request.user)
    if device is not None and not _is_verified(request.user):
        return redirect(second_factor_url(request.user, request.get_full_path()))
    context = {
        "device": device,
        "required": two_factor_required(request.user),
        "left": recovery_codes_left(request.user) if device else 0,
    }
    return render(request, "registration/two_factor.html", context)


@require_POST
@login_required
def turn_off(request):
    """Turn two-factor sign-in off, for a member who set it up and whose roles do not need it."""
    if authenticator(request.user) is not None and not _is_verified(request.user):
        return redirect(second_factor_url(request.user, reverse("two_factor")))
    try:
        two_factor_turn_off(user=request.user)
    except ValueError as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, "Two-factor sign-in is off. You sign in with your password alone.")
    return redirect("two_factor")
