"""Deadlines ("clocks") of the law and of policy: what each is for, when due, met or breached.

A clock belongs to any record (a case, a referral, a recommendation) through a generic link,
because core cannot know the apps built on it. The open clocks due by a moment are found with one
query on a partial index, whatever their number.

`next_action_at` is when the sweep must next look at a clock: its reminder, else the next step of
the escalation chain, or never. One column, kept with the clock by whoever changes it (starting,
rescheduling, the sweep, a new chain), lets the sweep find what is due with one range of one
partial index instead of an `OR` over the reminder and each step of the chain.
"""

import datetime
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.clock_law import kind_label, legal_basis


class ClockQuerySet(models.QuerySet):
    def open(self) -> "ClockQuerySet":
        return self.filter(met_at__isnull=True, stopped_at__isnull=True)

    def due_by(self, moment) -> "ClockQuerySet":
        return self.open().filter(due_at__lte=moment)

    def needing_action(self, moment) -> "ClockQuerySet":
        """Open clocks whose reminder or next escalation is due by `moment`."""
        return self.open().filter(next_action_at__lte=moment)

    def reschedule_actions(self, chain: Sequence[tuple[str, int]]) -> int:
        """Compute `next_action_at` again for these clocks under a new escalation chain, in one
        UPDATE (the administrator changed the chain: steps already taken stay taken)."""
        now = timezone.now()
        reminder = models.When(
            reminded_at__isnull=True,
            remind_at__lt=models.F("due_at"),
            due_at__gt=now,
            then=models.F("remind_at"),
        )
        steps = [
            models.When(
                escalation_level=level,
                then=models.ExpressionWrapper(
                    models.F("due_at") + datetime.timedelta(hours=hours),
                    output_field=models.DateTimeField(),
                ),
            )
            for level, (_role, hours) in enumerate(chain)
        ]
        return self.open().update(next_action_at=models.Case(reminder, *steps, default=None))

    def for_object(self, obj: models.Model) -> "ClockQuerySet":
        return self.filter(subject_type=ContentType.objects.get_for_model(obj), subject_id=obj.pk)


class Clock(models.Model):
    kind = models.CharField(_("deadline"), max_length=48)
    subject_type = models.ForeignKey(
        ContentType,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # clock_subject_idx leads with it
    )
    subject_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("subject_type", "subject_id")
    # The unit path of the record, so reminders and escalations can be routed and scoped.
    unit_path = models.CharField(max_length=64, blank=True)
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    due_at = models.DateTimeField(_("due at"))
    met_at = models.DateTimeField(_("met at"), null=True, blank=True)
    breached_at = models.DateTimeField(_("breached at"), null=True, blank=True)
    # Stopped without being met: the deadline no longer applies (case dismissed, referral
    # cancelled). Kept, not deleted, so reports can tell.
    stopped_at = models.DateTimeField(_("stopped at"), null=True, blank=True)
    # When its owner is reminded (policy default: at 75% of the span) and whether that was done.
    remind_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    # How far up the escalation chain a breached clock has been reported (0: not yet).
    escalation_level = models.PositiveSmallIntegerField(default=0)
    # When the sweep must next look at it (reminder or escalation); null when nothing is left.
    next_action_at = models.DateTimeField(null=True, blank=True)

    objects = ClockQuerySet.as_manager()

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        ordering = ["due_at"]
        indexes = [
            models.Index(
                fields=["due_at"],
                condition=Q(met_at__isnull=True, stopped_at__isnull=True),
                name="clock_open_due_idx",
            ),
            models.Index(
                fields=["next_action_at", "id"],
                condition=Q(
                    next_action_at__isnull=False, met_at__isnull=True, stopped_at__isnull=True
                ),
                name="clock_next_action_idx",
            ),
            # A reader's overdue records, found from the open clocks under its units rather than
            # by the next deadline of each of its rows (core.deadlines.overdue). The subject's
            # key is in the index so that the late ones are read from it alone, not each from
            # the table: a province's 7,391 late referral clocks lie on as many pages.
            models.Index(
                fields=["subject_type", "unit_path", "due_at", "subject_id"],
                condition=Q(met_at__isnull=True, stopped_at__isnull=True),
                name="clock_open_path_idx",
                opclasses=["int4_ops", "varchar_pattern_ops", "timestamptz_ops", "int8_ops"],
            ),
            models.Index(fields=["subject_type", "subject_id"], name="clock_subject_idx"),
            models.Index(fields=["kind", "started_at"], name="clock_kind_idx"),
        ]
        constraints = [
            # A deadline runs once at a time for its record: a second would remind, escalate
            # and count in the reports twice (core.clocks.start_clock starts one per step).
            models.UniqueConstraint(
                fields=["subject_type", "subject_id", "kind"],
                condition=Q(met_at__isnull=True, stopped_at__isnull=True),
                name="clock_one_open_per_subject",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} due {self.due_at:%Y-%m-%d %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.met_at is None and self.stopped_at is None

    def is_overdue(self, now=None) -> bool:
        return self.is_open and self.due_at <= (now or timezone.now())

    def next_action(
        self, chain: Sequence[tuple[str, int]], now: datetime.datetime | None = None
    ) -> datetime.datetime | None:
        """When the sweep must next look at this clock: its reminder while one is to come (a
        reminder is skipped once the clock is due at `now`), else the next step of `chain`."""
        reminder_to_come = (
            self.reminded_at is None
            and self.remind_at is not None
            and self.remind_at < self.due_at
            and (now is None or now < self.due_at)
        )
        if reminder_to_come:
            return self.remind_at
        if self.is_open and self.escalation_level < len(chain):
            return self.due_at + datetime.timedelta(hours=chain[self.escalation_level][1])
        return None


class FixedByLaw(Exception):
    """A clock the law fixes (DOMAIN §7) cannot be overridden by a ClockPolicy row."""


class ClockPolicy(models.Model):
    """An administrator's span for a policy-default clock; without a row the default applies.

    Only for policy kinds: a row for a kind the law fixes (12 hours, 5 working days, the police's
    Art. 147 days) is refused by `clean()` and by `save()`, and ignored by `core.clocks.span_of`
    should one reach the table some other way. One unit per span: hours, days or working days.
    """

    kind = models.CharField(_("deadline"), max_length=48, unique=True)
    hours = models.PositiveIntegerField(_("hours"), default=0)
    days = models.PositiveIntegerField(_("calendar days"), default=0)
    working_days = models.PositiveIntegerField(_("working days"), default=0)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("deadline policy")
        verbose_name_plural = _("deadline policies")
        constraints = [
            # Exactly one of the three units is set.
            models.CheckConstraint(
                condition=(
                    Q(hours__gt=0, days=0, working_days=0)
                    | Q(hours=0, days__gt=0, working_days=0)
                    | Q(hours=0, days=0, working_days__gt=0)
                ),
                name="clock_policy_one_unit",
            )
        ]

    def __str__(self) -> str:
        # The admin's titles, messages and history name the deadline, not its code.
        return kind_label(self.kind)

    def save(self, *args: Any, **kwargs: Any) -> None:
        law = self.law_error()
        if law:
            raise FixedByLaw(law)
        super().save(*args, **kwargs)

    def law_error(self) -> str | None:
        basis = legal_basis(self.kind)
        if basis is None:
            return None
        return str(
            _("This deadline is fixed by law (%(basis)s) and cannot be changed here.")
            % {"basis": basis}
        )

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        law = self.law_error()
        if law:
            errors["kind"] = [law]
        if sum(1 for value in (self.hours, self.days, self.working_days) if value) != 1:
            errors["__all__"] = [
                str(_("Give exactly one of hours, calendar days or working days."))
            ]
        if errors:
            raise ValidationError(errors)
