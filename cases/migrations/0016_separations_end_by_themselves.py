"""A separation's end is a period that runs out, not a deadline to breach (Decree 56/2017
Art. 32(2)): the sweep now meets its clock at the due time (core.clocks.ClockKind.end_event).
Clocks of separations that ended before this release were breached and escalated instead; they
are met as of their end, and those still running are called by the sweep at their end whatever
the escalation chain says."""

from django.db import migrations
from django.db.models import F
from django.utils import timezone

SEPARATION_END = "case_separation_end"


def end_by_themselves(apps, schema_editor):
    Clock = apps.get_model("core", "Clock")
    now = timezone.now()
    running = Clock.objects.filter(
        kind=SEPARATION_END, met_at__isnull=True, stopped_at__isnull=True
    )
    running.filter(due_at__lte=now).update(met_at=F("due_at"), next_action_at=None)
    running.update(next_action_at=F("due_at"))
    running.filter(reminded_at__isnull=True, remind_at__lt=F("due_at")).update(
        next_action_at=F("remind_at")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0015_no_redundant_foreign_key_indexes"),
        ("core", "0018_no_redundant_foreign_key_indexes"),
    ]

    operations = [migrations.RunPython(end_by_themselves, migrations.RunPython.noop)]
