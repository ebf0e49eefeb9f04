"""Cache headers for every page that does not set its own.

`ConditionalGetMiddleware` (in settings) gives each page an ETag and answers a matching
If-None-Match with 304. `PublicCacheMiddleware` then says who may keep a copy:

- anonymous readers of public pages: anyone, for a minute (`public, max-age=60`), so browsers
  and shared caches serve repeat visits and revalidate cheaply with the ETag;
- anyone with a session: only their own browser (`private`). Pages show who is signed in
  ("Sign out", their name) and, for members, exempt material: never in a shared cache.

Views that set Cache-Control themselves (meetings pages, feeds, paper and document
downloads, never_cache views such as sign-in and /healthz) are left alone.
"""

from django.conf import settings
from django.utils.cache import patch_cache_control, patch_vary_headers

PUBLIC_MAX_AGE = 60  # seconds
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
            patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
            # A shared cache must not hand the anonymous copy to someone with a session cookie.
            patch_vary_headers(response, ("Cookie",))
        return response
