"""Backups that restore: `make backup` and `make restore` (bin/backup, bin/restore).

A backup is a folder under BACKUP_DIR (`var/backups` by default) named by its UTC time:

    database.dump     pg_dump --format=custom of DATABASE_URL
    media/            a copy of MEDIA_ROOT (none with S3_BUCKET: the bucket's versioning keeps files)
    backup.json       what was backed up, from where, when, by which pg_dump
    MANIFEST.sha256   the SHA-256 of every other file, as `sha256sum` writes it (`sha256sum -c` reads it)

With BACKUP_S3_BUCKET set, each new backup is then copied there (off-site), each file checked by
S3 against the manifest's SHA-256 (`backup_upload`; `python -m icp_portal.backups upload <folder>`
copies one again).

It is written under a hidden `.partial` name and renamed when complete, so a folder with a
time for a name is a whole backup. Restoring checks the manifest first and refuses a backup
that does not match it; loads the dump into a fresh database (DATABASE_URL: created if it does
not exist, refused if it holds any table) and the files into an empty MEDIA_ROOT; then hashes
every restored file against the manifest.

Plain Python and the PostgreSQL client programs (pg_dump, pg_restore, psql, createdb): it reads
the same environment as the portal (icp_portal.env) but needs no Django settings, so it runs
wherever the portal's environment is, the web container included.
"""

import argparse
import base64
import datetime as dt
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

from icp_portal.env import env_str

BASE_DIR = Path(__file__).resolve().parent.parent
MANIFEST = "MANIFEST.sha256"
DUMP = "database.dump"
MEDIA = "media"
METADATA = "backup.json"
POSTGRES_SCHEMES = {"postgres", "postgresql", "pgsql"}
# psql for one query on standard input (where :'name' variables are quoted): no psqlrc, tuples only.
PSQL = ["psql", "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1"]


class BackupError(Exception):
    """Something about the backup, its source or its target is wrong; the message says what."""


# Where things are ---------------------------------------------------------------------------


def var_dir() -> Path:
    return Path(env_str("VAR_DIR", str(BASE_DIR / "var")))


def default_media_root() -> Path:
    """MEDIA_ROOT as settings.py reads it."""
    return Path(env_str("MEDIA_ROOT", str(var_dir() / "media")))


def default_backup_dir() -> Path:
    return Path(env_str("BACKUP_DIR", str(var_dir() / "backups")))


def libpq_target(database_url: str, *, database: str | None = None) -> tuple[str, dict[str, str]]:
    """A connection URI for the PostgreSQL client programs, without the password (which would
    show in the process list), and the environment that carries the password instead.
    `database` names another database on the same server."""
    parts = urlsplit(database_url)
    if parts.scheme not in POSTGRES_SCHEMES:
        raise BackupError(
            "DATABASE_URL must name a PostgreSQL database (postgres://...). The embedded SQLite "
            "database is backed up by copying var/db.sqlite3 and var/media while the portal is stopped."
        )
    if not parts.path.strip("/") and database is None:
        raise BackupError("DATABASE_URL names no database.")
    env = {}
    userinfo, _, hostport = parts.netloc.rpartition("@")
    user, has_password, password = userinfo.partition(":")
    if has_password:
        env["PGPASSWORD"] = unquote(password)
    netloc = f"{user}@{hostport}" if user else hostport
    path = f"/{database}" if database is not None else parts.path
    return urlunsplit(("postgresql", netloc, path, parts.query, "")), env


def database_name(database_url: str) -> str:
    return unquote(urlsplit(database_url).path.strip("/"))


def _run(command: list[str], *, env: dict[str, str], stdin: str | None = None) -> str:
    program = shutil.which(command[0])
    if program is None:
        raise BackupError(
            f"{command[0]} is not installed: install the PostgreSQL client programs "
            "(Debian: apt-get install postgresql-client; the portal's image has them)."
        )
    result = subprocess.run(  # noqa: S603 - fixed programs, arguments from the operator's own environment
        [program, *command[1:]],
        env={**os.environ, **env},
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip() or result.stdout.strip()}")
    return result.stdout


# Hashing and the manifest -------------------------------------------------------------------


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _files_under(folder: Path) -> list[str]:
    """Every file under `folder`, as sorted relative POSIX paths. Links are refused: a backup
    holds files, and a link could point anywhere when it is restored."""
    found = []
    for path in sorted(folder.rglob("*")):
        if path.is_symlink():
            raise BackupError(f"{path} is a symbolic link; backups hold plain files only.")
        if path.is_file():
            found.append(path.relative_to(folder).as_posix())
    return found


def manifest_write(folder: Path) -> dict[str, str]:
    entries = {name: sha256_of(folder / name) for name in _files_under(folder) if name != MANIFEST}
    lines = "".join(f"{digest}  {name}\n" for name, digest in entries.items())
    (folder / MANIFEST).write_text(lines, encoding="utf-8")
    return entries


def manifest_read(folder: Path) -> dict[str, str]:
    path = folder / MANIFEST
    if not path.is_file():
        raise BackupError(f"{folder} has no {MANIFEST}: it is not a complete backup.")
    entries = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        digest, separator, name = line.partition("  ")
        if not separator or len(digest) != 64 or not name or name.startswith("/") or ".." in name.split("/"):
            raise BackupError(f"{MANIFEST} line {number} is not '<sha256>  <relative path>': {line!r}")
        entries[name] = digest
    return entries


def manifest_verify(folder: Path) -> dict[str, str]:
    """The manifest's entries, once every file matches it: none missing, changed or unlisted."""
    entries = manifest_read(folder)
    present = set(_files_under(folder)) - {MANIFEST}
    problems = [f"missing: {name}" for name in sorted(set(entries) - present)]
    problems += [f"not in the manifest: {name}" for name in sorted(present - set(entries))]
    problems += [
        f"changed: {name}" for name in sorted(set(entries) & present) if sha256_of(folder / name) != entries[name]
    ]
    if problems:
        raise BackupError(f"{folder} does not match its manifest:\n  " + "\n  ".join(problems))
    return entries


# Backing up ---------------------------------------------------------------------------------


def backup_create(*, database_url: str, media_root: Path, backup_dir: Path, s3_bucket: str = "") -> Path:
    """Dump the database, copy the media (unless they live in S3) and write the manifest, in a
    new folder under `backup_dir` named by the UTC time. Returns the folder."""
    target, env = libpq_target(database_url)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H%M%SZ")
    folder = backup_dir / stamp
    partial = backup_dir / f".{stamp}.partial"
    if folder.exists() or partial.exists():
        raise BackupError(f"{folder} already exists: wait a second and run it again.")
    partial.mkdir(parents=True)
    partial.chmod(0o700)  # the dump holds personal data and password hashes: its owner only
    try:
        _run(["pg_dump", "--format=custom", f"--file={partial / DUMP}", f"--dbname={target}"], env=env)
        if s3_bucket:
            media = {"s3_bucket": s3_bucket, "copied": False}
        else:
            if media_root.is_dir():
                _files_under(media_root)  # refuse links before copying anything
                shutil.copytree(media_root, partial / MEDIA)
            else:
                (partial / MEDIA).mkdir()
            media = {"media_root": str(media_root), "copied": True, "files": len(_files_under(partial / MEDIA))}
        metadata = {
            "created_at": stamp,
            "database": database_name(database_url),
            "pg_dump": _run(["pg_dump", "--version"], env={}).strip(),
            "media": media,
        }
        (partial / METADATA).write_text(json.dumps(metadata, indent=2) + "\n", encoding="utf-8")
        manifest_write(partial)
        partial.rename(folder)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return folder


# Restoring ----------------------------------------------------------------------------------


def _database_exists(database_url: str, name: str) -> bool:
    maintenance, env = libpq_target(database_url, database="postgres")
    query = "SELECT count(*) FROM pg_database WHERE datname = :'name';\n"
    out = _run([*PSQL, "-v", f"name={name}", maintenance], env=env, stdin=query)
    return out.strip() == "1"


def _user_relations(database_url: str) -> int:
    target, env = libpq_target(database_url)
    query = (
        "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' "
        "AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f');\n"
    )
    return int(_run([*PSQL, target], env=env, stdin=query).strip())


def _fresh_database(database_url: str) -> None:
    """Create the target database, or check that it holds nothing: a restore never overwrites."""
    name = database_name(database_url)
    if not name:
        raise BackupError("DATABASE_URL names no database to restore into.")
    if _database_exists(database_url, name):
        if _user_relations(database_url):
            raise BackupError(
                f"The database {name!r} is not empty. Restore into a fresh database: name a new one in "
                "DATABASE_URL (it is created), or drop and recreate this one first."
            )
        return
    maintenance, env = libpq_target(database_url, database="postgres")
    _run(["createdb", f"--maintenance-db={maintenance}", name], env=env)


def _empty_media_root(media_root: Path) -> None:
    if media_root.exists() and any(media_root.iterdir()):
        raise BackupError(f"MEDIA_ROOT {media_root} is not empty. Restore into an empty or new folder.")


def backup_restore(*, folder: Path, database_url: str, media_root: Path) -> dict:
    """Check `folder` against its manifest, load it into a fresh database and an empty media
    folder, and check every restored file against the manifest. Returns what was restored."""
    entries = manifest_verify(folder)
    if DUMP not in entries:
        raise BackupError(f"{folder} holds no {DUMP}.")
    media_entries = {name[len(MEDIA) + 1 :]: digest for name, digest in entries.items() if name.startswith(MEDIA + "/")}
    has_media = (folder / MEDIA).is_dir()
    if has_media:
        _empty_media_root(media_root)
    _fresh_database(database_url)
    target, env = libpq_target(database_url)
    # All or nothing; owners and grants are the new server's (the restoring user owns everything).
    _run(
        [
            "pg_restore",
            "--exit-on-error",
            "--single-transaction",
            "--no-owner",
            "--no-privileges",
            f"--dbname={target}",
            str(folder / DUMP),
        ],
        env=env,
    )
    if has_media:
        shutil.copytree(folder / MEDIA, media_root, dirs_exist_ok=True)
        restored = {name: sha256_of(media_root / name) for name in _files_under(media_root)}
        if restored != media_entries:
            wrong = sorted(set(restored) ^ set(media_entries)) or sorted(
                name for name in restored if restored[name] != media_entries[name]
            )
            raise BackupError(f"The restored media do not match the manifest: {', '.join(wrong[:20])}")
    return {"database": database_name(database_url), "media_files": len(media_entries) if has_media else None}


# Off-site -----------------------------------------------------------------------------------

# One PUT carries at most 5 GB; a larger dump would need a multipart upload.
UPLOAD_LIMIT = 5 * 1024**3


def offsite_client():
    """An S3 client for BACKUP_S3_BUCKET, with credentials of its own (BACKUP_S3_ACCESS_KEY_ID...):
    ideally allowed to add objects and nothing else, so that the portal's machines cannot erase
    the copies. Without them, boto3's usual sources (a role, the environment)."""
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=env_str("BACKUP_S3_ENDPOINT_URL") or None,
        region_name=env_str("BACKUP_S3_REGION") or None,
        aws_access_key_id=env_str("BACKUP_S3_ACCESS_KEY_ID") or None,
        aws_secret_access_key=env_str("BACKUP_S3_SECRET_ACCESS_KEY") or None,
    )


def backup_upload(folder: Path, *, bucket: str, prefix: str = "", client) -> list[str]:
    """Copy a backup folder to an S3-compatible bucket, under `<prefix>/<folder name>/`. The folder
    is checked against its manifest first, and S3 checks each file's SHA-256 (the manifest's) as it
    receives it, refusing a file that arrived different. The manifest goes last: a copy that has
    one is complete. Returns the keys written."""
    from botocore.exceptions import BotoCoreError, ClientError

    entries = manifest_verify(folder)
    base = "/".join(part for part in (prefix.strip("/"), folder.name) if part)
    keys = []
    for name in [*sorted(entries), MANIFEST]:
        path = folder / name
        if path.stat().st_size > UPLOAD_LIMIT:
            raise BackupError(f"{name} is over 5 GB: copy {folder} off-site with rclone or aws s3 cp instead.")
        digest = entries.get(name) or sha256_of(path)
        key = f"{base}/{name}"
        try:
            with path.open("rb") as body:
                client.put_object(
                    Bucket=bucket, Key=key, Body=body, ChecksumSHA256=base64.b64encode(bytes.fromhex(digest)).decode()
                )
        except (BotoCoreError, ClientError) as exc:
            raise BackupError(f"Could not copy {name} to s3://{bucket}/{key}: {exc}") from exc
        keys.append(key)
    return keys


def _upload(folder: Path) -> str:
    bucket, prefix = env_str("BACKUP_S3_BUCKET"), env_str("BACKUP_S3_PREFIX")
    keys = backup_upload(folder, bucket=bucket, prefix=prefix, client=offsite_client())
    return f"Copied {len(keys)} files to s3://{bucket}/{keys[-1].rsplit('/', 1)[0]}/"


# Command line -------------------------------------------------------------------------------


def _database_url() -> str:
    url = env_str("DATABASE_URL")
    if not url:
        raise BackupError("Set DATABASE_URL to the PostgreSQL database (postgres://user:password@host:5432/name).")
    return url


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="icp_portal.backups", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("backup", help="back up DATABASE_URL and MEDIA_ROOT")
    create.add_argument("--backup-dir", type=Path, default=None, help="default: BACKUP_DIR, else var/backups")
    restore = commands.add_parser("restore", help="restore a backup folder into DATABASE_URL and MEDIA_ROOT")
    restore.add_argument("folder", type=Path)
    upload = commands.add_parser("upload", help="copy a backup folder to BACKUP_S3_BUCKET (backup does it when set)")
    upload.add_argument("folder", type=Path)
    options = parser.parse_args(argv)
    try:
        if options.command == "upload":
            if not env_str("BACKUP_S3_BUCKET"):
                raise BackupError("Set BACKUP_S3_BUCKET to the bucket that keeps the off-site copies.")
            print(_upload(options.folder.resolve()))
            return 0
        if options.command == "backup":
            folder = backup_create(
                database_url=_database_url(),
                media_root=default_media_root(),
                backup_dir=(options.backup_dir or default_backup_dir()).resolve(),
                s3_bucket=env_str("S3_BUCKET"),
            )
            metadata = json.loads((folder / METADATA).read_text(encoding="utf-8"))
            media = metadata["media"]
            what = f"{media['files']} media files" if media["copied"] else f"no media (S3 bucket {media['s3_bucket']})"
            print(f"Backed up {metadata['database']} and {what} to {folder}")
            if env_str("BACKUP_S3_BUCKET"):
                print(_upload(folder))
        else:
            done = backup_restore(
                folder=options.folder.resolve(), database_url=_database_url(), media_root=default_media_root()
            )
            media = "no media (kept in S3)" if done["media_files"] is None else f"{done['media_files']} media files"
            print(f"Restored {options.folder} into {done['database']} and {media}; every file matches the manifest.")
    except BackupError as exc:
        print(f"{options.command}: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
