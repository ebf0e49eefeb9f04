"""The portal's database role cannot drop, disable or rewrite the audit log's triggers once the
log belongs to another role (manage.py audit_protect). PostgreSQL only: CI runs it there.

Roles are cluster-wide but CREATE ROLE is transactional: everything here is rolled back with the
test's transaction. The portal's role is played with SET ROLE."""

import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from icp_portal.management.commands.audit_protect import TABLE, protect_sql
from partnerships.factories import PartnershipFactory

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="roles and owners are PostgreSQL's (CI runs it there)"
    ),
]

ATTACKS = {
    "drop the trigger": f"DROP TRIGGER icp_portal_auditevent_no_update_or_delete ON {TABLE}",
    # USER: every trigger but the foreign keys' (those need a superuser even for the owner).
    "disable the triggers": f"ALTER TABLE {TABLE} DISABLE TRIGGER USER",
    "disable one trigger": f"ALTER TABLE {TABLE} DISABLE TRIGGER icp_portal_auditevent_no_truncate",
    "replace the function": (
        "CREATE OR REPLACE FUNCTION icp_portal_auditevent_append_only() RETURNS trigger "
        "LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END; $$"
    ),
    "drop the function": "DROP FUNCTION icp_portal_auditevent_append_only() CASCADE",
    "drop the table": f"DROP TABLE {TABLE} CASCADE",
    "rewrite an entry": "UPDATE icp_portal_auditevent SET object_repr = 'rewritten'",
    "delete the entries": "DELETE FROM icp_portal_auditevent",
    "truncate the table": f"TRUNCATE {TABLE}",
}


def audit_entry(action: str, changes: dict):
    """An audit entry, through the model that keeps the log, wherever its app is."""
    (model,) = [m for m in apps.get_models() if m._meta.db_table == TABLE]
    return model.objects.create(action=action, changes=changes)


def _execute(sql: str) -> None:
    """Run `sql` now. Foreign keys are checked at once, not at commit (which a test never reaches):
    PostgreSQL refuses to alter a table with checks still pending."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(sql, params=None)


@contextmanager
def as_role(role: str):
    _execute(f"SET ROLE {role}")
    try:
        yield
    finally:
        _execute("RESET ROLE")


def _allowed(sql: str) -> bool:
    """Whether the current role may run `sql` (undone either way, in a savepoint)."""
    try:
        with transaction.atomic():
            _execute(sql)
            raise _Undo
    except _Undo:
        return True
    except DatabaseError:
        return False


class _Undo(Exception):
    pass


@pytest.fixture
def roles():
    """The portal's role as it is before protection: it owns the audit log, as the role that
    ran the migrations does, and may read and write every table."""
    suffix = uuid.uuid4().hex[:8]
    app, owner = f"portal_app_{suffix}", f"portal_audit_{suffix}"
    _execute(f"CREATE ROLE {app} NOLOGIN")
    _execute(f"GRANT USAGE, CREATE ON SCHEMA public TO {app}")  # it runs the migrations
    _execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {app}")
    _execute(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {app}")
    _execute(f"ALTER TABLE {TABLE} OWNER TO {app}")
    _execute(f"ALTER FUNCTION icp_portal_auditevent_append_only() OWNER TO {app}")
    return app, owner


def _protect(app: str, owner: str) -> None:
    for sql in protect_sql(app_role=app, owner_role=owner):
        _execute(sql)


def test_owning_the_log_the_portal_could_disable_its_triggers(roles):
    """Why the command exists: the triggers alone do not bind their table's owner."""
    app, owner = roles
    with as_role(app):
        assert _allowed(ATTACKS["disable the triggers"])
        assert _allowed(ATTACKS["drop the trigger"])
        assert _allowed(ATTACKS["replace the function"])
        with pytest.raises(CommandError, match=f"owns {TABLE}"):
            call_command("audit_protect", "--check")


def test_once_protected_the_portal_cannot_rewrite_the_log(roles):
    app, owner = roles
    PartnershipFactory()
    audit_entry("meetings.minutes.approved", {"a": 1})
    _protect(app, owner)
    with as_role(app):
        for attack, sql in ATTACKS.items():
            assert not _allowed(sql), f"the portal's role may still {attack}"
        # What it must still do: read and append.
        entry = audit_entry("meetings.minutes.published", {"b": 2})
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM icp_portal_auditevent")
            assert cursor.fetchone()[0] == 2
        assert entry.pk
        call_command("audit_protect", "--check")
    with connection.cursor() as cursor:
        # Nor may it become the owner (a member could SET ROLE to it).
        cursor.execute("SELECT pg_has_role(%s, %s, 'MEMBER')", [app, owner])
        assert cursor.fetchone()[0] is False
        cursor.execute("SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = 'icp_portal_auditevent'::regclass")
        assert cursor.fetchone()[0] == owner


def test_protecting_twice_changes_nothing(roles):
    app, owner = roles
    _protect(app, owner)
    _protect(app, owner)
    with as_role(app):
        call_command("audit_protect", "--check")


def test_a_superuser_is_never_protected():
    with pytest.raises(CommandError, match="superuser"):
        call_command("audit_protect", "--check")


def test_the_sql_is_printed_and_bad_role_names_are_refused(capsys):
    call_command("audit_protect", "--app-role", "portal")
    printed = capsys.readouterr().out
    assert printed.startswith("BEGIN;") and printed.rstrip().endswith("COMMIT;")
    assert f"ALTER TABLE {TABLE} OWNER TO portal_audit;" in printed
    assert f"GRANT SELECT, INSERT ON TABLE {TABLE} TO portal;" in printed
    assert printed.strip() in (ROOT / "docs" / "operations.md").read_text()  # the guide shows what it runs
    with pytest.raises(CommandError, match="role name"):
        call_command("audit_protect", "--app-role", "portal; DROP TABLE x")
    with pytest.raises(CommandError, match="other than"):
        call_command("audit_protect", "--app-role", "portal_audit")
    with pytest.raises(CommandError, match="--app-role"):
        call_command("audit_protect", "--apply")
