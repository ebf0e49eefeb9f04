"""The audit log is append-only, enforced by the database.

Services only ever insert audit entries (icp_portal.audit.audit_record). A trigger now refuses
UPDATE and DELETE of any row, and on PostgreSQL TRUNCATE of the table, with an IntegrityError
that says why: no code path, admin action, shell session or data migration can rewrite who did
what. The foreign keys move from SET_NULL to PROTECT, since nulling the actor or partnership
of an entry when its account or partnership is deleted is exactly such a rewrite (PROTECT
changes no SQL: Django applies it).

On SQLite the same rule is two triggers. SQLite drops a table's triggers when a migration
rebuilds the table: a later migration that rebuilds this table must create them again
(tests/icp_portal/test_audit_append_only.py fails if it does not).

The test suite lifts the guard for one thing only: `flush`, which empties every table between
tests that commit (tests/conftest.py); it removes and recreates these triggers around it, in
the same transaction."""

from django.conf import settings
from django.db import migrations, models

TABLE = "icp_portal_auditevent"
MESSAGE = "The audit log is append-only: {op} on icp_portal_auditevent is refused. Record a new entry instead."

GUARD = {
    "postgresql": {
        "install": [
            # RAISE formats % with TG_OP (UPDATE, DELETE or TRUNCATE). restrict_violation
            # (SQLSTATE 23001) reaches Django as an IntegrityError, as SQLite's RAISE(ABORT) does.
            """
            CREATE OR REPLACE FUNCTION icp_portal_auditevent_append_only() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'The audit log is append-only: % on icp_portal_auditevent is refused. '
                    'Record a new entry instead.', TG_OP
                    USING ERRCODE = 'restrict_violation';
            END;
            $$
            """,
            """
            CREATE TRIGGER icp_portal_auditevent_no_update_or_delete
            BEFORE UPDATE OR DELETE ON icp_portal_auditevent
            FOR EACH ROW EXECUTE FUNCTION icp_portal_auditevent_append_only()
            """,
            """
            CREATE TRIGGER icp_portal_auditevent_no_truncate
            BEFORE TRUNCATE ON icp_portal_auditevent
            FOR EACH STATEMENT EXECUTE FUNCTION icp_portal_auditevent_append_only()
            """,
        ],
        "remove": [
            "DROP TRIGGER IF EXISTS icp_portal_auditevent_no_update_or_delete ON icp_portal_auditevent",
            "DROP TRIGGER IF EXISTS icp_portal_auditevent_no_truncate ON icp_portal_auditevent",
        ],
        "uninstall": ["DROP FUNCTION IF EXISTS icp_portal_auditevent_append_only()"],
    },
    "sqlite": {
        "install": [
            f"""
            CREATE TRIGGER icp_portal_auditevent_no_update BEFORE UPDATE ON icp_portal_auditevent
            BEGIN SELECT RAISE(ABORT, '{MESSAGE.format(op="UPDATE")}'); END
            """,
            f"""
            CREATE TRIGGER icp_portal_auditevent_no_delete BEFORE DELETE ON icp_portal_auditevent
            BEGIN SELECT RAISE(ABORT, '{MESSAGE.format(op="DELETE")}'); END
            """,
        ],
        "remove": [
            "DROP TRIGGER IF EXISTS icp_portal_auditevent_no_update",
            "DROP TRIGGER IF EXISTS icp_portal_auditevent_no_delete",
        ],
        "uninstall": [],
    },
}


def _run(schema_editor, *parts):
    guard = GUARD.get(schema_editor.connection.vendor)
    if guard is None:
        return  # another database: no guard written for it (the portal runs on PostgreSQL or SQLite)
    for part in parts:
        for sql in guard[part]:
            # params=None: nothing is interpolated, so the % in the PL/pgSQL RAISE stays as it is.
            schema_editor.execute(sql, params=None)


def install(apps, schema_editor):
    _run(schema_editor, "install")


def uninstall(apps, schema_editor):
    _run(schema_editor, "remove", "uninstall")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("icp_portal", "0001_audit_log"),
        ("partnerships", "0002_partnerships_places_boards"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="actor",
            field=models.ForeignKey(
                blank=True, null=True, on_delete=models.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL
            ),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="content_type",
            field=models.ForeignKey(blank=True, null=True, on_delete=models.PROTECT, to="contenttypes.contenttype"),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="partnership",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=models.PROTECT,
                related_name="audit_events",
                to="partnerships.partnership",
            ),
        ),
        migrations.RunPython(install, uninstall),
    ]
