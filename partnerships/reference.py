"""Load England's health and care geography from the CSV files shipped in
`partnerships/reference_data/` (sources in SOURCES.md there).

The load is all or nothing: every file is read and checked first, and a bad row
raises `ReferenceDataError` naming the file, line and reason before anything is
written. Loading twice changes nothing the second time.
"""

import csv
import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.text import slugify

from .models import (
    IntegratedCareBoard,
    IntegratedCareSystem,
    LocalAuthority,
    Organisation,
    Region,
    SystemLocalAuthority,
)

REFERENCE_DIR = Path(__file__).resolve().parent / "reference_data"

REGION_CODE = re.compile(r"^E40\d{6}$")
ICB_CODE = re.compile(r"^E54\d{6}$")
ODS_CODE = re.compile(r"^Q[A-Z0-9]{2}$")
COUNCIL_CODE = re.compile(r"^E(06|08|09|10)\d{6}$")

# The ICBs, and so the statutory systems, were set up on 1 July 2022 when the CCGs were
# abolished (SOURCES.md, "Known changes"). Later changes come from change sets (changes.py).
SYSTEMS_ESTABLISHED = dt.date(2022, 7, 1)


class ReferenceDataError(Exception):
    """A problem with a reference file, located to the file and line."""


@dataclass
class LoadReport:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)

    @property
    def changed(self) -> bool:
        return bool(sum(self.created.values()) or sum(self.updated.values()))

    def note(self, kind: str, outcome: str) -> None:
        getattr(self, outcome)[kind] += 1


@dataclass
class _Row:
    file: str
    line: int
    values: dict

    def fail(self, reason: str):
        raise ReferenceDataError(f"{self.file}, line {self.line}: {reason}")

    def get(self, column: str, pattern: re.Pattern | None = None, required: bool = True) -> str:
        value = (self.values.get(column) or "").strip()
        if required and not value:
            self.fail(f"'{column}' is empty")
        if value and pattern and not pattern.match(value):
            self.fail(f"'{column}' is {value!r}, which is not a valid code")
        return value


def _read(directory: Path, name: str, columns: list[str]) -> list[_Row]:
    path = directory / name
    if not path.exists():
        raise ReferenceDataError(f"{name}: file not found in {directory}")
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in columns if c not in (reader.fieldnames or [])]
        if missing:
            raise ReferenceDataError(f"{name}, line 1: missing column(s) {', '.join(missing)}")
        rows = []
        for values in reader:
            if None in values:
                raise ReferenceDataError(f"{name}, line {reader.line_num}: more fields than the header has")
            rows.append(_Row(name, reader.line_num, values))
        return rows


def _save(instance, fields: dict, report: LoadReport, kind: str) -> None:
    """Create or update `instance` with `fields`, writing only when something differs."""
    if instance.pk is None:
        for name, value in fields.items():
            setattr(instance, name, value)
        instance.save()
        report.note(kind, "created")
        return
    changed = [name for name, value in fields.items() if getattr(instance, name) != value]
    if changed:
        for name in changed:
            setattr(instance, name, fields[name])
        instance.save()
        report.note(kind, "updated")
    else:
        report.note(kind, "unchanged")


def _parse(directory: Path):
    """Read and check every file; return plain data or raise ReferenceDataError."""
    regions = {}
    for row in _read(directory, "nhs_regions.csv", ["ons_code", "name"]):
        code = row.get("ons_code", REGION_CODE)
        if code in regions:
            row.fail(f"region {code} appears twice")
        regions[code] = {"name": row.get("name")}

    url = URLValidator(schemes=["http", "https"])
    icbs = {}
    columns = ["ons_code", "ods_code", "name", "short_name", "region_ons_code", "website"]
    for row in _read(directory, "icbs.csv", columns):
        code = row.get("ons_code", ICB_CODE)
        if code in icbs:
            row.fail(f"ICB {code} appears twice")
        region = row.get("region_ons_code", REGION_CODE)
        if region not in regions:
            row.fail(f"region {region} is not in nhs_regions.csv")
        website = row.get("website", required=False)
        if website:
            try:
                url(website)
            except ValidationError:
                row.fail(f"website {website!r} is not a web address")
        icbs[code] = {
            "ods_code": row.get("ods_code", ODS_CODE),
            "name": row.get("name"),
            "short_name": row.get("short_name"),
            "region": region,
            "website": website,
        }

    councils, areas = {}, {}
    types = set(LocalAuthority.Type.values)
    for row in _read(directory, "local_authorities.csv", ["ons_code", "name", "la_type", "icb_ons_code"]):
        code = row.get("ons_code", COUNCIL_CODE)
        la_type = row.get("la_type")
        if la_type not in types:
            row.fail(f"la_type {la_type!r} is not one of {', '.join(sorted(types))}")
        icb = row.get("icb_ons_code", ICB_CODE)
        if icb not in icbs:
            row.fail(f"ICB {icb} is not in icbs.csv")
        name = row.get("name")
        if code in councils and councils[code] != {"name": name, "la_type": la_type}:
            row.fail(f"council {code} is described differently on another line")
        if (code, icb) in areas:
            row.fail(f"council {code} is listed twice for ICB {icb}")
        councils[code] = {"name": name, "la_type": la_type}
        areas[(code, icb)] = Decimal(100)

    columns = ["ons_code", "icb_ons_code", "lsoa_share_pct"]
    for row in _read(directory, "local_authority_icb_splits.csv", columns):
        key = (row.get("ons_code", COUNCIL_CODE), row.get("icb_ons_code", ICB_CODE))
        if key not in areas:
            row.fail(f"council {key[0]} in ICB {key[1]} is not in local_authorities.csv")
        try:
            share = Decimal(row.get("lsoa_share_pct"))
        except InvalidOperation:
            row.fail("lsoa_share_pct is not a number")
        if not 0 < share <= 100:
            row.fail(f"lsoa_share_pct {share} is not between 0 and 100")
        areas[key] = share
    return regions, icbs, councils, areas


def load_reference_data(directory: Path = REFERENCE_DIR, *, changes: Path | None = None) -> LoadReport:
    """Load (or bring up to date) regions, systems, ICBs and councils as of 2023–2025, then
    apply the change sets in `changes` (by default the `changes/` folder beside the CSV files;
    pass a folder with no change sets to load the base map alone)."""
    from .changes import load_change_sets, read_change_files

    directory = Path(directory)
    regions, icbs, councils, areas = _parse(directory)
    changes = directory / "changes" if changes is None else Path(changes)
    read_change_files(changes)  # checked before anything is written
    report = LoadReport()
    with transaction.atomic():
        _load_base(regions, icbs, councils, areas, report)
        load_change_sets(changes, report)
    return report


def _load_base(regions, icbs, councils, areas, report: LoadReport) -> None:
    region_by_code = {r.ons_code: r for r in Region.objects.all()}
    for code, data in regions.items():
        region = region_by_code.get(code) or Region(ons_code=code)
        _save(region, {"name": data["name"], "slug": slugify(data["name"])}, report, "regions")
        region_by_code[code] = region

    icb_by_code = {i.ons_code: i for i in IntegratedCareBoard.objects.select_related("ics")}
    system_by_icb = {}
    for code, data in icbs.items():
        icb = icb_by_code.get(code)
        ics = icb.ics if icb else IntegratedCareSystem()
        fields = {
            "name": data["short_name"],
            "slug": slugify(data["short_name"]),
            "region": region_by_code[data["region"]],
            "valid_from": SYSTEMS_ESTABLISHED,
        }
        _save(ics, fields, report, "systems")
        icb = icb or IntegratedCareBoard(ons_code=code)
        fields = {
            "name": data["name"],
            "ods_code": data["ods_code"],
            "sector": Organisation.Sector.ICB,
            "website": data["website"],
            "ics": ics,
            "valid_from": SYSTEMS_ESTABLISHED,
        }
        _save(icb, fields, report, "integrated care boards")
        system_by_icb[code] = ics

    council_by_code = {c.ons_code: c for c in LocalAuthority.objects.all()}
    for code, data in councils.items():
        council = council_by_code.get(code) or LocalAuthority(ons_code=code)
        fields = {"name": data["name"], "la_type": data["la_type"], "sector": Organisation.Sector.LOCAL_AUTHORITY}
        _save(council, fields, report, "local authorities")
        council_by_code[code] = council

    # The base map's rows have no start date; rows started by change sets are theirs.
    existing = {
        (a.local_authority_id, a.ics_id): a for a in SystemLocalAuthority.objects.filter(valid_from__isnull=True)
    }
    for (council_code, icb_code), share in areas.items():
        council, ics = council_by_code[council_code], system_by_icb[icb_code]
        area = existing.get((council.pk, ics.pk)) or SystemLocalAuthority(local_authority=council, ics=ics)
        _save(area, {"lsoa_share_pct": share}, report, "council areas")
