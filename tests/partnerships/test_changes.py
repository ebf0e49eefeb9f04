"""Change sets: a merger of two ICBs and a council's area moving, loaded from a file; England
as it is today and as it was before; history links; records staying with their bodies."""

import datetime as dt
import textwrap
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from meetings.factories import MeetingFactory
from partnerships.changes import load_change_sets
from partnerships.factories import (
    IntegratedCareSystemFactory,
    LocalAuthorityFactory,
    PartnershipFactory,
    RegionFactory,
    SystemLocalAuthorityFactory,
)
from partnerships.models import (
    ChangeSet,
    IntegratedCareBoard,
    IntegratedCareSystem,
    Partnership,
    Succession,
    SystemLocalAuthority,
)
from partnerships.reference import ReferenceDataError

TODAY = timezone.localdate()
CHANGE_DAY = TODAY - dt.timedelta(days=100)
BEFORE = CHANGE_DAY - dt.timedelta(days=10)

MERGER = """
title = "Aville and Beeton ICB formed"
effective_on = {day}
source = "Test announcement"
provisional = "The new board's codes are not yet known."

[[systems.start]]
name = "Aville and Beeton"
region = "{region}"
icb_name = "NHS Aville and Beeton Integrated Care Board"
provisional = "The board's ONS and ODS codes are not yet known."
formed_from = [
  {{ system = "aville", whole = true }},
  {{ system = "beeton", whole = true }},
  {{ system = "ceeford", whole = false }},
]

[[systems.end]]
system = "aville"

[[systems.end]]
system = "beeton"

# The Ceeford part of Split Borough moves to the new system, which then has all of it.
[[councils.end]]
council = "{split}"
system = "ceeford"

[[councils.end]]
council = "{split}"
system = "aville"

[[councils.start]]
council = "{split}"
system = "aville-and-beeton"

[[councils.start]]
council = "{aville_council}"
system = "aville-and-beeton"

[[councils.start]]
council = "{beeton_council}"
system = "aville-and-beeton"
share = 99.5
provisional = true

[[partnerships.merge]]
partnerships = ["beeton-icp"]
into = "aville-icp"
"""


@pytest.fixture
def world(db):
    """Three systems in one region: Aville and Beeton (to merge) and Ceeford (continuing).
    Split Borough lies 70% in Ceeford and 30% in Aville. Each of Aville and Beeton has its
    statutory ICP with a meeting held before the merger."""
    region = RegionFactory(name="Test Region")
    aville = IntegratedCareSystemFactory(name="Aville", region=region, valid_from=dt.date(2022, 7, 1))
    beeton = IntegratedCareSystemFactory(name="Beeton", region=region, valid_from=dt.date(2022, 7, 1))
    ceeford = IntegratedCareSystemFactory(name="Ceeford", region=region, valid_from=dt.date(2022, 7, 1))
    aville_council = LocalAuthorityFactory(name="Aville County Council", ons_code="E10000901")
    beeton_council = LocalAuthorityFactory(name="Beeton City Council", ons_code="E06000901")
    ceeford_council = LocalAuthorityFactory(name="Ceeford Council", ons_code="E06000902")
    split = LocalAuthorityFactory(name="Split Borough Council", ons_code="E06000903")
    SystemLocalAuthorityFactory(ics=aville, local_authority=aville_council)
    SystemLocalAuthorityFactory(ics=beeton, local_authority=beeton_council)
    SystemLocalAuthorityFactory(ics=ceeford, local_authority=ceeford_council)
    SystemLocalAuthorityFactory(ics=ceeford, local_authority=split, lsoa_share_pct=Decimal("70.0"))
    SystemLocalAuthorityFactory(ics=aville, local_authority=split, lsoa_share_pct=Decimal("30.0"))
    aville_icp = PartnershipFactory(ics=aville, name="Aville ICP", slug="aville-icp")
    beeton_icp = PartnershipFactory(ics=beeton, name="Beeton ICP", slug="beeton-icp")
    held = dt.datetime.combine(BEFORE, dt.time(14), tzinfo=dt.UTC)
    aville_meeting = MeetingFactory(partnership=aville_icp, title="Aville board", starts_at=held)
    beeton_meeting = MeetingFactory(partnership=beeton_icp, title="Beeton board", starts_at=held)
    return locals()


def write(directory, name, text):
    directory.mkdir(exist_ok=True)
    (directory / name).write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")


@pytest.fixture
def merged(world, tmp_path):
    changes = tmp_path / "changes"
    write(
        changes,
        f"{CHANGE_DAY:%Y-%m-%d}-aville-and-beeton.toml",
        MERGER.format(
            day=CHANGE_DAY.isoformat(),
            region=world["region"].ons_code,
            split=world["split"].ons_code,
            aville_council=world["aville_council"].ons_code,
            beeton_council=world["beeton_council"].ons_code,
        ),
    )
    load_change_sets(changes)
    world["changes"] = changes
    world["new"] = IntegratedCareSystem.objects.get(slug="aville-and-beeton")
    for key in ("aville", "beeton", "ceeford", "aville_icp", "beeton_icp"):
        world[key].refresh_from_db()
    return world


def page(client, url, on=None):
    response = client.get(url, {"on": on.isoformat()} if on else {})
    assert response.status_code == 200
    return response.content.decode()


# The model ----------------------------------------------------------------------------------


def test_the_merger_ends_the_old_systems_and_boards_and_starts_the_new(merged):
    last_day = CHANGE_DAY - dt.timedelta(days=1)
    assert merged["aville"].valid_to == merged["beeton"].valid_to == last_day
    assert merged["ceeford"].valid_to is None
    assert set(IntegratedCareSystem.objects.in_force(BEFORE).values_list("name", flat=True)) == {
        "Aville",
        "Beeton",
        "Ceeford",
    }
    assert set(IntegratedCareSystem.objects.in_force(TODAY).values_list("name", flat=True)) == {
        "Aville and Beeton",
        "Ceeford",
    }
    board = merged["new"].icb
    assert (board.ons_code, board.ods_code, board.valid_from) == (None, None, CHANGE_DAY)
    assert merged["new"].provisional_note  # codes unknown: said, not invented
    old_board = IntegratedCareBoard.objects.get(ics=merged["aville"])
    assert old_board.valid_to == last_day and old_board.successor_id == board.pk


def test_council_areas_are_dated_and_the_moved_council_is_where_it_was(merged):
    split = merged["split"]
    before = {(a.ics.name, a.lsoa_share_pct) for a in split.system_areas.in_force(BEFORE)}
    after = {(a.ics.name, a.lsoa_share_pct) for a in split.system_areas.in_force(TODAY)}
    assert before == {("Ceeford", Decimal("70.0")), ("Aville", Decimal("30.0"))}
    assert after == {("Aville and Beeton", Decimal("100.0"))}
    provisional = SystemLocalAuthority.objects.get(local_authority=merged["beeton_council"], ics=merged["new"])
    assert provisional.provisional and provisional.lsoa_share_pct == Decimal("99.5")


def test_partnerships_survive_the_merger_and_keep_their_meetings(merged):
    aville_icp, beeton_icp = merged["aville_icp"], merged["beeton_icp"]
    assert aville_icp.ended_on is None and aville_icp.ics == merged["aville"]  # kept where it was set up
    assert beeton_icp.ended_on == CHANGE_DAY - dt.timedelta(days=1) and beeton_icp.successor == aville_icp
    merged["beeton_meeting"].refresh_from_db()
    assert merged["beeton_meeting"].partnership == beeton_icp
    assert Partnership.objects.public().filter(pk=beeton_icp.pk).exists()  # its record stays public
    assert not Partnership.objects.in_force().filter(pk=beeton_icp.pk).exists()


# Pages --------------------------------------------------------------------------------------


def test_home_counts_the_systems_in_force_today_and_on_a_date(client, merged):
    today = page(client, reverse("home"))
    assert "England has 2 integrated care systems" in today
    assert f'href="{reverse("partnerships:changes")}"' in today
    before = page(client, reverse("home"), BEFORE)
    assert f"On {BEFORE:%-d %B %Y} England had 3 integrated care systems" in before
    assert "See them as they are today" in before


def test_region_page_today_and_before(client, merged):
    url = merged["region"].get_absolute_url()
    today = page(client, url)
    assert "Integrated care systems (2)" in today
    assert "Systems that had ended by today" in today
    assert f'href="{merged["aville"].get_absolute_url()}"' in today  # still reachable
    before = page(client, url, BEFORE)
    assert f"Integrated care systems on {BEFORE:%-d %B %Y} (3)" in before
    assert "Aville and Beeton" not in before


def test_successor_system_page_names_its_predecessors_councils_and_partnerships(client, merged):
    content = page(client, merged["new"].get_absolute_url())
    for old in ("aville", "beeton"):
        assert f'all of the area of <a href="{merged[old].get_absolute_url()}">' in content
    assert f'part of the area of <a href="{merged["ceeford"].get_absolute_url()}">Ceeford</a>' in content
    assert "Upper-tier councils (3)" in content
    assert "Split Borough Council" in content
    assert f'Formerly in <a href="{merged["aville"].get_absolute_url()}">Aville</a>' in content
    assert "Provisional" in content and "Not yet published" in content
    # Aville's ICP carries on in the new system; Beeton's merged into it and is not listed as current.
    assert f'<a href="{merged["aville_icp"].get_absolute_url()}">Aville ICP</a>' in content
    assert "set up in" in content
    assert "Beeton ICP" not in content


def test_ended_system_page_says_what_it_became_and_shows_its_last_day(client, merged):
    content = page(client, merged["aville"].get_absolute_url())
    assert "This system has ended" in content
    assert f'became part of <a href="{merged["new"].get_absolute_url()}">Aville and Beeton</a>' in content
    assert "Split Borough Council" in content and "Part (30.0%)" in content  # as on its last day
    assert f"As on {CHANGE_DAY - dt.timedelta(days=1):%-d %B %Y}" in content
    assert f'<a href="{merged["aville_icp"].get_absolute_url()}">Aville ICP</a>' in content


def test_continuing_system_lost_the_council_today_but_had_it_before(client, merged):
    url = merged["ceeford"].get_absolute_url()
    today = page(client, url)
    assert "Split Borough Council" not in today and "Upper-tier councils (1)" in today
    assert "part of its area became part of" in today
    before = page(client, url, BEFORE)
    assert "Split Borough Council" in before and "Part (70.0%)" in before
    assert f'From {CHANGE_DAY:%-d %B %Y} in <a href="{merged["new"].get_absolute_url()}">' in before
    assert "This system has ended" not in before


def test_a_system_before_it_started_is_shown_on_its_first_day(client, merged):
    content = page(client, merged["new"].get_absolute_url(), BEFORE)
    assert "This system had not started" in content


def test_merged_partnership_keeps_its_page_and_meetings_with_its_successor_named(client, merged):
    beeton_icp, aville_icp = merged["beeton_icp"], merged["aville_icp"]
    content = page(client, beeton_icp.get_absolute_url())
    assert "This partnership has merged" in content
    assert f'<a href="{aville_icp.get_absolute_url()}">Aville ICP</a>' in content
    meeting = merged["beeton_meeting"]
    assert "Beeton board" in page(client, reverse("meetings:list", args=[beeton_icp.slug]))
    assert client.get(meeting.get_absolute_url()).status_code == 200
    # The successor names what it was formed from; the earlier meeting is not moved to it.
    successor = page(client, aville_icp.get_absolute_url())
    assert f'the <a href="{beeton_icp.get_absolute_url()}">Beeton ICP</a>' in successor
    assert "Beeton board" not in page(client, reverse("meetings:list", args=[aville_icp.slug]))


def test_a_partnership_wound_up_without_a_successor_still_has_no_public_page(client, merged):
    ended = PartnershipFactory(ics=merged["ceeford"], ended_on=BEFORE)
    assert client.get(ended.get_absolute_url()).status_code == 404


def test_changes_page_lists_the_change_with_its_source_and_what_is_provisional(client, merged):
    content = page(client, reverse("partnerships:changes"))
    assert "Aville and Beeton ICB formed" in content
    assert "Source: Test announcement" in content
    assert "Not yet confirmed: The new board&#x27;s codes are not yet known." in content
    assert "England has 2 integrated care systems today" in content


@pytest.mark.parametrize(
    "value", ["2025-02-30", "31/03/2025", "yesterday", "20250331", "1999-12-31", "2025-3-1", "9" * 40]
)
def test_a_bad_date_gets_a_clear_400(client, world, value):
    for url in (reverse("home"), world["region"].get_absolute_url(), world["aville"].get_absolute_url()):
        response = client.get(url, {"on": value})
        assert response.status_code == 400
        content = response.content.decode()
        assert "is not a date" in content or "Give a date between" in content


def test_an_empty_date_means_today(client, merged):
    assert "England has 2 integrated care systems" in page(client, reverse("home") + "?on=")


# Loading ------------------------------------------------------------------------------------


def test_loading_again_changes_nothing(merged):
    counts = (IntegratedCareSystem.objects.count(), SystemLocalAuthority.objects.count(), Succession.objects.count())
    report = load_change_sets(merged["changes"])
    assert not report.changed
    assert report.unchanged["change sets"] == 1
    assert counts == (
        IntegratedCareSystem.objects.count(),
        SystemLocalAuthority.objects.count(),
        Succession.objects.count(),
    )


def test_an_edited_change_set_is_refused(merged):
    path = next(merged["changes"].glob("*.toml"))
    path.write_text(path.read_text().replace("Test announcement", "Another source"))
    with pytest.raises(ReferenceDataError, match="loaded before and the file has been edited"):
        load_change_sets(merged["changes"])


def test_a_bad_file_loads_nothing_at_all(world, tmp_path):
    changes = tmp_path / "changes"
    good = MERGER.format(
        day=CHANGE_DAY.isoformat(),
        region=world["region"].ons_code,
        split=world["split"].ons_code,
        aville_council=world["aville_council"].ons_code,
        beeton_council=world["beeton_council"].ons_code,
    )
    write(changes, "2020-01-01-first.toml", good)
    write(
        changes,
        "2099-01-01-second.toml",
        """
        title = "A later change"
        effective_on = 2099-01-01
        source = "Test"

        [[systems.end]]
        system = "atlantis"
        """,
    )
    with pytest.raises(
        CommandError, match=r"Nothing was loaded\. 2099-01-01-second\.toml: systems\.end entry 1: no system 'atlantis'"
    ):
        call_command("load_change_sets", changes=changes)
    assert not ChangeSet.objects.exists()
    assert IntegratedCareSystem.objects.in_force(TODAY).count() == 3
    assert not IntegratedCareSystem.objects.filter(slug="aville-and-beeton").exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("title = 'x'\nsource = 'y'\n", "'effective_on' is missing"),
        ("title = 'x'\nsource = 'y'\neffective_on = '2026-04-01'\n", "must be a date written as 2026-04-01"),
        ("title = 'x'\nsource = 'y'\neffective_on = 2026-04-01\ncolour = 'red'\n", "unknown field(s) colour"),
        ("title = 'x\n", "not valid TOML"),
        (
            "title = 'x'\nsource = 'y'\neffective_on = 2026-04-01\n[[systems.start]]\nnmae = 'Typo'\n",
            "systems.start entry 1: unknown field(s) nmae",
        ),
        (
            "title = 'x'\nsource = 'y'\neffective_on = 2026-04-01\n[[councils.start]]\n"
            "council = 'E06000901'\nsystem = 'aville'\nshare = 120\n",
            "'share' 120 is not between 0 and 100",
        ),
        (
            "title = 'x'\nsource = 'y'\neffective_on = 2026-04-01\n[[systems.end]]\nsystem = 'aville'\n",
            "say what becomes of Aville",
        ),
    ],
)
def test_bad_files_get_clear_command_line_errors(world, tmp_path, text, message):
    changes = tmp_path / "changes"
    write(changes, "2026-04-01-bad.toml", text)
    with pytest.raises(CommandError) as error:
        call_command("load_change_sets", changes=changes)
    assert "Nothing was loaded. 2026-04-01-bad.toml: " in str(error.value)
    assert message in str(error.value)
    assert not ChangeSet.objects.exists()
    assert IntegratedCareSystem.objects.in_force(TODAY).count() == 3


def test_a_council_reorganisation_replaces_a_council(world, tmp_path):
    changes = tmp_path / "changes"
    write(
        changes,
        "2027-04-01-split-borough.toml",
        f"""
        title = "Split Borough divided"
        effective_on = 2027-04-01
        source = "Test order"

        [[councils.create]]
        ons_code = "E06000991"
        name = "North Split Council"
        la_type = "unitary"
        replaces = ["{world["split"].ons_code}"]

        [[councils.create]]
        ons_code = "E06000992"
        name = "South Split Council"
        la_type = "unitary"
        replaces = ["{world["split"].ons_code}"]

        [[councils.start]]
        council = "E06000991"
        system = "ceeford"

        [[councils.start]]
        council = "E06000992"
        system = "aville"
        """,
    )
    load_change_sets(changes)
    split = world["split"]
    split.refresh_from_db()
    assert split.valid_to == dt.date(2027, 3, 31)
    assert not split.system_areas.in_force(dt.date(2027, 4, 1)).exists()
    successors = Succession.objects.filter(from_organisation=split)
    assert {s.to_organisation.name for s in successors} == {"North Split Council", "South Split Council"}
    assert not any(s.whole for s in successors)


@pytest.mark.parametrize("extra", [1, 6])
def test_system_page_queries_do_not_grow_with_history_partnerships_or_meetings(
    client, merged, django_assert_max_num_queries, extra
):
    from tests.partnerships.test_directory_pages import SYSTEM_PAGE_QUERIES

    for number in range(extra):
        area = PartnershipFactory(ics=merged["new"], kind=Partnership.Kind.AREA, name=f"Area {number} ICP")
        council = LocalAuthorityFactory()
        SystemLocalAuthorityFactory(ics=merged["new"], local_authority=council)
        area.councils.add(council)
        MeetingFactory(partnership=area)
    for url in (merged["new"].get_absolute_url(), merged["aville"].get_absolute_url()):
        with django_assert_max_num_queries(SYSTEM_PAGE_QUERIES):
            assert client.get(url).status_code == 200
    with django_assert_max_num_queries(2):
        assert client.get(merged["region"].get_absolute_url(), {"on": BEFORE.isoformat()}).status_code == 200
    with django_assert_max_num_queries(1):
        assert client.get(reverse("home")).status_code == 200
    with django_assert_max_num_queries(3):
        assert client.get(reverse("partnerships:changes")).status_code == 200


def test_codes_published_later_are_confirmed_by_a_later_change_set(client, merged):
    write(
        merged["changes"],
        "2099-01-01-aville-and-beeton-codes.toml",
        """
        title = "Aville and Beeton's codes published"
        effective_on = 2099-01-01
        source = "Test register"

        [[systems.confirm]]
        system = "aville-and-beeton"
        icb_ons_code = "E54000999"
        icb_ods_code = "Q99"
        provisional = ""
        """,
    )
    load_change_sets(merged["changes"])
    new = IntegratedCareSystem.objects.select_related("icb").get(slug="aville-and-beeton")
    assert (new.icb.ons_code, new.icb.ods_code, new.provisional_note) == ("E54000999", "Q99", "")
    content = page(client, new.get_absolute_url())
    assert "Q99" in content and "Not yet published" not in content


def test_a_confirmed_code_is_never_overwritten(merged):
    write(
        merged["changes"],
        "2099-01-01-wrong.toml",
        """
        title = "Wrong"
        effective_on = 2099-01-01
        source = "Test"

        [[systems.confirm]]
        system = "ceeford"
        icb_ods_code = "Q98"
        """,
    )
    old_code = merged["ceeford"].icb.ods_code
    with pytest.raises(ReferenceDataError, match=f"already has the code {old_code}"):
        load_change_sets(merged["changes"])
    assert IntegratedCareBoard.objects.get(ics=merged["ceeford"]).ods_code == old_code
