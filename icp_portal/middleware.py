"""Cache headers for every page that does not set its own.

`ConditionalGetMiddleware` (in settings) gives each page an ETag and answers a matching
If-None-Match with 304. `PublicCacheMiddleware` then says who may keep a copy:

- anonymous readers of public pages: anyone, provided they revalidate with the ETag before each
  use (`public, no-cache`): a page must show a withdrawal on the very next request, and a 304 is
  cheap (the page cache, icp_portal/pagecache.py, answers it without rendering);
- anyone with a session: only their own browser (`private`). Pages show who is signed in
  ("Sign out", their name) and, for members, exempt material: never in a shared cache.

Views that set Cache-Control themselves (meetings pages, feeds, paper and document
downloads, never_cache views such as sign-in and /healthz) are left alone.
"""

from django.conf import settings
from django.shortcuts import render
from django.utils.cache import patch_cache_control, patch_vary_headers

CACHEABLE_METHODS = ("GET", "HEAD")


def _has_session(request) -> bool:
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return True
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


def _is_shareable(request, response) -> bool:
    """An anonymous 200 to GET or HEAD that hands out nothing personal: no cookie set on the
    way out (a CSRF token, a message, a new session) and no CSRF token in the page."""
    if request.method not in CACHEABLE_METHODS or response.status_code != 200:
        return False
    if response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    session = getattr(request, "session", None)
    return not (session is not None and session.modified)


class PublicCacheMiddleware:
    """Place it after SessionMiddleware and before CsrfViewMiddleware, so that it sees the
    cookies CSRF and messages set on the way out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.has_header("Cache-Control"):
            return response
        if _has_session(request):
            patch_cache_control(response, private=True)
        elif _is_shareable(request, response):
            patch_cache_control(response, public=True, no_cache=True)
            # A shared cache must not hand the anonymous copy to someone with a session cookie.
            patch_vary_headers(response, ("Cookie",))
        return response


def _holds_nul(pairs) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in pairs)


class RefuseNulMiddleware:
    """Answer 400, with a page that says why, to a request whose query string or cookies hold
    a NUL character (``%00`` in an address, ``\\000`` in a quoted cookie).

    PostgreSQL cannot store or compare text containing NUL: a search box, a filter or a slug
    taken from the query string, or a session key taken from its cookie, would fail with a
    server error. Form fields refuse NUL themselves (Django's `CharField`); query-string
    parameters and cookies reach views and the session store as plain strings, so they are
    checked here once for every view. Nobody types a NUL; it comes from a damaged link or a
    probe. Place it before anything reads the session."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _holds_nul(request.GET.lists()):
            return self._refuse(request, "The address contains a character that is not allowed. Check the link.")
        if _holds_nul((name, [value]) for name, value in request.COOKIES.items()):
            return self._refuse(
                request, "Your browser sent a cookie with a character that is not allowed. Clear this site's cookies."
            )
        return self.get_response(request)

    @staticmethod
    def _refuse(request, reason: str):
        response = render(request, "400.html", {"reason": reason}, status=400)
        response["Cache-Control"] = "no-store"
        return response
