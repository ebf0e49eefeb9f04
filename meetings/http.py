"""Cache headers for the public meeting pages, feeds and papers.

Anonymous pages may be kept by anyone, but only if they check the ETag with us before each use
(`public, no-cache`): the public record must be current on the very next request, and a 304
costs us almost nothing, since the page cache (icp_portal/pagecache.py) answers it from the
page's version without rendering. What a signed-in reader sees may include exempt material, so
it is private to their browser; an exempt paper is never stored at all. ETags and 304s come
from Django's `ConditionalGetMiddleware` (in settings) and, for cached pages, from the page
cache's key.
"""

from functools import wraps

from django.utils.cache import patch_cache_control, patch_vary_headers


def cache_publicly(response, *, revalidate: bool = True):
    """Let anyone cache `response`, if they check its ETag with us before each use: anything
    public can be restricted or withdrawn at any time. (`revalidate` is kept for callers; a
    copy kept for minutes without asking could show what was withdrawn meanwhile.)"""
    patch_cache_control(response, public=True, no_cache=True)
    return response


def cache_privately(response, *, store: bool = True):
    if store:
        patch_cache_control(response, private=True, no_cache=True)
    else:
        patch_cache_control(response, private=True, no_store=True)
    return response


def cache_for_reader(request, response, *, revalidate: bool = True):
    """Public caching for anonymous visitors; for anyone signed in, nothing a cache may
    keep: what they are shown may include members' material, and even when it does not,
    a response to a signed-in reader is never shared."""
    if request.user.is_authenticated:
        cache_privately(response, store=False)
    else:
        cache_publicly(response, revalidate=revalidate)
    patch_vary_headers(response, ("Cookie",))
    return response


def public_page(view):
    """For pages whose content depends on who is signed in (the ETag and 304 come from
    `ConditionalGetMiddleware` in settings)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 200:
            cache_for_reader(request, response)
        return response

    return wrapped


def public_feed(view):
    """For feeds and calendars, which only ever hold public material (cached like pages)."""
    return public_page(view)
