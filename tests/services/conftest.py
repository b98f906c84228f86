"""Real services for the tests marked `services`: a private Redis on a spare port.

The tests start and stop their own Redis so that stopping it disturbs nothing else on the
machine. These tests never skip: a missing service is a failure.
"""

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from celery import Celery


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/services/" in str(item.fspath):
            item.add_marker(pytest.mark.services)


def spare_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(condition, *, timeout: float = 15.0, interval: float = 0.05) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"gave up waiting after {timeout} s")
        time.sleep(interval)


@dataclass
class RedisServer:
    port: int
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def answers(self) -> bool:
        import redis

        try:
            return bool(redis.Redis(port=self.port, socket_connect_timeout=0.2).ping())
        except redis.RedisError:
            return False

    def start(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.fail("redis-server is not installed; .ci/run installs it")
        self.process = subprocess.Popen(
            [
                binary,
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until(self.answers)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    server = RedisServer(port=spare_port())
    server.start()
    yield server
    server.stop()


@dataclass
class Worker:
    """A real `celery -A core worker` in its own process, on the test database."""

    redis: RedisServer
    sms_file: str
    log_path: str
    process: subprocess.Popen | None = None

    def start(self, *, sms_delay: float = 0) -> None:
        import os
        import sys

        from django.conf import settings as django_settings
        from django.db import connection

        database = connection.settings_dict
        env = {
            **os.environ,
            "DATABASE_URL": (
                f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/"
                f"{database['NAME']}"
            ),
            "REDIS_URL": self.redis.url,
            "CHECHO_SMS_BACKEND": "tests.services.sms_to_file.FileSms",
            "CHECHO_TEST_SMS_FILE": self.sms_file,
            "CHECHO_TEST_SMS_DELAY": str(sms_delay),
        }
        env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        log = open(self.log_path, "a")  # noqa: SIM115 — the worker writes to it until stopped
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "core",
                "worker",
                "--pool",
                "solo",
                "--loglevel",
                "INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=str(django_settings.BASE_DIR),
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        wait_until(lambda: "ready." in Path(self.log_path).read_text(), timeout=60)

    def kill(self) -> None:
        import signal

        if self.process is not None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)
            self.process = None

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
            self.process = None

    def deliveries(self, reference: int, *, started: bool = False) -> int:
        path = Path(f"{self.sms_file}.started" if started else self.sms_file)
        if not path.exists():
            return 0
        return path.read_text().split().count(str(reference))


@pytest.fixture
def broker(redis_server, settings):
    """Point this process's Celery app at the private Redis: tasks go through the broker."""
    from core.celery import app

    saved = dict(app.conf)
    app.conf.update(broker_url=redis_server.url, task_always_eager=False)
    forget_connections(app)
    settings.REDIS_URL = redis_server.url
    yield redis_server
    app.conf.update(broker_url=saved["broker_url"], task_always_eager=saved["task_always_eager"])
    forget_connections(app)


def forget_connections(app: Celery) -> None:
    """Drop the Celery app's connection pools, so that the next task connects to the broker now
    configured. Celery has no public call for it (its after-fork hook does the same), and
    celery-types leaves these private attributes out."""
    app._pool = None  # type: ignore[attr-defined]
    app.amqp._producer_pool = None  # type: ignore[attr-defined]


@pytest.fixture
def worker(broker, tmp_path) -> Iterator[Worker]:
    running = Worker(
        redis=broker, sms_file=str(tmp_path / "sms.txt"), log_path=str(tmp_path / "worker.log")
    )
    yield running
    running.stop()
