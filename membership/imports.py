"""Bulk import of members from a CSV file: reading the upload, then checking every row.

Reading turns the file into plain rows (strings only, so they can wait in the session between
the preview and the confirmation) or refuses the whole file with one clear reason. Checking
resolves each row against the database (organisation, person, existing memberships) and
collects every problem per row and per column, so the preview can show them all at once.
`membership.services.membership_import` checks again at commit time.
"""

import codecs
import csv
import datetime as dt
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.timezone import localdate

from audit.models import AuditEvent
from core.dates import MEMBERSHIP_DATES, long_date
from partnerships.models import IntegratedCareBoard, LocalAuthority, Organisation, Partnership

from .models import Membership, Person
from .selectors import people_with_contact_details_shown_to, system_people

MAX_FILE_BYTES = 1024 * 1024
MAX_ROWS = 500
# More NUL bytes than this in the first 4 KB and the file is binary, not a text file with a stray one.
BINARY_NULS = 8


@dataclass(frozen=True)
class Column:
    name: str
    label: str
    required: bool
    description: str
    example: str
    max_length: int | None = None


COLUMNS = (
    Column("given_name", "Given name", True, "The person's first name.", "Amina", 100),
    Column("family_name", "Family name", True, "The person's last name.", "Okafor", 100),
    Column("honorific", "Honorific", False, "Cllr, Dr, Professor…", "Cllr", 30),
    Column("post_nominals", "Post-nominals", False, "OBE, MBE…", "OBE", 50),
    Column(
        "email",
        "Email",
        False,
        "Private. Matches a person this partnership added with this address; without one, the name is matched.",
        "amina.okafor@example.gov.uk",
        254,
    ),
    Column("role", "Role", False, "member, participant, observer or adviser. Blank means member.", "member", None),
    Column("seat", "Seat", False, "The seat held.", "Leader of the council", 200),
    Column(
        "organisation",
        "Organisation",
        False,
        "The body the seat represents: its name as the portal has it, or its ODS or ONS code.",
        "E06000047",
        None,
    ),
    Column(
        "sector",
        "Sector",
        False,
        "Blank means the organisation's sector. Needed when there is no organisation.",
        "local_authority",
        None,
    ),
    Column(
        "voting",
        "Voting",
        False,
        "yes or no. Blank means yes for members and participants, no for observers and advisers.",
        "yes",
        None,
    ),
    Column("start_date", "Start date", True, "YYYY-MM-DD or DD/MM/YYYY.", "2025-04-01", None),
    Column("end_date", "End date", False, "The last day of a seat that has ended or will end.", "", None),
    Column("end_reason", "Reason for leaving", False, "Needed when the end date has passed.", "", 300),
)
COLUMNS_BY_NAME = {c.name: c for c in COLUMNS}
REQUIRED_COLUMNS = tuple(c.name for c in COLUMNS if c.required)
# Headings people use in their own spreadsheets.
ALIASES = {
    "first_name": "given_name",
    "forename": "given_name",
    "last_name": "family_name",
    "surname": "family_name",
    "title": "honorific",
    "email_address": "email",
    "organization": "organisation",
    "ods_code": "organisation",
    "ons_code": "organisation",
    "is_voting": "voting",
    "start": "start_date",
    "end": "end_date",
}
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")
TRUE_WORDS = {"yes", "y", "true", "1", "voting"}
FALSE_WORDS = {"no", "n", "false", "0", "non-voting", "non voting", "nonvoting"}
ROLE_WORDS = {
    **{value: value for value in Membership.Role.values},
    **{label.lower(): value for value, label in Membership.Role.choices},
}


def _word(text: str) -> str:
    """A code or label as typed: case, punctuation and spacing do not matter."""
    return " ".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


SECTOR_WORDS = {
    **{_word(value): value for value in Organisation.Sector.values},
    **{_word(label): value for value, label in Organisation.Sector.choices},
}
VOTING_ROLES = (Membership.Role.MEMBER, Membership.Role.PARTICIPANT)


class ImportFileError(Exception):
    """The whole file is refused; the message says why and what to do."""


def _heading(text: str) -> str:
    name = text.strip().lower().replace(" ", "_").replace("-", "_")
    return ALIASES.get(name, name)


def rows_from_upload(upload) -> list[dict]:
    """Read an uploaded CSV file into rows: [{"line": n, "values": {column: text}, "extra": bool}].

    Raises `ImportFileError` for a file that is too big, empty, not CSV, not UTF-8, has unknown
    or missing columns, or has no rows or too many. Blank lines are skipped."""
    if upload.size > MAX_FILE_BYTES:
        raise ImportFileError(
            f"The file is larger than {MAX_FILE_BYTES // 1024 // 1024} MB. Split it into files of at most "
            f"{MAX_ROWS} members."
        )
    if not upload.name.lower().endswith(".csv"):
        raise ImportFileError("The file must be a CSV file (its name ends in .csv).")
    data = upload.read()
    if not data.strip():
        raise ImportFileError("The file is empty.")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ImportFileError(
            "The file is in the UTF-16 encoding, not UTF-8. "
            "In your spreadsheet, choose Save as and the format ‘CSV UTF-8 (comma delimited)’."
        )
    not_csv = ImportFileError(
        "The file is not a CSV file: it looks like a spreadsheet or another binary file. "
        "In your spreadsheet, choose Save as and the format ‘CSV UTF-8 (comma delimited)’."
    )
    # Spreadsheets, images and UTF-16 files without a byte-order mark have NUL bytes near the
    # start; a CSV file with one stray NUL is told which line it is on, below.
    head_nuls = data[:4096].count(b"\x00")
    if data.startswith(b"PK\x03\x04") or head_nuls > BINARY_NULS:
        raise not_csv
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if head_nuls:
            raise not_csv from None
        line = data[: exc.start].count(b"\n") + 1
        raise ImportFileError(
            f"The file is not in the UTF-8 encoding (the first problem is on line {line}). "
            "In your spreadsheet, choose Save as and the format ‘CSV UTF-8 (comma delimited)’."
        ) from None
    if "\x00" in text:
        # PostgreSQL cannot store NUL in text, and nobody types one: a damaged export left it.
        line = text[: text.index("\x00")].count("\n") + 1
        raise ImportFileError(
            f"Line {line} contains a character that is not allowed (a null character, often left by a "
            "damaged export). Delete it, or save the file again from your spreadsheet, and upload it again."
        )
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
        if not header or not any(h.strip() for h in header):
            raise ImportFileError("The first line of the file must name the columns, for example given_name.")
        columns = [_heading(h) for h in header]
        unknown = [h for h, c in zip(header, columns, strict=True) if c not in COLUMNS_BY_NAME]
        if unknown:
            raise ImportFileError(
                f"The file has column{'s' if len(unknown) > 1 else ''} this import does not know: "
                f"{', '.join(repr(u.strip()) for u in unknown)}. The columns are: "
                f"{', '.join(c.name for c in COLUMNS)}."
            )
        repeated = sorted({c for c in columns if columns.count(c) > 1})
        if repeated:
            raise ImportFileError(f"The file has more than one {', '.join(repeated)} column.")
        missing = [c for c in REQUIRED_COLUMNS if c not in columns]
        if missing:
            raise ImportFileError(f"The file has no {' or '.join(missing)} column; every row needs one.")
        rows = []
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) == MAX_ROWS:
                raise ImportFileError(
                    f"The file has more than {MAX_ROWS} members. Import at most {MAX_ROWS} at a time: split the file."
                )
            values = {name: (cells[i].strip() if i < len(cells) else "") for i, name in enumerate(columns)}
            extra = any(cell.strip() for cell in cells[len(columns) :])
            rows.append({"line": reader.line_num, "values": values, "extra": extra})
    except csv.Error as exc:
        raise ImportFileError(f"The file could not be read as CSV on line {reader.line_num}: {exc}.") from None
    if not rows:
        raise ImportFileError("The file names its columns but has no members in it.")
    return rows


@dataclass
class CheckedRow:
    """One row of the file, resolved against the database, with every problem found."""

    line: int
    values: dict[str, str]
    errors: dict[str, list[str]] = field(default_factory=dict)
    person: Person | None = None
    person_key: str = ""
    organisation: Organisation | None = None
    role: str = Membership.Role.MEMBER
    sector: str = ""
    is_voting: bool = True
    start_date: dt.date | None = None
    end_date: dt.date | None = None

    def add_error(self, column: str, message: str) -> None:
        self.errors.setdefault(column, []).append(message)

    @property
    def name(self) -> str:
        parts = [self.values.get(c, "") for c in ("honorific", "given_name", "family_name", "post_nominals")]
        return " ".join(p for p in parts if p) or "(no name)"

    @property
    def error_list(self) -> list[tuple[str, str]]:
        """(column label, message) pairs, in column order; '' for problems with the whole row."""
        pairs = [("", m) for m in self.errors.get("", [])]
        for column in COLUMNS:
            pairs += [(column.label, m) for m in self.errors.get(column.name, [])]
        return pairs


def _parse_date(text: str) -> dt.date | None:
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a date, not a moment
        except ValueError:
            continue
    return None


def _overlaps(start: dt.date, end: dt.date | None, other_start: dt.date, other_end: dt.date | None) -> bool:
    return (end is None or other_start <= end) and (other_end is None or other_end >= start)


class _Lookups:
    """Everything the rows refer to, loaded in a fixed number of queries."""

    def __init__(self, partnership: Partnership, rows: list[dict]):
        wanted = {r["values"].get("organisation", "") for r in rows} - {""}
        codes = {w.upper() for w in wanted}
        names = {w.lower() for w in wanted}
        self.by_code: dict[str, Organisation] = {}
        for icb in IntegratedCareBoard.objects.filter(Q(ods_code__in=codes) | Q(ons_code__in=codes)):
            self.by_code[icb.ods_code.upper()] = icb
            self.by_code[icb.ons_code.upper()] = icb
        for council in LocalAuthority.objects.filter(ons_code__in=codes):
            self.by_code[council.ons_code.upper()] = council
        self.by_name: dict[str, list[Organisation]] = {}
        for organisation in Organisation.objects.annotate(lower_name=Lower("name")).filter(lower_name__in=names):
            self.by_name.setdefault(organisation.lower_name, []).append(organisation)
        # Email addresses are matched only for the people whose contact details this partnership's
        # secretariat may see: matching anyone else's would tell the uploader whose address it is.
        shown = people_with_contact_details_shown_to(Partnership.objects.filter(pk=partnership.pk))
        self.contact_shown = set(shown.values_list("pk", flat=True))
        self.people_by_email: dict[str, list[Person]] = {}
        self.people_by_name: dict[tuple[str, str], list[Person]] = {}
        for person in system_people(partnership):
            if person.email and person.pk in self.contact_shown:
                self.people_by_email.setdefault(person.email.lower(), []).append(person)
            self.people_by_name.setdefault((person.given_name.lower(), person.family_name.lower()), []).append(person)
        self.terms: dict[int, list[tuple[dt.date, dt.date | None]]] = {}
        for person_id, start, end in Membership.objects.filter(partnership=partnership).values_list(
            "person_id", "start_date", "end_date"
        ):
            self.terms.setdefault(person_id, []).append((start, end))

    def organisation(self, text: str, on: dt.date | None) -> tuple[Organisation | None, str]:
        if text.upper() in self.by_code:
            return self.by_code[text.upper()], ""
        matches = self.by_name.get(text.lower(), [])
        if len(matches) > 1 and on:
            # A merged body and its successor can share a name; prefer the one that existed then.
            matches = [
                o for o in matches if (not o.valid_from or o.valid_from <= on) and (not o.valid_to or o.valid_to >= on)
            ] or matches
        if len(matches) == 1:
            return matches[0], ""
        if matches:
            return None, f"Several organisations are called ‘{text}’: use its ODS or ONS code instead."
        return None, (
            f"No organisation is called or coded ‘{text}’. Use its name as the portal has it, or its ODS or ONS code."
        )


def _check_names(row: CheckedRow) -> None:
    for column in COLUMNS:
        value = row.values.get(column.name, "")
        if column.max_length and len(value) > column.max_length:
            row.add_error(column.name, f"{column.label} must be at most {column.max_length} characters.")
    for name in ("given_name", "family_name"):
        if not row.values.get(name):
            row.add_error(name, f"Enter the {COLUMNS_BY_NAME[name].label.lower()}.")
    email = row.values.get("email", "")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            row.add_error("email", f"‘{email}’ is not an email address.")


def _check_seat(row: CheckedRow, lookups: _Lookups) -> None:
    role = row.values.get("role", "").lower()
    if role:
        if role in ROLE_WORDS:
            row.role = ROLE_WORDS[role]
        else:
            row.add_error(
                "role", f"‘{row.values['role']}’ is not a role: use member, participant, observer or adviser."
            )
    text = row.values.get("organisation", "")
    if text:
        row.organisation, problem = lookups.organisation(text, row.start_date)
        if problem:
            row.add_error("organisation", problem)
    sector = _word(row.values.get("sector", ""))
    if sector:
        if sector in SECTOR_WORDS:
            row.sector = SECTOR_WORDS[sector]
        else:
            row.add_error("sector", f"‘{row.values['sector']}’ is not a sector: see the list of sectors on this page.")
    elif row.organisation:
        row.sector = row.organisation.sector
    elif not text:
        row.add_error("sector", "Give the sector this seat represents, or the organisation.")
    voting = row.values.get("voting", "").lower()
    if not voting:
        row.is_voting = row.role in VOTING_ROLES
    elif voting in TRUE_WORDS:
        row.is_voting = True
    elif voting in FALSE_WORDS:
        row.is_voting = False
    else:
        row.add_error("voting", f"‘{row.values['voting']}’ is not yes or no.")


def _check_dates(row: CheckedRow, partnership: Partnership) -> None:
    for column in ("start_date", "end_date"):
        text = row.values.get(column, "")
        if not text:
            if column == "start_date":
                row.add_error(column, "Enter the start date.")
            continue
        value = _parse_date(text)
        if value is None:
            row.add_error(
                column, f"‘{text}’ is not a date: write it as YYYY-MM-DD or DD/MM/YYYY, for example 2025-04-01."
            )
        elif problem := MEMBERSHIP_DATES.problem(value):
            row.add_error(column, problem)
            value = None
        setattr(row, column, value)
    if row.start_date and row.end_date and row.end_date < row.start_date:
        row.add_error("end_date", "The end date must be on or after the start date.")
    if row.end_date and row.end_date < localdate() and not row.values.get("end_reason"):
        row.add_error("end_reason", "Give the reason this past membership ended.")
    if row.start_date and partnership.ended_on and row.start_date > partnership.ended_on:
        row.add_error("start_date", f"The partnership ended on {long_date(partnership.ended_on)}.")


def _check_organisation_on_start(row: CheckedRow) -> None:
    organisation = row.organisation
    if organisation and row.start_date:
        if organisation.valid_to and organisation.valid_to < row.start_date:
            row.add_error("organisation", f"{organisation} ceased on {long_date(organisation.valid_to)}.")
        elif organisation.valid_from and organisation.valid_from > row.start_date:
            row.add_error("organisation", f"{organisation} comes into being on {long_date(organisation.valid_from)}.")


def _check_person(row: CheckedRow, lookups: _Lookups) -> None:
    given, family = row.values.get("given_name", "").lower(), row.values.get("family_name", "").lower()
    email = row.values.get("email", "").lower()
    named = lookups.people_by_name.get((given, family), [])
    # An email address, when given, decides among the people whose contact details this
    # secretariat may see; a name alone is matched only without one.
    matches = lookups.people_by_email.get(email, []) if email else named
    if len(matches) > 1:
        if email:
            advice = "ask an administrator to merge them."
        elif any(p.pk not in lookups.contact_shown for p in matches):
            # An email address would not tell them apart: some of theirs are private.
            advice = "choose the right one by adding the membership by hand."
        else:
            advice = "add their email address to say which."
        how = "use" if email else "are called"
        row.add_error("" if email else "email", f"Several people in this system {how} {email or row.name}: {advice}")
        return
    if not matches and email and any(p.pk not in lookups.contact_shown for p in named):
        # Someone of this name whose contact details are private to another partnership may be
        # the same person. Their address is never compared, so the answer is the same whatever
        # address the file gives: ask rather than guess (or add a duplicate).
        row.add_error(
            "email",
            f"Someone called {row.name} is already in this system, with contact details private to another "
            "partnership. To give them a seat, leave this email address out (the name is then matched) or "
            "add the membership by hand.",
        )
        return
    if matches:
        row.person = matches[0]
        row.person_key = f"person:{row.person.pk}"
    elif email:
        row.person_key = f"email:{email}"
    else:
        row.person_key = f"name:{given}|{family}"


def import_rows_check(*, partnership: Partnership, rows: list[dict]) -> list[CheckedRow]:
    """Check every row of an import against the database and against the other rows.

    Problems are collected per row and per column: a missing name, a bad date, an unknown or
    ambiguous organisation or sector, a person who already has a membership of the partnership
    for some of the dates, or the same person twice with overlapping dates. A fixed number
    of queries, whatever the number of rows."""
    lookups = _Lookups(partnership, rows)
    checked = []
    seen: dict[str, list[tuple[int, dt.date, dt.date | None]]] = {}
    for raw in rows:
        row = CheckedRow(line=raw["line"], values=dict(raw["values"]))
        if raw.get("extra"):
            row.add_error("", "This row has more values than the file has columns.")
        _check_names(row)
        _check_dates(row, partnership)
        _check_seat(row, lookups)
        _check_organisation_on_start(row)
        _check_person(row, lookups)
        if row.start_date and row.person_key and not (row.end_date and row.end_date < row.start_date):
            if row.person:
                for start, end in lookups.terms.get(row.person.pk, []):
                    if _overlaps(row.start_date, row.end_date, start, end):
                        until = f" to {long_date(end)}" if end else ""
                        row.add_error(
                            "",
                            f"{row.person} already has a membership of this partnership "
                            f"from {long_date(start)}{until}.",
                        )
                        break
            for line, start, end in seen.get(row.person_key, []):
                if _overlaps(row.start_date, row.end_date, start, end):
                    row.add_error("", f"Line {line} is the same person for some of the same dates.")
                    break
            seen.setdefault(row.person_key, []).append((row.line, row.start_date, row.end_date))
        checked.append(row)
    return checked


def import_applied(*, partnership: Partnership, token: str) -> bool:
    """Whether the import previewed under `token` has been committed (its audit entry says so)."""
    if not (token.isascii() and token.isalnum()):
        return False  # not a token we issued (and PostgreSQL cannot compare text holding NUL)
    return AuditEvent.objects.filter(
        partnership=partnership, action="membership.import.committed", changes__token=token
    ).exists()
