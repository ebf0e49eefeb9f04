from django.db import migrations

# Public search (publishing/search.py) finds a public paper by its current version's text (PaperText). As for
# the other searched tables (publishing's 0006_stored_search_vectors), PostgreSQL keeps a stored
# `search_vector` over the text itself (a generated column, so extraction cannot forget to fill
# it) and a GIN index on it, so a search reads its matches from the index and ranks them without
# computing any vector. The text is indexed up to its first 400,000 characters, which keeps every
# vector under PostgreSQL's 1 MB limit for a tsvector. SQLite, the embedded default, has none of
# this; search there matches substrings.
TABLE = "meetings_papertext"
EXPRESSION = "to_tsvector('english'::regconfig, left(COALESCE(text, ''), 400000))"


def add_vector(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"ALTER TABLE {TABLE} ADD COLUMN IF NOT EXISTS search_vector tsvector GENERATED ALWAYS AS ({EXPRESSION}) STORED"
    )
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {TABLE}_search_vector ON {TABLE} USING gin (search_vector)")


def remove_vector(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS search_vector")


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0018_paper_text"),
    ]

    operations = [migrations.RunPython(add_vector, remove_vector)]
