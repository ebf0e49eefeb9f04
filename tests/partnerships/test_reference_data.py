import datetime as dt
import shutil
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from partnerships.models import (
    ChangeSet,
    IntegratedCareBoard,
    IntegratedCareSystem,
    LocalAuthority,
    Region,
    Succession,
    SystemLocalAuthority,
)
from partnerships.reference import REFERENCE_DIR

BEFORE_MERGERS = dt.date(2025, 3, 31)
AFTER_MERGERS = dt.date(2026, 4, 1)


def test_loads_england(reference_data):
    assert Region.objects.count() == 7
    assert IntegratedCareSystem.objects.in_force(BEFORE_MERGERS).count() == 42
    assert IntegratedCareBoard.objects.in_force(BEFORE_MERGERS).count() == 42
    assert LocalAuthority.objects.count() == 153
    assert not IntegratedCareSystem.objects.filter(council_areas__isnull=True).exists()
    # The systems were set up on 1 July 2022: none is in force before.
    assert not IntegratedCareSystem.objects.in_force(dt.date(2022, 6, 30)).exists()


def test_the_changes_of_1_april_2026_are_applied(reference_data):
    assert ChangeSet.objects.count() == 7
    assert IntegratedCareSystem.objects.in_force(AFTER_MERGERS).count() == 36
    assert IntegratedCareSystem.objects.in_force().count() == 36
    ended = set(IntegratedCareSystem.objects.filter(valid_to=dt.date(2026, 3, 31)).values_list("slug", flat=True))
    assert "frimley" in ended and "surrey-heartlands" in ended and "hampshire-and-isle-of-wight" not in ended
    new = IntegratedCareSystem.objects.filter(valid_from=AFTER_MERGERS)
    assert set(new.values_list("name", flat=True)) >= {
        "Norfolk and Suffolk",
        "Essex",
        "Surrey and Sussex",
        "Thames Valley",
    }
    # Codes not found in the sources are left empty and the system says why, never invented.
    for ics in new.select_related("icb"):
        assert ics.icb.ons_code is None and ics.icb.ods_code is None
        assert ics.provisional_note
    became = Succession.objects.filter(from_system__slug="frimley").values_list("to_system__name", "whole")
    assert set(became) == {
        ("Hampshire and Isle of Wight", False),
        ("Surrey and Sussex", False),
        ("Thames Valley", False),
    }


def test_every_council_has_all_its_area_in_systems_before_and_after(reference_data):
    """Shares of each council add up to 100% on both sides of the changes (none lost or doubled)."""
    for day in (BEFORE_MERGERS, AFTER_MERGERS):
        totals = {}
        for area in SystemLocalAuthority.objects.in_force(day):
            totals[area.local_authority_id] = totals.get(area.local_authority_id, 0) + area.lsoa_share_pct
        assert len(totals) == 153
        assert set(totals.values()) == {Decimal(100)}, day


def test_hampshire_is_wholly_in_hampshire_and_isle_of_wight_after_frimley(reference_data):
    hampshire = LocalAuthority.objects.get(name="Hampshire County Council")
    before = {(a.ics.name, a.lsoa_share_pct) for a in hampshire.system_areas.in_force(BEFORE_MERGERS)}
    after = {(a.ics.name, a.lsoa_share_pct) for a in hampshire.system_areas.in_force(AFTER_MERGERS)}
    assert before == {("Hampshire and Isle of Wight", Decimal("87.9")), ("Frimley", Decimal("12.1"))}
    assert after == {("Hampshire and Isle of Wight", Decimal("100.0"))}


def test_every_council_is_an_organisation_with_a_type(reference_data):
    council = LocalAuthority.objects.get(ons_code="E06000053")
    assert council.name == "Council of the Isles of Scilly"
    assert council.la_type == LocalAuthority.Type.SUI_GENERIS
    assert council.sector == "local_authority"


def test_north_east_and_north_cumbria_has_its_fourteen_councils(reference_data):
    nenc = IntegratedCareSystem.objects.get(slug="north-east-and-north-cumbria")
    names = set(nenc.local_authorities.values_list("name", flat=True))
    assert len(names) == 14
    assert {"Cumberland Council", "Westmorland and Furness Council", "Durham County Council"} <= names
    assert nenc.icb.ods_code == "QHM"
    assert nenc.region.name == "North East and Yorkshire"


def test_a_council_in_two_systems_carries_its_shares(reference_data):
    areas = SystemLocalAuthority.objects.in_force(BEFORE_MERGERS).filter(local_authority__name="Surrey County Council")
    shares = {a.ics.name: a.lsoa_share_pct for a in areas}
    assert shares == {"Surrey Heartlands": Decimal("86.8"), "Frimley": Decimal("13.2")}


def test_second_load_changes_nothing_and_says_so(reference_data, capsys):
    call_command("load_reference_data")
    out = capsys.readouterr().out
    assert "nothing changed" in out
    assert "systems: 0 created, 0 updated, 42 unchanged" in out
    assert "change sets: 0 created, 0 updated, 7 unchanged" in out


def test_load_repairs_an_edited_row(reference_data, capsys):
    IntegratedCareBoard.objects.filter(ods_code="QHM").update(website="https://wrong.example/")
    call_command("load_reference_data")
    assert "integrated care boards: 0 created, 1 updated, 41 unchanged" in capsys.readouterr().out
    assert IntegratedCareBoard.objects.get(ods_code="QHM").website != "https://wrong.example/"


@pytest.fixture
def reference_copy(tmp_path):
    for path in REFERENCE_DIR.glob("*.csv"):
        shutil.copy(path, tmp_path / path.name)
    return tmp_path


def _corrupt(path, line_number, old, new):
    lines = path.read_text().splitlines(keepends=True)
    assert old in lines[line_number - 1]
    lines[line_number - 1] = lines[line_number - 1].replace(old, new)
    path.write_text("".join(lines))


@pytest.mark.django_db
def test_bad_row_names_file_and_line_and_loads_nothing(reference_copy):
    _corrupt(reference_copy / "local_authorities.csv", 5, ",unitary,", ",parish,")
    with pytest.raises(CommandError) as error:
        call_command("load_reference_data", directory=reference_copy)
    assert "local_authorities.csv, line 5" in str(error.value)
    assert "parish" in str(error.value)
    assert Region.objects.count() == 0
    assert IntegratedCareSystem.objects.count() == 0


@pytest.mark.django_db
def test_unknown_icb_reference_is_refused(reference_copy):
    _corrupt(reference_copy / "local_authorities.csv", 2, "E54000050", "E54999999")
    with pytest.raises(CommandError, match=r"line 2: ICB E54999999 is not in icbs.csv"):
        call_command("load_reference_data", directory=reference_copy)
    assert LocalAuthority.objects.count() == 0


@pytest.mark.django_db
def test_missing_column_is_refused(reference_copy):
    (reference_copy / "nhs_regions.csv").write_text("code,name\nE40000003,London\n")
    with pytest.raises(CommandError, match=r"nhs_regions.csv, line 1: missing column\(s\) ons_code"):
        call_command("load_reference_data", directory=reference_copy)


@pytest.mark.django_db
def test_missing_file_is_refused(reference_copy):
    (reference_copy / "icbs.csv").unlink()
    with pytest.raises(CommandError, match="icbs.csv: file not found"):
        call_command("load_reference_data", directory=reference_copy)
