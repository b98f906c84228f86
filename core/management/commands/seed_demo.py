import contextlib
import logging
from collections.abc import Iterator
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation

from core.demo import demo_password, login_table, seed_demo

# Where `runserver` is told to listen on every address, a browser still opens the loopback one.
EVERY_ADDRESS = {"0.0.0.0", "::", "[::]"}
# The demo runs a hundred workflow steps: their one-line logs would bury the logins. Kombu warns
# that the in-process broker (memory://) names no host, once, when the first notification is
# delivered in process: nothing an operator can act on.
QUIETER = {"core.workflow": logging.WARNING, "kombu.connection": logging.ERROR}


@contextlib.contextmanager
def quieter_logs() -> Iterator[None]:
    levels = {name: logging.getLogger(name).level for name in QUIETER}
    for name, level in QUIETER.items():
        logging.getLogger(name).setLevel(level)
    try:
        yield
    finally:
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)


class Command(BaseCommand):
    help = (
        "Build the demo world of Ninh Bình (idempotent) and print the logins. Needs load_units "
        "first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--host", default="127.0.0.1", help="Where the demo is served, for the banner."
        )
        parser.add_argument(
            "--port", type=int, default=8000, help="Its port, for the banner (make demo PORT=)."
        )

    def handle(self, *args: Any, host: str, port: int, **options: Any) -> None:
        with quieter_logs():
            seed_demo()
        with translation.override("vi"):
            rows = login_table()
        width = max(len(username) for username, _role, _where in rows)
        if host in EVERY_ADDRESS:
            host = "127.0.0.1"
        self.stdout.write(self.style.SUCCESS(f"Demo ready at http://{host}:{port} — logins:"))
        for username, role, where in rows:
            self.stdout.write(f"  {username.ljust(width)}  {role} — {where}".rstrip(" —"))
        self.stdout.write(f"Password for every demo user: {demo_password()}")
