"""Existing values moved to the codes of the law (no value is invented).

- special circumstances: the old codes become the points of the Law on Children Art. 10(1); a child
  with the disability flag gets group `d`; `left_behind` (living apart from parents in prison or
  treatment) is no group of Art. 10 and is dropped;
- the closure reason `turned_18` becomes `turned_16` (a child is a person under 16, Law Art. 1);
- an estimated age counts from the day of the child's first report (else the day it was recorded).
"""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps
from django.utils import timezone

OLD_TO_NEW = {
    "orphan": "a",
    "abandoned": "b",
    "no_family_care": "c",
    "hiv": "dd",
    "in_conflict_with_law": "e",
    "drug_addicted": "g",
    "dropped_out": "h",
    "severe_harm": "i",
    "exploited": "k",
    "sexually_abused": "l",
    "trafficked": "m",
    "serious_illness": "n",
    "migrant": "o",
}
NEW_ORDER = ["a", "b", "c", "d", "dd", "e", "g", "h", "i", "k", "l", "m", "n", "o"]


def forwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    Child = apps.get_model("cases", "Child")
    Case = apps.get_model("cases", "Case")
    ClosureAssessment = apps.get_model("cases", "ClosureAssessment")
    for child in Child.objects.all().iterator():
        codes = {OLD_TO_NEW.get(code, code) for code in child.special_circumstances or []}
        if child.disability:
            codes.add("d")
        new = [code for code in NEW_ORDER if code in codes]
        changed = new != child.special_circumstances
        child.special_circumstances = new
        if child.date_of_birth is None and child.estimated_age is not None:
            first = Case.objects.filter(child=child).order_by("received_at").first()
            when = first.received_at if first else child.created_at
            child.estimated_on = timezone.localtime(when).date() if when else None
            changed = True
        if changed:
            child.save(update_fields=["special_circumstances", "estimated_on"])
    Case.objects.filter(closure_reason="turned_18").update(closure_reason="turned_16")
    ClosureAssessment.objects.filter(reason="turned_18").update(reason="turned_16")


def backwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    Child = apps.get_model("cases", "Child")
    Case = apps.get_model("cases", "Case")
    ClosureAssessment = apps.get_model("cases", "ClosureAssessment")
    new_to_old = {new: old for old, new in OLD_TO_NEW.items()}
    for child in Child.objects.exclude(special_circumstances=[]).iterator():
        child.special_circumstances = [
            new_to_old[code] for code in child.special_circumstances if code in new_to_old
        ]
        child.save(update_fields=["special_circumstances"])
    Case.objects.filter(closure_reason="turned_16").update(closure_reason="turned_18")
    ClosureAssessment.objects.filter(reason="turned_16").update(reason="turned_18")


class Migration(migrations.Migration):
    dependencies = [("cases", "0004_child_report_fields")]

    operations = [migrations.RunPython(forwards, backwards)]
