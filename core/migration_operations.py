"""Migration operations of our own, where Django's would lock a national table for long."""

from django.db import migrations


class DropForeignKeyIndex(migrations.AlterField):
    """`AlterField` to `db_index=False` that drops the foreign key's own index and nothing else.

    Django's drops the key's constraint and adds it back, and PostgreSQL checks the constraint
    row by row with both tables closed to writes: 53 s for the 24 keys it was first used for,
    on 1,000,000 cases, the cases, referrals and outbox unwritable meanwhile. Dropping the index
    takes a moment. Going back rebuilds it the slow way, Django's.
    """

    def database_forwards(self, app_label, schema_editor, from_state, to_state) -> None:
        model = to_state.apps.get_model(app_label, self.model_name)
        table, column = model._meta.db_table, model._meta.get_field(self.name).column
        # The name Django gave the index, computed as its schema editor computes it (reading it
        # back from the database instead trips on SQLite's introspection of these tables).
        name = schema_editor._create_index_name(table, [column])
        schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(name)}")
