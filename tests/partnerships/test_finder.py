"""Finding a system from what people type: councils in all their forms, towns and cities,
former counties, misspellings and partial words, codes (`partnerships.finder` and the
gazetteer behind it), on England's real reference data."""

import pytest

from partnerships import gazetteer
from partnerships.finder import find_systems
from partnerships.gazetteer.names import core
from partnerships.reference import load_reference_data

NENC = "North East and North Cumbria"
LSC = "Lancashire and South Cumbria"
HNY = "Humber and North Yorkshire"
WY = "West Yorkshire"

# (what people type, the system that must come first). Only systems whose footprint the
# 2026 mergers leave alone, so the table holds whichever map is in force.
QUERIES = [
    # Councils, with and without "Council", "City of", "Metropolitan Borough", "County".
    ("Gateshead Council", NENC),
    ("Gateshead Metropolitan Borough Council", NENC),
    ("Metropolitan Borough of Gateshead", NENC),
    ("gateshead", NENC),
    ("Newcastle City Council", NENC),
    ("Newcastle", NENC),
    ("Durham County Council", NENC),
    ("County Durham", NENC),
    ("Sunderland City Council", NENC),
    ("Cumberland Council", NENC),
    ("Westmorland and Furness Council", LSC),
    ("City of York Council", HNY),
    ("York", HNY),
    ("Hull City Council", HNY),
    ("Kingston upon Hull", HNY),
    ("Leeds City Council", WY),
    ("City of Bradford Metropolitan District Council", WY),
    ("Bradford Council", WY),
    ("Kirklees", WY),
    ("Sheffield City Council", "South Yorkshire"),
    ("City of Doncaster Council", "South Yorkshire"),
    ("Doncaster", "South Yorkshire"),
    ("Manchester City Council", "Greater Manchester"),
    ("Stockport Metropolitan Borough Council", "Greater Manchester"),
    ("Borough of Wigan", "Greater Manchester"),
    ("Liverpool City Council", "Cheshire and Merseyside"),
    ("Wirral Council", "Cheshire and Merseyside"),
    ("St Helens", "Cheshire and Merseyside"),
    ("Lancashire County Council", LSC),
    ("Blackpool Council", LSC),
    ("Birmingham City Council", "Birmingham and Solihull"),
    ("City of Wolverhampton Council", "Black Country"),
    ("Royal Borough of Greenwich", "South East London"),
    ("Greenwich", "South East London"),
    ("London Borough of Croydon", "South West London"),
    ("Croydon Council", "South West London"),
    ("Hackney", "North East London"),
    ("Cornwall Council", "Cornwall and The Isles Of Scilly"),
    ("Isles of Scilly", "Cornwall and The Isles Of Scilly"),
    ("Devon County Council", "Devon"),
    ("Kent County Council", "Kent and Medway"),
    ("City of Bristol", "Bristol, North Somerset and South Gloucestershire"),
    ("Bristol City Council", "Bristol, North Somerset and South Gloucestershire"),
    ("Telford & Wrekin Council", "Shropshire, Telford and Wrekin"),
    ("Telford and Wrekin", "Shropshire, Telford and Wrekin"),
    # Towns and cities, mapped to their council.
    ("Newcastle upon Tyne", NENC),
    ("Newcastle-upon-Tyne", NENC),
    ("Carlisle", NENC),
    ("Whitehaven", NENC),
    ("Hexham", NENC),
    ("Darlington", NENC),
    ("Middlesbrough", NENC),
    ("Penrith", NENC),  # the Eden part of Westmorland and Furness
    ("Kendal", LSC),
    ("Barrow-in-Furness", LSC),
    ("Millom", LSC),  # the part of Cumberland in Lancashire and South Cumbria
    ("Harrogate", HNY),
    ("Scarborough", HNY),
    ("Skipton", WY),  # Craven, the part of North Yorkshire in West Yorkshire
    ("Huddersfield", WY),
    ("Stoke-on-Trent", "Staffordshire and Stoke-on-Trent"),
    ("Chesterfield", "Derby and Derbyshire"),
    ("Mansfield", "Nottingham and Nottinghamshire"),
    ("Lincoln", "Lincolnshire"),
    ("Exeter", "Devon"),
    ("Plymouth", "Devon"),
    ("Truro", "Cornwall and The Isles Of Scilly"),
    ("Canterbury", "Kent and Medway"),
    ("Shrewsbury", "Shropshire, Telford and Wrekin"),
    ("Worcester", "Herefordshire and Worcestershire"),
    ("Gloucester", "Gloucestershire"),
    ("Bournemouth", "Dorset"),
    ("Taunton", "Somerset"),
    ("Corby", "Northamptonshire"),
    ("Northampton", "Northamptonshire"),
    # Former counties and common names.
    ("Tyne and Wear", NENC),
    ("Cleveland", NENC),
    ("Teesside", NENC),
    ("Humberside", HNY),
    ("Merseyside", "Cheshire and Merseyside"),
    ("Greater Manchester", "Greater Manchester"),
    ("Northamptonshire", "Northamptonshire"),
    ("Westmorland", LSC),
    # Misspelt and partly typed.
    ("Gatshead", NENC),
    ("Newcastel", NENC),
    ("Middlesborough", NENC),
    ("Sunderlnd", NENC),
    ("Carlise", NENC),
    ("Manchster", "Greater Manchester"),
    ("Liverpol", "Cheshire and Merseyside"),
    ("Birmingam", "Birmingham and Solihull"),
    ("Scarborugh", HNY),
    ("Gateshe", NENC),
    ("Middlesb", NENC),
    # Systems, boards and codes.
    ("North East and North Cumbria", NENC),
    ("NHS North East and North Cumbria Integrated Care Board", NENC),
    ("QHM", NENC),
    ("E08000037", NENC),
]


@pytest.fixture
def england(db):
    """England's reference geography."""
    load_reference_data()


def test_the_table_has_at_least_forty_real_queries():
    assert len(QUERIES) >= 40
    assert len({query for query, _ in QUERIES}) == len(QUERIES)


def test_each_query_finds_the_right_system_first(england):
    wrong = {}
    for query, expected in QUERIES:
        found = [match.ics.name for match in find_systems(query)]
        if not found or found[0] != expected:
            wrong[query] = found[:3]
    assert not wrong, f"first system wrong for: {wrong}"


def test_a_former_county_lists_every_system_of_its_councils(england):
    assert {m.ics.name for m in find_systems("Cumbria")[:2]} == {NENC, LSC}
    assert {m.ics.name for m in find_systems("West Midlands")[:3]} == {
        "Birmingham and Solihull",
        "Black Country",
        "Coventry and Warwickshire",
    }


def test_the_reason_names_the_town_and_its_council(england):
    first = find_systems("Carlisle")[0]
    assert str(first.reasons[0]) == "Carlisle is in Cumberland Council"
    assert first.matching_councils[0].local_authority.name == "Cumberland Council"
    # A council split between systems: the other system follows, with the same council.
    assert [m.ics.name for m in find_systems("Carlisle")] == [NENC, LSC]


def test_nothing_is_found_for_words_that_are_no_place(england):
    for query in ["falls prevention", "strategy", "minutes", "   ", "zzzz"]:
        assert find_systems(query) == [], query


def test_names_are_compared_without_the_words_for_kinds_of_council():
    assert core("Gateshead Metropolitan Borough Council") == core("Gateshead Council") == "gateshead"
    assert core("Durham County Council") == core("County Durham") == "durham"
    assert core("Telford & Wrekin Council") == "telford and wrekin"
    assert core("City of London Corporation") == "london"


def test_every_place_names_councils_of_the_reference_data():
    from partnerships.reference import REFERENCE_DIR

    councils = {line.split(",")[0] for line in (REFERENCE_DIR / "local_authorities.csv").read_text().splitlines()[1:]}
    places = gazetteer.gazetteer().places
    assert len(places) > 4000
    for place in places:
        assert set(place.councils) <= councils, place
        assert place.councils or place.kind in ("system", "code"), place


def test_only_the_council_areas_within_are_searched(england):
    from partnerships.models import SystemLocalAuthority

    within = SystemLocalAuthority.objects.exclude(ics__name=NENC)
    assert [m.ics.name for m in find_systems("Carlisle", within=within)] == [LSC]


def test_systems_not_in_force_today_are_not_found_unless_asked_for_that_day(england):
    import datetime as dt

    from django.utils import timezone

    from partnerships.finder import areas_in_force
    from partnerships.models import IntegratedCareSystem

    today = timezone.localdate()
    IntegratedCareSystem.objects.filter(name=NENC).update(valid_to=today - dt.timedelta(days=1))
    assert [m.ics.name for m in find_systems("Carlisle")] == [LSC]
    last_week = areas_in_force(today - dt.timedelta(days=7))
    assert [m.ics.name for m in find_systems("Carlisle", within=last_week)] == [NENC, LSC]
