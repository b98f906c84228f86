"""Chain the audit trail by hashes (core/audit_chain.py) and hash the events already there, in the
order of their ids. On PostgreSQL the append-only trigger is set aside for these updates only;
the migration runs as the tables' owner, the only role allowed to do that."""

from django.db import migrations, models

from core.audit_chain import CHAINED_FIELDS, GENESIS, link, rows_of

BATCH = 1000


def hash_the_trail(apps, schema_editor):
    AuditEvent = apps.get_model("core", "AuditEvent")
    connection = schema_editor.connection
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    postgresql = connection.vendor == "postgresql"
    update = f"UPDATE {table} SET previous_hash = %s, chain_hash = %s WHERE id = %s"
    rows = rows_of(
        AuditEvent.objects.order_by("id")
        .values_list("id", *CHAINED_FIELDS, "previous_hash", "chain_hash")
        .iterator(chunk_size=BATCH)
    )
    with connection.cursor() as cursor:
        if postgresql:
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER core_auditevent_append_only")
        previous, batch = GENESIS, []
        for row in rows:
            own = link(previous, row.fields)
            batch.append((previous, own, row.id))
            previous = own
            if len(batch) == BATCH:
                cursor.executemany(update, batch)
                batch = []
        if batch:
            cursor.executemany(update, batch)
        if postgresql:
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER core_auditevent_append_only")


class Migration(migrations.Migration):
    dependencies = [("core", "0008_agency_kinds_validity_successors")]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="previous_hash",
            field=models.CharField(
                default="", editable=False, max_length=64, verbose_name="previous hash"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="chain_hash",
            field=models.CharField(default="", editable=False, max_length=64, verbose_name="hash"),
            preserve_default=False,
        ),
        migrations.RunPython(hash_the_trail, migrations.RunPython.noop),
    ]
