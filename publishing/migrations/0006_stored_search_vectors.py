from django.db import migrations

# Public search (publishing/search.py) matches and ranks on a stored `search_vector` column in
# each searched table: a generated column, so PostgreSQL fills it itself whenever the text is
# saved (a title edited, minutes written, a PDF's text extracted) and no code path can forget
# to; GIN-indexed, so a search reads its matches from the index and ranks them without
# computing any vector. They replace the expression indexes of meetings' 0003 and publishing's
# 0002, which made PostgreSQL compute each matching row's vector again to rank it.
#
# Titles weigh more than the rest (A over B/C). A PDF's text is indexed up to its first
# 400,000 characters (some 150 pages of dense text), which keeps every vector under
# PostgreSQL's 1 MB limit for a tsvector: a longer text would otherwise fail to save.
# SQLite, the embedded default, has none of this; search there matches substrings.
VECTORS = {
    "meetings_meeting": (
        "setweight(to_tsvector('english'::regconfig, COALESCE(title, '')), 'A') || "
        "setweight(to_tsvector('english'::regconfig, COALESCE(venue, '')), 'C')"
    ),
    "meetings_agendaitem": (
        "setweight(to_tsvector('english'::regconfig, COALESCE(title, '')), 'A') || "
        "setweight(to_tsvector('english'::regconfig, COALESCE(presenter, '')), 'C')"
    ),
    "meetings_minuteentry": (
        "setweight(to_tsvector('english'::regconfig, "
        "COALESCE(discussion, '') || ' ' || COALESCE(resolutions, '')), 'B')"
    ),
    # The text only: a pack's title repeats its meeting's, which meetings already answer, and
    # every matching pack costs a fingerprint check (`visibility.current_only`) to show.
    "publishing_publisheddocument": ("to_tsvector('english'::regconfig, left(COALESCE(text, ''), 400000))"),
}
OLD_INDEXES = {
    "meetings_meeting_title_fts": ("meetings_meeting", "COALESCE(title, '')"),
    "meetings_agendaitem_fts": ("meetings_agendaitem", "COALESCE(title, '') || ' ' || COALESCE(presenter, '')"),
    "meetings_minuteentry_fts": (
        "meetings_minuteentry",
        "COALESCE(discussion, '') || ' ' || COALESCE(resolutions, '')",
    ),
    "publishing_document_text_fts": ("publishing_publisheddocument", "COALESCE(text, '')"),
}


def add_vectors(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, expression in VECTORS.items():
        schema_editor.execute(
            f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS search_vector tsvector "
            f"GENERATED ALWAYS AS ({expression}) STORED"
        )
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {table}_search_vector ON {table} USING gin (search_vector)")
    for name in OLD_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def remove_vectors(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in VECTORS:
        schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_vector")
    for name, (table, expression) in OLD_INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (to_tsvector('english'::regconfig, {expression}))"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("publishing", "0005_one_current_document_and_task_id"),
        ("meetings", "0003_search_indexes"),
    ]

    operations = [migrations.RunPython(add_vectors, remove_vectors)]
