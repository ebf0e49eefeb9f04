from django.db import migrations

# The expression matches SearchVector("text", config="english") in publishing/search.py,
# so PostgreSQL can answer public document searches from the index. SQLite (the
# embedded default) has no full-text index; search there falls back to substring matching.
CREATE = (
    "CREATE INDEX IF NOT EXISTS publishing_document_text_fts ON publishing_publisheddocument "
    "USING gin (to_tsvector('english'::regconfig, COALESCE(text, '')))"
)
DROP = "DROP INDEX IF EXISTS publishing_document_text_fts"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("publishing", "0001_published_documents")]

    operations = [migrations.RunPython(create_index, drop_index)]
