"""Signing in and resetting a password, hardened against guessing and mail bombing.

- `client_address`: the visitor's address, behind as many reverse proxies as we trust.
- `SignInLockoutHandler`: django-axes with one limit per rule (per account, per address).
- `PasswordResetView`: Django's, with reset emails rate-limited per target address and per client.
- `PasswordResetConfirmView`: Django's, lifting the account's sign-in lock once a new password is set.
"""

import hashlib
import ipaddress
import logging

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit, get_lockout_parameters
from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.db.models import Sum
from django.http import HttpResponseRedirect

logger = logging.getLogger(__name__)


def _parse_address(value: str) -> str:
    """'192.0.2.1', '192.0.2.1:443' or '[2001:db8::1]:443' → the address alone; ValueError otherwise."""
    value = value.strip()
    if value.startswith("["):
        value = value[1:].partition("]")[0]
    elif value.count(":") == 1:
        value = value.partition(":")[0]
    return str(ipaddress.ip_address(value))


def client_address(request) -> str | None:
    """The address of the client, for lock-outs and rate limits.

    Behind reverse proxies REMOTE_ADDR is the nearest proxy, which would make every visitor one
    address (and one visitor's mistakes would lock everyone out). Each proxy appends the address it
    received the request from to X-Forwarded-For, so with TRUSTED_PROXY_COUNT proxies the client is
    that many entries from the right. Entries further left came from the client and can be forged,
    which is why we never take the left-most one.
    """
    remote = request.META.get("REMOTE_ADDR")
    proxies = settings.TRUSTED_PROXY_COUNT
    if not proxies:
        return remote
    forwarded = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if not forwarded:
        return remote
    entry = forwarded[max(len(forwarded) - proxies, 0)]
    try:
        return _parse_address(entry)
    except ValueError:
        logger.warning("X-Forwarded-For entry %r is not an address; using REMOTE_ADDR.", entry)
        return remote


class SignInLockoutHandler(AxesDatabaseHandler):
    """Axes's database handler with a limit for each lock-out rule, and a narrower reset.

    With AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"] axes counts failures per account and
    per address separately, but compares both counts with one AXES_FAILURE_LIMIT. An address is
    allowed more (SIGN_IN_ADDRESS_FAILURE_LIMIT) because the staff of a trust or council can share
    one outgoing address.
    """

    def get_failures(self, request, credentials=None) -> int:
        """The failures of the rule nearest its own limit, on the scale of AXES_FAILURE_LIMIT.

        Axes locks when this reaches AXES_FAILURE_LIMIT. Scaling each count by
        AXES_FAILURE_LIMIT / rule limit and rounding down reaches it exactly when that rule's
        count reaches the rule's own limit (for whole numbers, floor(x) >= n iff x >= n)."""
        account_limit = get_failure_limit(request, credentials)
        rules = get_lockout_parameters(request, credentials)
        scaled = []
        for rule, attempts in zip(rules, self.get_user_attempts(request, credentials), strict=True):
            failures = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            limit = settings.SIGN_IN_ADDRESS_FAILURE_LIMIT if rule == "ip_address" else account_limit
            scaled.append(failures * account_limit // limit)
        return max(scaled, default=0)

    def reset_user_attempts(self, request, credentials=None) -> int:
        """After a successful sign-in, forget only that person's own failures from this address.

        Axes would delete every attempt matching any rule: all failures from this address, against
        any account. Anyone with an account of their own could then sign in between guesses to wipe
        the count on someone else's."""
        username = get_client_username(request, credentials)
        count, _ = AccessAttempt.objects.filter(username=username, ip_address=request.axes_ip_address).delete()
        return count


def within_limit(key: str, limit: int, *, window: int) -> bool:
    """Count one more event under `key`; True while the count in this window is at most `limit`.

    A fixed window of `window` seconds starts with the first event. add() creates the counter only
    if it is absent and incr() is atomic (in Redis and in local memory), so concurrent requests
    from several workers cannot both slip under the limit."""
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # the window ended between add() and incr()
        cache.add(key, 1, timeout=window)
        count = 1
    return count <= limit


def _digest(value: str) -> str:
    # Cache keys must be short and plain; an email address is neither (and stays out of Redis).
    return hashlib.sha256(value.strip().lower().encode()).hexdigest()


class PasswordResetForm(auth_forms.PasswordResetForm):
    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, **kwargs):
        """Send the reset email unless this address has had its share this hour."""
        key = f"password-reset:email:{_digest(to_email)}"
        if not within_limit(key, settings.PASSWORD_RESET_EMAILS_PER_ADDRESS, window=settings.PASSWORD_RESET_WINDOW):
            logger.warning("Password reset: email limit reached for user %s; not sent.", context["user"].pk)
            return
        super().send_mail(subject_template_name, email_template_name, context, from_email, to_email, **kwargs)


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset view, rate-limited per client address and (in the form) per target address.

    Over a limit, nothing is sent but the visitor goes to the same "Check your email" page as
    always: the response must not tell whether an address has an account, nor whether a limit
    was hit (which would tell the same thing, by counting)."""

    form_class = PasswordResetForm

    def form_valid(self, form):
        address = client_address(self.request) or "unknown"
        key = f"password-reset:client:{address}"
        if not within_limit(key, settings.PASSWORD_RESET_REQUESTS_PER_CLIENT, window=settings.PASSWORD_RESET_WINDOW):
            logger.warning("Password reset: request limit reached for client %s; nothing sent.", address)
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    def form_valid(self, form):
        """Set the new password and lift the account's sign-in lock.

        Whoever got here controls the account's email, and guesses at the old password are moot,
        so the locked-out page can honestly say "reset your password". Failures against other
        accounts stay, so an address that was trying many accounts stays locked."""
        response = super().form_valid(form)
        axes_reset(username=form.user.get_username())
        return response
