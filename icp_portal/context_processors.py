import functools

from django.conf import settings
from django.urls import get_script_prefix, reverse

# The pages the header, the phase banner and the footer of every page link to, by the key the
# templates use (`service_urls.search`) and the name they are reversed by.
SERVICE_PAGES = {
    "home": "home",
    "login": "login",
    "search": "publishing:search",
    "scorecard": "transparency:scorecard",
    "accessibility": "accessibility",
    "privacy": "privacy",
    "cookies": "cookies",
    "contact": "contact",
    "status": "service_status",
}


@functools.cache
def _service_urls(script_prefix: str) -> dict[str, str]:
    """The addresses of `SERVICE_PAGES`, reversed once per process instead of on every page.
    Keyed by the script prefix, which every reversed address starts with."""
    return {key: reverse(name) for key, name in SERVICE_PAGES.items()}


def portal(request):
    return {
        "portal_name": settings.PORTAL_NAME,
        "portal_phase": settings.PORTAL_PHASE,
        "portal_contact_email": settings.PORTAL_CONTACT_EMAIL,
        "service_urls": _service_urls(get_script_prefix()),
    }
