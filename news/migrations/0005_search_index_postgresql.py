# Full-text search on PostgreSQL: a trigger keeps Release.search_vector current (bulk_create in
# the importer bypasses save(), a trigger does not), and a GIN index serves the queries.
# SQLite has neither; there the search falls back to stems (news/search.py), so this is a no-op.

from django.db import migrations

FORWARDS = [
    """
    CREATE FUNCTION news_release_search_vector_update() RETURNS trigger AS $$
    BEGIN
        NEW.search_vector :=
            setweight(to_tsvector('pg_catalog.russian', coalesce(NEW.title, '')), 'A')
            || setweight(to_tsvector('pg_catalog.russian', coalesce(NEW.summary, '')), 'B')
            || setweight(
                to_tsvector(
                    'pg_catalog.russian',
                    regexp_replace(coalesce(NEW.body, ''), '<[^>]*>', ' ', 'g')
                ),
                'C'
            );
        RETURN NEW;
    END
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER news_release_search_vector
    BEFORE INSERT OR UPDATE OF title, summary, body, search_vector ON news_release
    FOR EACH ROW EXECUTE FUNCTION news_release_search_vector_update();
    """,
    # Fill the rows that exist: the trigger computes the value.
    "UPDATE news_release SET title = title;",
    "CREATE INDEX release_search_vector_idx ON news_release USING gin (search_vector);",
]

BACKWARDS = [
    "DROP INDEX IF EXISTS release_search_vector_idx;",
    "DROP TRIGGER IF EXISTS news_release_search_vector ON news_release;",
    "DROP FUNCTION IF EXISTS news_release_search_vector_update();",
]


class RunSQLOnPostgreSQL(migrations.RunSQL):
    """RunSQL that does nothing on other databases, so SQLite still migrates."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0004_contact_search_vector"),
    ]

    operations = [
        RunSQLOnPostgreSQL(sql=FORWARDS, reverse_sql=BACKWARDS),
    ]
