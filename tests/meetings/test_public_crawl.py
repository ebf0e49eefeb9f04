"""A logged-out crawl of every public page and feed of a partnership whose published agenda
has an exempt item with a paper and a public item with a restricted paper: nothing exempt
(paper titles, the public interest reason, file addresses or file contents) is reachable.
A member, signed in, sees all of it."""

import re
from collections import deque

import pytest
from django.urls import reverse

from meetings import services
from meetings.factories import MeetingFactory, minimal_pdf

from .conftest import body, in_days, pdf_file

pytestmark = pytest.mark.django_db

EXEMPT_PAPER_TITLE = "Tender evaluation matrix QZX-EXEMPT-TITLE"
EXEMPT_REASON = "Bidders' prices QZX-EXEMPT-REASON would prejudice the procurement"
EXEMPT_BYTES = "QZX-EXEMPT-FILE-CONTENT"
RESTRICTED_TITLE = "Appendix C provider rates QZX-RESTRICTED-TITLE"
RESTRICTED_BYTES = "QZX-RESTRICTED-FILE-CONTENT"
PRIVATE_TITLE = "Chief executives QZX-PRIVATE-SESSION"
PUBLIC_BYTES = "QZX-PUBLIC-FILE-CONTENT"

LINK = re.compile(
    r"""(?:https?://[^/\s"'<>]+)?(/(?:partnerships|systems|papers|people|documents)/[^\s"'<>#?]*(?:\?[^\s"'<>#]*)?)"""
)

QUERY_LINK = re.compile(r'href="\?([^"#]*)')


@pytest.fixture
def published(cast):
    p = cast.partnership
    meeting = MeetingFactory(partnership=p, title="Partnership board", starts_at=in_days(30))
    public_item = services.agenda_item_add(meeting=meeting, actor=None, title="Integrated care strategy refresh")
    public_paper = services.paper_upload(
        item=public_item, actor=None, title="Draft strategy", file=pdf_file("strategy.pdf", minimal_pdf(PUBLIC_BYTES))
    )
    restricted = services.paper_upload(
        item=public_item,
        actor=None,
        title=RESTRICTED_TITLE,
        file=pdf_file("rates.pdf", minimal_pdf(RESTRICTED_BYTES)),
        restricted=True,
    )
    exempt_item = services.agenda_item_add(
        meeting=meeting,
        actor=None,
        title="Community services contract award",
        is_exempt=True,
        exempt_paragraph=3,
        exempt_reason=EXEMPT_REASON,
    )
    exempt = services.paper_upload(
        item=exempt_item, actor=None, title=EXEMPT_PAPER_TITLE, file=pdf_file("tender.pdf", minimal_pdf(EXEMPT_BYTES))
    )
    services.agenda_publish(meeting=meeting, actor=None)

    private = MeetingFactory(partnership=p, title=PRIVATE_TITLE, starts_at=in_days(31), is_public=False)
    services.agenda_item_add(meeting=private, actor=None, title="Away day")
    services.agenda_publish(meeting=private, actor=None)

    past = MeetingFactory(partnership=p, title="Last board", starts_at=in_days(-60))
    services.agenda_item_add(meeting=past, actor=None, title="Budget")
    services.agenda_publish(meeting=past, actor=None, late_reason="The budget had to be set before April.")
    cancelled = MeetingFactory(partnership=p, title="Extra meeting", starts_at=in_days(50))
    services.meeting_cancel(meeting=cancelled, actor=None, notice="No business.")
    return {
        "meeting": meeting,
        "public_paper": public_paper,
        "hidden_urls": [
            reverse("meetings:paper", args=[restricted.current_version.token]),
            reverse("meetings:paper", args=[exempt.current_version.token]),
            private.get_absolute_url(),
        ],
    }


def _secrets(hidden_urls):
    return [
        EXEMPT_PAPER_TITLE,
        EXEMPT_REASON,
        EXEMPT_BYTES,
        RESTRICTED_TITLE,
        RESTRICTED_BYTES,
        PRIVATE_TITLE,
        *hidden_urls,
    ]


def _text(content: bytes) -> str:
    # HTML escapes apostrophes; undo the common escapes so that a leak cannot hide behind them.
    text = content.decode("utf-8", "replace")
    return text.replace("&#x27;", "'").replace("&#39;", "'").replace("&quot;", '"').replace("&amp;", "&")


def _crawl(client, start: list[str], slug: str, ics_slug: str) -> dict[str, str]:
    """Every same-site page, feed and file reachable from `start`, within the partnership and
    its system, as {path: body text}."""
    seen, queue, pages = set(start), deque(start), {}
    while queue and len(pages) < 300:
        path = queue.popleft()
        response = client.get(path)
        content = body(response)
        pages[path] = (response.status_code, _text(content))
        if response.status_code != 200 or response["Content-Type"].startswith("application/pdf"):
            continue
        relative = [path.split("?")[0] + "?" + query for query in QUERY_LINK.findall(_text(content))]
        for link in [*LINK.findall(_text(content)), *relative]:
            allowed = (
                link.startswith((f"/partnerships/{slug}/", f"/systems/{ics_slug}/", "/papers/", "/documents/"))
                or link == f"/partnerships/{slug}/meetings.ics"
            )
            if allowed and link not in seen:
                seen.add(link)
                queue.append(link)
    return pages


def test_logged_out_crawl_reaches_nothing_exempt(client, cast, published):
    slug, ics_slug = cast.partnership.slug, cast.partnership.ics.slug
    start = [
        reverse("meetings:list", args=[slug]),
        published["meeting"].get_absolute_url(),
        reverse("meetings:calendar", args=[slug]),
        reverse("meetings:system_calendar", args=[ics_slug]),
        reverse("meetings:feed", args=[slug]),
    ]
    pages = _crawl(client, start, slug, ics_slug)

    # The crawl really went everywhere: pages, feeds and the public paper.
    public_file = reverse("meetings:paper", args=[published["public_paper"].current_version.token])
    assert public_file in pages and PUBLIC_BYTES in pages[public_file][1]
    assert all(pages[path][0] == 200 for path in start)
    meeting_page = pages[published["meeting"].get_absolute_url()][1]
    assert "Community services contract award" in meeting_page
    assert "Exempt under paragraph 3 of Schedule 12A" in meeting_page
    assert len(pages) >= 8
    assert any("?year=" in path for path in pages)

    for path, (_, text) in pages.items():
        for secret in _secrets(published["hidden_urls"]):
            assert secret not in text, f"{secret!r} is reachable at {path}"

    # Asked for directly, the hidden addresses do not exist for the public.
    for url in published["hidden_urls"]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert EXEMPT_BYTES not in _text(body(response))


def test_a_signed_in_member_sees_the_exempt_material(client, cast, published):
    client.force_login(cast.member)
    page = _text(client.get(published["meeting"].get_absolute_url()).content)
    assert EXEMPT_PAPER_TITLE in page and RESTRICTED_TITLE in page and EXEMPT_REASON in page
    assert "Exempt – not for publication" in page
    for url in published["hidden_urls"][:2]:
        assert url in page
        response = client.get(url)
        assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
        content = _text(body(response))
        assert EXEMPT_BYTES in content or RESTRICTED_BYTES in content
    assert PRIVATE_TITLE in _text(client.get(reverse("meetings:list", args=[cast.partnership.slug])).content)

    # Feeds stay public whoever asks for them.
    for url in (
        reverse("meetings:calendar", args=[cast.partnership.slug]),
        reverse("meetings:feed", args=[cast.partnership.slug]),
    ):
        text = _text(client.get(url).content)
        assert EXEMPT_PAPER_TITLE not in text and PRIVATE_TITLE not in text
