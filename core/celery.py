"""The Celery application; its configuration lives in settings under the CELERY_ prefix."""

import os

from celery import Celery, Task
from celery.signals import task_postrun, task_prerun
from django.db import close_old_connections

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
