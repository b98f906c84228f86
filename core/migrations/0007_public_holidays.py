"""The public holidays of Labour Code 2019 Art. 112 for 2015–2040, computed by the holidays
library (core/public_holidays.py), and the government swaps it knows of. Idempotent: days already
in the tables are left as they are. `manage.py load_holidays --first … --last …` extends it."""

from django.db import migrations

from core.public_holidays import FIRST_YEAR, LAST_YEAR, load_holidays


def fill(apps, schema_editor):
    load_holidays(
        apps.get_model("core", "Holiday"),
        apps.get_model("core", "CalendarDecision"),
        FIRST_YEAR,
        LAST_YEAR,
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0006_calendar_decisions_policy_settings")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
