"""Shared tools for the security tests: the URLconf as data, responses as text, and a
fingerprint of everything stored, so that a refused request can be shown to change nothing."""

import functools
import hashlib
import html
import io
import re
from dataclasses import dataclass

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from pypdf import PdfReader


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name", or "name" outside a namespace
    params: frozenset[str]  # the keyword arguments the route takes


def _walk(patterns, namespace: str, params: frozenset[str]):
    for entry in patterns:
        here = params | frozenset(entry.pattern.regex.groupindex)
        if isinstance(entry, URLResolver):
            inner = (
                f"{namespace}:{entry.namespace}" if namespace and entry.namespace else (entry.namespace or namespace)
            )
            yield from _walk(entry.url_patterns, inner or "", here)
        elif isinstance(entry, URLPattern):
            name = entry.name or f"<unnamed {entry.pattern}>"
            yield Route(name=f"{namespace}:{name}" if namespace else name, params=here)


@functools.cache
def _all_routes(resolver) -> dict[str, Route]:
    return {route.name: route for route in _walk(resolver.url_patterns, "", frozenset())}


def routes(*, include_admin: bool = False) -> dict[str, Route]:
    """Every named URL pattern of the project, by its (namespaced) name."""
    found = _all_routes(get_resolver())
    return {name: route for name, route in found.items() if include_admin or not name.startswith("admin:")}


def route_kwargs(name: str, **candidates) -> dict:
    """Those of `candidates` that the route `name` takes. Lets one table give a download
    both its `pk` and its `token`, whichever the URLconf uses."""
    route = _all_routes(get_resolver())[name]
    missing = route.params - set(candidates)
    if missing:
        raise KeyError(f"{name} needs {sorted(missing)}; the table gave {sorted(candidates)}")
    return {key: candidates[key] for key in route.params}


def url_for(name: str, **candidates) -> str:
    """Reverse `name` with those of `candidates` that its route takes."""
    return reverse(name, kwargs=route_kwargs(name, **candidates))


def client_for(user=None, *, like=None):
    """A test client signed in as `user` (anonymous if None). Clients made `like` another
    share its request handler: each handler builds the middleware (WhiteNoise scans every
    static file), which is most of the cost of a new client."""
    from django.test import Client

    client = Client()
    if like is not None:
        client.handler = like.handler
    if user is not None:
        # The world is built once per module, outside the per-test fixture that gives
        # force_login the second factor, so give it here: these clients stand for people
        # who signed in completely.
        from membership.permissions import second_factor_needed
        from tests.two_factor import pass_second_factor

        client.force_login(user)
        if second_factor_needed(user):
            pass_second_factor(client, user)
    return client


def body(response) -> bytes:
    """The whole body, streamed or not (reading a stream to the end also closes its file)."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def response_text(response, content: bytes | None = None) -> str:
    """What a reader could get out of a response: a PDF's text layer, or the page with HTML
    entities undone (so that a leak cannot hide behind escaping)."""
    content = body(response) if content is None else content
    if content[:5] == b"%PDF-" or response.get("Content-Type", "").startswith("application/pdf"):
        try:
            return pdf_text(content)
        except Exception as exc:  # noqa: BLE001 - an unreadable PDF is reported, not hidden
            return f"<unreadable PDF: {exc}>"
    # Search highlights each matching word (<mark>CANARY</mark>-<mark>X</mark> on PostgreSQL): a leak
    # must not hide behind the highlighting either.
    return html.unescape(re.sub(r"</?mark>", "", content.decode("utf-8", "replace")))


_INVISIBLE = re.compile(r"[\s\u00ad\u200b]+")


def squeeze(text: str) -> str:
    """Text without whitespace or soft hyphens: PDF layout and iCalendar folding may break
    a string across lines."""
    return _INVISIBLE.sub("", text)


def cache_directives(response) -> dict[str, str]:
    directives = {}
    for part in response.get("Cache-Control", "").split(","):
        key, _, value = part.strip().partition("=")
        if key:
            directives[key.lower()] = value
    return directives


# Stored state ---------------------------------------------------------------------------

FINGERPRINT_APPS = ("partnerships", "membership", "meetings", "strategy", "publishing", "icp_portal", "guardian")
# Signing in touches these; nothing a refused request could do to the record.
IGNORED_FIELDS = {("auth", "user"): {"last_login"}}


def _fingerprinted_models():
    models = [model for label in FINGERPRINT_APPS for model in apps.get_app_config(label).get_models()]
    User = apps.get_model("auth", "User")
    return [*models, User, apps.get_model("auth", "Group"), User.groups.through]


def fingerprint() -> dict[str, str]:
    """A digest of every row of every model the portal keeps (per model), to compare
    before and after a request."""
    digests = {}
    for model in _fingerprinted_models():
        ignored = IGNORED_FIELDS.get((model._meta.app_label, model._meta.model_name), set())
        fields = [f.attname for f in model._meta.concrete_fields if f.attname not in ignored]
        rows = model._default_manager.order_by("pk").values_list(*fields)
        digests[model._meta.label] = hashlib.sha256(repr(list(rows)).encode()).hexdigest()
    return digests


def changed_models(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(label for label in after if before.get(label) != after[label])


class ChangeDetector:
    """Says which models a request changed. On SQLite it first asks the connection how many
    rows it has written (total_changes(), one cheap query) and digests every table only
    when that moved; elsewhere it digests every table each time."""

    def __init__(self):
        from django.db import connection

        self.connection = connection
        self.digests = fingerprint()
        self.writes = self._writes()

    def _writes(self) -> int | None:
        if self.connection.vendor != "sqlite":
            return None
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT total_changes()")
            return cursor.fetchone()[0]

    def changed(self) -> list[str]:
        writes = self._writes()
        if writes is not None and writes == self.writes:
            return []
        self.writes = writes
        digests = fingerprint()
        changed = changed_models(self.digests, digests)
        self.digests = digests
        return changed
