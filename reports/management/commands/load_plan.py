from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

from reports.plan_loader import DATA_DIR, load_plan


class Command(BaseCommand):
    help = "Load a plan's sections and tasks (default: Ninh Bình's Plan 114/KH-UBND)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "description",
            nargs="?",
            default=str(DATA_DIR / "plan-114-KH-UBND-ninh-binh-2020.json"),
            help="The plan's description file (JSON naming its text file beside it).",
        )

    def handle(self, *args, description: str, **options) -> None:
        plan = load_plan(Path(description))
        sections = plan.sections.count()
        tasks = sum(section.tasks.count() for section in plan.sections.all())
        self.stdout.write(f"{plan.code}: {sections} sections, {tasks} tasks")
