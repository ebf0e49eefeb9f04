import pytest
from django.urls import reverse

from partnerships.factories import IntegratedCareSystemFactory, RegionFactory, SystemLocalAuthorityFactory

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
