"""Page benchmark: every public page type and the staff list pages, served as in production,
against a trivial view on the same stack, at national scale.

Run with `make bench-pages` (or `.venv/bin/python bench/pages.py --scale 1`). It:

1. creates a throw-away PostgreSQL database (`icp_bench` on 127.0.0.1:5432; dropped at the end),
   migrates it, loads the reference geography and runs `generate_national --scale S` (timed);
2. collects static files into a temporary folder and starts gunicorn (2 sync workers, DEBUG off,
   SECRET_KEY set, ALLOWED_HOSTS=127.0.0.1, SECURE_SSL_REDIRECT=0) on a free loopback port, with
   BENCH_FLOOR=1 so that /bench/floor (bench/floor_urls.py: "ok" through the same middleware)
   is served beside the real pages;
3. requests each page type a bounded number of times (rotating over several partnerships,
   meetings, people…) from a small thread pool, and reports the median and 95th percentile latency,
   the throughput, and the ratio of the median to the floor's, measured just before that page
   (the machine may be shared, so a floor from the start of the run could be stale);
4. checks anonymous cacheability of each public page and feed: ETag, Last-Modified,
   Cache-Control, and whether a conditional request (If-None-Match / If-Modified-Since) gets 304;
   the staff pages are checked with the secretariat's session (they must be private);
5. for the public pages, which the server keeps in its page cache (icp_portal/pagecache.py),
   and the staff pages, whose lists and read-outs it keeps (icp_portal/templatetags/fragments.py),
   measures *cold* requests (each the first after the cache's version is replaced, as after any
   committed change) beside the *warm* ones above, and checks that every page served from the
   cache, and every staff page served with its kept parts, is byte for byte the page Django
   renders for it with the cache off (in this process, on the same database; a staff page's CSRF
   tokens aside, which are masked afresh on every rendering);
6. with SERVER_TIMING=1 (icp_portal/server_timing.py), reads each response's CPU time from its
   Server-Timing header and reports the median beside the latency, warm and cold: a worker's CPU
   time leaves out waiting for the database, the disk or other processes on a shared machine.

It fails loudly (exit status 1, after the table) if any request errs, a cached page or a staff
page with kept parts differs from its uncached rendering, or a staff page is served from the
public cache.

Prints a table and writes bench/results/pages-<timestamp>.json. Requests go to 127.0.0.1 only.
"""

import argparse
import http.client
import json
import os
import platform
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
HOST = "127.0.0.1"
TARGETS_PER_PAGE = 10


def run(args: list[str], env: dict, what: str) -> str:
    started = time.perf_counter()
    result = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"{what} failed (exit {result.returncode}).")
    print(f"  {what}: {time.perf_counter() - started:.1f} s", flush=True)
    return result.stdout


def manage(env: dict, *args: str) -> str:
    return run([str(PYTHON), "manage.py", *args], env, "manage.py " + " ".join(args))


def _execute(database_name: str, *statements: str) -> None:
    """Run `statements` on `database_name` outside a transaction (as CREATE DATABASE and VACUUM
    must be)."""
    import psycopg2

    connection = psycopg2.connect(f"{PG_SERVER}/{database_name}")
    connection.autocommit = True
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    connection.close()


def database(action: str, name: str) -> None:
    drop = f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
    _execute("postgres", drop, *([f'CREATE DATABASE "{name}"'] if action == "create" else []))


def vacuum(name: str) -> None:
    """VACUUM ANALYZE the generated data, as autovacuum does to a production database after a
    large load: index-only scans need the table's visibility map, which only VACUUM sets, and a
    server may run with autovacuum off (this one does)."""
    started = time.perf_counter()
    _execute(name, "VACUUM (ANALYZE)")
    print(f"  VACUUM (ANALYZE): {time.perf_counter() - started:.1f} s", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def fetch(port: int, path: str, headers: dict | None = None, timeout: float = 30) -> tuple[int, dict, bytes, float]:
    """(status, headers, body, seconds) of one GET on a fresh connection."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Host": HOST, **(headers or {})})
        response = connection.getresponse()
        body = response.read()
        headers = {k.lower(): v for k, v in response.getheaders()}
        return response.status, headers, body, time.perf_counter() - started
    finally:
        connection.close()


def get(port: int, path: str, headers: dict | None = None, timeout: float = 30) -> tuple[int, dict, int, float]:
    """(status, headers, body length, seconds) of one GET on a fresh connection."""
    status, headers, body, elapsed = fetch(port, path, headers, timeout)
    return status, headers, len(body), elapsed


# What to request -------------------------------------------------------------------------


def choose_targets(env: dict, seed: int = 1) -> tuple[dict, dict]:
    """URLs for each page type (several of each, spread over the generated data) and a session
    cookie of a secretariat user for the staff pages. Runs Django in this process."""
    # Exactly the server's environment: a REDIS_URL left in this process would point its page
    # cache (and so `bump`) at Redis while the server uses the file cache, and no request is cold.
    for key in set(os.environ) - set(env):
        del os.environ[key]
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.db.models import F
    from django.urls import reverse
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from icp_portal.national import generated_partnerships
    from meetings.models import Meeting, PaperVersion
    from membership.models import Person, SecretariatAssignment

    rng = random.Random(seed)

    def pick(rows, k=TARGETS_PER_PAGE):
        rows = list(rows)
        return rng.sample(rows, min(k, len(rows)))

    partnerships = pick(generated_partnerships(1).select_related("ics__region"))
    systems = {p.ics for p in partnerships}
    meetings = pick(
        Meeting.objects.filter(
            partnership__in=generated_partnerships(1),
            is_public=True,
            status=Meeting.Status.HELD,
            agenda_published_at__isnull=False,
        )
        .select_related("partnership")
        .order_by("pk")[:2000],
        20,
    )
    papers = pick(
        PaperVersion.objects.filter(
            paper__current_version=F("pk"),
            paper__agenda_item__meeting__in=[m.pk for m in meetings],
            paper__agenda_item__is_exempt=False,
            paper__restricted=False,
        ).order_by("pk")[:500],
        20,
    )
    people = pick(Person.objects.filter(is_demonstration=True, slug__startswith="national-").order_by("pk")[:3000], 20)
    words = ["strategy", "mental health", "housing", "winter", "dementia", "carers", "workforce", "inequalities"]
    councils = ["leeds", "kent", "birmingham", "devon", "surrey", "york"]

    def each(name, *args_list):
        return [reverse(name, args=args) for args in args_list]

    public = {
        "home": ["/"],
        "home search": [f"/?q={c}" for c in councils],
        "region": sorted({s.region.get_absolute_url() for s in systems}),
        "system": [s.get_absolute_url() for s in systems],
        "partnership": [p.get_absolute_url() for p in partnerships],
        "meeting list": each("meetings:list", *[[p.slug] for p in partnerships]),
        "meeting": [m.get_absolute_url() for m in meetings],
        "paper (PDF)": each("meetings:paper", *[[v.token] for v in papers]),
        "person": [p.get_absolute_url() for p in people],
        "decisions": each("record:public_decisions", *[[p.slug] for p in partnerships]),
        "actions": [u + "?status=all" for u in each("record:public_actions", *[[p.slug] for p in partnerships])],
        "search": [reverse("publishing:search") + "?q=" + w.replace(" ", "+") for w in words],
        "calendar (iCal)": each("meetings:calendar", *[[p.slug] for p in partnerships]),
        "system calendar (iCal)": each("meetings:system_calendar", *[[s.slug] for s in systems]),
        "feed (Atom)": each("meetings:feed", *[[p.slug] for p in partnerships]),
    }
    # The strategy pages (the slowest before the page cache): each ICP's strategy, its versions,
    # the current version, one of its priorities, and the comparison of its last two versions.
    from strategy.models import StrategyVersion

    published = list(
        StrategyVersion.objects.public()
        .filter(strategy__partnership__in=partnerships, status=StrategyVersion.Status.PUBLISHED)
        .select_related("strategy__partnership")
    )
    if published:
        slugs = [[v.strategy.partnership.slug] for v in published]
        public["strategy"] = each("strategy:public", *slugs)
        public["strategy versions"] = each("strategy:public_versions", *slugs)
        public["strategy version"] = each(
            "strategy:public_version", *[[v.strategy.partnership.slug, v.number] for v in published]
        )
        priorities = [v.priorities.order_by("position").first() for v in published]
        public["strategy priority"] = each(
            "strategy:public_priority",
            *[[v.strategy.partnership.slug, v.number, p.pk] for v, p in zip(published, priorities, strict=True) if p],
        )
        public["strategy compare"] = each("strategy:public_compare", *slugs)

    staff_partnerships = pick(SecretariatAssignment.objects.filter(partnership__in=partnerships).select_related("user"))
    # Each partnership's latest meeting with a published agenda: the meeting workspace (agenda,
    # papers, attendance, minutes) at its fullest.
    latest_meetings = {
        meeting.partnership_id: meeting
        for meeting in Meeting.objects.filter(
            partnership__in=[assignment.partnership_id for assignment in staff_partnerships],
            agenda_published_at__isnull=False,
        ).order_by("starts_at")
    }
    staff = {}
    for assignment in staff_partnerships:
        slug = assignment.partnership.slug
        session = SessionStore()
        session[SESSION_KEY] = str(assignment.user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = assignment.user.get_session_auth_hash()
        # Staff sign in with a second factor (icp_portal/two_factor.py): a session that gave it.
        device, _ = TOTPDevice.objects.get_or_create(user=assignment.user, name="bench", defaults={"confirmed": True})
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.create()
        cookie = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"
        for page, url in {
            "staff: workspace home": reverse("workspace:home"),
            "staff: dashboard": reverse("workspace:dashboard", args=[slug]),
            "staff: meetings": reverse("meetings:staff_list", args=[slug]),
            "staff: meeting workspace": reverse(
                "meetings:staff_meeting", args=[slug, latest_meetings[assignment.partnership_id].pk]
            ),
            "staff: publications": reverse("publishing:jobs", args=[slug]),
            "staff: decision register": reverse("record:decision_register", args=[slug]),
            "staff: action log": reverse("record:action_log", args=[slug]) + "?status=all",
        }.items():
            staff.setdefault(page, []).append((url, cookie))
    return public, staff


# Measuring --------------------------------------------------------------------------------


def measure(port: int, targets: list, *, requests: int, concurrency: int, seconds: float) -> dict:
    """Request `targets` (URLs, or (URL, cookie) pairs) in turn, `requests` times at most and for
    `seconds` at most, from `concurrency` threads. Two warm-up requests per target (at least ten) first."""
    targets = [t if isinstance(t, tuple) else (t, None) for t in targets]

    def one(index: int):
        url, cookie = targets[index % len(targets)]
        status, headers, size, elapsed = get(port, url, {"Cookie": cookie} if cookie else None)
        return status, size, elapsed, server_cpu(headers)

    for index in range(max(10, min(len(targets) * 2, 30))):
        one(index)
    deadline = time.perf_counter() + seconds
    samples, statuses, sizes, cpu = [], {}, [], []
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        next_index = 0
        while next_index < requests and time.perf_counter() < deadline:
            batch = range(next_index, min(requests, next_index + concurrency * 4))
            for status, size, elapsed, cpu_seconds in pool.map(one, batch):
                samples.append(elapsed)
                statuses[status] = statuses.get(status, 0) + 1
                sizes.append(size)
                cpu.append(cpu_seconds)
            next_index = batch.stop
    wall = time.perf_counter() - started
    samples.sort()
    return {
        "requests": len(samples),
        "median_ms": statistics.median(samples) * 1000,
        "p95_ms": (statistics.quantiles(samples, n=20)[18] if len(samples) > 1 else samples[0]) * 1000,
        "throughput_rps": len(samples) / wall,
        "statuses": statuses,
        "median_bytes": statistics.median(sizes),
        "targets": len(targets),
        **_cpu_median("cpu_median_ms", cpu),
    }


def server_cpu(headers: dict) -> float | None:
    """The worker's CPU seconds for a response, from its Server-Timing header (SERVER_TIMING=1,
    icp_portal/server_timing.py): it leaves out waiting for the database and other processes."""
    found = re.search(r"\bcpu;dur=([\d.]+)", headers.get("server-timing", ""))
    return float(found.group(1)) / 1000 if found else None


def _cpu_median(key: str, samples: list) -> dict:
    known = [sample for sample in samples if sample is not None]
    return {key: statistics.median(known) * 1000} if known else {}


def cacheability(port: int, url: str, cookie: str | None = None) -> dict:
    """Cache headers of `url`, and whether a conditional request for it gets 304."""
    sent = {"Cookie": cookie} if cookie else {}
    status, headers, _, _ = get(port, url, sent)
    result = {
        "status": status,
        "etag": "etag" in headers,
        "last_modified": "last-modified" in headers,
        "cache_control": headers.get("cache-control", ""),
        "vary": headers.get("vary", ""),
        "conditional_304": False,
    }
    conditional = {}
    if "etag" in headers:
        conditional["If-None-Match"] = headers["etag"]
    if "last-modified" in headers:
        conditional["If-Modified-Since"] = headers["last-modified"]
    if conditional:
        result["conditional_304"] = get(port, url, {**sent, **conditional})[0] == 304
    return result


def bump() -> None:
    """Replace the page cache's version, as any committed publication does (the server's workers
    share the cache with this process: files under the same VAR_DIR)."""
    from icp_portal import pagecache

    pagecache.bump()


def measure_cold(port: int, targets: list, *, requests: int) -> dict:
    """Each request the first after a bump: what the first reader after a publication waits, and
    for a staff page (a (URL, cookie) target) what the secretariat waits after any change."""
    samples, statuses, misses, cpu = [], {}, 0, []
    for index in range(requests):
        bump()
        url, cookie = target if isinstance(target := targets[index % len(targets)], tuple) else (target, None)
        status, headers, _, elapsed = get(port, url, {"Cookie": cookie} if cookie else None)
        samples.append(elapsed)
        cpu.append(server_cpu(headers))
        statuses[status] = statuses.get(status, 0) + 1
        misses += headers.get("x-page-cache") == "miss"
    return {
        "cold_requests": len(samples),
        "cold_median_ms": statistics.median(samples) * 1000,
        "cold_statuses": statuses,
        "cold_misses": misses,
        **_cpu_median("cold_cpu_median_ms", cpu),
    }


CSRF_TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')


def uncached_rendering(url: str, cookie: str | None = None) -> tuple[int, bytes]:
    """The page as Django renders it with the page cache (and the kept fragments) off, in this
    process; with `cookie`, in that session."""
    from django.conf import settings
    from django.test import Client

    settings.PAGE_CACHE = False
    try:
        client = Client(HTTP_HOST=HOST)
        if cookie:
            name, value = cookie.split("=", 1)
            client.cookies[name] = value
        response = client.get(url)
        return response.status_code, b"".join(response) if response.streaming else response.content
    finally:
        settings.PAGE_CACHE = True


def check_cached_copies(port: int, public: dict, staff: dict) -> list[str]:
    """Problems found: a cached page that differs from its uncached rendering, a public page that
    is never served from the cache, a staff page that is."""
    problems = []
    for page, targets in public.items():
        for url in targets[:3]:
            bump()
            fetch(port, url)  # stores it, once it is sent: the next request may come first
            for _attempt in range(10):
                status, headers, body, _ = fetch(port, url)
                if headers.get("x-page-cache") != "miss":
                    break
                time.sleep(0.05)
            expected_status, expected = uncached_rendering(url)
            cached = headers.get("x-page-cache")
            if status != 200 or expected_status != 200:
                problems.append(f"{page}: {url} answered {status} (uncached {expected_status})")
            elif cached == "miss":
                problems.append(f"{page}: {url} is never served from the cache")
            elif cached == "hit" and body != expected:
                problems.append(f"{page}: {url} from the cache differs from its uncached rendering")
            elif cached is None and body != expected:
                problems.append(f"{page}: {url} differs between two renderings")
    for page, targets in staff.items():
        url, cookie = targets[0]
        if "x-page-cache" in fetch(port, url, {"Cookie": cookie})[1]:
            problems.append(f"{page}: {url} went through the public page cache with a session")
        # Kept fragments (icp_portal/templatetags/fragments.py): each worker has served the page by
        # now, so these come from what it kept. The session's CSRF token is masked afresh each time.
        expected_status, expected = uncached_rendering(url, cookie)
        for _ in range(2):
            status, _, body, _ = fetch(port, url, {"Cookie": cookie})
            if status != 200 or expected_status != 200:
                problems.append(f"{page}: {url} answered {status} (uncached {expected_status})")
            elif CSRF_TOKEN.sub(b"", body) != CSRF_TOKEN.sub(b"", expected):
                problems.append(f"{page}: {url} with its kept fragments differs from its uncached rendering")
    return problems


def wait_until_up(port: int, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if process.poll() is not None:
            raise SystemExit("gunicorn stopped while starting; see its output above.")
        try:
            if get(port, "/bench/floor", timeout=2)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit("gunicorn did not answer within a minute.")


SIGNED_IN_FLOOR = "floor, signed in (staff session)"


def table(rows: list[dict]) -> str:
    header = ["page", "n", "warm median ms", "p95 ms", "req/s", "floor ms", "warm × floor", "cold median ms"]
    header += ["cold × floor", "warm CPU ms", "cold CPU ms", "KiB", "ETag", "Last-Mod", "304", "Cache-Control"]
    lines = []
    for row in rows:
        cache = row.get("cache")

        def mark(key, cache=cache):
            return "–" if cache is None else ("yes" if cache[key] else "no")

        errors = {k: v for k, v in {**row["statuses"], **row.get("cold_statuses", {})}.items() if k != 200}
        name = row["page"] + (f" (errors {errors})" if errors else "")
        lines.append(
            [
                name,
                str(row["requests"]),
                f"{row['median_ms']:.1f}",
                f"{row['p95_ms']:.1f}",
                f"{row['throughput_rps']:.0f}",
                f"{row.get('floor_median_ms', row['median_ms']):.1f}",
                f"{row['ratio']:.1f}",
                f"{row['cold_median_ms']:.1f}" if "cold_median_ms" in row else "–",
                f"{row['cold_ratio']:.1f}" if "cold_ratio" in row else "–",
                f"{row['cpu_median_ms']:.1f}" if "cpu_median_ms" in row else "–",
                f"{row['cold_cpu_median_ms']:.1f}" if "cold_cpu_median_ms" in row else "–",
                f"{row['median_bytes'] / 1024:.0f}",
                mark("etag"),
                mark("last_modified"),
                mark("conditional_304"),
                "–" if cache is None else cache["cache_control"] or "(none)",
            ]
        )
    widths = [max(len(header[i]), *(len(line[i]) for line in lines)) for i in range(len(header))]
    out = ["| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |"]
    out.append("| " + " | ".join("-" * w for w in widths) + " |")
    out += ["| " + " | ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)) + " |" for line in lines]
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.2, help="generate_national scale (1 = national; default 0.2)")
    parser.add_argument("--requests", type=int, default=100, help="requests per page type (default 100)")
    parser.add_argument("--seconds", type=float, default=20, help="time limit per page type (default 20 s)")
    parser.add_argument("--concurrency", type=int, default=2, help="client threads (default 2)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--database", default="icp_bench", help="throw-away database name (default icp_bench)")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards (for EXPLAIN)")
    options = parser.parse_args()
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", options.database):
        raise SystemExit("--database must be a plain lower-case name.")

    var_dir = Path(tempfile.mkdtemp(prefix="icp-bench-"))
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DEBUG", "ROOT_URLCONF"}},
        "DATABASE_URL": f"{PG_SERVER}/{options.database}",
        "DJANGO_SETTINGS_MODULE": "icp_portal.settings",
        "SECRET_KEY": "bench-only-secret-key-not-for-production",
        "DEBUG": "0",
        "ALLOWED_HOSTS": HOST,
        "SECURE_SSL_REDIRECT": "0",
        "VAR_DIR": str(var_dir),
        "MEDIA_ROOT": str(var_dir / "media"),
        "LOG_LEVEL": "WARNING",
    }
    gunicorn = None
    results = {"scale": options.scale, "machine": {"platform": platform.platform(), "cpus": os.cpu_count()}}
    try:
        print(f"Database {options.database}, scale {options.scale:g}:", flush=True)
        database("create", options.database)
        manage(env, "migrate", "--no-input", "-v", "0")
        manage(env, "load_reference_data")
        started = time.perf_counter()
        output = manage(env, "generate_national", "--scale", str(options.scale))
        results["generate_seconds"] = time.perf_counter() - started
        results["generated"] = {
            kind.strip(): int(number.replace(",", ""))
            for kind, number in re.findall(r"^\s+([a-z][a-z ]+?)\s+([\d,]+)$", output, re.M)
        }
        vacuum(options.database)
        manage(env, "collectstatic", "--no-input", "-v", "0")
        public, staff = choose_targets(env)

        port = free_port()
        server_env = {**env, "BENCH_FLOOR": "1", "SERVER_TIMING": "1"}
        command = [str(GUNICORN), "icp_portal.wsgi", "--bind", f"{HOST}:{port}", "--workers", str(options.workers)]
        command += ["--log-level", "warning"]
        gunicorn = subprocess.Popen(command, cwd=ROOT, env=server_env)
        wait_until_up(port, gunicorn)
        print(f"gunicorn on {HOST}:{port} ({options.workers} workers); measuring…", flush=True)

        def bench(targets):
            return measure(
                port,
                targets,
                requests=options.requests,
                concurrency=options.concurrency,
                seconds=options.seconds,
            )

        def floor_now():
            # The machine may be shared and its speed drifts: each page is compared with the floor
            # measured around it, the mean of the one just before it and the one just after.
            return measure(
                port,
                ["/bench/floor"],
                requests=options.requests,
                concurrency=options.concurrency,
                seconds=options.seconds,
            )["median_ms"]

        floor_before = bench(["/bench/floor"])
        rows, floors = [], []
        for page, targets in [*public.items(), *staff.items()]:
            if page == next(iter(staff), None):
                # Before the staff pages: what being signed in costs a page that does nothing else.
                floors.append(floor_now())
                signed_in = ("/bench/floor/signed-in", targets[0][1])
                if fetch(port, signed_in[0], {"Cookie": signed_in[1]})[2] != b"ok":
                    raise SystemExit("The staff session is not signed in: the staff pages would measure nothing.")
                rows.append({"page": SIGNED_IN_FLOOR, **bench([signed_in]), "floor_index": len(floors) - 1})
                print(f"  {SIGNED_IN_FLOOR}: median {rows[-1]['median_ms']:.1f} ms")
            floors.append(floor_now())
            row = {"page": page, **bench(targets), "floor_index": len(floors) - 1}
            # Cold: the first request after a change (for staff pages, with nothing kept).
            row.update(measure_cold(port, targets, requests=max(10, options.requests // 5)))
            # Public pages as an anonymous reader; staff pages with the secretariat's session.
            row["cache"] = cacheability(port, *targets[0]) if page in staff else cacheability(port, targets[0])
            rows.append(row)
            cold = f", cold {row['cold_median_ms']:.1f} ms" if "cold_median_ms" in row else ""
            print(f"  {page}: median {row['median_ms']:.1f} ms (floor before it {floors[-1]:.1f} ms){cold}", flush=True)
        floor_after = bench(["/bench/floor"])
        floors.append(floor_after["median_ms"])
        for row in rows:
            index = row.pop("floor_index")
            row["floor_around_ms"] = [floors[index], floors[index + 1]]
            row["floor_median_ms"] = (floors[index] + floors[index + 1]) / 2
            row["ratio"] = row["median_ms"] / row["floor_median_ms"]
            if "cold_median_ms" in row:
                row["cold_ratio"] = row["cold_median_ms"] / row["floor_median_ms"]
        problems = check_cached_copies(port, public, staff)
        for row in rows:
            errors = {k: v for k, v in {**row["statuses"], **row.get("cold_statuses", {})}.items() if k != 200}
            if errors:
                problems.append(f"{row['page']}: answered {errors}")
        results["problems"] = problems
        floor_row = {"page": "floor (trivial view), at the start", **floor_before, "ratio": 1.0}
        results.update(floor={"before": floor_before, "after": floor_after}, pages=rows)
        print()
        print(
            f"Scale {options.scale:g}, generated in {results['generate_seconds']:.0f} s; "
            f"{options.requests} requests per page, {options.concurrency} client threads, "
            f"gunicorn {options.workers} workers, {platform.machine()} with {os.cpu_count()} CPUs."
        )
        floor_after_row = {"page": "floor, at the end", **floor_after, "ratio": 1.0}
        print(table([floor_row, *rows, floor_after_row]))
        staff_rows = [row for row in rows if row["page"] in staff]
        if staff_rows:
            signed_in_row = next(row for row in rows if row["page"] == SIGNED_IN_FLOOR)
            staff_ratio = statistics.median(row["ratio"] for row in staff_rows)
            worst = max(staff_rows, key=lambda row: row["ratio"])
            staff_cold = statistics.median(row["cold_ratio"] for row in staff_rows)
            results["staff_summary"] = {
                "ratio_median": staff_ratio,
                "cold_ratio_median": staff_cold,
                "signed_in_floor_ratio": signed_in_row["ratio"],
            }
            print(
                f"\nStaff pages: median {staff_ratio:.1f}× the floor (goal ≤ 10×; worst {worst['page']} "
                f"{worst['ratio']:.1f}×); the first request after a change {staff_cold:.1f}×; being signed "
                f"in alone costs {signed_in_row['ratio']:.1f}× the floor."
            )
        public_rows = [row for row in rows if row["page"] in public]
        if public_rows:
            warm = statistics.median(row["ratio"] for row in public_rows)
            cold = statistics.median(row["cold_ratio"] for row in public_rows)
            cold_ms = statistics.median(row["cold_median_ms"] for row in public_rows)
            worst = max(public_rows, key=lambda row: row["ratio"])
            results["summary"] = {"warm_ratio_median": warm, "cold_ratio_median": cold, "cold_ms_median": cold_ms}
            cold_cpu = [row["cold_cpu_median_ms"] for row in public_rows if "cold_cpu_median_ms" in row]
            if cold_cpu:
                results["summary"]["cold_cpu_ms_median"] = statistics.median(cold_cpu)
            print(
                f"\nPublic page types: warm median {warm:.1f}× the floor (goal ≤ 2×; worst {worst['page']} "
                f"{worst['ratio']:.1f}×, goal ≤ 5×); cold median {cold:.1f}× and {cold_ms:.0f} ms "
                "(goal ≤ 10×, ≤ 100 ms)"
                + (f"; cold pages' median CPU time {statistics.median(cold_cpu):.0f} ms." if cold_cpu else ".")
            )
    finally:
        if gunicorn is not None:
            gunicorn.terminate()
            try:
                gunicorn.wait(timeout=20)
            except subprocess.TimeoutExpired:
                gunicorn.kill()
        if "django.db" in sys.modules:
            from django.db import connections

            connections.close_all()
        if options.keep:
            print(f"Kept the database: {env['DATABASE_URL']}")
        else:
            database("drop", options.database)
        shutil.rmtree(var_dir, ignore_errors=True)

    out_dir = ROOT / "bench" / "results"
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / f"pages-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps(results, indent=2))
    print(f"\nSaved {out.relative_to(ROOT)}")
    if results.get("problems"):
        print("\nFAILED:\n  " + "\n  ".join(results["problems"]), file=sys.stderr)
        raise SystemExit(1)


if __name__ == "__main__":
    main()
