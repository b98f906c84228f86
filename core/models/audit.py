"""The append-only audit trail: who read or changed what, when, from where and why.

Rows are only ever inserted. The ORM refuses updates and deletes here; on PostgreSQL a trigger
(migration 0002) refuses them in the database too, so not even raw SQL can rewrite history, and
the application's database role may not alter the table (docs/operations.md). Each row is chained
to the one before it by a hash (core/audit_chain.py), so a row changed or removed behind the
application's back is found by `manage.py verify_audit`.
"""

import json
from typing import Any

from django.conf import settings
from django.db import connections, models, router, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.audit_chain import CHAINED_FIELDS, GENESIS, link, lock_the_chain


class AuditLogIsAppendOnly(Exception):
    pass


class AuditEventQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, update_conflicts: bool = False, **kwargs):
        if update_conflicts:
            raise AuditLogIsAppendOnly("Audit events cannot be updated.")
        # One by one: each event is chained to the one inserted before it.
        objs = list(objs)
        with transaction.atomic(using=self.db, savepoint=False):
            for obj in objs:
                obj.save(using=self.db)
        return objs

    def update(self, **kwargs):
        raise AuditLogIsAppendOnly("Audit events cannot be updated.")

    def delete(self):
        raise AuditLogIsAppendOnly("Audit events cannot be deleted.")


class AuditEvent(models.Model):
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        # Users are deactivated, never deleted, while the trail references them.
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # the index on (actor, at) leads with it
    )
    action = models.CharField(_("action"), max_length=64)
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    at = models.DateTimeField(_("time"), default=timezone.now)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    # The hash chain (core/audit_chain.py): the hash of the event before, and this event's own.
    previous_hash = models.CharField(_("previous hash"), max_length=64, editable=False)
    chain_hash = models.CharField(_("hash"), max_length=64, editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id", "at"]),
            models.Index(fields=["actor", "at"]),
            models.Index(fields=["action", "at"]),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise AuditLogIsAppendOnly("Audit events cannot be updated.")
        if self.pk is not None:
            # The chain follows the ids the database hands out; an id chosen by the caller could
            # land before the events already chained (or on one of them).
            raise AuditLogIsAppendOnly("Audit events take their id from the database.")
        # Insert, always: a new object carrying an existing id must not overwrite that row.
        kwargs["force_insert"] = True
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        # What the database will give back (tuples as lists…), so the hash verifies later.
        self.details = json.loads(json.dumps(self.details))
        with transaction.atomic(using=using, savepoint=False):
            # Held until the caller's transaction ends: the next event waits for this one.
            lock_the_chain(connections[using])
            last = (
                type(self)
                .objects.using(using)
                .order_by("-id")
                .values_list("chain_hash", flat=True)
                .first()
            )
            self.previous_hash = last if last is not None else GENESIS
            self.chain_hash = link(self.previous_hash, self.chained_fields())
            super().save(*args, **kwargs)

    def chained_fields(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in CHAINED_FIELDS}

    def delete(self, *args, **kwargs):
        raise AuditLogIsAppendOnly("Audit events cannot be deleted.")
