"""Emails about the strategy: to the chairs when a version is put to them, and to the
secretariat when the chairs decide or new evidence means the strategy is due for review.

Called by the Celery tasks in `strategy.tasks`, after the change that prompted them has
been committed. Each person gets their own message, so no one sees another's address.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.urls import reverse

from membership.permissions import CHAIRS, SECRETARIAT, users_holding

from .models import Approval, Strategy, StrategyVersion

User = get_user_model()
SIGN_OFF = f"\n\n—\n{settings.PORTAL_NAME}. You are receiving this because of your role on the partnership."


def _addresses(user_ids) -> list[str]:
    users = User.objects.filter(pk__in=user_ids, is_active=True).exclude(email="")
    return sorted(set(users.values_list("email", flat=True)))


def _send(recipients: list[str], subject: str, body: str) -> int:
    messages = [EmailMessage(subject, body + SIGN_OFF, None, [address]) for address in recipients]
    if not messages:
        return 0
    return get_connection().send_messages(messages)


def _url(name: str, *args) -> str:
    return settings.SITE_URL + reverse(name, args=args)


def submission_notify(*, version: StrategyVersion) -> int:
    """Ask the current chairs and co-chairs to review a submitted version."""
    partnership = version.strategy.partnership
    if version.status != StrategyVersion.Status.SUBMITTED:
        return 0  # changed again before the message went out: nothing to review any more
    body = (
        f"{version.label} of {partnership}'s integrated care strategy, “{version.title}”, has been "
        "submitted for your approval.\n\n"
        f"Review it, then approve it or ask for changes:\n{_url('strategy:review', partnership.slug, version.number)}"
    )
    if version.change_summary:
        body += f"\n\nWhat changed in this version:\n{version.change_summary}"
    subject = f"Strategy for approval: {partnership}, version {version.number}"
    return _send(_addresses(users_holding(partnership, CHAIRS)), subject, body)


def decision_notify(*, version: StrategyVersion) -> int:
    """Tell the secretariat that a version has been approved, or that changes were requested."""
    partnership = version.strategy.partnership
    link = _url("strategy:version", partnership.slug, version.number)
    if version.status == StrategyVersion.Status.APPROVED:
        subject = f"Strategy approved: {partnership}, version {version.number}"
        body = (
            f"Every chair and co-chair whose approval was needed has approved {version.label} of the "
            f"integrated care strategy, “{version.title}”. Once the partnership has adopted it at a "
            f"meeting, publish it:\n{link}"
        )
    elif version.status == StrategyVersion.Status.CHANGES_REQUESTED:
        requests = version.approvals.filter(
            voided_at__isnull=True, decision=Approval.Verdict.CHANGES_REQUESTED
        ).select_related("user__person")
        comments = "\n\n".join(f"{_name(row.user)}:\n{row.comment}" for row in requests)
        subject = f"Changes requested to the strategy: {partnership}, version {version.number}"
        body = (
            f"Changes have been requested to {version.label} of the integrated care strategy, "
            f"“{version.title}”.\n\n{comments}\n\nMake the changes and submit it again:\n{link}"
        )
    else:
        return 0
    return _send(_addresses(users_holding(partnership, SECRETARIAT)), subject, body)


def review_due_notify(*, strategy: Strategy) -> int:
    """Tell the secretariat that new evidence means the strategy is due for review."""
    partnership = strategy.partnership
    if not strategy.review_due:
        return 0
    subject = f"Integrated care strategy due for review: {partnership}"
    body = (
        f"{partnership}'s integrated care strategy is due for review.\n\n{strategy.review_reason}\n\n"
        "The partnership must keep its strategy under review and revise it when a new joint strategic "
        f"needs assessment arrives. Start a new draft from the strategy workspace:\n"
        f"{_url('strategy:workspace', partnership.slug)}"
    )
    return _send(_addresses(users_holding(partnership, SECRETARIAT)), subject, body)


def _name(user) -> str:
    person = getattr(user, "person", None)
    return person.display_name if person else (user.get_full_name() or user.get_username())
