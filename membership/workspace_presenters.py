"""Formatting for the secretariat workspace's pages."""

from dataclasses import dataclass

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
