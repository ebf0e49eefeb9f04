import datetime as dt

import pytest
from django.urls import reverse

from partnerships.factories import (
    IntegratedCareSystemFactory,
    LocalAuthorityFactory,
    PartnershipFactory,
    RegionFactory,
    SystemLocalAuthorityFactory,
)
from partnerships.models import Partnership

SYSTEM_PAGE_QUERIES = 11


def test_home_lists_the_regions(client, reference_data):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert b"North East and Yorkshire" in response.content
    assert b"Find your integrated care system" in response.content


def test_search_by_council_finds_its_systems(client, reference_data):
    response = client.get(reverse("home"), {"q": "Cumberland"})
    content = response.content.decode()
    assert "North East and North Cumbria" in content
    assert "Lancashire and South Cumbria" in content
    assert "Cumberland Council (part: 3.4%)" in content


def test_search_by_system_name_and_ods_code(client, reference_data):
    assert "Surrey Heartlands" in client.get(reverse("home"), {"q": "heartlands"}).content.decode()
    assert "North East and North Cumbria" in client.get(reverse("home"), {"q": "QHM"}).content.decode()


def test_search_with_no_match_says_so(client, reference_data):
    response = client.get(reverse("home"), {"q": "Atlantis"})
    assert "No council or system matches ‘Atlantis’" in response.content.decode()


def test_empty_search_asks_for_a_name(client, reference_data):
    assert "Enter a name to search" in client.get(reverse("home"), {"q": "  "}).content.decode()


def test_region_page_lists_its_systems(client, reference_data):
    response = client.get(reverse("partnerships:region", args=["north-east-and-yorkshire"]))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Humber and North Yorkshire" in content
    assert "Surrey Heartlands" not in content
    assert reverse("partnerships:system", args=["north-east-and-north-cumbria"]) in content


def test_system_page_shows_icb_codes_and_councils(client, reference_data):
    response = client.get(reverse("partnerships:system", args=["north-east-and-north-cumbria"]))
    content = response.content.decode()
    assert "NHS North East and North Cumbria Integrated Care Board" in content
    assert "QHM" in content and "E54000050" in content
    assert "Upper-tier councils (14)" in content
    assert "Sunderland City Council" in content
    assert 'href="/regions/north-east-and-yorkshire/"' in content  # breadcrumb


def test_unknown_region_and_system_are_404(client, db):
    assert client.get("/regions/atlantis/").status_code == 404
    response = client.get("/systems/atlantis/")
    assert response.status_code == 404
    assert b"Page not found" in response.content


@pytest.mark.parametrize("extra", [1, 30])
def test_system_page_queries_do_not_grow_with_councils(client, db, django_assert_max_num_queries, extra):
    ics = IntegratedCareSystemFactory()
    SystemLocalAuthorityFactory.create_batch(extra, ics=ics)
    # System and ICB; councils with their moves (one), the partnerships covering them; the
    # successions; partnerships; places; and (with partnerships) the glance's four.
    with django_assert_max_num_queries(SYSTEM_PAGE_QUERIES):
        assert client.get(ics.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("extra", [1, 30])
def test_region_and_home_queries_do_not_grow_with_systems(client, db, django_assert_max_num_queries, extra):
    region = RegionFactory()
    IntegratedCareSystemFactory.create_batch(extra, region=region)
    with django_assert_max_num_queries(2):
        assert client.get(region.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(2):
        assert client.get(reverse("home")).status_code == 200
    with django_assert_max_num_queries(3):
        assert client.get(reverse("home"), {"q": "Test System"}).status_code == 200


def test_system_page_names_the_partnerships_covering_each_council(client, db):
    ics = IntegratedCareSystemFactory()
    covered, uncovered = LocalAuthorityFactory(name="Aville Council"), LocalAuthorityFactory(name="Beeton Council")
    for council in (covered, uncovered):
        SystemLocalAuthorityFactory(ics=ics, local_authority=council)
    kinds = iter([Partnership.Kind.STATUTORY_ICP, Partnership.Kind.AREA, Partnership.Kind.PLACE, Partnership.Kind.AREA])
    shown = [PartnershipFactory(ics=ics, kind=next(kinds), name=name) for name in ("Zed ICP", "Ash Area ICP")]
    wound_up = PartnershipFactory(ics=ics, kind=next(kinds), name="Wound Up ICP", ended_on=dt.date(2020, 1, 1))
    elsewhere = PartnershipFactory(kind=next(kinds), name="Elsewhere ICP")  # another system's
    for partnership in (*shown, wound_up, elsewhere):
        partnership.councils.add(covered)
    content = client.get(ics.get_absolute_url()).content.decode()
    rows = {council: content.split(council, 1)[1].split("</tr>", 1)[0] for council in ("Aville", "Beeton")}
    # By name, and only the system's partnerships the public may see that are in force.
    assert rows["Aville"].index("Ash Area ICP") < rows["Aville"].index("Zed ICP")
    assert "Wound Up ICP" not in rows["Aville"] and "Elsewhere ICP" not in rows["Aville"]
    assert "None recorded" in rows["Beeton"] and "ICP" not in rows["Beeton"]
