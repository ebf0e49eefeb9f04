import shutil
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from partnerships.models import IntegratedCareBoard, IntegratedCareSystem, LocalAuthority, Region, SystemLocalAuthority
from partnerships.reference import REFERENCE_DIR


def test_loads_england(reference_data):
    assert Region.objects.count() == 7
    assert IntegratedCareSystem.objects.count() == 42
    assert IntegratedCareBoard.objects.count() == 42
    assert LocalAuthority.objects.count() == 153
    assert not IntegratedCareSystem.objects.filter(council_areas__isnull=True).exists()


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
    areas = SystemLocalAuthority.objects.filter(local_authority__name="Surrey County Council")
    shares = {a.ics.name: a.lsoa_share_pct for a in areas}
    assert shares == {"Surrey Heartlands": Decimal("86.8"), "Frimley": Decimal("13.2")}


def test_second_load_changes_nothing_and_says_so(reference_data, capsys):
    call_command("load_reference_data")
    out = capsys.readouterr().out
    assert "nothing changed" in out
    assert "systems: 0 created, 0 updated, 42 unchanged" in out


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
