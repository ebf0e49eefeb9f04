"""Nobody rewrites the audit log: the database refuses UPDATE, DELETE and (PostgreSQL) TRUNCATE.

Runs in both modes: SQLite by default, PostgreSQL in CI. Each refusal is an IntegrityError
whose message says the log is append-only."""

from contextlib import contextmanager

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError

from audit.models import AuditEvent
from audit.services import audit_record
from membership.factories import UserFactory
from partnerships.factories import PartnershipFactory

POSTGRESQL = connection.vendor == "postgresql"


@pytest.fixture
def entry(db):
    return audit_record(
        actor=UserFactory(), action="meetings.minutes.approved", partnership=PartnershipFactory(), changes={"a": 1}
    )


@contextmanager
def refused(operation: str):
    """The database's refusal, inside a savepoint so that the test's transaction goes on."""
    with (
        pytest.raises(IntegrityError, match=f"append-only: {operation} on icp_portal_auditevent"),
        transaction.atomic(),
    ):
        yield


def test_entries_are_still_written(entry):
    assert AuditEvent.objects.get(pk=entry.pk).changes == {"a": 1}


def test_an_entry_cannot_be_updated(entry):
    with refused("UPDATE"):
        AuditEvent.objects.filter(pk=entry.pk).update(action="meetings.minutes.withdrawn")
    entry.changes = {"a": 2}
    with refused("UPDATE"):
        entry.save()
    with refused("UPDATE"), connection.cursor() as cursor:
        cursor.execute("UPDATE icp_portal_auditevent SET object_repr = 'rewritten'")
    assert AuditEvent.objects.get(pk=entry.pk).action == "meetings.minutes.approved"


def test_an_entry_cannot_be_deleted(entry):
    with refused("DELETE"):
        AuditEvent.objects.filter(pk=entry.pk).delete()
    with refused("DELETE"):
        entry.delete()
    with refused("DELETE"), connection.cursor() as cursor:
        cursor.execute("DELETE FROM icp_portal_auditevent")
    assert AuditEvent.objects.filter(pk=entry.pk).exists()


@pytest.mark.skipif(not POSTGRESQL, reason="SQLite has no TRUNCATE (its DELETE is refused above)")
def test_the_table_cannot_be_truncated(entry):
    with connection.cursor() as cursor:
        # The entry's foreign keys are checked at commit; PostgreSQL will not truncate a table
        # with checks pending, so run them now (a committed table, as in production, has none).
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    with refused("TRUNCATE"), connection.cursor() as cursor:
        cursor.execute("TRUNCATE icp_portal_auditevent")
    assert AuditEvent.objects.filter(pk=entry.pk).exists()


def test_an_account_or_partnership_named_in_the_log_cannot_be_deleted(entry):
    """Deleting them would null the entry's actor or partnership: a rewrite. Deactivate instead."""
    with pytest.raises(ProtectedError):
        entry.actor.delete()
    with pytest.raises(ProtectedError):
        entry.partnership.delete()
    entry.actor.is_active = False
    entry.actor.save()
    assert AuditEvent.objects.get(pk=entry.pk).actor_id == entry.actor.pk


@pytest.mark.django_db(transaction=True)
def test_the_test_suites_flush_empties_the_log_and_puts_the_guard_back():
    """Tests that commit are cleaned up by flush (tests/conftest.py lifts the guard for it alone)."""
    audit_record(actor=None, action="icp_portal.test.committed")
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEvent.objects.exists()
    entry = audit_record(actor=None, action="icp_portal.test.after_flush")
    with refused("UPDATE"):
        AuditEvent.objects.filter(pk=entry.pk).update(action="rewritten")
    with refused("DELETE"):
        AuditEvent.objects.filter(pk=entry.pk).delete()
