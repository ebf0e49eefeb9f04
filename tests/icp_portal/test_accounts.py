import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

# Password reset requests are counted in the cache: start each test from zero.
pytestmark = pytest.mark.usefixtures("fresh_cache")


@pytest.fixture
def user(db):
    return get_user_model().objects.create_user("sam", "sam@example.org", "correct horse battery")


def test_sign_in_and_out(client, user):
    response = client.post(reverse("login"), {"username": "sam", "password": "correct horse battery"})
    assert response.status_code == 302
    assert client.get(reverse("home")).context["user"].is_authenticated
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert not client.get(reverse("home")).context["user"].is_authenticated


def test_wrong_password_shows_an_error_summary(client, user):
    response = client.post(reverse("login"), {"username": "sam", "password": "nope"})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()


def test_repeated_failures_lock_the_account_out(client, user, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "sam", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "sam", "password": "correct horse battery"})
    assert response.status_code == 429
    assert "Too many attempts to sign in" in response.content.decode()


def test_password_reset_by_email(client, user):
    response = client.post(reverse("password_reset"), {"email": "sam@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a brand new passphrase", "new_password2": "a brand new passphrase"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a brand new passphrase")


def test_reset_for_unknown_address_reveals_nothing(client, db):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"}, follow=True)
    assert "Check your email" in response.content.decode()
    assert mail.outbox == []


def test_pages_send_a_content_security_policy(client, db):
    policy = client.get(reverse("home"))["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy


def test_an_error_summary_links_a_text_field_to_itself(client, db):
    page = client.post(reverse("password_reset"), {"email": "not an address"}).content.decode()
    link = re.search(r'<a href="#([^"]*)">', page.split("nhsuk-error-summary", 1)[1])
    assert link is not None and link.group(1) == "id_email"
    assert 'id="id_email"' in page
