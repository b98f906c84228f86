"""SMS delivery through a pluggable backend (CHECHO_SMS_BACKEND); no gateway is assumed."""

import logging
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class SmsBackend(Protocol):
    def send(self, *, phone: str, text: str, reference: str) -> None:
        """Send one message or raise; `reference` identifies the notification (idempotency)."""


class LogSmsBackend:
    """Writes the message to the log instead of sending it: for the demo and tests."""

    def send(self, *, phone: str, text: str, reference: str) -> None:
        logger.info("SMS %s to %s: %s", reference, phone, text)


def sms_backend() -> SmsBackend:
    return import_string(settings.CHECHO_SMS_BACKEND)()
