"""Who is asking, and how often: the client's address behind trusted proxies, and a counter
per key and time window. Used by sign-in lock-outs, password resets, invitations, alert
sign-ups and the open-data API's throttle."""

import ipaddress
import logging

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)


def _parse_address(value: str) -> str:
    """'192.0.2.1', '192.0.2.1:443' or '[2001:db8::1]:443' → the address alone; ValueError otherwise."""
    value = value.strip()
    if value.startswith("["):
        value = value[1:].partition("]")[0]
    elif value.count(":") == 1:
        value = value.partition(":")[0]
    return str(ipaddress.ip_address(value))


def client_address(request) -> str | None:
    """The address of the client, for lock-outs and rate limits.

    Behind reverse proxies REMOTE_ADDR is the nearest proxy, which would make every visitor one
    address (and one visitor's mistakes would lock everyone out). Each proxy appends the address it
    received the request from to X-Forwarded-For, so with TRUSTED_PROXY_COUNT proxies the client is
    that many entries from the right. Entries further left came from the client and can be forged,
    which is why we never take the left-most one.
    """
    remote = request.META.get("REMOTE_ADDR")
    proxies = settings.TRUSTED_PROXY_COUNT
    if not proxies:
        return remote
    forwarded = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if not forwarded:
        return remote
    entry = forwarded[max(len(forwarded) - proxies, 0)]
    try:
        return _parse_address(entry)
    except ValueError:
        logger.warning("X-Forwarded-For entry %r is not an address; using REMOTE_ADDR.", entry)
        return remote


def within_limit(key: str, limit: int, *, window: int) -> bool:
    """Count one more event under `key`; True while the count in this window is at most `limit`.

    A fixed window of `window` seconds starts with the first event. add() creates the counter only
    if it is absent and incr() is atomic (in Redis and in local memory), so concurrent requests
    from several workers cannot both slip under the limit."""
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # the window ended between add() and incr()
        cache.add(key, 1, timeout=window)
        count = 1
    return count <= limit
