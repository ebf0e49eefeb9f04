"""The Atom feed carries user text as text: a title or venue is never markup in a reader.

Atom's <summary type="html"> is escaped twice on the way out: once as HTML (the text inside the
summary is HTML) and once as XML. The XML parser undoes only the second, so what a reader gets
must still show `&lt;script&gt;`, never `<script>`.
"""

import xml.etree.ElementTree as ET

import feedparser
import pytest
from django.urls import reverse

from meetings import services
from meetings.factories import MeetingFactory

from .conftest import in_days

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SCRIPT = "<script>alert(1)</script>"
AMPERSAND = "Tom & Jerry's"


@pytest.fixture
def hostile_meeting(cast):
    meeting = MeetingFactory(
        partnership=cast.partnership,
        title=f"Board {SCRIPT} {AMPERSAND}",
        venue=f"Hall {SCRIPT} {AMPERSAND}",
        starts_at=in_days(30),
    )
    services.agenda_item_add(meeting=meeting, actor=None, title=f"Item {SCRIPT} {AMPERSAND}")
    services.agenda_publish(meeting=meeting, actor=None)
    # A postponed meeting's notice is part of the summary too.
    services.meeting_cancel(meeting=meeting, actor=None, notice=f"Notice {SCRIPT} {AMPERSAND}", postpone=True)
    return meeting


def _feed(client, cast) -> ET.Element:
    """The feed as XML. ElementTree, not feedparser: feedparser sanitises HTML and would hide
    the very markup we look for. (Our own response, so S314's untrusted-XML worry does not apply.)"""
    response = client.get(reverse("meetings:feed", args=[cast.partnership.slug]))
    assert response.status_code == 200
    return ET.fromstring(response.content)  # noqa: S314


def _entry(client, cast) -> ET.Element:
    entries = _feed(client, cast).findall(f"{ATOM}entry")
    assert len(entries) == 1
    return entries[0]


def test_summary_is_html_with_user_text_escaped(client, cast, hostile_meeting):
    summary = _entry(client, cast).find(f"{ATOM}summary")
    assert summary.get("type") == "html"
    html = summary.text  # after XML unescaping: the HTML a reader will parse
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Hall &lt;script&gt;alert(1)&lt;/script&gt; Tom &amp; Jerry&#x27;s" in html
    assert "Notice &lt;script&gt;alert(1)&lt;/script&gt; Tom &amp; Jerry&#x27;s" in html


def test_title_is_plain_text(client, cast, hostile_meeting):
    """<title> has no type, so it is text: escaped once for XML, shown literally by readers."""
    title = _entry(client, cast).find(f"{ATOM}title")
    assert title.get("type") in (None, "text")
    assert f"Board {SCRIPT} {AMPERSAND}" in title.text


def test_feed_reader_shows_the_text_not_markup(client, cast, hostile_meeting):
    response = client.get(reverse("meetings:feed", args=[cast.partnership.slug]))
    entry = feedparser.parse(response.content).entries[0]
    # feedparser sanitises the HTML summary as a reader would: escaped, the script survives as text.
    assert "&lt;script&gt;" in entry.summary
    assert "<script>" not in entry.summary
    assert "Tom &amp; Jerry" in entry.summary
    assert entry.title.startswith(f"Agenda published: Board {SCRIPT} {AMPERSAND}")


def test_no_html_element_of_the_feed_carries_markup_from_user_text(client, cast, hostile_meeting):
    """Whatever the feed grows to include (items, papers), every type="html" element is escaped."""
    html_elements = [e for e in _feed(client, cast).iter() if e.get("type") in ("html", "xhtml")]
    assert html_elements
    for element in html_elements:
        assert "<script" not in (element.text or "")
        assert "Jerry's" not in (element.text or "")  # escaped as &#x27;, and & as &amp;
