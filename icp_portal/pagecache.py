"""Anonymous public pages served from a shared cache, always current (docs/adr/005-public-page-cache.md).

A page is stored under a key made of its absolute address and of everything else its content
depends on that is not in the address:

- the *version* of the public record: a random token replaced after every committed transaction
  that wrote to a table a public page may read. Writes are seen at the database layer (an
  execute wrapper on every connection), so admin edits, management commands, tasks, the API,
  `QuerySet.update()`, `bulk_create()` and raw SQL all count, not only `Model.save()`;
- today's date, for what turns on a date (exemption review dates, terms and appointments,
  "in force" partnerships, strategy periods);
- the next moment a meeting starts or ends: minutes entries become readable when a meeting
  starts, and "meets next", "upcoming" and "past" move when one ends (private meetings count
  too: the secretariat's kept fragments, icp_portal/templatetags/fragments.py, use the same).

A public file (a paper's PDF) is stored as its name in storage and its headers, not its bytes:
the view marks its response with `stored_file_name`, and a hit streams the file from storage
without asking the database whether the public may read it, which costs more than sending it.

Only anonymous GETs of the views named in `CACHED_VIEWS` are served or stored; anything with a
session, a messages cookie, a CSRF token, a cookie set on the way out, or a status other than
200 is neither. What a cached copy shows was computed by the view for an anonymous reader, so
the cache never widens what anyone may read, and a restriction or withdrawal is a write that
replaces the version: the very next anonymous request renders afresh.
"""

import functools
import hashlib
import itertools
import logging
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.core.cache.backends.filebased import FileBasedCache
from django.core.files.storage import default_storage
from django.db import connections
from django.db.backends.signals import connection_created
from django.db.models import Min
from django.db.models.signals import post_migrate, pre_migrate
from django.http import FileResponse, HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response

from core import kept_rows

logger = logging.getLogger(__name__)

VERSION_KEY = "pagecache:version"
BOUNDARY_KEY = "pagecache:boundary:{version}"

# The public pages that may be served from the cache (namespaced URL names). A page not listed
# is never cached: new pages are safe by default. Published documents and evidence stream from
# storage with their own headers; the service status page changes without a write.
CACHED_VIEWS = frozenset(
    {
        "home",
        "accessibility",
        "privacy",
        "cookies",
        "contact",
        "partnerships:changes",
        "partnerships:region",
        "partnerships:system",
        "partnerships:place",
        "membership:partnership",
        "membership:terms_of_reference",
        "membership:person",
        "meetings:list",
        "meetings:meeting",
        "meetings:paper_page",
        "meetings:paper",
        "meetings:calendar",
        "meetings:feed",
        "meetings:system_calendar",
        "meetings:system_feed",
        "meetings:national_calendar",
        "meetings:national_feed",
        "record:public_decisions",
        "record:public_actions",
        "strategy:public",
        "strategy:public_versions",
        "strategy:public_version",
        "strategy:public_priority",
        "strategy:public_compare",
        "publishing:search",
        "alerts:calendars",
        "api:meetings_csv",
        "api:decisions_csv",
        "api:actions_csv",
        "transparency:scorecard",
        "transparency:methodology",
        "transparency:measure",
        "transparency:scorecard_csv",
        "transparency:scorecard_json",
    }
)

# Tables no public page reads. Writing to them does not replace the version, which keeps signing
# in, alerts and the audit log from emptying the cache. Every other table counts: a table added
# later is watched until someone shows it is private and adds it here.
PRIVATE_TABLES = (
    "django_session",
    "django_admin_log",
    "axes_",
    "otp_",
    "icp_portal_auditevent",
    "alerts_",
    "membership_invitation",
    "meetings_formsubmission",
    "django_celery",
)

# The first table an INSERT, UPDATE, DELETE or TRUNCATE writes (Django's SQL quotes names).
_WRITE = re.compile(r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|TRUNCATE(?:\s+TABLE)?)\s+[`"]?(\w+)', re.IGNORECASE)


def page_cache():
    return caches[settings.PAGE_CACHE_ALIAS]


class PageFileCache(FileBasedCache):
    """The embedded mode's page cache: Django's file cache, counting its files less often.

    Django's file cache lists every file in its folder on every `set` to decide whether to cull.
    Pages are stored on the first request after each change, and the folder holds up to
    MAX_ENTRIES pages (old versions' included, until culled): listing 1,000 files costs about
    2 ms and 20,000 about 30 ms, more than rendering most pages. So the folder is counted on
    one `set` in CULL_CHECK_EVERY, per process; between counts it may grow past MAX_ENTRIES by
    at most that many files per process, and the count culls it as before."""

    CULL_CHECK_EVERY = 100

    def __init__(self, dir, params):
        super().__init__(dir, params)
        self._sets = itertools.count()

    def _cull(self):
        if next(self._sets) % self.CULL_CHECK_EVERY == 0:
            super()._cull()


# The version -----------------------------------------------------------------------------


def current_version() -> str:
    return kept_rows.current_versions([VERSION_KEY])[0]


# True while `migrate` runs (between its pre_migrate and post_migrate signals).
_migrating = False


def _migrations_start(**kwargs) -> None:
    global _migrating
    _migrating = True


def _migrations_end(**kwargs) -> None:
    global _migrating
    _migrating = False


def bump() -> None:
    """Replace the version, so that no page stored before is served again. A fresh random token
    rather than an increment: two processes bumping at once both leave a value nobody has read."""
    version = uuid.uuid4().hex
    try:
        page_cache().set(VERSION_KEY, version, timeout=None)
    except Exception:
        # The commit has happened; failing the request would not undo it. Pages are read from the
        # same cache, so an outage that stops the bump usually stops the reads too (both bypass).
        logger.exception("Could not replace the public page cache version")
        return
    if _migrating:
        # The meetings table may not exist yet, or not have the columns the model names: the
        # first reader after the migrations works the boundary out.
        return
    try:
        # The writer works out when pages next change with the time of day, so that the first
        # reader after a change, who renders the page, does not wait for that as well.
        _store_boundary(version, timezone.now())
    except Exception:
        logger.exception("Could not store the public page cache's next boundary; the first reader will")


def _written_table(sql) -> str | None:
    """The table `sql` writes to, unless it is private."""
    match = _WRITE.match(sql) if isinstance(sql, str) else None
    table = match.group(1).lower() if match else None
    return None if table is None or table.startswith(PRIVATE_TABLES) else table


@dataclass(frozen=True)
class _ReplaceTableVersion:
    """Replace `table`'s version (`core.kept_rows`): one per table a transaction writes, equal
    to another for the same table, so that it is scheduled once."""

    table: str

    def __call__(self) -> None:
        kept_rows.replace_versions((self.table,))


def _watch_writes(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    table = _written_table(sql)
    if table is not None:
        connection = context["connection"]
        scheduled = [func for _sids, func, _robust in connection.run_on_commit]
        # Once per transaction, after it commits (at once in autocommit): bumping before the
        # commit would let a reader store the old rows under the new version. A rolled-back
        # transaction drops the callback with it.
        if bump not in scheduled:
            connection.on_commit(bump)
        # And, once per table written, the version that rows kept from it are kept under.
        if (replace := _ReplaceTableVersion(table)) not in scheduled:
            connection.on_commit(replace)
    return result


def watch_connection(sender=None, connection=None, **kwargs) -> None:
    if _watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch_writes)


def install() -> None:
    """Watch every database connection, now and when it (re)connects. Called from
    `PortalConfig.ready()`, so every process (web, worker, beat, commands) replaces the version."""
    connection_created.connect(watch_connection, dispatch_uid="icp_portal.pagecache")
    pre_migrate.connect(_migrations_start, dispatch_uid="icp_portal.pagecache")
    post_migrate.connect(_migrations_end, dispatch_uid="icp_portal.pagecache")
    for connection in connections.all(initialized_only=True):
        watch_connection(connection=connection)


# Time ------------------------------------------------------------------------------------


def next_boundary(version: str, now: datetime) -> str:
    """The next start or end of a meeting after `now` (an ISO string, "" if none), kept under the
    version: what depends on the time of day changes only at these moments. Private meetings
    count too: the secretariat's fragments show what is due once one ends."""
    stored = page_cache().get(BOUNDARY_KEY.format(version=version))
    if stored is not None and (stored == "" or stored > now.astimezone(UTC).isoformat()):
        return stored
    return _store_boundary(version, now)


def _store_boundary(version: str, now: datetime) -> str:
    from meetings.models import Meeting  # the portal's top app reads the apps below it

    meetings = Meeting.objects.all()
    times = [
        meetings.filter(starts_at__gt=now).aggregate(at=Min("starts_at"))["at"],
        meetings.filter(ends_at__gt=now).aggregate(at=Min("ends_at"))["at"],
    ]
    times = [at for at in times if at is not None]
    boundary = min(times).astimezone(UTC).isoformat() if times else ""
    page_cache().set(BOUNDARY_KEY.format(version=version), boundary, timeout=settings.PAGE_CACHE_TIMEOUT)
    return boundary


# Requests --------------------------------------------------------------------------------


def is_anonymous(request) -> bool:
    """No session cookie, no messages waiting and no signed-in user: the request of anyone."""
    if settings.SESSION_COOKIE_NAME in request.COOKIES or CookieStorage.cookie_name in request.COOKIES:
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


def record_state() -> list[str]:
    """What a page or fragment depends on besides its address and the rows it reads: the version,
    today's date and the next moment a meeting starts or ends."""
    version = current_version()
    now = timezone.now()
    return [version, timezone.localdate(now).isoformat(), next_boundary(version, now)]


def page_key(request) -> str:
    parts = [*record_state(), request.build_absolute_uri()]
    return "pagecache:page:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()


def etag_for(key: str) -> str:
    return '"' + key.rsplit(":", 1)[1][:32] + '"'


@dataclass(frozen=True)
class StoredFile:
    """What is kept of a public file's response instead of its bytes: its name in the default
    storage (the headers are kept beside it, as a page's are)."""

    name: str


def _stored_file(response) -> StoredFile | None:
    name = getattr(response, "stored_file_name", None)
    return StoredFile(name) if name and isinstance(response, FileResponse) else None


def _may_store(request, response) -> bool:
    if response.status_code != 200 or response.cookies:
        return False
    if response.streaming and _stored_file(response) is None:
        return False
    if response.has_header("Set-Cookie") or "private" in response.get("Cache-Control", ""):
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):  # the page holds a CSRF token
        return False
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    messages = getattr(request, "_messages", None)
    if messages is not None and (getattr(messages, "_queued_messages", None) or getattr(messages, "used", False)):
        return False
    return is_anonymous(request)


def _store(key: str, body, headers: list) -> None:
    try:
        page_cache().set(key, (body, headers), timeout=settings.PAGE_CACHE_TIMEOUT)
    except Exception:
        logger.exception("Could not store a public page")


class PageCacheMiddleware:
    """Serve and store anonymous public pages (see the module's docstring).

    Place it after AuthenticationMiddleware and MessageMiddleware (it needs the user) and after
    ConditionalGetMiddleware (which answers If-None-Match with 304 from the ETag set here)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        key = getattr(request, "_page_cache_key", None)
        if key is not None and _may_store(request, response):
            response["ETag"] = etag_for(key)
            response["X-Page-Cache"] = "miss"
            headers = [(k, v) for k, v in response.items() if k.lower() not in ("x-page-cache", "set-cookie")]
            # Stored once the response is sent (the server closes it then), so that the first
            # reader after a change does not wait for the page to be written to the cache too.
            body = _stored_file(response) or response.content
            response._resource_closers.append(functools.partial(_store, key, body, headers))
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not settings.PAGE_CACHE or request.method != "GET" or not is_anonymous(request):
            return None
        if request.resolver_match is None or request.resolver_match.view_name not in CACHED_VIEWS:
            return None
        try:
            key = page_key(request)
            # A reader who holds this very version of the page: 304 without reading its body.
            not_modified = get_conditional_response(request, etag=etag_for(key))
            stored = page_cache().get(key) if not_modified is None else None
        except Exception:
            logger.exception("Public page cache unavailable; rendering")
            return None
        if not_modified is not None:
            not_modified["ETag"] = etag_for(key)
            return not_modified
        if stored is None:
            request._page_cache_key = key
            return None
        body, headers = stored
        if isinstance(body, StoredFile):
            try:
                response = FileResponse(default_storage.open(body.name, "rb"))
            except OSError:
                logger.exception("A stored public file is missing from storage; asking the view")
                request._page_cache_key = key
                return None
        else:
            response = HttpResponse(body)
        for name, value in headers:
            response[name] = value
        response["X-Page-Cache"] = "hit"
        return response
