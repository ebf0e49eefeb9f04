"""Backups that restore (bin/backup, bin/restore, icp_portal/backups.py).

The round trip needs PostgreSQL and its client programs (CI has both): it backs up the test
database and media, restores them into a second, fresh database and media folder, and compares
every table's row count and every published document's SHA-256. The manifest's checks run in
both modes."""

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import psycopg2
import pytest
from django.db import connection
from django.utils import timezone

from audit.services import audit_record
from icp_portal import backups
from meetings.factories import AgendaItemFactory, MeetingFactory, PaperFactory
from publishing import services
from publishing.models import PublishedDocument

ROOT = Path(__file__).resolve().parents[2]
POSTGRESQL = connection.vendor == "postgresql"
needs_postgresql = pytest.mark.skipif(
    not POSTGRESQL, reason="backups are of PostgreSQL: set DATABASE_URL (CI does) to run the round trip"
)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# The manifest, in both modes ----------------------------------------------------------------


@pytest.fixture
def backup_folder(tmp_path):
    folder = tmp_path / "2026-01-31T020000Z"
    (folder / "media" / "published").mkdir(parents=True)
    (folder / "database.dump").write_bytes(b"PGDMP pretend")
    (folder / "media" / "published" / "pack.pdf").write_bytes(b"%PDF-1.7 pretend")
    backups.manifest_write(folder)
    return folder


def test_the_manifest_lists_every_file_with_its_sha256(backup_folder):
    lines = (backup_folder / "MANIFEST.sha256").read_text().splitlines()
    assert lines == [
        f"{_sha256(backup_folder / 'database.dump')}  database.dump",
        f"{_sha256(backup_folder / 'media/published/pack.pdf')}  media/published/pack.pdf",
    ]
    assert backups.manifest_verify(backup_folder) == {
        "database.dump": _sha256(backup_folder / "database.dump"),
        "media/published/pack.pdf": _sha256(backup_folder / "media/published/pack.pdf"),
    }


def test_the_manifest_reads_as_sha256sum_writes_it(backup_folder):
    if shutil.which("sha256sum") is None:
        pytest.skip("sha256sum is not installed")
    result = subprocess.run(["sha256sum", "--check", "--strict", "MANIFEST.sha256"], cwd=backup_folder, check=False)
    assert result.returncode == 0


@pytest.mark.parametrize(
    ("damage", "problem"),
    [
        (
            lambda f: (f / "media/published/pack.pdf").write_bytes(b"%PDF-1.7 tampered"),
            "changed: media/published/pack.pdf",
        ),
        (lambda f: (f / "database.dump").unlink(), "missing: database.dump"),
        (lambda f: (f / "media/extra.pdf").write_bytes(b"x"), "not in the manifest: media/extra.pdf"),
    ],
)
def test_a_backup_that_does_not_match_its_manifest_is_refused_before_anything_is_touched(
    backup_folder, tmp_path, damage, problem
):
    damage(backup_folder)
    media_root = tmp_path / "restored-media"
    with pytest.raises(backups.BackupError, match=problem):
        backups.backup_restore(
            folder=backup_folder, database_url="postgres://nobody@127.0.0.1:1/x", media_root=media_root
        )
    assert not media_root.exists()


def test_restore_refuses_a_media_folder_that_is_not_empty(backup_folder, tmp_path):
    media_root = tmp_path / "media"
    media_root.mkdir()
    (media_root / "live.pdf").write_bytes(b"live")
    with pytest.raises(backups.BackupError, match="is not empty"):
        backups.backup_restore(
            folder=backup_folder, database_url="postgres://nobody@127.0.0.1:1/x", media_root=media_root
        )
    assert (media_root / "live.pdf").read_bytes() == b"live"


def test_the_password_stays_out_of_the_command_line():
    target, env = backups.libpq_target("postgres://portal:s%40cret@db.internal:5433/portal?sslmode=require")
    assert target == "postgresql://portal@db.internal:5433/portal?sslmode=require"
    assert env == {"PGPASSWORD": "s@cret"}
    maintenance, _ = backups.libpq_target("postgres://portal:pw@db:5432/portal", database="postgres")
    assert maintenance == "postgresql://portal@db:5432/postgres"


def test_sqlite_is_not_backed_up_this_way(tmp_path):
    with pytest.raises(backups.BackupError, match="PostgreSQL"):
        backups.backup_create(database_url="sqlite:///var/db.sqlite3", media_root=tmp_path, backup_dir=tmp_path)


# The round trip, on PostgreSQL --------------------------------------------------------------


def _url(**overrides) -> str:
    db = {**connection.settings_dict, **overrides}
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _connect(name: str):
    db = connection.settings_dict
    return psycopg2.connect(
        dbname=name,
        user=db["USER"],
        password=db["PASSWORD"] or None,
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
    )


def _drop(name: str) -> None:
    admin = _connect("postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def _row_counts(cursor) -> dict[str, int]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    tables = [row[0] for row in cursor.fetchall()]
    counts = {}
    for table in tables:
        cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 - names from pg_tables
        counts[table] = cursor.fetchone()[0]
    return counts


def _script(name: str, *args, **env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(ROOT / "bin" / name), *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_a_fresh_database_and_media_folder(settings, tmp_path):
    for program in ("pg_dump", "pg_restore", "psql", "createdb"):
        if shutil.which(program) is None:
            pytest.fail(f"{program} is missing: install postgresql-client (a backup test never skips on PostgreSQL)")
    meeting = MeetingFactory(title="Integrated Care Partnership")
    item = AgendaItemFactory(meeting=meeting, position=1, title="Joint forward plan")
    PaperFactory(agenda_item=item, title="Joint forward plan 2026 to 2031")
    meeting.agenda_published_at = timezone.now()
    meeting.save()
    services.agenda_pack_request(meeting=meeting)  # built at once: eager Celery, committed
    audit_record(actor=None, action="meetings.agenda.published", obj=meeting, partnership=meeting.partnership)
    documents = PublishedDocument.objects.filter(status="done")
    assert documents.count() == 2

    backup_dir = tmp_path / "backups"
    made = _script(
        "backup", DATABASE_URL=_url(), MEDIA_ROOT=str(settings.MEDIA_ROOT), BACKUP_DIR=str(backup_dir), S3_BUCKET=""
    )
    assert made.returncode == 0, made.stderr
    (folder,) = [path for path in backup_dir.iterdir() if not path.name.startswith(".")]
    manifest = backups.manifest_verify(folder)
    for document in documents:
        assert manifest[f"media/{document.file.name}"] == document.sha256

    restored_name = f"{connection.settings_dict['NAME']}_restored"
    restored_media = tmp_path / "restored-media"
    _drop(restored_name)
    try:
        done = _script("restore", str(folder), DATABASE_URL=_url(NAME=restored_name), MEDIA_ROOT=str(restored_media))
        assert done.returncode == 0, done.stderr
        assert "every file matches the manifest" in done.stdout

        with connection.cursor() as cursor:
            expected = _row_counts(cursor)
        restored = _connect(restored_name)
        with restored.cursor() as cursor:
            assert _row_counts(cursor) == expected
            assert expected["publishing_publisheddocument"] == 2 and expected["icp_portal_auditevent"] >= 1
            cursor.execute("SELECT file, sha256 FROM publishing_publisheddocument WHERE status = 'done'")
            rows = cursor.fetchall()
            assert len(rows) == 2
            for name, sha256 in rows:
                original = Path(settings.MEDIA_ROOT) / name
                assert _sha256(restored_media / name) == sha256 == _sha256(original)
            # The audit log's guard came along with the data.
            with pytest.raises(psycopg2.errors.RestrictViolation, match="append-only"):
                cursor.execute("DELETE FROM icp_portal_auditevent")
        restored.close()

        again = _script("restore", str(folder), DATABASE_URL=_url(NAME=restored_name), MEDIA_ROOT=str(tmp_path / "m2"))
        assert again.returncode == 1
        assert "is not empty" in again.stderr  # a restore never overwrites a database
    finally:
        _drop(restored_name)
