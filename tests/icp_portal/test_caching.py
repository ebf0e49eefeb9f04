"""Anonymous public pages are cacheable (ETag, 304, public Cache-Control); anything seen
with a session is private to the browser."""

import pytest
from django.urls import reverse

from membership.factories import MembershipFactory, UserFactory
from partnerships.factories import PartnershipFactory


@pytest.fixture
def partnership(db):
    partnership = PartnershipFactory()
    MembershipFactory(partnership=partnership)
    return partnership


def _public_urls(partnership):
    person = partnership.memberships.get().person
    return [
        reverse("home"),
        partnership.ics.region.get_absolute_url(),
        partnership.ics.get_absolute_url(),
        partnership.get_absolute_url(),
        person.get_absolute_url(),
        reverse("publishing:search") + "?q=strategy",
    ]


def test_anonymous_public_pages_have_an_etag_and_answer_304(client, partnership):
    for url in _public_urls(partnership):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.has_header("ETag"), url
        assert response["Cache-Control"] == "public, no-cache", url
        assert "Cookie" in response["Vary"], url
        again = client.get(url, headers={"if-none-match": response["ETag"]})
        assert again.status_code == 304, url
        assert again.content == b""
        assert "public" in again["Cache-Control"]


def test_a_changed_page_is_sent_again(client, partnership):
    url = partnership.get_absolute_url()
    etag = client.get(url)["ETag"]
    partnership.purpose = "A new purpose."
    partnership.save()
    response = client.get(url, headers={"if-none-match": etag})
    assert response.status_code == 200
    assert response["ETag"] != etag


def test_signed_in_pages_are_never_publicly_cacheable(client, partnership):
    client.force_login(UserFactory())
    for url in _public_urls(partnership):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "public" not in response["Cache-Control"], url
        assert "private" in response["Cache-Control"], url
    workspace = client.get(reverse("workspace:home"))
    assert workspace.status_code == 200
    assert "private" in workspace["Cache-Control"] and "public" not in workspace["Cache-Control"]


def test_a_session_cookie_alone_makes_a_page_private(client, partnership):
    client.cookies["sessionid"] = "stale-or-anonymous-session"
    response = client.get(partnership.get_absolute_url())
    assert response.status_code == 200
    assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]


def test_pages_that_set_a_cookie_or_hold_a_form_token_are_not_shared(client, db):
    # The password reset form carries a CSRF token (and sets its cookie): never a shared copy.
    response = client.get(reverse("password_reset"))
    assert response.status_code == 200
    assert "public" not in response.get("Cache-Control", "")
    # Sign-in and the health check keep their own never-cache headers.
    assert "public" not in client.get(reverse("login")).get("Cache-Control", "")
    assert "no-cache" in client.get(reverse("healthz"))["Cache-Control"]


def test_errors_and_posts_are_not_cached(client, db):
    assert "public" not in client.get("/partnerships/no-such-partnership/").get("Cache-Control", "")
    assert "public" not in client.post(reverse("home")).get("Cache-Control", "")
