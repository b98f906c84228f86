from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.benchmarks import benchmarks


class Command(BaseCommand):
    help = "Measure one part of the product on this machine and print the result."

    def add_arguments(self, parser: CommandParser) -> None:
        names = sorted(benchmarks())
        parser.add_argument(
            "name",
            choices=names,
            help="; ".join(f"{name}: {benchmarks()[name][1]}" for name in names),
        )
        parser.add_argument(
            "--count", "--cases", type=int, default=None, help="How many items (cases) to use."
        )

    def handle(self, *args, name: str, count: int | None, **options) -> None:
        benchmark, _help = benchmarks()[name]
        try:
            lines = benchmark(count=count)
        except RuntimeError as error:
            raise CommandError(str(error)) from None
        for line in lines:
            self.stdout.write(line)
