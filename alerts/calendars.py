"""Calendar subscription links: the same iCalendar address as https:// (Google, Outlook on
the web) and webcal:// (which Apple Calendar and desktop Outlook open as a subscription)."""

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings


@dataclass(frozen=True)
class CalendarLinks:
    name: str
    https: str
    webcal: str


def webcal_url(path: str) -> str:
    """The webcal:// address of a calendar at `path` on this site."""
    return f"webcal://{urlsplit(settings.SITE_URL).netloc}{path}"


def calendar_links(name: str, path: str) -> CalendarLinks:
    return CalendarLinks(name=name, https=f"{settings.SITE_URL}{path}", webcal=webcal_url(path))
