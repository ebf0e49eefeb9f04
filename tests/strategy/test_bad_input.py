"""Evidence dates no one could mean are refused with a message."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("published_on", ["1900-05-01", "1989-12-31", "3000-05-01"])
def test_evidence_published_on_an_implausible_date_is_refused(client, cast, draft, council, published_on):
    client.force_login(cast.secretariat)
    data = {
        "kind": "jsna",
        "title": "Hartlepool JSNA",
        "local_authority": council.pk,
        "published_on": published_on,
        "url": "https://example.org/jsna",
    }
    response = client.post(reverse("strategy:evidence_add", args=[cast.partnership.slug]), data)
    assert response.status_code == 200
    assert "Enter a date between 1 January 1990 and" in response.content.decode()
    assert not draft.strategy.evidence.exists()


def test_evidence_from_1995_is_fine(client, cast, draft, council):
    client.force_login(cast.secretariat)
    data = {
        "kind": "jsna",
        "title": "Hartlepool JSNA",
        "local_authority": council.pk,
        "published_on": "1995-05-01",
        "url": "https://example.org/jsna",
    }
    response = client.post(reverse("strategy:evidence_add", args=[cast.partnership.slug]), data)
    assert response.status_code == 302
    assert draft.strategy.evidence.get().published_on.year == 1995
