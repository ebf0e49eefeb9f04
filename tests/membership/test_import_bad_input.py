"""Bad input to the bulk import and to creating people: refused with a message, never a 500,
and never written twice."""

from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from audit.models import AuditEvent
from membership import services
from membership.factories import PersonFactory
from membership.imports import ImportFileError, import_rows_check, rows_from_upload
from membership.models import Membership, Person
from membership.services import people as people_services
from partnerships.factories import LocalAuthorityFactory, OrganisationFactory, SystemLocalAuthorityFactory

from .test_workspace_import import GOOD, HEADER, upload, urls

pytestmark = pytest.mark.django_db


@pytest.fixture
def bodies(cast):
    """The council and Healthwatch that GOOD's rows name."""
    council = LocalAuthorityFactory(name="Aville Council", ons_code="E06009999")
    SystemLocalAuthorityFactory(ics=cast.partnership.ics, local_authority=council)
    OrganisationFactory(name="Healthwatch Aville", sector="healthwatch")


# A NUL character (PostgreSQL cannot store one in text)


def test_a_nul_character_in_a_row_is_refused_with_its_line():
    padding = "".join(f"Person,Number{n},,,member,,,vcse,,2025-04-01\n" for n in range(120))  # past 4 KB
    text = HEADER + padding + "Amina,Oka\x00for,,,member,,,vcse,,2025-04-01\n"
    assert len(text.encode()) > 4096
    with pytest.raises(ImportFileError, match="Line 122 contains a character that is not allowed"):
        rows_from_upload(upload(text))


def test_a_nul_character_early_in_the_file_is_refused_too():
    with pytest.raises(ImportFileError, match="Line 2 contains a character that is not allowed"):
        rows_from_upload(upload(HEADER + "Amina,Okafor\x00,,,member,,,vcse,,2025-04-01\n"))


def test_a_binary_file_is_still_called_binary():
    with pytest.raises(ImportFileError, match="looks like a spreadsheet or another binary file"):
        rows_from_upload(upload(b"\x00\x01\x02\x03" * 200))


def test_uploading_a_file_with_a_nul_character_shows_the_problem(client, cast):
    client.force_login(cast.secretariat)
    upload_url, _ = urls(cast.partnership)
    response = client.post(upload_url, {"file": upload(HEADER + "Amina,Okafor\x00,,,member,,,vcse,,2025-04-01\n")})
    assert response.status_code == 200
    assert "contains a character that is not allowed" in response.content.decode()
    assert f"membership-import-{cast.partnership.pk}" not in client.session


# Dates no partnership could mean


@pytest.mark.parametrize(
    ("column", "text"),
    [
        ("start_date", "1900-04-01"),
        ("start_date", "3000-04-01"),
        ("end_date", "01/04/3000"),
        ("end_date", "1999-12-31"),
    ],
)
def test_dates_outside_the_plausible_range_are_refused(cast, column, text):
    values = {"given_name": "Amina", "family_name": "Okafor", "sector": "vcse", "start_date": "2025-04-01"}
    values[column] = text
    if column == "end_date":
        values["end_reason"] = "Stood down"
    [row] = import_rows_check(partnership=cast.partnership, rows=[{"line": 2, "values": values}])
    assert any("Enter a date between" in message for message in row.errors.get(column, [])), row.errors


# Confirming the same import twice


def _preview(client, cast):
    upload_url, preview_url = urls(cast.partnership)
    client.force_login(cast.secretariat)
    assert client.post(upload_url, {"file": upload(GOOD)}).status_code == 302
    key = f"membership-import-{cast.partnership.pk}"
    return preview_url, key, client.session[key]


def test_a_second_confirm_of_the_same_preview_says_it_was_already_applied(client, cast, bodies):
    preview_url, _, pending = _preview(client, cast)
    first = client.post(preview_url, {"action": "confirm", "token": pending["token"]})
    assert first.status_code == 302
    count = Membership.objects.count()

    second = client.post(preview_url, {"action": "confirm", "token": pending["token"]}, follow=True)
    assert second.status_code == 200
    assert "This import has already been applied" in second.content.decode()
    assert Membership.objects.count() == count


def test_two_confirms_racing_with_the_same_preview_import_once(client, cast, bodies):
    """Two tabs (or a double click) both read the preview from the session before either
    finished: the second confirm arrives with the preview still there."""
    preview_url, key, pending = _preview(client, cast)
    assert client.post(preview_url, {"action": "confirm", "token": pending["token"]}).status_code == 302
    session = client.session
    session[key] = pending  # as the second request saw it
    session.save()
    people, memberships = Person.objects.count(), Membership.objects.count()

    second = client.post(preview_url, {"action": "confirm", "token": pending["token"]}, follow=True)
    assert second.status_code == 200
    assert "This import has already been applied" in second.content.decode()
    assert (Person.objects.count(), Membership.objects.count()) == (people, memberships)
    assert AuditEvent.objects.filter(action="membership.import.committed").count() == 1


def test_the_service_refuses_a_token_already_applied(cast, bodies):
    rows = rows_from_upload(upload(GOOD))
    services.membership_import(actor=cast.secretariat, partnership=cast.partnership, rows=rows, token="abc123")
    with pytest.raises(services.ImportAlreadyApplied):
        services.membership_import(actor=cast.secretariat, partnership=cast.partnership, rows=rows, token="abc123")
    assert AuditEvent.objects.filter(action="membership.import.committed").count() == 1


# Two people with the same name created at the same moment


def test_a_slug_taken_between_the_check_and_the_insert_is_retried(cast):
    """The other request inserts `jo-bloggs` after this one chose it: this one's insert hits
    the unique index, and it takes the next free slug instead of failing."""
    original = people_services._person_slug
    calls = []

    def racing_slug(*args, **kwargs):
        slug = original(*args, **kwargs)
        if not calls:
            PersonFactory(given_name="Jo", family_name="Bloggs", slug=slug)
        calls.append(slug)
        return slug

    with mock.patch.object(people_services, "_person_slug", racing_slug):
        person = services.person_create(
            actor=cast.secretariat, partnership=cast.partnership, given_name="Jo", family_name="Bloggs"
        )
    assert calls == ["jo-bloggs", "jo-bloggs-2"]
    assert person.slug == "jo-bloggs-2"
    assert Person.objects.filter(given_name="Jo", family_name="Bloggs").count() == 2


def test_a_slug_that_stays_taken_is_refused_with_a_message(cast):
    original = people_services._person_slug

    def always_taken(*args, **kwargs):
        slug = original(*args, **kwargs)
        PersonFactory(given_name="Jo", family_name="Bloggs", slug=slug)
        return slug

    with transaction.atomic(), mock.patch.object(people_services, "_person_slug", always_taken):
        with pytest.raises(ValidationError, match="Try again"):
            services.person_create(
                actor=cast.secretariat, partnership=cast.partnership, given_name="Jo", family_name="Bloggs"
            )
        # Nothing of the attempt is left, and the transaction is still usable (on PostgreSQL a
        # failed insert outside a savepoint would abort it).
        assert not Person.objects.filter(family_name="Bloggs").exists()
        assert PersonFactory(given_name="Jo", family_name="Bloggs").slug == "jo-bloggs"


def test_a_confirm_with_a_nul_in_its_token_is_out_of_date_not_an_error(client, cast, bodies):
    preview_url, _, pending = _preview(client, cast)
    response = client.post(preview_url, {"action": "confirm", "token": pending["token"] + "\x00"}, follow=True)
    assert response.status_code == 200
    assert "That preview is out of date" in response.content.decode()
    assert not AuditEvent.objects.filter(action="membership.import.committed").exists()
