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
}


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


def audit_change_lines(changes: dict) -> list[ChangeLine]:
    """An audit snapshot as lines: {"field": [old, new]} becomes a change, any other value a
    recorded value. Keys keep the order the service wrote them in."""
    lines = []
    for name, value in (changes or {}).items():
        if isinstance(value, list) and len(value) == 2:
            lines.append(ChangeLine(field=_field_label(name), old=_value(value[0]), new=_value(value[1])))
        else:
            lines.append(ChangeLine(field=_field_label(name), old=None, new=_value(value)))
    return lines
