"""CSV downloads of meetings, decisions and actions from their public pages: the public record,
whoever downloads it."""

import csv
import io

import pytest
from django.urls import reverse

from meetings.factories import DecisionFactory
from membership.factories import MembershipFactory, UserFactory
from membership.permissions import permissions_sync

PAGES = {
    "api:meetings_csv": "meetings:list",
    "api:decisions_csv": "record:public_decisions",
    "api:actions_csv": "record:public_actions",
}


def rows(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    return list(csv.reader(io.StringIO(response.content.decode())))


@pytest.mark.parametrize(("export", "page"), PAGES.items())
def test_each_public_page_links_to_its_csv(client, record, export, page):
    url = reverse(export, args=[record.icp.slug])
    html = client.get(reverse(page, args=[record.icp.slug])).content.decode()
    assert f'href="{url}"' in html
    assert "Download as CSV" in html


def test_the_meetings_csv_has_the_public_meetings(client, record):
    table = rows(client.get(reverse("api:meetings_csv", args=[record.icp.slug])))
    assert table[0][:2] == ["id", "name"]
    names = [row[1] for row in table[1:]]
    assert names == ["Board in public", "Next board"]  # in date order; no private session


@pytest.mark.parametrize("who", ["anonymous", "member"])
def test_the_decisions_and_actions_csv_hold_no_exempt_or_private_record(client, record, who):
    if who == "member":
        user = UserFactory()
        MembershipFactory(partnership=record.icp, person__user=user)
        permissions_sync(record.icp)
        client.force_login(user)
        # The member's own page shows exempt decisions; the file they may pass on does not.
        page = client.get(reverse("record:public_decisions", args=[record.icp.slug])).content.decode()
        assert "Secret award decision" in page
    for export in ("api:decisions_csv", "api:actions_csv", "api:meetings_csv"):
        text = client.get(reverse(export, args=[record.icp.slug])).content.decode()
        assert "Secret" not in text, export
    decisions = rows(client.get(reverse("api:decisions_csv", args=[record.icp.slug])))
    assert [row[5] for row in decisions[1:]] == ["The winter plan was agreed."]
    actions = rows(client.get(reverse("api:actions_csv", args=[record.icp.slug])))
    assert [row[4] for row in actions[1:]] == ["Report on winter progress."]


def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_written_as_text(client, record):
    DecisionFactory(meeting=record.held, agenda_item=record.public_item, wording='=HYPERLINK("http://x","y")')
    decisions = rows(client.get(reverse("api:decisions_csv", args=[record.icp.slug])))
    assert '\'=HYPERLINK("http://x","y")' in [row[5] for row in decisions]


def test_an_unknown_or_wound_up_partnership_is_a_404(client, record):
    assert client.get(reverse("api:decisions_csv", args=["no-such-partnership"])).status_code == 404
    assert client.get(reverse("api:meetings_csv", args=[record.ended.slug])).status_code == 404


def test_a_csv_has_an_etag(client, record):
    url = reverse("api:actions_csv", args=[record.icp.slug])
    etag = client.get(url)["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
