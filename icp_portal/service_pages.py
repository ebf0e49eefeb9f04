"""The pages every public service owes its users, linked from every page's footer: the
accessibility statement, the privacy notice, cookies, contact and feedback, and a service status
page for people (the `/healthz/*` JSON endpoints stay as they are, for machines).

The accessibility statement follows the GOV.UK model for the Public Sector Bodies (Websites and
Mobile Applications) (No. 2) Accessibility Regulations 2018. Its list of public papers whose file
has no tags is computed when the page is read, from the papers the public may read now
(`Paper.objects.public()`) and what was recorded when each file was checked
(`PdfAccessibility`), so it is never a copy that goes stale.
"""

import datetime as dt

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from meetings.models import Paper, PdfAccessibility

from . import health

# When the statement was prepared and last reviewed (the regulations ask for both).
STATEMENT_PREPARED_ON = dt.date(2026, 11, 30)
UNTAGGED_PAGE_SIZE = 50


def untagged_public_papers():
    """Papers the public may read now whose current file has no tags, newest meeting first."""
    untagged = PdfAccessibility.objects.filter(is_tagged=False).values("sha256")
    return (
        Paper.objects.public()
        .filter(current_version__sha256__in=untagged)
        .select_related("agenda_item__meeting__partnership", "current_version")
        .order_by("-agenda_item__meeting__starts_at", "agenda_item__position", "position", "pk")
    )


def _context(**more) -> dict:
    return {
        "operator": settings.PORTAL_OPERATOR,
        "contact_email": settings.PORTAL_CONTACT_EMAIL,
        **more,
    }


def accessibility(request):
    papers = Paginator(untagged_public_papers(), UNTAGGED_PAGE_SIZE).get_page(request.GET.get("page"))
    context = _context(papers=papers, prepared_on=STATEMENT_PREPARED_ON)
    return render(request, "service/accessibility.html", context)


def privacy(request):
    return render(request, "service/privacy.html", _context())


def cookies(request):
    context = _context(
        session_cookie=settings.SESSION_COOKIE_NAME,
        csrf_cookie=settings.CSRF_COOKIE_NAME,
        session_days=settings.SESSION_COOKIE_AGE // 86400,
    )
    return render(request, "service/cookies.html", context)


def contact(request):
    return render(request, "service/contact.html", _context())


STATUS_WORDS = {
    "database": "Saving and reading the record",
    "cache": "Keeping pages quick and counting sign-in attempts",
    "broker": "Passing work to the background workers",
    "workers": "Background workers (building PDFs, sending email)",
    "beat": "The scheduler of daily work",
    "schedule": "Daily work being done (permissions, reminders, retries)",
}


def _results(checks) -> list[dict]:
    rows = []
    for name, check in checks:
        try:
            check()
        except Exception:  # noqa: BLE001 - down, whatever the reason; the JSON endpoints say why
            up = False
        else:
            up = True
        rows.append({"name": STATUS_WORDS.get(name, name), "up": up})
    return rows


@never_cache
def status(request):
    """Whether the service is working, in words: the same checks as `/healthz/ready` and
    `/healthz/deps`, without their error details (those are for the people who run it)."""
    rows = _results(health.readiness_checks()) + _results(health.dependency_checks())
    healthy = all(row["up"] for row in rows)
    context = {"rows": rows, "healthy": healthy, "full_mode": settings.FULL_MODE}
    # A page for people, answered 200 whatever it reports: an error status would make proxies and
    # browsers show their own error page instead of ours. Machines read `/healthz/*` for 503s.
    return render(request, "service/status.html", context)
