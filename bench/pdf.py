"""Publishing benchmark: how much the portal adds to WeasyPrint, and what a big pack costs.

Run with `make bench-pdf`. Prints a table and writes bench/results/pdf-<timestamp>.json.
It builds its own throw-away SQLite database and media folder; nothing else is touched.

- minutes: the portal's minutes PDF (query, template, render, metadata) against bare
  WeasyPrint rendering the very same HTML, in the same run, as a ratio;
- pack: a 300-page agenda pack (cover, contents, agenda, 20 papers of 15 pages) built in a
  fresh process, with its wall time and the process's peak memory (what a worker needs).
"""

import datetime as dt
import io
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPEAT = int(os.environ.get("BENCH_REPEAT", "5"))


def setup_django(var_dir: str) -> None:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="icp_portal.settings",
        SECRET_KEY="bench-only",  # noqa: S106 - a throw-away process
        VAR_DIR=var_dir,
        MEDIA_ROOT=str(Path(var_dir, "media")),
        DEBUG="0",
    )
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("REDIS_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def many_page_pdf(pages: int, label: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    from meetings.factories import minimal_pdf

    page = PdfReader(io.BytesIO(minimal_pdf(label))).pages[0]
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def make_meeting(papers: int, pages_per_paper: int):
    from django.utils import timezone

    from meetings.factories import AgendaItemFactory, MeetingFactory, MinuteEntryFactory, MinutesFactory, PaperFactory

    # A meeting held last week: its minutes (and so its public record) exist.
    held = timezone.now() - dt.timedelta(days=7)
    meeting = MeetingFactory(
        title="Strategic Integrated Care Partnership", starts_at=held, ends_at=held + dt.timedelta(hours=2)
    )
    minutes = MinutesFactory(meeting=meeting, published_at=timezone.now())
    for position in range(1, papers + 1):
        item = AgendaItemFactory(meeting=meeting, position=position, title=f"Agenda item {position}")
        paper = PaperFactory(agenda_item=item, title=f"Report {position}")
        version = paper.current_version
        with version.file.open("wb") as handle:
            handle.write(many_page_pdf(pages_per_paper, f"Report {position}"))
        version.page_count = pages_per_paper
        version.save()
        MinuteEntryFactory(minutes=minutes, agenda_item=item, discussion="Members discussed the report. " * 20)
    meeting.agenda_published_at = timezone.now()
    meeting.save()
    return meeting, minutes


def timed(function, repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append(time.perf_counter() - start)
    return samples


def bench_minutes() -> dict:
    from django.template.loader import render_to_string
    from django.utils import timezone
    from weasyprint import HTML

    from meetings.record import public_record
    from publishing import pdf, renderers

    _, minutes = make_meeting(papers=12, pages_per_paper=1)
    meeting = minutes.meeting
    context = {
        "meeting": meeting,
        "partnership": meeting.partnership,
        "minutes": minutes,
        "record": public_record(meeting, minutes=minutes),
        "generated_at": timezone.localtime(),
    }
    html = render_to_string("publishing/minutes.html", context)
    renderers.render_minutes(minutes)  # warm caches (fonts, templates) for both sides
    portal = timed(lambda: renderers.render_minutes(minutes), REPEAT)
    bare = timed(lambda: HTML(string=html).write_pdf(stylesheets=[pdf._print_stylesheet()]), REPEAT)
    return {
        "portal_median_s": statistics.median(portal),
        "bare_weasyprint_median_s": statistics.median(bare),
        "ratio": statistics.median(portal) / statistics.median(bare),
        "repeat": REPEAT,
    }


def bench_pack_child() -> None:
    """Runs in a fresh process: build one 300-page pack, print JSON with time and peak memory."""
    setup_django(sys.argv[2])
    from publishing import renderers

    meeting, _ = make_meeting(papers=20, pages_per_paper=15)
    start = time.perf_counter()
    data = renderers.render_agenda_pack(meeting, include_exempt=False)
    elapsed = time.perf_counter() - start
    from publishing.pdf import page_count

    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps({"pages": page_count(data), "seconds": elapsed, "peak_rss_mib": peak_kib / 1024, "bytes": len(data)})
    )


def main() -> None:
    with tempfile.TemporaryDirectory() as var_dir:
        setup_django(var_dir)
        minutes = bench_minutes()
    with tempfile.TemporaryDirectory() as var_dir:
        child = subprocess.run(
            [sys.executable, __file__, "--pack-child", var_dir], capture_output=True, text=True, check=True, cwd=ROOT
        )
        pack = json.loads(child.stdout.strip().splitlines()[-1])
    rows = [
        ("Minutes PDF, portal (median)", f"{minutes['portal_median_s']:.3f} s"),
        ("Same HTML, bare WeasyPrint (median)", f"{minutes['bare_weasyprint_median_s']:.3f} s"),
        ("Ratio portal / bare", f"{minutes['ratio']:.2f}×"),
        (f"Agenda pack, {pack['pages']} pages: build time", f"{pack['seconds']:.2f} s"),
        ("Agenda pack: peak memory of the building process", f"{pack['peak_rss_mib']:.0f} MiB"),
        ("Agenda pack: file size", f"{pack['bytes'] / 1_048_576:.1f} MiB"),
    ]
    width = max(len(label) for label, _ in rows)
    print(f"{'measure':<{width}}  value")
    for label, value in rows:
        print(f"{label:<{width}}  {value}")
    out_dir = ROOT / "bench" / "results"
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / f"pdf-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps({"minutes": minutes, "pack": pack}, indent=2))
    print(f"\nSaved {out.relative_to(ROOT)}")


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--pack-child":
        bench_pack_child()
    else:
        main()
