"""The system page lists its partnerships, nested, and its places."""

import datetime as dt

import factory
import pytest
from django.utils import timezone

from partnerships.factories import IntegratedCareSystemFactory, PartnershipFactory
from partnerships.models import Partnership, Place
from partnerships.presenters import partnership_tree
from tests.partnerships.test_directory_pages import SYSTEM_PAGE_QUERIES

YESTERDAY = timezone.localdate() - dt.timedelta(days=1)


@pytest.fixture
def icp(db):
    return PartnershipFactory(
        ics=IntegratedCareSystemFactory(name="Riverside"), name="Riverside Integrated Care Partnership"
    )


def test_system_page_nests_sub_partnerships_under_their_parent(client, icp):
    PartnershipFactory(ics=icp.ics, parent=icp, kind=Partnership.Kind.AREA, name="Riverside North Area ICP")
    PartnershipFactory(ics=icp.ics, kind=Partnership.Kind.ASSEMBLY, name="Riverside Health Assembly")
    PartnershipFactory(ics=icp.ics, kind=Partnership.Kind.ASSEMBLY, name="Closed Assembly", ended_on=YESTERDAY)
    content = client.get(icp.ics.get_absolute_url()).content.decode()
    icp_at = content.index("Riverside Integrated Care Partnership</a>")
    nested_at = content.index("Riverside North Area ICP</a>")
    assembly_at = content.index("Riverside Health Assembly</a>")
    assert icp_at < nested_at < assembly_at  # the statutory ICP first, its sub-partnership inside it
    assert "nhsuk-list--bullet" in content[icp_at:assembly_at]
    assert "Assembly or forum" in content
    assert "Closed Assembly" not in content


def test_system_page_without_a_partnership_says_so(client, db):
    ics = IntegratedCareSystemFactory()
    assert (
        "No integrated care partnership is recorded for this system yet."
        in client.get(ics.get_absolute_url()).content.decode()
    )


def test_system_page_lists_its_places(client, icp):
    Place.objects.create(ics=icp.ics, name="Riverside North", slug="riverside-north", description="The northern towns")
    content = client.get(icp.ics.get_absolute_url()).content.decode()
    assert "<h2>Places</h2>" in content
    assert "Riverside North</a>: The northern towns" in content


def test_partnership_tree_keeps_orphans_and_puts_the_statutory_icp_first(db):
    icp = PartnershipFactory(name="Zed Integrated Care Partnership")
    assembly = PartnershipFactory(ics=icp.ics, kind=Partnership.Kind.ASSEMBLY, name="Alpha Assembly")
    area = PartnershipFactory(ics=icp.ics, parent=icp, kind=Partnership.Kind.AREA, name="Area")
    sub_group = PartnershipFactory(ics=icp.ics, parent=area, kind=Partnership.Kind.SUB_GROUP, name="Sub-group")
    tree = partnership_tree([assembly, area, sub_group, icp])
    assert [node.partnership for node in tree] == [icp, assembly]
    assert tree[0].children[0].partnership == area
    assert tree[0].children[0].children[0].partnership == sub_group
    # Without its parent (say, wound up), a sub-partnership is still listed.
    assert [node.partnership for node in partnership_tree([area, sub_group])] == [area]


@pytest.mark.parametrize("count", [2, 40])
def test_system_page_queries_do_not_grow_with_partnerships(client, db, django_assert_max_num_queries, count):
    icp = PartnershipFactory()
    PartnershipFactory.create_batch(
        count, ics=icp.ics, parent=icp, kind=Partnership.Kind.AREA, name=factory.Sequence(lambda n: f"Area {n}")
    )
    with django_assert_max_num_queries(SYSTEM_PAGE_QUERIES):
        assert client.get(icp.ics.get_absolute_url()).status_code == 200
