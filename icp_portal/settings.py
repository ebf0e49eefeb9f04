"""The one settings module. Everything that differs between machines comes from the
environment (see the table in README.md); defaults are the embedded, safe ones."""

from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from .env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set SECRET_KEY to a long random string "
            "(python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "or set DEBUG=1 on a development machine."
        )
    SECRET_KEY = "insecure-development-key-only-used-with-debug-on"  # noqa: S105
# Rotating SECRET_KEY: the old key here keeps sessions and reset links made with it working until
# they expire (docs/operations.md, "Rotate secrets"). Comma-separated.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # Django admin, whose site requires a verified second factor (icp_portal.admin_site).
    "icp_portal.admin_apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "guardian",
    "axes",
    # Two-factor sign-in: authenticator apps (TOTP) and recovery codes (icp_portal.two_factor).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "icp_portal",
    "audit",
    "partnerships",
    "membership",
    "meetings",
    "strategy",
    "publishing",
    "alerts",
    # The read-only open-data API (docs/open-data.md): Django REST framework, its filters, and
    # the OpenAPI schema with Swagger UI served from our own static files (the sidecar), for the CSP.
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
    # The national transparency scorecard (docs/open-data.md): reads every app below it.
    "transparency",
]

MIDDLEWARE = [
    # First: the container's own health check (from 127.0.0.1, any Host) before host validation.
    "icp_portal.health.LoopbackHealthMiddleware",
    # What each response cost, when SERVER_TIMING is on (off by default): it must see everything below.
    "icp_portal.server_timing.ServerTimingMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # An ETag on every page, and 304 for a matching If-None-Match.
    "django.middleware.http.ConditionalGetMiddleware",
    # Before the session is read and any view sees the query string: PostgreSQL cannot take NUL.
    "icp_portal.middleware.RefuseNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Public caching for anonymous pages, private for sessions (sees CSRF's cookies: keep it above).
    "icp_portal.middleware.PublicCacheMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Which second factor, if any, verified this session (request.user.otp_device).
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Anonymous public pages from the shared cache (after the user and messages are known).
    "icp_portal.pagecache.PageCacheMiddleware",
    # The workspace and Django admin send a user still to give their second factor to do so.
    "icp_portal.two_factor.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Axes must come last: it turns a lockout signal into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "icp_portal.urls"
# The page benchmark (bench/pages.py) adds a trivial view, its floor, beside the real pages.
if env_bool("BENCH_FLOOR", False):
    ROOT_URLCONF = "bench.floor_urls"
WSGI_APPLICATION = "icp_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "icp_portal.context_processors.portal",
            ],
        },
    },
]

# Database: SQLite under var/ unless DATABASE_URL names another (PostgreSQL in full mode).
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    try:
        # Health checks: a persistent connection the database dropped is replaced before the
        # request uses it, instead of failing the first request after the drop.
        DATABASES = {
            "default": dj_database_url.parse(
                DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60), conn_health_checks=True
            )
        }
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is not a database URL Django understands: {exc}") from None
    # PostgreSQL's planner assumes by default that reading a page at random costs four times
    # reading the next one, as on spinning disks, and so reads whole tables rather than follow an
    # index to a few hundred rows: a search word's matches in its GIN index, a partnership's
    # actions. On SSDs, or with the data in memory, its documentation advises about 1.1. Set for
    # each connection; empty leaves the server's own value (for a pooler that refuses options).
    DB_RANDOM_PAGE_COST = env_str("DB_RANDOM_PAGE_COST", "1.1")
    if DB_RANDOM_PAGE_COST and DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        try:
            random_page_cost = float(DB_RANDOM_PAGE_COST)
        except ValueError:
            raise ImproperlyConfigured(f"DB_RANDOM_PAGE_COST must be a number, not {DB_RANDOM_PAGE_COST!r}.") from None
        options = DATABASES["default"].setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c random_page_cost={random_page_cost}".strip()
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "db.sqlite3",
            # A transaction takes the write lock when it begins, so a writer waits its turn (up to
            # `timeout` seconds) instead of failing with "database is locked" when another (a PDF
            # built in a thread under `make run`) holds the lock as it moves from reading to writing.
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    }
    # SQLite has no covering indexes and builds an index on its key columns alone: the columns
    # a PostgreSQL index includes (meetings.Paper) only spare it reading the table.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis: broker, result backend and cache in full mode. Without it Celery runs tasks
# in-process (eager) and the cache is local memory, so nothing else needs to run.
REDIS_URL = env_str("REDIS_URL")
FULL_MODE = bool(REDIS_URL)
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def _shared_cache(name: str, folder: str) -> dict:
    """A cache every process on the machine shares: Redis in full mode (under the prefix `name`);
    in the embedded mode files under var/, which the web workers, commands and in-process tasks on
    the one machine all see (local memory would not)."""
    if REDIS_URL:
        return {**CACHES["default"], "KEY_PREFIX": name}
    return {
        "BACKEND": "icp_portal.pagecache.PageFileCache",
        "LOCATION": VAR_DIR / folder,
        "OPTIONS": {"MAX_ENTRIES": 20000},
    }


# Anonymous public pages served from a cache, replaced on every committed write to a public table
# (icp_portal/pagecache.py, docs/adr/005-public-page-cache.md). It must be shared by every process
# that writes or serves.
PAGE_CACHE = env_bool("PAGE_CACHE", True)
PAGE_CACHE_ALIAS = "pages"
PAGE_CACHE_TIMEOUT = env_int("PAGE_CACHE_TIMEOUT", 24 * 60 * 60)  # seconds; a bound on storage, not on staleness
CACHES["pages"] = _shared_cache("pages", "pagecache")

# Parts of the secretariat's pages kept under the same version, date and next meeting boundary as
# the public pages (icp_portal/templatetags/fragments.py, docs/adr/007-workspace-fragments.md),
# shared so that what one web process rendered serves the others. (The key holds the version: no
# process can serve a part kept before a change, whichever stores it.)
FRAGMENT_CACHE_ALIAS = "fragments"
CACHES["fragments"] = _shared_cache("fragments", "fragments")

# Kombu warns of a URL without a host name, though its memory transport needs none.
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
# Without a worker (the embedded default) a publish would wait for WeasyPrint inside the request.
# In DEBUG, build in a thread after the response instead: the meeting page shows "Building" and
# updates itself. Production runs a worker; tests build in-process, deterministically.
PUBLISHING_BUILD_IN_THREAD = env_bool("PUBLISHING_BUILD_IN_THREAD", CELERY_TASK_ALWAYS_EAGER and DEBUG)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 600)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - 30
# A message taken by a worker that dies comes back after this many seconds; it must
# exceed the longest task, and the publishing sweeper covers anything lost beyond it.
# Publishing with the broker down must not hold the request: connect briefly, once (the
# request's row waits for the sweeper).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600),
    "socket_connect_timeout": 2,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env_int("CELERY_MAX_MEMORY_PER_CHILD_KB", 512_000)
CELERY_TIMEZONE = "Europe/London"
# Publishing: a pending document older than the grace period, or one "running" longer
# than the stale limit (its worker died), is re-enqueued by the sweeper.
PUBLISHING_PENDING_GRACE_SECONDS = env_int("PUBLISHING_PENDING_GRACE_SECONDS", 120)
PUBLISHING_STALE_AFTER_SECONDS = env_int("PUBLISHING_STALE_AFTER_SECONDS", CELERY_TASK_TIME_LIMIT + 60)

# Beat's heartbeat (icp_portal.tasks.beat_heartbeat), every minute: /healthz/deps and the beat
# container's health check (manage.py beat_alive) call beat stale after this many seconds.
BEAT_STALE_AFTER_SECONDS = env_int("BEAT_STALE_AFTER_SECONDS", 300)
if BEAT_STALE_AFTER_SECONDS <= 60:
    raise ImproperlyConfigured("BEAT_STALE_AFTER_SECONDS must be more than 60 (the heartbeat's interval).")

CELERY_BEAT_SCHEDULE = {
    # Expires: heartbeats sent while no worker runs are dropped, not run in a burst later.
    "beat-heartbeat": {"task": "icp_portal.tasks.beat_heartbeat", "schedule": 60.0, "options": {"expires": 50}},
    "publishing-sweep": {"task": "publishing.tasks.sweep_stuck_documents", "schedule": 120.0},
    # Email alerts: pick up events and alerts a lost message left behind; the daily digests at 7am.
    "alerts-sweep": {"task": "alerts.tasks.sweep_alerts", "schedule": 300.0},
    "alerts-daily-digest": {"task": "alerts.tasks.send_daily_digests", "schedule": crontab(hour=7, minute=0)},
    # Just after midnight, so a term that ended yesterday stops granting access today.
    "membership-sync-permissions": {
        "task": "membership.tasks.sync_all_permissions",
        "schedule": crontab(hour=0, minute=5),
    },
    # Each morning: exemptions coming due for review (meetings.exemptions); once per review date.
    "meetings-exemption-reviews": {
        "task": "meetings.tasks.exemption_reviews_remind",
        "schedule": crontab(hour=7, minute=30),
    },
    # Hourly: papers' text for search, where the upload's extraction never ran (broker down).
    "meetings-paper-texts": {"task": "meetings.tasks.paper_texts_sweep", "schedule": crontab(minute=20)},
    # Nightly: the transparency scorecard's 12 months move on a day, and what no event announces
    # (a meeting cancelled or made private) is counted again. Events recompute a system at once.
    "transparency-scorecard": {
        "task": "transparency.tasks.scorecard_refresh",
        "schedule": crontab(hour=1, minute=15),
    },
}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
# Two-factor sign-in (docs/accounts.md): the name authenticator apps show, how many recovery codes
# a person gets, and the wait after each wrong code, which doubles with every further one
# (django-otp's throttling: 1, 2, 4, 8… seconds with a factor of 1).
OTP_TOTP_ISSUER = "ICP Portal"
OTP_TOTP_THROTTLE_FACTOR = env_int("OTP_THROTTLE_FACTOR", 1)
OTP_STATIC_THROTTLE_FACTOR = env_int("OTP_THROTTLE_FACTOR", 1)
# Django admin shows neither an authenticator's secret nor its QR code: people set theirs up themselves.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
TWO_FACTOR_RECOVERY_CODES = 10
# Signed-in work starts from the partnerships the user runs, sits on or chairs.
LOGIN_REDIRECT_URL = "workspace:home"
LOGOUT_REDIRECT_URL = "home"

# django-guardian: no anonymous user row; anonymous visitors only ever see public() data.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

# django-axes: two separate lock-out rules, each for an hour after the last failure. A flat list
# means "either"; a nested one ([["username", "ip_address"]]) counted each pair on its own, so
# guesses spread over many addresses never locked anything. An account locks after
# AXES_FAILURE_LIMIT failures from any addresses; an address after SIGN_IN_ADDRESS_FAILURE_LIMIT
# failures against any usernames (higher: a trust's staff can share one outgoing address). The
# handler applies the two limits and resets only the signed-in person's own failures on success.
# Signing in to the Django admin goes through the same backend, so the same rules apply there.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
SIGN_IN_ADDRESS_FAILURE_LIMIT = env_int("SIGN_IN_ADDRESS_FAILURE_LIMIT", 20)
AXES_HANDLER = "icp_portal.accounts.SignInLockoutHandler"
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# The client's address for lock-outs and rate limits: REMOTE_ADDR, or behind reverse proxies the
# entry of X-Forwarded-For added by the outermost one we trust (see icp_portal.accounts).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1 if env_bool("BEHIND_TLS_PROXY", False) else 0)
AXES_CLIENT_IP_CALLABLE = "core.limits.client_address"

# Password reset emails, counted in the cache (shared through Redis in full mode): at most
# PASSWORD_RESET_EMAILS_PER_ADDRESS to one email address and PASSWORD_RESET_REQUESTS_PER_CLIENT
# requests from one client address per window. Beyond them nothing is sent, and the page says
# the same as always, so it never tells whether an address has an account.
PASSWORD_RESET_EMAILS_PER_ADDRESS = env_int("PASSWORD_RESET_EMAILS_PER_ADDRESS", 3)
PASSWORD_RESET_REQUESTS_PER_CLIENT = env_int("PASSWORD_RESET_REQUESTS_PER_CLIENT", 10)
PASSWORD_RESET_WINDOW = 3600  # seconds
# Invitations to create a sign-in account (membership.accounts), counted in the cache like resets:
# at most INVITATIONS_PER_SENDER sent by one person and INVITATIONS_PER_ADDRESS to one address an hour.
INVITATIONS_PER_SENDER = env_int("INVITATIONS_PER_SENDER", 30)
INVITATIONS_PER_ADDRESS = env_int("INVITATIONS_PER_ADDRESS", 3)
INVITATION_LIMIT_WINDOW = 3600  # seconds
# Email alerts (alerts.services): at most ALERT_REQUESTS_PER_ADDRESS confirmation emails to one
# address and ALERT_REQUESTS_PER_CLIENT requests from one client address per window; beyond them
# nothing is sent and the page says the same as always. Confirmation links work for
# ALERT_CONFIRM_DAYS; the sweeper re-sends what is still waiting after the grace period.
ALERT_REQUESTS_PER_ADDRESS = env_int("ALERT_REQUESTS_PER_ADDRESS", 3)
ALERT_REQUESTS_PER_CLIENT = env_int("ALERT_REQUESTS_PER_CLIENT", 20)
ALERT_WINDOW = 3600  # seconds
ALERT_CONFIRM_DAYS = env_int("ALERT_CONFIRM_DAYS", 7)
ALERT_SWEEP_GRACE_SECONDS = env_int("ALERT_SWEEP_GRACE_SECONDS", 600)
for _name in (
    "AXES_FAILURE_LIMIT",
    "SIGN_IN_ADDRESS_FAILURE_LIMIT",
    "PASSWORD_RESET_EMAILS_PER_ADDRESS",
    "PASSWORD_RESET_REQUESTS_PER_CLIENT",
    "INVITATIONS_PER_SENDER",
    "INVITATIONS_PER_ADDRESS",
    "OTP_TOTP_THROTTLE_FACTOR",
):
    if globals()[_name] < 1:
        raise ImproperlyConfigured(f"{_name} must be 1 or more.")
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 or more.")

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
FRONTEND_DIST = BASE_DIR / "node_modules" / "nhsuk-frontend" / "dist" / "nhsuk"
STATICFILES_DIRS = [BASE_DIR / "static", ("nhsuk", FRONTEND_DIST)]
# First: the frontend's stylesheet without its web font, which the CSP would block (icp_portal/staticfiles.py).
STATICFILES_FINDERS = [
    "icp_portal.staticfiles.FrontendWithoutWebFontsFinder",
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
# The NHS.UK stylesheet refers to its icons as /assets/...; serve that folder at the root.
WHITENOISE_ROOT = FRONTEND_DIST
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# Meeting papers: the largest PDF the secretariat may upload, in megabytes.
PAPER_MAX_UPLOAD_MB = env_int("PAPER_MAX_UPLOAD_MB", 25)
# ...the most its streams may decompress to in total (a larger total is a decompression bomb)...
PAPER_MAX_INFLATED_MB = env_int("PAPER_MAX_INFLATED_MB", 200)
# ...and the most pages it may have.
PAPER_MAX_PAGES = env_int("PAPER_MAX_PAGES", 2000)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Uploaded and published files go through Django's storage API: the filesystem under
# MEDIA_ROOT by default, or any S3-compatible object store when S3_BUCKET is set.
S3_BUCKET = env_str("S3_BUCKET")
if S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env_str("S3_ENDPOINT_URL") or None,
            "region_name": env_str("S3_REGION") or None,
            "access_key": env_str("S3_ACCESS_KEY_ID") or None,
            "secret_key": env_str("S3_SECRET_ACCESS_KEY") or None,
            "location": env_str("S3_PREFIX"),
            # Files are served by the portal's own views (which check access), never by public URLs.
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "ICP Portal <no-reply@icp-portal.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security headers and cookies. Behind a TLS-terminating proxy set SECURE_PROXY_SSL_HEADER.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz(/(live|ready|deps))?$"]
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content Security Policy. Only our own origin: the NHS.UK font host is deliberately not
# allowed (no third-party requests from public pages), so pages fall back to Arial.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # WeasyPrint logs every layout step at INFO; only its warnings are worth keeping.
    "loggers": {name: {"level": "WARNING"} for name in ("axes", "weasyprint", "fontTools")},
}

PORTAL_NAME = "ICP Portal"
# Who runs the service and how to reach them: named by the accessibility statement, the privacy
# notice and the contact page (docs/operations.md says to set both for a real deployment).
PORTAL_OPERATOR = env_str("PORTAL_OPERATOR", "the ICP Portal team")
PORTAL_CONTACT_EMAIL = env_str("PORTAL_CONTACT_EMAIL", "icp-portal@example.org")
# The service's phase, shown in the banner under the header on every page (e.g. "Beta").
PORTAL_PHASE = env_str("PORTAL_PHASE", "Beta")

# The open-data API (api/, docs/open-data.md): public data only, so no authentication at all
# (a session gives nothing more), JSON only, and a rate limit per client address counted in the
# cache (shared through Redis in full mode), e.g. "120/minute".
API_RATE_LIMIT = env_str("API_RATE_LIMIT", "120/minute")
API_PAGE_SIZE = env_int("API_PAGE_SIZE", 50)
_api_count, _, _api_period = API_RATE_LIMIT.partition("/")
if not (_api_count.isascii() and _api_count.isdigit() and int(_api_count) >= 1) or _api_period not in {
    "second",
    "minute",
    "hour",
    "day",
}:
    raise ImproperlyConfigured(
        f"API_RATE_LIMIT must be a number of requests per second, minute, hour or day, e.g. 120/minute "
        f"(it is {API_RATE_LIMIT!r})."
    )
if not 1 <= API_PAGE_SIZE <= 200:
    raise ImproperlyConfigured("API_PAGE_SIZE must be from 1 to 200.")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.ClientRateThrottle"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Cursor",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ICP Portal open data API",
    "DESCRIPTION": "Public records of England's integrated care partnerships: organisations, people, "
    "memberships, meetings, agendas, papers, decisions, actions and strategies. Read-only; never "
    "anything exempt or private. See docs/open-data.md.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": False,
    "ENUM_NAME_OVERRIDES": {
        "MeetingStatusEnum": "meetings.models.Meeting.Status",
        "DecisionStatusEnum": "meetings.models.Decision.Status",
        "ActionStatusEnum": "meetings.models.Action.Status",
        "StrategyVersionStatusEnum": "strategy.models.StrategyVersion.Status",
    },
}

# A Server-Timing header on every response (icp_portal/server_timing.py): for the page benchmark
# and for looking into a slow page; off in production unless an operator turns it on.
SERVER_TIMING = env_bool("SERVER_TIMING", False)
