from django.db import migrations

# Public search (publishing/search.py) matches these expressions with @@ on PostgreSQL; each
# index is on exactly the expression SearchVector(..., config="english") produces, so a search
# reads the matching rows from the index instead of computing every row's vector (at national
# scale, ~60,000 agenda items and ~57,000 minute entries: over a second per search without them).
# SQLite, the embedded default, has no full-text index; search there matches substrings.
INDEXES = {
    "meetings_meeting_title_fts": ("meetings_meeting", "COALESCE(title, '')"),
    "meetings_agendaitem_fts": ("meetings_agendaitem", "COALESCE(title, '') || ' ' || COALESCE(presenter, '')"),
    "meetings_minuteentry_fts": (
        "meetings_minuteentry",
        "COALESCE(discussion, '') || ' ' || COALESCE(resolutions, '')",
    ),
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, (table, expression) in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (to_tsvector('english'::regconfig, {expression}))"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("meetings", "0002_meeting_series_date")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
