"""Access to one case outside one's scope (DOMAIN §3): given by the commune for a while (a
grant), or taken in an emergency and reviewed afterwards (break-the-glass).

`CaseAccess` is the record a person reads: who, which case, which sections, why, until when,
revoked or reviewed. The permission itself is a django-guardian row in a direct foreign-key
table (`CaseUserObjectPermission`, decision 0002): `cases.view_case` to read, `cases.add_casenote`
to add notes. The rows of an access are deleted when it is revoked or its case closes, and they
carry the access's end, so a selector that asks them in SQL never honours an expired one even
before the hourly sweep deletes it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import UserObjectPermissionBase

from cases.models import Case
from core.models import Agency


class CaseAccess(models.Model):
    class Kind(models.TextChoices):
        GRANT = "grant", _("Granted by the commune")
        BREAK_GLASS = "break_glass", _("Emergency access (break-the-glass)")

    class Reason(models.TextChoices):
        IMMEDIATE_DANGER = "immediate_danger", _("The child is in immediate danger")
        MEDICAL_EMERGENCY = "medical_emergency", _("Medical emergency")
        POLICE_INTERVENTION = "police_intervention", _("Police intervention")

    class Review(models.TextChoices):
        PENDING = "pending", _("Awaiting review")
        JUSTIFIED = "justified", _("Justified")
        UNJUSTIFIED = "unjustified", _("Not justified")

    case = models.ForeignKey(
        Case,
        on_delete=models.PROTECT,
        related_name="accesses",
        db_index=False,  # case_access_case_idx leads with it
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="case_accesses",
        db_index=False,  # case_access_user_idx leads with it
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    sections = models.JSONField(_("sections"), default=list)
    may_add_notes = models.BooleanField(_("may add notes"), default=False)
    # Break-the-glass: the reason chosen from the list; a grant's reason is the explanation.
    reason = models.CharField(_("reason"), max_length=24, choices=Reason.choices, blank=True)
    explanation = models.TextField(_("explanation"))
    # The agency the glass was broken for (its head hears of an unjustified use).
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    starts_at = models.DateTimeField(_("since"), default=timezone.now)
    ends_at = models.DateTimeField(_("until"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Why it ended early: revoked by the commune, or the case closed.
    end_reason = models.CharField(max_length=12, blank=True)
    review = models.CharField(_("review"), max_length=12, choices=Review.choices, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(_("review comment"), blank=True)

    class Meta:
        verbose_name = _("case access")
        verbose_name_plural = _("case accesses")
        ordering = ["-starts_at", "-id"]
        indexes = [
            models.Index(fields=["case", "ends_at"], name="case_access_case_idx"),
            models.Index(fields=["user", "ends_at"], name="case_access_user_idx"),
            models.Index(
                fields=["starts_at"],
                condition=Q(review="pending"),
                name="case_access_review_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="case_access_ends_after_start"
            ),
            # Every use of the glass is reviewed; a grant is not.
            models.CheckConstraint(
                condition=(
                    Q(kind="grant", review="", reason="")
                    | Q(kind="break_glass") & ~Q(review="") & ~Q(reason="")
                ),
                name="case_access_review_for_break_glass",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.case} · {self.user}"

    def is_live(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.starts_at <= now < self.ends_at


class CaseUserObjectPermission(UserObjectPermissionBase):
    """django-guardian's per-object permission of a user on a case, with a real foreign key."""

    content_object = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="user_object_permissions"
    )
    # guardian's own field, without the index of its own that case_perm_user_idx makes redundant.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        db_index=False,  # case_perm_user_idx leads with it
    )
    access = models.ForeignKey(
        CaseAccess,
        on_delete=models.CASCADE,
        related_name="permissions",
        db_index=False,  # the unique (access, permission) leads with it
    )
    expires_at = models.DateTimeField()

    class Meta(UserObjectPermissionBase.Meta):
        # One row per access and permission (guardian's default is one per user, permission and
        # case): a grant and an emergency access to the same case each keep their own end.
        unique_together = [("access", "permission")]
        verbose_name = _("case permission")
        verbose_name_plural = _("case permissions")
        indexes = [models.Index(fields=["user", "expires_at"], name="case_perm_user_idx")]
