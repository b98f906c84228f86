from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from core.models import Unit, UnitLevel
from core.unit_loader import load_units


class Command(BaseCommand):
    help = "Load the official administrative units (2025 two-tier, legacy three-tier, successions)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--province",
            help="Load only this province of today (e.g. 37) and the legacy provinces it absorbed.",
        )

    def handle(self, *args, province: str | None = None, **options) -> None:
        try:
            report = load_units(province=province)
        except ValueError as error:
            raise CommandError(str(error)) from None
        for name, tally in (("units", report.units), ("successions", report.successions)):
            self.stdout.write(
                f"{name}: {tally.created} created, {tally.updated} updated, "
                f"{tally.unchanged} unchanged, {tally.removed} removed"
            )
        today = Unit.objects.valid_on(timezone.localdate())
        self.stdout.write(
            f"valid today: {today.filter(level=UnitLevel.PROVINCE).count()} provinces, "
            f"{today.filter(level=UnitLevel.COMMUNE).count()} communes"
        )
