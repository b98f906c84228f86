"""The outbox: one row per event, recipient and channel, written in the event's transaction.

A row is delivered after commit by a Celery task and re-queued by a periodic sweep until it is
sent, so a Redis outage or a killed worker delays a notification but never loses it. The unique
key makes delivery idempotent: one event reaches one recipient on one channel once.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notifications import texts


class Channel(models.TextChoices):
    IN_APP = "in_app", _("In the application")
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")


class Notification(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    key = models.CharField(max_length=120, help_text=_("The event this notification is for."))
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        db_index=False,  # notification_list_idx leads with it
    )
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    # What to say is rendered from the event and its parameters in the recipient's language;
    # parameters carry codes only (the case code), never a child's name or story.
    event = models.CharField(_("event"), max_length=48)
    params = models.JSONField(default=dict, blank=True)
    link = models.CharField(max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["key", "recipient", "channel"], name="notification_once"
            )
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="pending"),
                name="notification_pending_idx",
            ),
            # /healthz reads the age of the oldest undelivered row: the first entry of this one.
            models.Index(
                fields=["created_at"],
                condition=Q(status="pending"),
                name="notification_pending_age_idx",
            ),
            # A user's notifications, newest first, a page at a time by its cursor.
            models.Index(
                fields=["recipient", "channel", "-created_at", "-id"], name="notification_list_idx"
            ),
            # The unread count beside the bell, on every page: only the unread rows.
            models.Index(
                fields=["recipient", "channel"],
                condition=Q(read_at__isnull=True),
                name="notification_unread_idx",
            ),
            models.Index(fields=["status"], name="notification_status_idx"),
        ]

    def __str__(self) -> str:
        # Named to the sysadmin (the admin's titles and messages) in words, never by codes.
        return f"{texts.label(self.event)} → {self.recipient} ({self.get_channel_display()})"


class Preference(models.Model):
    """How a user wants to be told; without a row, the defaults below apply."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    in_app = models.BooleanField(_("in the application"), default=True)
    email = models.BooleanField(_("by email"), default=True)
    sms = models.BooleanField(_("by SMS"), default=False)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="vi"
    )

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return str(self.user)

    def channels(self) -> list[str]:
        wanted = {Channel.IN_APP: self.in_app, Channel.EMAIL: self.email, Channel.SMS: self.sms}
        return [channel for channel, on in wanted.items() if on]
