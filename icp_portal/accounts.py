"""Signing in and resetting a password, hardened against guessing and mail bombing.

- `client_address` (core.limits, named in AXES_CLIENT_IP_CALLABLE): the visitor's address, behind
  as many reverse proxies as we trust.
- `SignInLockoutHandler`: django-axes with one limit per rule (per account, per address).
- `PasswordResetView`: Django's, with reset emails rate-limited per target address and per client.
- `PasswordResetConfirmView`: Django's, lifting the account's sign-in lock once a new password is set.
"""

import hashlib
import logging

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit, get_lockout_parameters
from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.db.models import Sum
from django.http import HttpResponseRedirect

from core.limits import client_address, within_limit

logger = logging.getLogger(__name__)


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
