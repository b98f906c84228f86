"""The policy defaults an administrator may change (DOMAIN §7, §9): one row of typed values.

One row rather than key/value pairs: each value keeps its own type and range, checked by the
database and by the admin's form, and is read without parsing. Without the row, the defaults in
settings.py apply (CHECHO_REMINDER_FRACTION, CHECHO_ESCALATION_CHAIN,
CHECHO_SMALL_COUNT_THRESHOLD). The spans of the policy clocks are ClockPolicy rows.
"""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models.clocks import Clock
from core.models.people import Role


def default_reminder_percent() -> int:
    return round(settings.CHECHO_REMINDER_FRACTION * 100)


def default_escalation_chain() -> list[list[Any]]:
    return [[role, hours] for role, hours in settings.CHECHO_ESCALATION_CHAIN]


def default_small_count_threshold() -> int:
    return int(settings.CHECHO_SMALL_COUNT_THRESHOLD)


def default_grant_days() -> int:
    return int(settings.CHECHO_GRANT_DAYS)


def default_grant_max_days() -> int:
    return int(settings.CHECHO_GRANT_MAX_DAYS)


def default_break_glass_hours() -> int:
    return int(settings.CHECHO_BREAK_GLASS_HOURS)


def chain_errors(chain: object) -> list[str]:
    """What is wrong with an escalation chain: [[role, hours after the breach], …]."""
    if not isinstance(chain, list) or not chain:
        return [str(_("Give at least one step, as [role, hours after the breach]."))]
    errors = []
    previous = 0
    for step in chain:
        if not (
            isinstance(step, list)
            and len(step) == 2
            and isinstance(step[1], int)
            and not isinstance(step[1], bool)
        ):
            errors.append(str(_("Each step is [role, hours after the breach]: %s") % step))
            continue
        role, hours = step
        if role not in Role.values:
            errors.append(str(_("Unknown role: %s") % role))
        if hours < previous:
            errors.append(str(_("The hours must not go down along the chain.")))
        previous = hours
    return errors


class PolicySettings(models.Model):
    """The one row of policy values; its id is always 1."""

    reminder_percent = models.PositiveSmallIntegerField(
        _("reminder at (percent of the span)"),
        default=default_reminder_percent,
        validators=[MinValueValidator(1), MaxValueValidator(99)],
        help_text=_("The owner of a deadline is reminded when this share of its time has run."),
    )
    escalation_chain = models.JSONField(
        _("escalation chain"),
        default=default_escalation_chain,
        help_text=_(
            "Who is alerted when a deadline is breached, and how many hours after: "
            '[["commune_chair", 0], ["provincial_officer", 24]].'
        ),
    )
    small_count_threshold = models.PositiveSmallIntegerField(
        _("small-count threshold"),
        default=default_small_count_threshold,
        validators=[MinValueValidator(2), MaxValueValidator(100)],
        help_text=_(
            "Counts from 1 to one less than this are hidden in reports that leave the "
            "case-handling agencies."
        ),
    )
    # Access to one case outside one's scope (access/): a grant by the commune, or the glass
    # broken in an emergency.
    grant_days = models.PositiveSmallIntegerField(
        _("case access granted for (days)"),
        default=default_grant_days,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("The period a grant of access to one case is offered for."),
    )
    grant_max_days = models.PositiveSmallIntegerField(
        _("case access granted for at most (days)"),
        default=default_grant_max_days,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("No grant of access to one case may last longer."),
    )
    break_glass_hours = models.PositiveSmallIntegerField(
        _("emergency access lasts (hours)"),
        default=default_break_glass_hours,
        validators=[MinValueValidator(1), MaxValueValidator(72)],
        help_text=_("How long an emergency (break-the-glass) access to a case lasts."),
    )
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
        verbose_name = _("policy settings")
        verbose_name_plural = _("policy settings")
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="policy_settings_single_row"),
            models.CheckConstraint(
                condition=models.Q(reminder_percent__gte=1, reminder_percent__lte=99),
                name="policy_reminder_percent_range",
            ),
            models.CheckConstraint(
                condition=models.Q(small_count_threshold__gte=2),
                name="policy_small_count_threshold_min",
            ),
            models.CheckConstraint(
                condition=models.Q(grant_days__gte=1, grant_days__lte=models.F("grant_max_days")),
                name="policy_grant_days_within_max",
            ),
            models.CheckConstraint(
                condition=models.Q(break_glass_hours__gte=1, break_glass_hours__lte=72),
                name="policy_break_glass_hours_range",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Policy settings"))

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.pk = 1
        before = PolicySettings.objects.filter(pk=1).values_list("escalation_chain", flat=True)
        chain_before = before.first() or default_escalation_chain()
        with transaction.atomic():
            super().save(*args, **kwargs)
            # Each open clock's next escalation moves with the chain, in the same transaction.
            if chain_before != self.escalation_chain:
                Clock.objects.reschedule_actions(
                    [(str(role), int(hours)) for role, hours in self.escalation_chain]
                )

    def clean(self) -> None:
        errors = chain_errors(self.escalation_chain)
        if errors:
            raise ValidationError({"escalation_chain": errors})
        if self.grant_days > self.grant_max_days:
            raise ValidationError(
                {"grant_days": _("The usual period cannot be longer than the longest allowed.")}
            )
