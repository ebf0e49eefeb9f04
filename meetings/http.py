"""Cache headers for the public meeting pages, feeds and papers.

Anonymous pages may be cached by anyone for a few minutes and carry an ETag (a hash of
the content), so browsers, feed readers and calendar apps revalidate cheaply. What a
signed-in reader sees may include exempt material, so it is private to their browser;
an exempt paper is never stored at all.
"""

from functools import wraps

from django.middleware.http import ConditionalGetMiddleware
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.decorators import decorator_from_middleware

PUBLIC_MAX_AGE = 300  # seconds

conditional_get = decorator_from_middleware(ConditionalGetMiddleware)


def cache_publicly(response, *, revalidate: bool = False):
    """Let anyone cache `response`: for a few minutes, or (`revalidate`, for files that can
    be withdrawn at any time) only if they check the ETag with us before each use."""
    if revalidate:
        patch_cache_control(response, public=True, no_cache=True)
    else:
        patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    return response


def cache_privately(response, *, store: bool = True):
    if store:
        patch_cache_control(response, private=True, no_cache=True)
    else:
        patch_cache_control(response, private=True, no_store=True)
    return response


def cache_for_reader(request, response, *, revalidate: bool = False):
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
    """For pages whose content depends on who is signed in; an ETag either way."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 200:
            cache_for_reader(request, response)
        return response

    return conditional_get(wrapped)


def public_feed(view):
    """For feeds and calendars, which only ever hold public material (cached like pages)."""
    return public_page(view)
