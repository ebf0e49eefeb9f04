"""Text that PostgreSQL cannot store (NUL) in an address answers 400 with a clear page, not 500."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/search/?q=a%00b",
        "/?q=Leeds%00",
        "/search/?q=falls&page=1%00",
    ],
)
def test_a_nul_character_in_a_public_address_is_a_bad_request(client, url):
    response = client.get(url)
    assert response.status_code == 400
    page = response.content.decode()
    assert "The address contains a character that is not allowed" in page
    assert response["Cache-Control"] == "no-store"


def test_a_nul_character_in_a_workspace_address_is_a_bad_request(client, cast):
    client.force_login(cast.secretariat)
    url = reverse("workspace:membership_add", args=[cast.partnership.slug]) + "?person=jo%00bloggs"
    response = client.get(url)
    assert response.status_code == 400
    assert "The address contains a character that is not allowed" in response.content.decode()


def test_a_nul_character_in_a_parameter_name_is_a_bad_request_too(client):
    assert client.get("/search/?q%00=falls").status_code == 400


def test_ordinary_addresses_are_untouched(client):
    assert client.get("/search/?q=caf%C3%A9+%26+bar").status_code == 200


def test_a_nul_character_in_a_cookie_is_a_bad_request(client, settings):
    # A quoted cookie value may carry octal escapes, which the cookie parser decodes.
    client.cookies[settings.SESSION_COOKIE_NAME] = "abcdefgh\x00ijkl"
    response = client.get("/")
    assert response.status_code == 400
    assert "Clear this site" in response.content.decode()
