"""Backups copied off-site to an S3-compatible bucket (BACKUP_S3_BUCKET), checked file by file.

No bucket in CI: botocore's Stubber stands in for S3 and checks every request the portal makes
(bucket, key, order and the SHA-256 S3 is asked to verify)."""

import base64
import hashlib
import json
from pathlib import Path

import boto3
import pytest
from botocore.stub import ANY, Stubber

from icp_portal import backups

STAMP = "2026-01-31T020000Z"


@pytest.fixture
def folder(tmp_path) -> Path:
    """A backup folder as bin/backup writes it (without running pg_dump)."""
    folder = tmp_path / STAMP
    (folder / "media" / "published").mkdir(parents=True)
    (folder / "database.dump").write_bytes(b"PGDMP dump of the portal")
    (folder / "backup.json").write_text(json.dumps({"created_at": STAMP}) + "\n")
    (folder / "media" / "published" / "pack.pdf").write_bytes(b"%PDF-1.4 pack")
    backups.manifest_write(folder)
    return folder


@pytest.fixture
def s3():
    client = boto3.client("s3", region_name="eu-west-2", aws_access_key_id="test", aws_secret_access_key="test")
    with Stubber(client) as stubber:
        yield client, stubber
        stubber.assert_no_pending_responses()


def _checksum(path: Path) -> str:
    return base64.b64encode(hashlib.sha256(path.read_bytes()).digest()).decode()


def test_every_file_is_copied_with_its_sha256_and_the_manifest_last(folder, s3):
    client, stubber = s3
    names = ["backup.json", "database.dump", "media/published/pack.pdf", "MANIFEST.sha256"]
    for name in names:
        expected = {
            "Bucket": "icp-backups",
            "Key": f"nightly/{STAMP}/{name}",
            "Body": ANY,
            "ChecksumSHA256": _checksum(folder / name),
        }
        stubber.add_response("put_object", {}, expected)
    keys = backups.backup_upload(folder, bucket="icp-backups", prefix="/nightly/", client=client)
    assert keys == [f"nightly/{STAMP}/{name}" for name in names]


def test_a_file_s3_received_different_stops_the_copy(folder, s3):
    """S3 checks each file against the hash recorded when the backup was made (not one taken as
    it is sent), and a refusal stops the copy before the manifest is written, saying which file."""
    client, stubber = s3
    manifest = backups.manifest_read(folder)
    dump = base64.b64encode(bytes.fromhex(manifest["database.dump"])).decode()
    stubber.add_response(
        "put_object", {}, {"Bucket": "b", "Key": f"{STAMP}/backup.json", "Body": ANY, "ChecksumSHA256": ANY}
    )
    stubber.add_response(
        "put_object", {}, {"Bucket": "b", "Key": f"{STAMP}/database.dump", "Body": ANY, "ChecksumSHA256": dump}
    )
    stubber.add_client_error(
        "put_object", "BadDigest", "The SHA256 you specified did not match the calculated checksum."
    )
    with pytest.raises(backups.BackupError, match=f"media/published/pack.pdf to s3://b/{STAMP}/media.*did not match"):
        backups.backup_upload(folder, bucket="b", client=client)


def test_a_backup_that_does_not_match_its_manifest_is_not_copied(folder, s3):
    client, _ = s3  # no response queued: any request would fail the test
    (folder / "database.dump").write_bytes(b"changed after the backup")
    with pytest.raises(backups.BackupError, match="changed: database.dump"):
        backups.backup_upload(folder, bucket="b", client=client)


def test_a_refused_upload_says_what_and_where(folder, s3):
    client, stubber = s3
    stubber.add_client_error("put_object", "AccessDenied", "Access Denied")
    with pytest.raises(backups.BackupError, match=f"Could not copy backup.json to s3://b/{STAMP}/backup.json"):
        backups.backup_upload(folder, bucket="b", client=client)


def test_the_command_copies_a_folder_again(folder, s3, monkeypatch, capsys):
    client, stubber = s3
    for _ in range(4):
        stubber.add_response("put_object", {}, None)
    monkeypatch.setattr(backups, "offsite_client", lambda: client)
    monkeypatch.setenv("BACKUP_S3_BUCKET", "icp-backups")
    monkeypatch.delenv("BACKUP_S3_PREFIX", raising=False)
    assert backups.main(["upload", str(folder)]) == 0
    assert capsys.readouterr().out.strip() == f"Copied 4 files to s3://icp-backups/{STAMP}/"
    monkeypatch.delenv("BACKUP_S3_BUCKET")
    assert backups.main(["upload", str(folder)]) == 1
    assert "Set BACKUP_S3_BUCKET" in capsys.readouterr().err
