from django.db import migrations

# The policy defaults of DOMAIN §6, frozen here as they stood when this migration was written.
DEFAULT_PATHWAY = {
    "sexual_abuse": {
        "police_report": "required",
        "forensic_exam": "required",
        "medical_care": "required",
        "legal_aid": "required",
        "social_support": "required",
        "psychosocial": "suggested",
    },
    "physical_violence": {
        "medical_care": "required",
        "police_report": "suggested",
        "psychosocial": "suggested",
    },
    "psychological_violence": {"psychosocial": "required", "social_support": "suggested"},
    "exploitation": {
        "police_report": "required",
        "social_support": "required",
        "legal_aid": "suggested",
    },
    "trafficking": {
        "police_report": "required",
        "medical_care": "required",
        "legal_aid": "required",
        "social_support": "required",
        "psychosocial": "suggested",
    },
    "abandonment": {
        "social_support": "required",
        "medical_care": "suggested",
        "education_support": "suggested",
    },
    "neglect": {"social_support": "required", "education_support": "suggested"},
    "child_marriage": {
        "social_support": "required",
        "legal_aid": "required",
        "education_support": "suggested",
    },
    "online_abuse": {"police_report": "required", "psychosocial": "required"},
    "other": {"psychosocial": "suggested"},
}


def add_default_pathway(apps, schema_editor):
    PathwayStep = apps.get_model("referrals", "PathwayStep")
    for form, services in DEFAULT_PATHWAY.items():
        for service, requirement in services.items():
            PathwayStep.objects.get_or_create(
                abuse_form=form, service=service, defaults={"requirement": requirement}
            )


class Migration(migrations.Migration):
    dependencies = [("referrals", "0001_initial")]

    operations = [migrations.RunPython(add_default_pathway, migrations.RunPython.noop)]
