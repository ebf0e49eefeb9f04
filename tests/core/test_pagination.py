import pytest
from django.core.paginator import Paginator

from core.pagination import counted_page
from partnerships.factories import RegionFactory
from partnerships.models import Region


@pytest.fixture
def regions(db):
    """Seven rows, two to a page: pages 1-3 of two and a last page of one."""
    for number in range(7):
        RegionFactory(name=f"Region {number}")
    return Region.objects.filter(name__startswith="Region ").order_by("name")


def _shown(page):
    return [region.name for region in page.object_list]


@pytest.mark.parametrize("asked", ["1", "2", "4", 3, None, "", "x", "0", "-2", "2.0", "99"])
def test_a_counted_page_is_the_page_the_paginator_gives(regions, asked):
    expected = Paginator(regions, 2).get_page(asked)
    page = counted_page(regions, asked, 2)
    assert (page.number, _shown(page)) == (expected.number, _shown(expected))
    assert (page.paginator.count, page.paginator.num_pages) == (7, 4)
    assert (page.has_previous(), page.has_next()) == (expected.has_previous(), expected.has_next())


def test_a_page_and_its_count_are_one_query(regions, django_assert_num_queries):
    with django_assert_num_queries(1):
        page = counted_page(regions, "2", 2)
        assert page.paginator.count == 7
        assert _shown(page) == ["Region 2", "Region 3"]


def test_of_values_too(regions, django_assert_num_queries):
    with django_assert_num_queries(1):
        page = counted_page(regions.values("name"), "4", 2)
    assert [row["name"] for row in page.object_list] == ["Region 6"]
    assert page.paginator.count == 7


def test_no_rows_is_an_empty_first_page(db):
    page = counted_page(Region.objects.filter(name="Nowhere").order_by("name"), "3", 2)
    assert (page.number, list(page.object_list), page.paginator.count) == (1, [], 0)
