"""Bulk import of members from CSV: the file checks, the per-row checks, the preview and the
all-or-nothing commit."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from membership import services
from membership.factories import MembershipFactory, PersonFactory, UserFactory
from membership.imports import MAX_ROWS, ImportFileError, import_rows_check, rows_from_upload
from membership.models import Membership, Person
from partnerships.factories import LocalAuthorityFactory, OrganisationFactory, SystemLocalAuthorityFactory

TODAY = timezone.localdate()
HEADER = "given_name,family_name,honorific,email,role,seat,organisation,sector,voting,start_date\n"


def upload(text: str | bytes, name="members.csv"):
    data = text.encode() if isinstance(text, str) else text
    return SimpleUploadedFile(name, data, content_type="text/csv")


@pytest.fixture
def bodies(cast):
    """The cast's system, with a council in it and a Healthwatch."""
    council = LocalAuthorityFactory(name="Aville Council", ons_code="E06009999")
    SystemLocalAuthorityFactory(ics=cast.partnership.ics, local_authority=council)
    OrganisationFactory(name="Healthwatch Aville", sector="healthwatch")
    return cast.partnership.ics.icb, council


GOOD = (
    HEADER
    + "Amina,Okafor,Cllr,amina@example.gov.uk,member,Leader of the council,E06009999,,yes,2025-04-01\n"
    + "Tom,Reyes,Dr,,,Director of Public Health,aville council,,,01/04/2025\n"
    + "Priya,Shah,,priya@example.org,observer,Healthwatch representative,Healthwatch Aville,,,2025-04-01\n"
    + "Sam,Vcse,,,participant,VCSE alliance,,Voluntary community and social enterprise,no,2025-04-01\n"
)


# Reading the file


def test_a_good_file_becomes_plain_rows():
    rows = rows_from_upload(upload("\ufeff" + HEADER + "\n" + "Amina,Okafor,,,,,,vcse,,2025-04-01\n\n"))
    assert rows == [
        {
            "line": 3,
            "values": {
                "given_name": "Amina",
                "family_name": "Okafor",
                "honorific": "",
                "email": "",
                "role": "",
                "seat": "",
                "organisation": "",
                "sector": "vcse",
                "voting": "",
                "start_date": "2025-04-01",
            },
            "extra": False,
        }
    ]


def test_spreadsheet_headings_are_understood():
    rows = rows_from_upload(upload("First name,Surname,Start date,Organization\nAmina,Okafor,2025-04-01,QHM\n"))
    assert rows[0]["values"] == {
        "given_name": "Amina",
        "family_name": "Okafor",
        "start_date": "2025-04-01",
        "organisation": "QHM",
    }


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("members.csv", b"", "The file is empty."),
        ("members.xlsx", HEADER.encode(), "must be a CSV file"),
        ("members.csv", b"PK\x03\x04\x14\x00\x06\x00", "looks like a spreadsheet"),
        (
            "members.csv",
            (HEADER + "Zo\xe9,Okafor\n").encode("latin-1"),
            "not in the UTF-8 encoding (the first problem is on line 2)",
        ),
        ("members.csv", b"given_name,family_name,start_date,shoe_size\n", "does not know: 'shoe_size'"),
        ("members.csv", b"given_name,start_date\nAmina,2025-04-01\n", "has no family_name column"),
        ("members.csv", b"given_name,family_name,start_date,Given name\n", "more than one given_name column"),
        ("members.csv", HEADER.encode(), "has no members in it"),
        ("members.csv", b'given_name,family_name,start_date\n"Amina,Okafor\n', "could not be read as CSV"),
    ],
)
def test_bad_files_are_refused_with_a_clear_reason(name, data, message):
    with pytest.raises(ImportFileError) as caught:
        rows_from_upload(upload(data, name=name))
    assert message in str(caught.value)


def test_files_over_the_size_and_row_limits_are_refused():
    too_many = HEADER + "Amina,Okafor,,,,,,vcse,,2025-04-01\n" * (MAX_ROWS + 1)
    with pytest.raises(ImportFileError, match=f"more than {MAX_ROWS} members"):
        rows_from_upload(upload(too_many))
    too_big = upload(HEADER + "x" * (1024 * 1024))
    with pytest.raises(ImportFileError, match="larger than 1 MB"):
        rows_from_upload(too_big)


# Checking the rows


def check(partnership, text):
    return import_rows_check(partnership=partnership, rows=rows_from_upload(upload(text)))


def test_good_rows_resolve_organisations_people_and_defaults(cast, bodies):
    icb, council = bodies
    rows = check(cast.partnership, GOOD)
    assert [row.errors for row in rows] == [{}, {}, {}, {}]
    amina, tom, priya, sam = rows
    assert (amina.organisation, amina.sector, amina.is_voting) == (council, "local_authority", True)
    # Matched by name, the council comes back as its Organisation row: the same body.
    assert (tom.organisation.pk, tom.start_date, tom.role) == (council.pk, dt.date(2025, 4, 1), "member")
    assert (priya.sector, priya.is_voting) == ("healthwatch", False)  # observers do not vote unless told
    assert (sam.organisation, sam.sector, sam.is_voting) == (None, "vcse", False)
    assert all(row.person is None for row in rows)


def test_rows_are_matched_to_people_of_the_system(cast, bodies):
    existing = PersonFactory(
        given_name="Amina", family_name="Okafor", email="AMINA@example.gov.uk", added_for=cast.partnership
    )
    same_name = PersonFactory(given_name="Tom", family_name="Reyes", added_for=cast.partnership)
    PersonFactory(given_name="Priya", family_name="Shah", email="priya@example.org")  # not in this system
    amina, tom, priya, sam = check(cast.partnership, GOOD)
    assert (amina.person, tom.person, priya.person) == (existing, same_name, None)


def test_every_problem_is_reported_per_row_and_column(cast, bodies):
    member = cast.partnership.memberships.get(person__user=cast.member).person
    member.added_for = cast.partnership  # so its secretariat knows their email address
    member.save()
    text = (
        HEADER
        + ",Okafor,,not-an-email,chairman,,Atlantis Council,,perhaps,2025-13-01\n"
        + f"{member.given_name},{member.family_name},,{member.email},member,,,vcse,,2025-04-01\n"
        + "Lee,Twice,,lee@example.org,member,,,vcse,,2025-04-01\n"
        + "Lee,Twice,,lee@example.org,member,,,vcse,,2025-06-01\n"
        + "No,Sector,,,member,,,,,2025-04-01\n"
        + "Odd,Sector,,,member,,,space,,2025-04-01,surplus\n"
    )
    first, existing, once, twice, no_sector, extra = check(cast.partnership, text)
    assert first.errors == {
        "given_name": ["Enter the given name."],
        "email": ["‘not-an-email’ is not an email address."],
        "role": ["‘chairman’ is not a role: use member, participant, observer or adviser."],
        "organisation": [
            "No organisation is called or coded ‘Atlantis Council’. Use its name as the portal has it, "
            "or its ODS or ONS code."
        ],
        "voting": ["‘perhaps’ is not yes or no."],
        "start_date": ["‘2025-13-01’ is not a date: write it as YYYY-MM-DD or DD/MM/YYYY, for example 2025-04-01."],
    }
    assert existing.errors[""][0].startswith(f"{member} already has a membership of this partnership from")
    assert once.errors == {}
    assert twice.errors == {"": ["Line 4 is the same person for some of the same dates."]}
    assert no_sector.errors == {"sector": ["Give the sector this seat represents, or the organisation."]}
    assert extra.errors[""] == ["This row has more values than the file has columns."]
    assert "sector" in extra.errors
    assert [label for label, _ in first.error_list][:2] == ["Given name", "Email"]


def test_an_ambiguous_name_needs_an_email_or_a_code(cast, bodies):
    PersonFactory(given_name="Jo", family_name="Smith", slug="jo-smith-1", added_for=cast.partnership)
    PersonFactory(given_name="Jo", family_name="Smith", slug="jo-smith-2", added_for=cast.partnership)
    OrganisationFactory(name="Carers Trust")
    OrganisationFactory(name="Carers Trust")
    [row] = check(cast.partnership, HEADER + "Jo,Smith,,,member,,Carers Trust,,,2025-04-01\n")
    assert row.errors["email"] == [
        "Several people in this system are called Jo Smith: add their email address to say which."
    ]
    assert row.errors["organisation"] == [
        "Several organisations are called ‘Carers Trust’: use its ODS or ONS code instead."
    ]


def test_checking_uses_a_fixed_number_of_queries(cast, bodies, django_assert_max_num_queries):
    many = HEADER + "".join(f"Person,Number{n},,,member,,E06009999,,,2025-04-01\n" for n in range(200))
    rows = rows_from_upload(upload(many))
    with django_assert_max_num_queries(6):
        checked = import_rows_check(partnership=cast.partnership, rows=rows)
    assert not any(row.errors for row in checked)


# Committing


def test_import_commits_every_row_with_people_and_audit(cast, bodies):
    actor = cast.secretariat
    existing = PersonFactory(given_name="Tom", family_name="Reyes", added_for=cast.partnership)
    result = services.membership_import(
        actor=actor, partnership=cast.partnership, rows=rows_from_upload(upload(GOOD)), file_name="members.csv"
    )
    assert len(result.memberships) == 4
    assert result.people_created == 3
    assert Membership.objects.filter(partnership=cast.partnership, person=existing).exists()
    amina = Person.objects.get(email="amina@example.gov.uk")
    assert (amina.honorific, amina.added_for) == ("Cllr", cast.partnership)
    assert AuditEvent.objects.filter(action="membership.membership.added").count() == 4
    summary = AuditEvent.objects.get(action="membership.import.committed")
    assert summary.changes == {"file": "members.csv", "memberships": 4, "people_created": 3}


def test_import_commits_nothing_when_any_row_is_bad(cast, bodies):
    people, memberships = Person.objects.count(), Membership.objects.count()
    bad = GOOD + "Extra,Person,,,member,,Atlantis,,,2025-04-01\n"
    with pytest.raises(ValidationError, match="1 row of the file has problems, so nothing was imported"):
        services.membership_import(
            actor=cast.secretariat, partnership=cast.partnership, rows=rows_from_upload(upload(bad))
        )
    assert (Person.objects.count(), Membership.objects.count()) == (people, memberships)
    assert not AuditEvent.objects.exists()


# The pages


@pytest.fixture
def secretariat_client(client, cast):
    client.force_login(cast.secretariat)
    return client


def urls(partnership):
    return (
        reverse("workspace:import_upload", args=[partnership.slug]),
        reverse("workspace:import_preview", args=[partnership.slug]),
    )


def test_upload_preview_and_confirm(secretariat_client, cast, bodies):
    upload_url, preview_url = urls(cast.partnership)
    response = secretariat_client.post(upload_url, {"file": upload(GOOD)})
    assert response.status_code == 302
    assert response["Location"] == preview_url
    assert Membership.objects.filter(partnership=cast.partnership).count() == 1  # only the cast's member

    preview = secretariat_client.get(preview_url)
    page = preview.content.decode()
    assert page.count(">Ready<") == 4
    assert "Import 4 memberships" in page
    assert "3 new people" in page or "4 new people" in page

    token = secretariat_client.session[f"membership-import-{cast.partnership.pk}"]["token"]
    response = secretariat_client.post(preview_url, {"action": "confirm", "token": token}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("workspace:dashboard", args=[cast.partnership.slug])
    assert "4 memberships imported from members.csv, with 4 new people." in response.content.decode()
    assert Membership.objects.filter(partnership=cast.partnership).count() == 5
    assert f"membership-import-{cast.partnership.pk}" not in secretariat_client.session


def test_preview_shows_each_rows_errors_and_offers_no_import(secretariat_client, cast, bodies):
    upload_url, preview_url = urls(cast.partnership)
    bad = GOOD + "Extra,Person,,,member,,Atlantis,,,2025-02-30\n"
    secretariat_client.post(upload_url, {"file": upload(bad)})
    page = secretariat_client.get(preview_url).content.decode()
    assert "1 row of the file has problems" in page
    assert 'href="#line-6"' in page
    assert "No organisation is called or coded ‘Atlantis’" in page
    assert "‘2025-02-30’ is not a date" in page
    assert "Import 5" not in page
    # Posting the confirmation anyway imports nothing.
    token = secretariat_client.session[f"membership-import-{cast.partnership.pk}"]["token"]
    response = secretariat_client.post(preview_url, {"action": "confirm", "token": token})
    assert response.status_code == 200
    assert "so nothing was imported" in response.content.decode()
    assert Membership.objects.filter(partnership=cast.partnership).count() == 1


def test_rows_are_checked_again_when_confirmed(secretariat_client, cast, bodies):
    upload_url, preview_url = urls(cast.partnership)
    secretariat_client.post(upload_url, {"file": upload(GOOD)})
    token = secretariat_client.session[f"membership-import-{cast.partnership.pk}"]["token"]
    # Meanwhile a colleague adds Amina by hand.
    amina = PersonFactory(
        given_name="Amina", family_name="Okafor", email="amina@example.gov.uk", added_for=cast.partnership
    )
    MembershipFactory(partnership=cast.partnership, person=amina, start_date=dt.date(2025, 1, 1))
    response = secretariat_client.post(preview_url, {"action": "confirm", "token": token})
    assert response.status_code == 200
    assert "Amina Okafor already has a membership" in response.content.decode()
    assert Membership.objects.filter(partnership=cast.partnership).count() == 2


def test_a_stale_preview_imports_nothing(secretariat_client, cast, bodies):
    upload_url, preview_url = urls(cast.partnership)
    secretariat_client.post(upload_url, {"file": upload(GOOD)})
    response = secretariat_client.post(preview_url, {"action": "confirm", "token": "not-the-token"}, follow=True)
    assert "That preview is out of date" in response.content.decode()
    assert Membership.objects.filter(partnership=cast.partnership).count() == 1


def test_cancel_forgets_the_upload(secretariat_client, cast, bodies):
    upload_url, preview_url = urls(cast.partnership)
    secretariat_client.post(upload_url, {"file": upload(GOOD)})
    response = secretariat_client.post(preview_url, {"action": "cancel"}, follow=True)
    assert "The import was cancelled" in response.content.decode()
    assert "There is no file waiting" in secretariat_client.get(preview_url).content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choose a CSV file to upload."),
        ({"file": upload(b"\x89PNG\r\n\x1a\n\x00\x00", name="photo.csv")}, "looks like a spreadsheet"),
        ({"file": upload(HEADER.encode("utf-16"))}, "The file is in the UTF-16 encoding, not UTF-8."),
    ],
)
def test_a_bad_upload_shows_the_reason_in_the_error_summary(secretariat_client, cast, data, message):
    upload_url, _ = urls(cast.partnership)
    response = secretariat_client.post(upload_url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert message in page
    assert 'href="#id_file"' in page


def test_one_partnerships_upload_cannot_be_confirmed_on_another(client, cast, bodies):
    # The pending rows are kept per partnership, so a preview belongs to the partnership it was made on.
    other_secretariat = UserFactory()
    from membership.factories import SecretariatAssignmentFactory
    from membership.permissions import permissions_sync

    SecretariatAssignmentFactory(partnership=cast.other_partnership, user=other_secretariat)
    SecretariatAssignmentFactory(partnership=cast.partnership, user=other_secretariat)
    permissions_sync(cast.partnership)
    permissions_sync(cast.other_partnership)
    client.force_login(other_secretariat)
    client.post(urls(cast.partnership)[0], {"file": upload(GOOD)})
    page = client.get(urls(cast.other_partnership)[1]).content.decode()
    assert "There is no file waiting" in page
