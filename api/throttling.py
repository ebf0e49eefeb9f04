"""The API's rate limit: per client address, counted in the cache (Redis in full mode)."""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from core.limits import client_address


class ClientRateThrottle(SimpleRateThrottle):
    """Everyone is anonymous to the API, so one limit per client address. The address is the
    one lock-outs use (`client_address`: the outermost trusted proxy's entry of
    X-Forwarded-For), not DRF's own guess, which a client could forge."""

    scope = "api"

    def get_rate(self):
        # Read per request, so the limit follows the settings (and tests can lower it).
        return settings.API_RATE_LIMIT

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": client_address(request._request) or "unknown"}

    def allow_request(self, request, view):
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)
