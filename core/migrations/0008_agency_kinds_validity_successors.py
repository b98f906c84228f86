"""Agencies as they are after 2025 (issue 12): one or more kinds instead of one, a period of
validity and successors. Each agency keeps the kind it had, now as its only kind; the district
People's Committee becomes a default kind, for the agencies of the three-tier structure.

Going back keeps one kind per agency: the one created first (for an agency of the demo, the kind
it had before). It stops, changing nothing, if an agency has no kind at all."""

import django.db.models.deletion
from django.db import migrations, models

DISTRICT_COMMITTEE = (
    "district_committee",
    "Ủy ban nhân dân cấp huyện",
    "District People's Committee",
)


def add_district_committee_kind(apps, schema_editor):
    AgencyKind = apps.get_model("core", "AgencyKind")
    code, name, name_en = DISTRICT_COMMITTEE
    AgencyKind.objects.get_or_create(code=code, defaults={"name": name, "name_en": name_en})


def copy_kind_to_kinds(apps, schema_editor):
    Agency = apps.get_model("core", "Agency")
    Kinds = Agency.kinds.through
    Kinds.objects.bulk_create(
        [
            Kinds(agency_id=agency_id, agencykind_id=kind_id)
            for agency_id, kind_id in Agency.objects.values_list("pk", "kind_id")
        ],
        ignore_conflicts=True,
    )


def copy_first_kind_back(apps, schema_editor):
    Agency = apps.get_model("core", "Agency")
    Kinds = Agency.kinds.through
    first_kind: dict[int, int] = {}
    for agency_id, kind_id in Kinds.objects.order_by("agencykind_id").values_list(
        "agency_id", "agencykind_id"
    ):
        first_kind.setdefault(agency_id, kind_id)
    without = list(Agency.objects.exclude(pk__in=first_kind).values_list("name", flat=True))
    if without:
        raise RuntimeError(
            "Cannot go back to one kind per agency: these agencies have no kind: "
            + ", ".join(without)
        )
    for agency_id, kind_id in first_kind.items():
        Agency.objects.filter(pk=agency_id).update(kind_id=kind_id)


class Migration(migrations.Migration):
    dependencies = [("core", "0007_public_holidays")]

    operations = [
        # While both exist, the old field leaves the reverse name "agencies" to the new one.
        migrations.AlterField(
            model_name="agency",
            name="kind",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.agencykind",
                verbose_name="kind",
            ),
        ),
        migrations.AddField(
            model_name="agency",
            name="kinds",
            field=models.ManyToManyField(
                related_name="agencies", to="core.agencykind", verbose_name="kinds"
            ),
        ),
        migrations.AddField(
            model_name="agency",
            name="valid_from",
            field=models.DateField(blank=True, null=True, verbose_name="valid from"),
        ),
        migrations.AddField(
            model_name="agency",
            name="valid_to",
            field=models.DateField(blank=True, null=True, verbose_name="valid to"),
        ),
        migrations.AddField(
            model_name="agency",
            name="successors",
            field=models.ManyToManyField(
                blank=True,
                related_name="predecessors",
                to="core.agency",
                verbose_name="successors",
            ),
        ),
        migrations.RunPython(add_district_committee_kind, migrations.RunPython.noop),
        migrations.RunPython(copy_kind_to_kinds, copy_first_kind_back),
        migrations.RemoveField(model_name="agency", name="kind"),
    ]
