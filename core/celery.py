"""The Celery application; its configuration lives in settings under the CELERY_ prefix."""

import os

from celery import Celery, Task
from celery.signals import task_postrun, task_prerun, worker_init
from django.conf import settings
from django.db import close_old_connections, connections

from core.statement_limit import limit_statements

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "core.settings")

app = Celery("core")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_prerun.connect
@task_postrun.connect
def recycle_database_connections(task: Task | None = None, **kwargs: object) -> None:
    """Keep the worker's database connection from task to task, as Django keeps a web process's
    between requests: close it only when it is broken or older than CONN_MAX_AGE. (Celery's own
    fixup, with CELERY_DB_REUSE_MAX unset, closed it around every task: a new connection per
    notification delivered.)"""
    if task is not None and getattr(task.request, "is_eager", False):
        return  # run in the caller's process, inside its transaction: its connection is not ours
    close_old_connections()


@worker_init.connect
def limit_worker_statements(**kwargs: object) -> None:
    """A worker's statements stop after CHECHO_WORKER_STATEMENT_SECONDS (10 minutes): far above
    the seconds its reports and digest take, a bound on a runaway one, which would hold VACUUM
    back as long as it ran (core/statement_limit.py). Set before the worker's first connection
    (any opened by start-up checks is closed); its pool's processes inherit it. A worker given
    DATABASE_STATEMENT_SECONDS keeps that, 0 (none) included: behind PgBouncer, which refuses
    the option, one environment file may turn both off."""
    if settings.DATABASE_STATEMENT_SECONDS is not None:
        return
    limit_statements(settings.DATABASES["default"], settings.CHECHO_WORKER_STATEMENT_SECONDS)
    connections.close_all()
