import logging

from django.core.management.base import BaseCommand
from django.utils import translation

from core.demo import demo_password, login_table, seed_demo


class Command(BaseCommand):
    help = "Build the demo world of Ninh Bình (idempotent). Needs load_units first."

    def handle(self, *args, **options) -> None:
        # The demo runs a hundred workflow steps: their one-line logs would bury the logins.
        workflow_log = logging.getLogger("core.workflow")
        level = workflow_log.level
        workflow_log.setLevel(logging.WARNING)
        try:
            seed_demo()
        finally:
            workflow_log.setLevel(level)
        with translation.override("vi"):
            rows = login_table()
        width = max(len(username) for username, _role, _where in rows)
        self.stdout.write(self.style.SUCCESS("Demo ready at http://127.0.0.1:8000 — logins:"))
        for username, role, where in rows:
            self.stdout.write(f"  {username.ljust(width)}  {role} — {where}".rstrip(" —"))
        self.stdout.write(f"Password for every demo user: {demo_password()}")
