"""Formatting for the secretariat workspace's pages."""

from dataclasses import dataclass

from core.dates import long_date, short_date
from core.urls import row_urls
from partnerships.models import Organisation

from .models import Membership

# Words for the audit log's dotted action names, as the audit trail shows them.
ACTION_LABELS = {
    "membership.person.created": "Person added",
    "membership.person.updated": "Person changed",
    "membership.membership.added": "Membership added",
    "membership.membership.ended": "Membership ended",
    "membership.chair.appointed": "Chair appointed",
    "membership.chair.ended": "Chair's term ended",
    "membership.interest.recorded": "Interest recorded",
    "membership.nil_return.recorded": "Nil return recorded",
    "membership.secretariat.assigned": "Secretariat assigned",
    "membership.secretariat.ended": "Secretariat assignment ended",
    "membership.partnership.updated": "Partnership details changed",
    "membership.import.committed": "Members imported from a file",
    "membership.invitation.sent": "Invitation to sign in sent",
    "membership.invitation.resent": "Invitation to sign in sent again",
    "membership.invitation.withdrawn": "Invitation to sign in withdrawn",
    "membership.invitation.accepted": "Invitation accepted: account created",
    "membership.account.deactivated": "Sign-in account deactivated",
    "membership.account.reactivated": "Sign-in account reactivated",
    "membership.partnership.created": "Partnership created",
    "membership.organisation.added": "Organisation added",
    "membership.organisation.updated": "Organisation changed",
    "membership.organisation.ended": "Organisation ended",
    "membership.interest.ended": "Interest ended",
}
# A person's fields that only those allowed to see their contact details may read, in the audit
# trail as on the person's page. The account name is often an email address.
PRIVATE_PERSON_FIELDS = frozenset({"email", "phone", "user"})


@dataclass(frozen=True)
class ChangeLine:
    field: str
    old: str | None  # None when the entry records a value, not a change
    new: str


def _field_label(name: str) -> str:
    return name.replace("_", " ").capitalize()


def _value(value) -> str:
    if value is None or value == "":
        return "(none)"
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return str(value)


def action_label(action: str) -> str:
    """The audit action in words: a known action's label, else the dotted name itself."""
    return ACTION_LABELS.get(action, action)


def audit_change_lines(changes: dict, withheld: frozenset[str] = frozenset()) -> list[ChangeLine]:
    """An audit snapshot as lines: {"field": [old, new]} becomes a change, any other value a
    recorded value. Keys keep the order the service wrote them in. The values of `withheld`
    fields are left out: the line says only that they changed, or were recorded."""
    lines = []
    for name, value in (changes or {}).items():
        changed = isinstance(value, list) and len(value) == 2
        if name in withheld:
            lines.append(
                ChangeLine(field=_field_label(name), old=None, new="changed (private)" if changed else "(private)")
            )
        elif changed:
            lines.append(ChangeLine(field=_field_label(name), old=_value(value[0]), new=_value(value[1])))
        else:
            lines.append(ChangeLine(field=_field_label(name), old=None, new=_value(value)))
    return lines


@dataclass(frozen=True)
class PrivateDetails:
    """What the secretariat sees of a person beyond their public record.

    Built by `private_details`: for a viewer who may not see the person's contact details the
    email, phone and account name are empty strings, so no template can show them by mistake."""

    shown: bool
    has_account: bool
    email: str = ""
    phone: str = ""
    account: str = ""


def private_details(person, *, shown: bool) -> PrivateDetails:
    """`person`'s private details as `PrivateDetails`, with their values only when `shown`."""
    has_account = person.user_id is not None
    if not shown:
        return PrivateDetails(shown=False, has_account=has_account)
    account = person.user.get_username() if has_account else ""
    return PrivateDetails(shown=True, has_account=has_account, email=person.email, phone=person.phone, account=account)


# The dashboard's members and reminders tables, written once in Python: a page of 50 members
# cost more in the template's tags and lookups than the rest of the page. A row shows what the
# dashboard shows of a member; the dashboard is the secretariat's, behind MANAGE.


# What `get_role_display` and `get_sector_display` write, looked up once a row.
_ROLES = dict(Membership.Role.choices)
_SECTORS = dict(Organisation.Sector.choices)


@dataclass(frozen=True)
class MemberRow:
    name: str
    url: str  # the person's page in the workspace
    seat: str  # "Member: Director of Public Health"
    is_voting: bool
    representing: str  # the organisation's name, else the sector
    start: str  # "1 Dec 2026"
    end: str  # empty for a term without an end
    end_url: str


def member_rows(memberships, slug: str) -> list[MemberRow]:
    """The rows of `memberships` (of the partnership `slug`, with their person and organisation
    read), as the dashboard's members table lists them."""
    person_url, end_url = row_urls("workspace:person"), row_urls("workspace:membership_end")
    rows = []
    for membership in memberships:
        person = membership.person
        role = _ROLES.get(membership.role, membership.role)
        rows.append(
            MemberRow(
                name=str(person),
                url=person_url(slug, person.slug),
                seat=f"{role}: {membership.seat}" if membership.seat else role,
                is_voting=membership.is_voting,
                representing=membership.organisation.name
                if membership.organisation
                else _SECTORS.get(membership.sector, membership.sector),
                start=short_date(membership.start_date),
                end=short_date(membership.end_date) if membership.end_date else "",
                end_url=end_url(slug, membership.pk),
            )
        )
    return rows


@dataclass(frozen=True)
class ReminderRow:
    name: str
    url: str  # the person's page in the workspace
    last_declared: str  # "1 December 2025", or "Never"
    interest_url: str
    nil_return_url: str


def reminder_rows(reminders, slug: str) -> list[ReminderRow]:
    """The rows of `reminders` (`selectors.InterestReminder`), as the dashboard lists them."""
    person_url, interest_url = row_urls("workspace:person"), row_urls("workspace:interest_add")
    nil_return_url = row_urls("workspace:nil_return_add")
    rows = []
    for reminder in reminders:
        person = reminder.person
        rows.append(
            ReminderRow(
                name=str(person),
                url=person_url(slug, person.slug),
                last_declared=long_date(reminder.last_declared_on) if reminder.last_declared_on else "Never",
                interest_url=interest_url(slug, person.slug),
                nil_return_url=nil_return_url(slug, person.slug),
            )
        )
    return rows
