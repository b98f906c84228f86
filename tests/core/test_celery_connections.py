"""The worker keeps its database connection between tasks, but an eager task (tests, the demo
without Redis) runs inside its caller's transaction and must leave that connection alone."""

from types import SimpleNamespace
from typing import cast

import pytest
from celery import Task
from django.db import connection, transaction

from core.celery import app, recycle_database_connections
from core.models import User

pytestmark = pytest.mark.django_db


def test_an_eager_task_leaves_the_callers_transaction_and_connection_alone(demo):
    eager = cast(Task, SimpleNamespace(request=SimpleNamespace(is_eager=True)))
    with transaction.atomic():
        User.objects.create_user("inside", password="x")
        recycle_database_connections(task=eager)
        # On PostgreSQL a closed connection fails here ("the connection is closed").
        assert User.objects.filter(username="inside").exists()
    assert connection.is_usable()


def test_the_worker_reuses_its_connection():
    assert app.conf.get("CELERY_DB_REUSE_MAX")  # else Celery closes it around every task
