"""Reference-data change sets: England's geography as it changes (ICB mergers, boundary
changes, council reorganisations, partnerships merging), one TOML file per change in
`reference_data/changes/`. See docs/reference-data.md for the format.

A change set says what ends, what starts, from when and on what source. Loading is all or
nothing: every file is read and checked first; then all are applied in date order in one
transaction, and a file that does not fit what is in the database (a system that does not
exist, a council ended on another date) raises `ReferenceDataError` naming the file, so
nothing is written. A change set is applied once: loading it again changes nothing, and a
file edited after it was loaded is refused (a loaded change is history; correct it with a
new change set).
"""

import datetime as dt
import hashlib
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.text import slugify

from .models import (
    ChangeSet,
    IntegratedCareBoard,
    IntegratedCareSystem,
    LocalAuthority,
    Organisation,
    Partnership,
    Region,
    Succession,
    SystemLocalAuthority,
)
from .reference import COUNCIL_CODE, ICB_CODE, ODS_CODE, REFERENCE_DIR, REGION_CODE, LoadReport, ReferenceDataError

CHANGES_DIR = REFERENCE_DIR / "changes"

TOP_KEYS = {"title", "effective_on", "source", "provisional", "systems", "councils", "partnerships"}
SECTIONS = {
    "systems": {"start", "end", "receive", "confirm"},
    "councils": {"start", "end", "create"},
    "partnerships": {"merge"},
}
ENTRY_KEYS = {
    ("systems", "start"): {
        "name",
        "slug",
        "region",
        "icb_name",
        "icb_ons_code",
        "icb_ods_code",
        "website",
        "provisional",
        "formed_from",
    },
    ("systems", "end"): {"system"},
    ("systems", "confirm"): {"system", "icb_ons_code", "icb_ods_code", "website", "provisional"},
    ("systems", "receive"): {"system", "from"},
    ("councils", "start"): {"council", "system", "share", "provisional"},
    ("councils", "end"): {"council", "system"},
    ("councils", "create"): {"ons_code", "name", "la_type", "replaces"},
    ("partnerships", "merge"): {"partnerships", "into"},
}


@dataclass
class ChangeFile:
    key: str
    path: Path
    checksum: str
    data: dict
    effective_on: dt.date = field(init=False)

    def __post_init__(self):
        self.effective_on = self.data["effective_on"]

    def fail(self, reason: str):
        raise ReferenceDataError(f"{self.path.name}: {reason}")

    @property
    def last_day_before(self) -> dt.date:
        return self.effective_on - dt.timedelta(days=1)

    def entries(self, section: str, kind: str) -> list[dict]:
        return self.data.get(section, {}).get(kind, [])


def _text(change: ChangeFile, entry: dict, key: str, where: str, required: bool = True) -> str:
    value = entry.get(key, "")
    if not isinstance(value, str):
        change.fail(f"{where}: '{key}' must be text in quotes")
    value = value.strip()
    if required and not value:
        change.fail(f"{where}: '{key}' is missing or empty")
    return value


def _check_structure(path: Path, data: dict) -> None:
    def fail(reason):
        raise ReferenceDataError(f"{path.name}: {reason}")

    unknown = set(data) - TOP_KEYS
    if unknown:
        fail(f"unknown field(s) {', '.join(sorted(unknown))}")
    for required in ("title", "effective_on", "source"):
        if required not in data:
            fail(f"'{required}' is missing")
    if not isinstance(data["effective_on"], dt.date) or isinstance(data["effective_on"], dt.datetime):
        fail("'effective_on' must be a date written as 2026-04-01, without quotes")
    for section, kinds in SECTIONS.items():
        if section not in data:
            continue
        if not isinstance(data[section], dict):
            fail(f"'{section}' must be a table such as [[{section}.{sorted(kinds)[0]}]]")
        unknown = set(data[section]) - kinds
        if unknown:
            fail(f"unknown list(s) {', '.join(f'{section}.{k}' for k in sorted(unknown))}")
        for kind, entries in data[section].items():
            if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
                fail(f"'{section}.{kind}' must be written as [[{section}.{kind}]] entries")
            for number, entry in enumerate(entries, start=1):
                unknown = set(entry) - ENTRY_KEYS[(section, kind)]
                if unknown:
                    fail(f"{section}.{kind} entry {number}: unknown field(s) {', '.join(sorted(unknown))}")


def read_change_files(directory: Path = CHANGES_DIR) -> list[ChangeFile]:
    """Every `*.toml` in `directory`, parsed and checked for shape, in the order they apply."""
    directory = Path(directory)
    if not directory.is_dir():
        return []
    changes = []
    for path in sorted(directory.glob("*.toml")):
        raw = path.read_bytes()
        try:
            data = tomllib.loads(raw.decode("utf-8"))
        except UnicodeDecodeError:
            raise ReferenceDataError(f"{path.name}: the file is not UTF-8 text") from None
        except tomllib.TOMLDecodeError as exc:
            raise ReferenceDataError(f"{path.name}: not valid TOML ({exc})") from None
        _check_structure(path, data)
        if slugify(path.stem) != path.stem:
            raise ReferenceDataError(
                f"{path.name}: name the file in lower case with hyphens, e.g. 2026-04-01-essex.toml"
            )
        changes.append(ChangeFile(path.stem, path, hashlib.sha256(raw).hexdigest(), data))
    changes.sort(key=lambda c: (c.effective_on, c.key))
    return changes


class _Applier:
    """Applies one change set to the database, checking each reference as it goes."""

    def __init__(self, change: ChangeFile, record: ChangeSet, report: LoadReport):
        self.change, self.record, self.report = change, record, report
        self.day = change.effective_on
        self.last_day = change.last_day_before

    def fail(self, reason):
        self.change.fail(reason)

    def system(self, slug, where) -> IntegratedCareSystem:
        system = IntegratedCareSystem.objects.filter(slug=slug).select_related("icb").first()
        if system is None:
            self.fail(f"{where}: no system '{slug}' (give the slug of a loaded system, or start it first)")
        return system

    def council(self, code, where) -> LocalAuthority:
        council = LocalAuthority.objects.filter(ons_code=code).first()
        if council is None:
            self.fail(f"{where}: no council with ONS code {code}")
        return council

    def end(self, obj, where, label):
        """End `obj` the day before the change; ending it again on the same day changes nothing."""
        if obj.valid_to == self.last_day:
            return
        if obj.valid_to is not None:
            self.fail(f"{where}: {label} already ended on {obj.valid_to:%-d %B %Y}")
        if obj.valid_from and obj.valid_from > self.last_day:
            self.fail(f"{where}: {label} starts on {obj.valid_from:%-d %B %Y}, after the change")
        obj.valid_to = self.last_day
        obj.save(update_fields=["valid_to"])

    def apply(self):
        self.create_councils()
        new_systems = self.start_systems()
        self.receive_areas()
        self.end_council_areas()
        self.end_systems()
        self.start_council_areas(new_systems)
        self.merge_partnerships()
        self.confirm_systems()

    def create_councils(self):
        types = set(LocalAuthority.Type.values)
        for number, entry in enumerate(self.change.entries("councils", "create"), start=1):
            where = f"councils.create entry {number}"
            code = _text(self.change, entry, "ons_code", where)
            if not COUNCIL_CODE.match(code):
                self.fail(f"{where}: {code!r} is not a council ONS code")
            la_type = _text(self.change, entry, "la_type", where)
            if la_type not in types:
                self.fail(f"{where}: la_type {la_type!r} is not one of {', '.join(sorted(types))}")
            if LocalAuthority.objects.filter(ons_code=code).exists():
                self.fail(f"{where}: a council with ONS code {code} already exists")
            new = LocalAuthority.objects.create(
                ons_code=code,
                name=_text(self.change, entry, "name", where),
                la_type=la_type,
                sector=Organisation.Sector.LOCAL_AUTHORITY,
                valid_from=self.day,
            )
            self.report.note("councils", "created")
            replaces = entry.get("replaces", [])
            if not isinstance(replaces, list):
                self.fail(f"{where}: 'replaces' must be a list of ONS codes")
            for old_code in replaces:
                old = self.council(old_code, where)
                shared = sum(old_code in e.get("replaces", []) for e in self.change.entries("councils", "create"))
                self.end(old, where, old.name)
                for area in old.system_areas.in_force(self.last_day):
                    self.end(area, where, f"{old.name} in {area.ics_id}")
                if shared == 1:
                    Organisation.objects.filter(pk=old.pk).update(successor=new)
                Succession.objects.create(
                    change=self.record, from_organisation=old, to_organisation=new, whole=shared == 1
                )

    def start_systems(self) -> set[str]:
        url = URLValidator(schemes=["http", "https"])
        started = set()
        for number, entry in enumerate(self.change.entries("systems", "start"), start=1):
            where = f"systems.start entry {number}"
            name = _text(self.change, entry, "name", where)
            slug = _text(self.change, entry, "slug", where, required=False) or slugify(name)
            region_code = _text(self.change, entry, "region", where)
            if not REGION_CODE.match(region_code):
                self.fail(f"{where}: region {region_code!r} is not a region ONS code")
            region = Region.objects.filter(ons_code=region_code).first()
            if region is None:
                self.fail(f"{where}: region {region_code} is not loaded")
            if IntegratedCareSystem.objects.filter(slug=slug).exists() or (
                IntegratedCareSystem.objects.filter(name=name).exists()
            ):
                self.fail(f"{where}: a system named '{name}' (slug '{slug}') already exists")
            ons_code = _text(self.change, entry, "icb_ons_code", where, required=False) or None
            ods_code = _text(self.change, entry, "icb_ods_code", where, required=False) or None
            if ons_code and not ICB_CODE.match(ons_code):
                self.fail(f"{where}: icb_ons_code {ons_code!r} is not an ICB ONS code")
            if ods_code and not ODS_CODE.match(ods_code):
                self.fail(f"{where}: icb_ods_code {ods_code!r} is not an ICB ODS code")
            for column, code in (("ons_code", ons_code), ("ods_code", ods_code)):
                if code and IntegratedCareBoard.objects.filter(**{column: code}).exists():
                    self.fail(f"{where}: another board already has the code {code}")
            website = _text(self.change, entry, "website", where, required=False)
            if website:
                try:
                    url(website)
                except ValidationError:
                    self.fail(f"{where}: website {website!r} is not a web address")
            note = _text(self.change, entry, "provisional", where, required=False)
            if not (ons_code and ods_code) and not note:
                self.fail(f"{where}: the board's codes are not given, so say why in 'provisional'")
            system = IntegratedCareSystem.objects.create(
                name=name, slug=slug, region=region, valid_from=self.day, provisional_note=note
            )
            board = IntegratedCareBoard.objects.create(
                name=_text(self.change, entry, "icb_name", where),
                sector=Organisation.Sector.ICB,
                ons_code=ons_code,
                ods_code=ods_code,
                website=website,
                ics=system,
                valid_from=self.day,
            )
            self.report.note("systems", "created")
            predecessors = entry.get("formed_from", [])
            if not isinstance(predecessors, list) or not predecessors:
                self.fail(f"{where}: 'formed_from' must list the systems it is formed from")
            for item in predecessors:
                self.succession(item, system, board, where)
            started.add(slug)
        return started

    def succession(self, item, system, board, where):
        if not isinstance(item, dict) or set(item) - {"system", "whole"} or "system" not in item:
            self.fail(f'{where}: each predecessor is written {{ system = "slug", whole = true }}')
        whole = item.get("whole", True)
        if not isinstance(whole, bool):
            self.fail(f"{where}: 'whole' must be true or false")
        before = self.system(item["system"], where)
        if before.pk == system.pk:
            self.fail(f"{where}: a system cannot succeed itself")
        Succession.objects.create(change=self.record, from_system=before, to_system=system, whole=whole)
        before_board = getattr(before, "icb", None)
        if before_board is not None and board is not None:
            Succession.objects.create(
                change=self.record, from_organisation=before_board, to_organisation=board, whole=whole
            )
            if whole:
                Organisation.objects.filter(pk=before_board.pk).update(successor=board)

    def receive_areas(self):
        for number, entry in enumerate(self.change.entries("systems", "receive"), start=1):
            where = f"systems.receive entry {number}"
            system = self.system(_text(self.change, entry, "system", where), where)
            if not system.in_force_on(self.day):
                self.fail(f"{where}: {system.name} is not in force on {self.day:%-d %B %Y}")
            items = entry.get("from", [])
            if not isinstance(items, list) or not items:
                self.fail(f"{where}: 'from' must list the systems whose area it receives")
            for item in items:
                self.succession(item, system, getattr(system, "icb", None), where)

    def end_council_areas(self):
        for number, entry in enumerate(self.change.entries("councils", "end"), start=1):
            where = f"councils.end entry {number}"
            council = self.council(_text(self.change, entry, "council", where), where)
            system = self.system(_text(self.change, entry, "system", where), where)
            areas = list(council.system_areas.filter(ics=system).in_force(self.last_day))
            if not areas and not council.system_areas.filter(ics=system, valid_to=self.last_day).exists():
                self.fail(f"{where}: {council.name} is not in {system.name} on {self.last_day:%-d %B %Y}")
            for area in areas:
                self.end(area, where, f"{council.name} in {system.name}")

    def end_systems(self):
        for number, entry in enumerate(self.change.entries("systems", "end"), start=1):
            where = f"systems.end entry {number}"
            system = self.system(_text(self.change, entry, "system", where), where)
            if not system.successions.exists():
                self.fail(f"{where}: say what becomes of {system.name}: name it in a successor's formed_from or from")
            self.end(system, where, system.name)
            board = getattr(system, "icb", None)
            if board is not None:
                self.end(board, where, board.name)
            for area in system.council_areas.in_force(self.last_day):
                self.end(area, where, f"{area.local_authority.name} in {system.name}")
            self.report.note("systems", "updated")

    def start_council_areas(self, new_systems):
        for number, entry in enumerate(self.change.entries("councils", "start"), start=1):
            where = f"councils.start entry {number}"
            council = self.council(_text(self.change, entry, "council", where), where)
            system = self.system(_text(self.change, entry, "system", where), where)
            if not system.in_force_on(self.day):
                self.fail(f"{where}: {system.name} is not in force on {self.day:%-d %B %Y}")
            if not council.in_force_on(self.day):
                self.fail(f"{where}: {council.name} is not in force on {self.day:%-d %B %Y}")
            try:
                share = Decimal(str(entry.get("share", 100)))
            except InvalidOperation:
                self.fail(f"{where}: 'share' is not a number")
            if not 0 < share <= 100:
                self.fail(f"{where}: 'share' {share} is not between 0 and 100")
            provisional = entry.get("provisional", False)
            if not isinstance(provisional, bool):
                self.fail(f"{where}: 'provisional' must be true or false")
            if council.system_areas.filter(ics=system).in_force(self.day).exists():
                self.fail(f"{where}: {council.name} is already in {system.name}; end that first (councils.end)")
            SystemLocalAuthority.objects.create(
                ics=system,
                local_authority=council,
                lsoa_share_pct=share,
                valid_from=self.day,
                provisional=provisional,
            )
            self.report.note("council areas", "created")
        for slug in new_systems:
            system = IntegratedCareSystem.objects.get(slug=slug)
            if not system.council_areas.exists():
                self.fail(f"systems.start: {system.name} has no councils (add councils.start entries)")

    def merge_partnerships(self):
        for number, entry in enumerate(self.change.entries("partnerships", "merge"), start=1):
            where = f"partnerships.merge entry {number}"
            into_slug = _text(self.change, entry, "into", where)
            into = Partnership.objects.filter(slug=into_slug).first()
            if into is None:
                self.fail(f"{where}: no partnership '{into_slug}'")
            slugs = entry.get("partnerships", [])
            if not isinstance(slugs, list) or not slugs:
                self.fail(f"{where}: 'partnerships' must list the partnerships that merge")
            for slug in slugs:
                before = Partnership.objects.filter(slug=slug).first()
                if before is None:
                    self.fail(f"{where}: no partnership '{slug}'")
                if before.pk == into.pk:
                    self.fail(f"{where}: a partnership cannot merge into itself")
                if before.ended_on and before.ended_on != self.last_day:
                    self.fail(f"{where}: {before.name} already ended on {before.ended_on:%-d %B %Y}")
                before.ended_on, before.successor = self.last_day, into
                before.save(update_fields=["ended_on", "successor"])
                Succession.objects.create(change=self.record, from_partnership=before, to_partnership=into)
                self.report.note("partnerships", "updated")

    def confirm_systems(self):
        """Codes published after a board was formed: filled in where they were unknown."""
        for number, entry in enumerate(self.change.entries("systems", "confirm"), start=1):
            where = f"systems.confirm entry {number}"
            system = self.system(_text(self.change, entry, "system", where), where)
            board = getattr(system, "icb", None)
            if board is None:
                self.fail(f"{where}: {system.name} has no board")
            for key, column, pattern in (
                ("icb_ons_code", "ons_code", ICB_CODE),
                ("icb_ods_code", "ods_code", ODS_CODE),
            ):
                code = _text(self.change, entry, key, where, required=False)
                if not code:
                    continue
                if not pattern.match(code):
                    self.fail(f"{where}: {key} {code!r} is not a valid code")
                if getattr(board, column) not in (None, code):
                    self.fail(f"{where}: {board.name} already has the code {getattr(board, column)}")
                if IntegratedCareBoard.objects.filter(**{column: code}).exclude(pk=board.pk).exists():
                    self.fail(f"{where}: another board already has the code {code}")
                setattr(board, column, code)
            website = _text(self.change, entry, "website", where, required=False)
            if website:
                board.website = website
            board.save()
            if not (board.ons_code and board.ods_code) and "provisional" not in entry:
                self.fail(f"{where}: codes are still missing, so say why in 'provisional'")
            system.provisional_note = _text(self.change, entry, "provisional", where, required=False)
            system.save(update_fields=["provisional_note"])
            self.report.note("systems", "updated")


def load_change_sets(directory: Path = CHANGES_DIR, report: LoadReport | None = None) -> LoadReport:
    """Apply every change set in `directory` not yet loaded, in date order, all or nothing."""
    report = report or LoadReport()
    changes = read_change_files(directory)
    loaded = {c.key: c for c in ChangeSet.objects.filter(key__in=[c.key for c in changes])}
    for change in changes:
        before = loaded.get(change.key)
        if before and before.checksum != change.checksum:
            change.fail(
                "this change set was loaded before and the file has been edited since. A loaded change is "
                "history: put the correction in a new change set file"
            )
    with transaction.atomic():
        for change in changes:
            if change.key in loaded:
                report.note("change sets", "unchanged")
                continue
            record = ChangeSet.objects.create(
                key=change.key,
                title=_text(change, change.data, "title", "the file"),
                effective_on=change.effective_on,
                source=_text(change, change.data, "source", "the file"),
                provisional_note=_text(change, change.data, "provisional", "the file", required=False),
                checksum=change.checksum,
            )
            _Applier(change, record, report).apply()
            report.note("change sets", "created")
    return report
