"""Hand the audit log to a database role the portal never connects as (PostgreSQL).

The append-only triggers (migration icp_portal/0002_audit_append_only) refuse UPDATE, DELETE and
TRUNCATE, but the owner of a table may drop its triggers, disable them (ALTER TABLE ... DISABLE
TRIGGER) or replace the function they call. While the portal's own role owns the audit table, the
rule holds against mistakes but not against someone with the portal's credentials. So the table
and the trigger function are given to a role that cannot log in, and the portal's role keeps
SELECT and INSERT on the table, and nothing else there.

    manage.py audit_protect --app-role portal            # print the SQL, to review or run by hand
    manage.py audit_protect --app-role portal --apply    # run it (connected as an administrator)
    manage.py audit_protect --check                      # as the portal: is the log protected?
    manage.py audit_protect --app-role portal --release  # print the SQL that hands it back

docs/operations.md ("The audit log is append-only") says when to run each."""

import re

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

TABLE = "icp_portal_auditevent"
FUNCTION = "icp_portal_auditevent_append_only()"
ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def _role(name: str, what: str) -> str:
    if not ROLE_NAME.match(name or ""):
        raise CommandError(f"{what} must be a PostgreSQL role name in lower case letters, digits and _ (got {name!r}).")
    return name


def protect_sql(*, app_role: str, owner_role: str) -> list[str]:
    """The statements that give the audit log to `owner_role` and leave `app_role` reading and
    appending. Safe to run again."""
    app, owner = _role(app_role, "The application's role"), _role(owner_role, "The audit log's owner")
    if app == owner:
        raise CommandError("The audit log's owner must be a role other than the application's.")
    return [
        # A role nobody logs in as: it owns the log and does nothing else.
        f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{owner}') THEN "
        f"CREATE ROLE {owner} NOLOGIN; END IF; END $$",
        # Only the owner may drop or disable a table's triggers, or replace their function.
        f"ALTER TABLE {TABLE} OWNER TO {owner}",
        f"ALTER FUNCTION {FUNCTION} OWNER TO {owner}",
        f"REVOKE ALL ON TABLE {TABLE} FROM PUBLIC, {app}",
        f"GRANT SELECT, INSERT ON TABLE {TABLE} TO {app}",
        # The id's sequence moved with the table; the portal still draws ids from it.
        f"DO $$ BEGIN EXECUTE format('GRANT USAGE ON SEQUENCE %s TO {app}', "
        f"pg_get_serial_sequence('{TABLE}', 'id')); END $$",
        # Had the application's role been made a member of the owner, it would act as the owner.
        f"DO $$ BEGIN IF pg_has_role('{app}', '{owner}', 'MEMBER') THEN REVOKE {owner} FROM {app}; END IF; END $$",
    ]


def release_sql(*, app_role: str) -> list[str]:
    """Hand the log back to the application's role, for a migration that alters the table; run
    `--apply` again straight after it."""
    app = _role(app_role, "The application's role")
    return [f"ALTER TABLE {TABLE} OWNER TO {app}", f"ALTER FUNCTION {FUNCTION} OWNER TO {app}"]


CHECK_SQL = """
SELECT pg_get_userbyid(c.relowner),
       r.rolsuper,
       pg_has_role(current_user, c.relowner, 'USAGE'),
       pg_has_role(current_user, p.proowner, 'USAGE'),
       pg_has_role(current_user, n.nspowner, 'USAGE'),
       has_table_privilege(current_user, c.oid, 'UPDATE'),
       has_table_privilege(current_user, c.oid, 'DELETE'),
       has_table_privilege(current_user, c.oid, 'TRUNCATE'),
       (SELECT count(*) FROM pg_trigger t WHERE t.tgrelid = c.oid AND NOT t.tgisinternal AND t.tgenabled = 'O')
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_roles r ON r.rolname = current_user
JOIN pg_proc p ON p.oid = 'icp_portal_auditevent_append_only()'::regprocedure
WHERE c.oid = 'icp_portal_auditevent'::regclass
"""


def check_findings() -> tuple[str, list[str]]:
    """Who owns the audit log, and what the current role could still do to rewrite it."""
    with connection.cursor() as cursor:
        cursor.execute(CHECK_SQL)
        owner, superuser, owns_table, owns_function, owns_schema, update, delete, truncate, triggers = cursor.fetchone()
    found = []
    if superuser:
        found.append("the portal connects as a superuser, which no trigger or privilege binds")
    if owns_table:
        found.append(
            f"the portal's role owns {TABLE} (or is a member of its owner): it may drop or disable its triggers"
        )
    if owns_function:
        found.append(f"the portal's role owns {FUNCTION}: it may replace what the triggers do")
    if owns_schema:
        found.append("the portal's role owns the table's schema (or the database): it may drop the table")
    for allowed, privilege in ((update, "UPDATE"), (delete, "DELETE"), (truncate, "TRUNCATE")):
        if allowed:
            found.append(f"the portal's role has {privilege} on {TABLE}")
    if triggers < 2:
        found.append(f"{TABLE} has {triggers} enabled trigger(s); it should have 2 (migration 0002_audit_append_only)")
    return owner, found


class Command(BaseCommand):
    help = "Print, apply or check the SQL that gives the audit log to a role the portal never connects as."

    def add_arguments(self, parser):
        parser.add_argument("--app-role", help="the role the portal connects as (default: DATABASE_URL's user)")
        parser.add_argument("--owner-role", default="portal_audit", help="the role to own the audit log")
        action = parser.add_mutually_exclusive_group()
        action.add_argument("--apply", action="store_true", help="run the SQL (connected as an administrator)")
        action.add_argument("--check", action="store_true", help="report whether the current role could rewrite it")
        action.add_argument("--release", action="store_true", help="print the SQL that hands it back for a migration")

    def handle(self, *args, app_role=None, owner_role="portal_audit", apply=False, check=False, release=False, **kw):
        if connection.vendor != "postgresql":
            raise CommandError("audit_protect is for PostgreSQL; on SQLite the triggers are all there is.")
        if check:
            owner, found = check_findings()
            if found:
                raise CommandError("The audit log can be rewritten: " + "; ".join(found) + ".")
            self.stdout.write(
                f"The audit log is protected: {TABLE} is owned by {owner}; this role may only read and append."
            )
            return
        if apply and not app_role:
            raise CommandError("--apply needs --app-role: run it as an administrator, naming the portal's role.")
        app_role = app_role or connection.settings_dict["USER"]
        statements = (
            release_sql(app_role=app_role) if release else protect_sql(app_role=app_role, owner_role=owner_role)
        )
        if not apply:
            self.stdout.write("BEGIN;\n" + "".join(f"{sql};\n" for sql in statements) + "COMMIT;")
            return
        with transaction.atomic(), connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql, params=None)
        self.stdout.write(f"{TABLE} now belongs to {owner_role}; {app_role} may read and append only.")
