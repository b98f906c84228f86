"""Add the public holidays and the library's known swaps for a range of years (idempotent)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from core.audit import audit
from core.models import CalendarDecision, Holiday
from core.public_holidays import FIRST_YEAR, LAST_YEAR, LIBRARY, load_holidays


class Command(BaseCommand):
    help = (
        "Add the public holidays of Labour Code 2019 Art. 112 (computed by the holidays library) "
        "and the government swaps the library knows of; existing days are left as they are."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--first", type=int, default=FIRST_YEAR)
        parser.add_argument("--last", type=int, default=LAST_YEAR)

    def handle(self, *args: Any, **options: Any) -> None:
        first, last = options["first"], options["last"]
        with transaction.atomic():
            holidays, decisions = load_holidays(Holiday, CalendarDecision, first, last)
            audit(
                actor=None,
                action="calendar.load_holidays",
                details={
                    "years": [first, last],
                    "holidays": holidays,
                    "decisions": decisions,
                    "library": LIBRARY,
                },
            )
        self.stdout.write(
            f"{first}–{last}: {holidays} holidays and {decisions} working-day decisions added."
        )
