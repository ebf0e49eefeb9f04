"""Guessing passwords and mail-bombing through password reset.

Sign-in: an account locks after AXES_FAILURE_LIMIT failures from any addresses, and an address
after SIGN_IN_ADDRESS_FAILURE_LIMIT failures against any usernames (icp_portal.accounts).
Password reset: emails are limited per target address and requests per client address, and the
page never says whether an address has an account or whether a limit was hit.
"""

import datetime as dt
import re
import uuid
from types import SimpleNamespace

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.core.cache.backends import locmem
from django.db.models import F
from django.test import RequestFactory
from django.urls import reverse

from core.limits import client_address
from membership.factories import UserFactory

PASSWORD = "a-test-password"
LOCAL_MEMORY = "django.core.cache.backends.locmem.LocMemCache"

pytestmark = pytest.mark.usefixtures("fresh_cache")


@pytest.fixture
def sam(db):
    return UserFactory(username="sam", email="sam@example.org")


def sign_in(client, username, password=PASSWORD, *, address="192.0.2.1", url=None):
    return client.post(url or reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def is_locked_out(response) -> bool:
    return response.status_code == 429 and "Too many attempts to sign in" in response.content.decode()


# Sign-in lock-outs ---------------------------------------------------------------------------


def test_guesses_spread_over_many_addresses_lock_the_account(client, sam, settings):
    """The review's attack: a few guesses from each of many addresses."""
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "sam", "wrong", address=f"198.51.100.{n}")
    # Even the right password, from an address never seen before, is refused for now.
    assert is_locked_out(sign_in(client, "sam", address="203.0.113.9"))


def test_the_account_is_not_locked_one_failure_early(client, sam, settings):
    for n in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "sam", "wrong", address=f"198.51.100.{n}")
    assert sign_in(client, "sam", address="203.0.113.9").status_code == 302


def test_one_address_trying_many_accounts_is_locked(client, sam, settings):
    """Fewer failures than the account limit on each username, but many from one address."""
    assert settings.SIGN_IN_ADDRESS_FAILURE_LIMIT > settings.AXES_FAILURE_LIMIT
    for n in range(settings.SIGN_IN_ADDRESS_FAILURE_LIMIT - 1):
        sign_in(client, f"guess{n}", "wrong", address="198.51.100.7")
    # Below the address limit, people at that address still sign in (think of a trust's shared
    # outgoing address); sam's sign-in clears none of the failures against other usernames.
    assert sign_in(client, "sam", address="198.51.100.7").status_code == 302
    client.post(reverse("logout"))

    sign_in(client, "one-guess-too-many", "wrong", address="198.51.100.7")
    assert is_locked_out(sign_in(client, "sam", address="198.51.100.7"))
    # The lock is on the address, not on sam: from elsewhere sam signs in.
    assert sign_in(client, "sam", address="203.0.113.9").status_code == 302


def test_signing_in_to_your_own_account_does_not_wipe_guesses_at_another(client, sam, settings):
    UserFactory(username="mallory")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "sam", "wrong", address="198.51.100.66")
    assert sign_in(client, "mallory", address="198.51.100.66").status_code == 302
    client.post(reverse("logout"))
    sign_in(client, "sam", "wrong", address="198.51.100.66")
    assert is_locked_out(sign_in(client, "sam", address="203.0.113.9"))


def test_signing_in_forgets_your_own_earlier_mistakes(client, sam, settings):
    for _ in range(2):
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            sign_in(client, "sam", "wrong")
        assert sign_in(client, "sam").status_code == 302
        client.post(reverse("logout"))


def test_the_admin_sign_in_is_covered_too(client, db, settings):
    UserFactory(username="root", is_staff=True, is_superuser=True)
    admin_login = reverse("admin:login")
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "root", "wrong", address=f"198.51.100.{n}", url=admin_login)
    assert is_locked_out(sign_in(client, "root", address="203.0.113.9", url=admin_login))
    assert is_locked_out(sign_in(client, "root", address="203.0.113.9"))


def test_the_lock_lifts_after_the_cool_off(client, sam, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "sam", "wrong", address=f"198.51.100.{n}")
    assert is_locked_out(sign_in(client, "sam"))
    # Let the cool-off pass by ageing the recorded failures rather than by waiting.
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - dt.timedelta(hours=settings.AXES_COOLOFF_TIME))
    assert sign_in(client, "sam").status_code == 302


def test_locked_out_page_says_what_to_do(client, sam, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "sam", "wrong")
    page = sign_in(client, "sam").content.decode()
    assert reverse("password_reset") in page
    assert "wait an hour" in page
    assert "tell your partnership's secretariat" in page


def _reset_password(client, email, new_password, *, address="192.0.2.50"):
    client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=address)
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", mail.outbox[-1].body).group(1)
    form_page = client.get(link, follow=True, REMOTE_ADDR=address)
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
        REMOTE_ADDR=address,
    )
    assert response.status_code == 302


def test_resetting_the_password_lifts_the_account_lock(client, sam, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "sam", "wrong", address=f"198.51.100.{n}")
    assert is_locked_out(sign_in(client, "sam", address="192.0.2.50"))
    _reset_password(client, "sam@example.org", "a brand new passphrase")
    assert sign_in(client, "sam", "a brand new passphrase", address="192.0.2.50").status_code == 302


def test_resetting_the_password_does_not_lift_a_lock_on_the_address(client, sam, settings):
    for n in range(settings.SIGN_IN_ADDRESS_FAILURE_LIMIT):
        sign_in(client, f"guess{n}", "wrong", address="198.51.100.7")
    _reset_password(client, "sam@example.org", "a brand new passphrase", address="198.51.100.7")
    assert is_locked_out(sign_in(client, "sam", "a brand new passphrase", address="198.51.100.7"))


# The client's address ------------------------------------------------------------------------


def _request(remote="10.0.0.2", forwarded=None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **headers)


def test_without_proxies_the_address_is_remote_addr_and_forwarded_for_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_address(_request(forwarded="203.0.113.5")) == "10.0.0.2"


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "6.6.6.6, 203.0.113.5", "203.0.113.5"),  # the left entry is the client's own claim
        (2, "6.6.6.6, 203.0.113.5, 10.0.0.1", "203.0.113.5"),
        (2, "203.0.113.5", "203.0.113.5"),  # came in through the inner proxy only
        (1, "203.0.113.5:51234", "203.0.113.5"),
        (1, "[2001:db8::1]:443", "2001:db8::1"),
        (1, "not-an-address", "10.0.0.2"),
        (1, None, "10.0.0.2"),
    ],
)
def test_behind_proxies_the_address_is_the_one_the_outermost_proxy_saw(settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    assert client_address(_request(forwarded=forwarded)) == expected


def test_behind_a_proxy_one_visitors_failures_do_not_lock_out_everyone(client, sam, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(settings.SIGN_IN_ADDRESS_FAILURE_LIMIT):
        client.post(
            reverse("login"),
            {"username": f"guess{n}", "password": "wrong"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR="198.51.100.7",
        )
    elsewhere = client.post(
        reverse("login"),
        {"username": "sam", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.9",
    )
    assert elsewhere.status_code == 302


# Password reset ------------------------------------------------------------------------------


def ask_for_reset(client, email, *, address="192.0.2.1"):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=address, follow=True)


def test_reset_emails_to_one_address_are_limited(client, sam, settings, caplog):
    for n in range(settings.PASSWORD_RESET_EMAILS_PER_ADDRESS):
        ask_for_reset(client, "sam@example.org", address=f"198.51.100.{n}")
    assert len(mail.outbox) == settings.PASSWORD_RESET_EMAILS_PER_ADDRESS

    # From yet another address, and in other capitals: still the same mailbox.
    response = ask_for_reset(client, "SAM@example.org", address="203.0.113.9")
    assert "Check your email" in response.content.decode()
    assert len(mail.outbox) == settings.PASSWORD_RESET_EMAILS_PER_ADDRESS
    assert "email limit reached" in caplog.text


def test_reset_requests_from_one_client_are_limited(client, db, settings, caplog):
    limit = settings.PASSWORD_RESET_REQUESTS_PER_CLIENT
    users = [UserFactory(email=f"person{n}@example.org") for n in range(limit + 1)]
    for user in users[:limit]:
        ask_for_reset(client, user.email, address="198.51.100.7")
    assert len(mail.outbox) == limit

    response = ask_for_reset(client, users[limit].email, address="198.51.100.7")
    assert "Check your email" in response.content.decode()
    assert len(mail.outbox) == limit
    assert "request limit reached" in caplog.text
    # Someone else is not affected.
    ask_for_reset(client, users[limit].email, address="203.0.113.9")
    assert len(mail.outbox) == limit + 1


def test_reset_answers_the_same_whether_sent_unknown_or_limited(client, sam, settings):
    """Same redirect, same page: nothing tells an account exists or a limit was hit."""

    def answer(email, address):
        response = client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=address)
        page = client.get(response["Location"])
        return response.status_code, response["Location"], page.content

    sent = answer("sam@example.org", "198.51.100.1")
    unknown = answer("nobody@example.org", "198.51.100.2")
    for n in range(settings.PASSWORD_RESET_EMAILS_PER_ADDRESS):
        answer("sam@example.org", f"198.51.100.{10 + n}")
    limited = answer("sam@example.org", "198.51.100.3")
    assert sent == unknown == limited
    assert len(mail.outbox) == settings.PASSWORD_RESET_EMAILS_PER_ADDRESS


def test_reset_limit_is_per_window(client, sam, settings, monkeypatch):
    # A local-memory cache whatever the mode, so that its clock can be moved on rather than waited for.
    settings.CACHES = {"default": {"BACKEND": LOCAL_MEMORY, "LOCATION": uuid.uuid4().hex}}
    for n in range(settings.PASSWORD_RESET_EMAILS_PER_ADDRESS + 1):
        ask_for_reset(client, "sam@example.org", address=f"198.51.100.{n}")
    assert len(mail.outbox) == settings.PASSWORD_RESET_EMAILS_PER_ADDRESS

    an_hour_later = locmem.time.time() + settings.PASSWORD_RESET_WINDOW + 1
    monkeypatch.setattr(locmem, "time", SimpleNamespace(time=lambda: an_hour_later))
    ask_for_reset(client, "sam@example.org", address="203.0.113.9")
    assert len(mail.outbox) == settings.PASSWORD_RESET_EMAILS_PER_ADDRESS + 1


def test_reset_email_limit_counts_a_mailbox_once_whatever_its_capitals(client, sam, settings):
    UserFactory(username="sam-again", email="SAM@Example.org")  # a second account, the same mailbox
    for n in range(settings.PASSWORD_RESET_EMAILS_PER_ADDRESS):
        ask_for_reset(client, "sam@example.org", address=f"198.51.100.{n}")
    assert len(mail.outbox) == settings.PASSWORD_RESET_EMAILS_PER_ADDRESS
