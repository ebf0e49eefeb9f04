"""Adding many memberships at once from a checked CSV file (`membership.imports`)."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from audit.services import audit_record
from partnerships.models import Partnership

from ..imports import import_applied, import_rows_check
from ..models import Membership, Person
from ..permissions import permissions_sync
from .memberships import _membership_build, _membership_save
from .people import person_create


@dataclass(frozen=True)
class ImportResult:
    memberships: list[Membership]
    people_created: int


class ImportAlreadyApplied(Exception):
    """The import with this token has been committed already; nothing was imported again."""


@transaction.atomic
def membership_import(
    *, actor, partnership: Partnership, rows: list[dict], file_name: str = "", token: str = ""
) -> ImportResult:
    """Add the memberships in `rows` (from `membership.imports.rows_from_upload`) all together or not at all.

    The rows are checked again here, inside the transaction, whatever the preview said: if any row
    has a problem a `ValidationError` names how many and nothing is written. New people are
    created as the rows describe; existing people are matched as the preview showed.

    `token` names the preview being confirmed: it is kept in the audit entry, and confirming the
    same preview again (a double click, a second tab) raises `ImportAlreadyApplied`."""
    # Imports to one partnership take turns: the second of two confirms waits here, then sees
    # the first one's audit entry and memberships (each statement reads what is committed).
    Partnership.objects.select_for_update().get(pk=partnership.pk)
    if token and import_applied(partnership=partnership, token=token):
        raise ImportAlreadyApplied("This import has already been applied.")
    checked = import_rows_check(partnership=partnership, rows=rows)
    bad = [row for row in checked if row.errors]
    if bad:
        raise ValidationError(
            f"{len(bad)} row{'s' if len(bad) != 1 else ''} of the file {'have' if len(bad) != 1 else 'has'} "
            "problems, so nothing was imported."
        )
    created_people: dict[str, Person] = {}
    memberships = []
    for row in checked:
        person = row.person
        if person is None:
            person = created_people.get(row.person_key)
        if person is None:
            person = person_create(
                actor=actor,
                partnership=partnership,
                given_name=row.values["given_name"],
                family_name=row.values["family_name"],
                honorific=row.values.get("honorific", ""),
                post_nominals=row.values.get("post_nominals", ""),
                email=row.values.get("email", ""),
            )
            created_people[row.person_key] = person
        try:
            membership = _membership_build(
                partnership=partnership,
                person=person,
                role=row.role,
                seat=row.values.get("seat", ""),
                organisation=row.organisation,
                sector=row.sector,
                is_voting=row.is_voting,
                start_date=row.start_date,
                end_date=row.end_date,
                end_reason=row.values.get("end_reason", ""),
            )
        except ValidationError as exc:
            raise ValidationError(f"Line {row.line}: {'; '.join(exc.messages)} Nothing was imported.") from exc
        _membership_save(membership, actor=actor, source=f"import of {file_name}, line {row.line}")
        memberships.append(membership)
    audit_record(
        actor=actor,
        action="membership.import.committed",
        obj=partnership,
        partnership=partnership,
        changes={
            "file": file_name,
            "memberships": len(memberships),
            "people_created": len(created_people),
            **({"token": token} if token else {}),
        },
    )
    permissions_sync(partnership)
    return ImportResult(memberships=memberships, people_created=len(created_people))
