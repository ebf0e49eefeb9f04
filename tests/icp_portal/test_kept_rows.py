"""Rows kept between requests (core/kept_rows.py): the partnership every page loads, and the
meeting of the secretariat's meeting pages, are read again after any committed write to the
tables they come from, and only then.

The tests commit (`transaction=True`): a version is replaced only when a transaction commits."""

import datetime as dt
from unittest import mock

import pytest
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from meetings.factories import MeetingFactory
from partnerships.access import public_partnership_or_404
from partnerships.models import IntegratedCareSystem, Partnership, Region
from strategy.models import Strategy

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("kept_pages")]


def test_a_write_elsewhere_leaves_the_partnership_kept(cast, django_assert_num_queries):
    public_partnership_or_404(cast.partnership.slug)
    MeetingFactory(partnership=cast.partnership, title="Board in public")
    with django_assert_num_queries(0):
        assert public_partnership_or_404(cast.partnership.slug) == cast.partnership


def test_renaming_the_partnership_shows_on_the_next_request(client, cast):
    url = reverse("record:public_decisions", args=[cast.partnership.slug])
    assert cast.partnership.name in client.get(url).content.decode()
    cast.partnership.name = "Renamed Integrated Care Partnership"
    cast.partnership.save()
    assert "Renamed Integrated Care Partnership" in client.get(url).content.decode()


def test_a_bulk_update_of_its_system_or_region_is_seen_too(cast):
    assert public_partnership_or_404(cast.partnership.slug).ics.name == cast.partnership.ics.name
    IntegratedCareSystem.objects.filter(pk=cast.partnership.ics_id).update(name="Renamed system")
    assert public_partnership_or_404(cast.partnership.slug).ics.name == "Renamed system"
    Region.objects.filter(pk=cast.partnership.ics.region_id).update(name="Renamed region")
    assert public_partnership_or_404(cast.partnership.slug).ics.region.name == "Renamed region"


def test_winding_up_a_partnership_takes_its_pages_down_at_once(client, cast):
    url = reverse("meetings:list", args=[cast.partnership.slug])
    assert client.get(url).status_code == 200
    Partnership.objects.filter(pk=cast.partnership.pk).update(ended_on=timezone.localdate() - dt.timedelta(days=1))
    assert client.get(url).status_code == 404


def test_a_partnership_ending_today_is_gone_tomorrow(cast):
    """What `public()` decides turns on the date: a row kept today is not kept tomorrow."""
    today = timezone.localdate()
    Partnership.objects.filter(pk=cast.partnership.pk).update(ended_on=today)
    assert public_partnership_or_404(cast.partnership.slug)
    tomorrow = today + dt.timedelta(days=1)
    with mock.patch("django.utils.timezone.localdate", return_value=tomorrow), pytest.raises(Http404):
        public_partnership_or_404(cast.partnership.slug)


def test_a_rolled_back_write_keeps_it(cast, django_assert_num_queries):
    public_partnership_or_404(cast.partnership.slug)
    with pytest.raises(RuntimeError), transaction.atomic():
        Partnership.objects.filter(pk=cast.partnership.pk).update(name="Never committed")
        raise RuntimeError
    with django_assert_num_queries(0):
        assert public_partnership_or_404(cast.partnership.slug).name == cast.partnership.name


def test_the_strategy_read_with_it_is_watched_as_well(cast):
    assert not hasattr(public_partnership_or_404(cast.partnership.slug, "strategy"), "strategy")
    Strategy.objects.create(partnership=cast.partnership)
    assert public_partnership_or_404(cast.partnership.slug, "strategy").strategy.partnership_id == cast.partnership.pk


def test_each_request_is_given_its_own_copy(cast):
    first = public_partnership_or_404(cast.partnership.slug)
    first.can_manage = True
    first.name = "Changed in one request"
    second = public_partnership_or_404(cast.partnership.slug)
    assert not hasattr(second, "can_manage") and second.name == cast.partnership.name


def test_a_missing_partnership_is_a_404_every_time(cast):
    for _ in range(2):
        with pytest.raises(Http404):
            public_partnership_or_404("no-such-partnership")


def test_with_the_cache_off_it_is_read_every_time(cast, settings, django_assert_num_queries):
    settings.PAGE_CACHE = False
    public_partnership_or_404(cast.partnership.slug)
    with django_assert_num_queries(1):
        public_partnership_or_404(cast.partnership.slug)


def test_rights_are_asked_on_every_request_though_the_partnership_is_kept(cast, rf, django_assert_num_queries):
    """Behind a permission, the partnership's row is kept but the right is not: a secretariat
    whose roles are taken away is refused on its next request."""
    from django.core.exceptions import PermissionDenied

    from membership.permissions import MANAGE, partnership_for_user

    assert partnership_for_user(_staff_request(rf, cast.secretariat), cast.partnership.slug, MANAGE) == cast.partnership
    again = _staff_request(rf, cast.secretariat)
    with django_assert_num_queries(1):  # the right, not the partnership
        partnership_for_user(again, cast.partnership.slug, MANAGE)
    cast.secretariat.groups.clear()
    with pytest.raises(PermissionDenied):
        partnership_for_user(_staff_request(rf, cast.secretariat), cast.partnership.slug, MANAGE)


def test_a_partnership_kept_for_its_secretariat_is_not_shown_to_the_public(client, cast, rf):
    """Behind a permission any partnership is loaded, a wound-up one too; what it keeps is
    never what a public page is given, even read with the same relations: the public's loader
    keeps its own, through `public()`."""
    from membership.permissions import MANAGE, partnership_for_user
    from partnerships.access import partnership_or_404

    Partnership.objects.filter(pk=cast.partnership.pk).update(ended_on=timezone.localdate() - dt.timedelta(days=1))
    assert partnership_for_user(_staff_request(rf, cast.secretariat), cast.partnership.slug, MANAGE)
    assert partnership_or_404(cast.partnership.slug, "ics__region")
    assert client.get(reverse("record:public_decisions", args=[cast.partnership.slug])).status_code == 404
    with pytest.raises(Http404):
        public_partnership_or_404(cast.partnership.slug)


def _staff_request(rf, user):
    from django.contrib.auth import get_user_model

    request = rf.get("/")
    request.user = get_user_model().objects.get(pk=user.pk)  # as each request loads it
    return request


def test_the_secretariat_s_meeting_is_kept_and_an_edit_shows_at_once(cast, rf, django_assert_num_queries):
    from meetings.access import meeting_for_staff
    from meetings.models import Meeting

    meeting = MeetingFactory(partnership=cast.partnership, title="Board in public")
    assert meeting_for_staff(_staff_request(rf, cast.secretariat), cast.partnership.slug, meeting.pk) == meeting
    request = _staff_request(rf, cast.secretariat)
    with django_assert_num_queries(1):  # the right; the partnership and the meeting are kept
        meeting_for_staff(request, cast.partnership.slug, meeting.pk)
    Meeting.objects.filter(pk=meeting.pk).update(title="Board in public (moved)")
    request = _staff_request(rf, cast.secretariat)
    assert meeting_for_staff(request, cast.partnership.slug, meeting.pk).title == "Board in public (moved)"


def test_a_kept_meeting_is_never_served_under_another_partnership(cast, rf):
    """B's meeting under A's address is a 404, kept or not, even for a secretariat of both."""
    from meetings.access import meeting_for_staff
    from membership.factories import SecretariatAssignmentFactory
    from membership.permissions import permissions_sync

    SecretariatAssignmentFactory(partnership=cast.other_partnership, user=cast.secretariat)
    permissions_sync(cast.other_partnership)
    theirs = MeetingFactory(partnership=cast.other_partnership)
    assert meeting_for_staff(_staff_request(rf, cast.secretariat), cast.other_partnership.slug, theirs.pk) == theirs
    with pytest.raises(Http404):
        meeting_for_staff(_staff_request(rf, cast.secretariat), cast.partnership.slug, theirs.pk)
