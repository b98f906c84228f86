"""Separation of duties (DOMAIN §3, §10): who may grant access, and what a grant leaves behind.

- Nobody grants themselves anything: not a role, not staff or superuser status, not a permission
  or a group. Another administrator must do it; giving up one's own access is allowed.
- Only a superuser makes someone a superuser, and an administrator gives others only the
  permissions they hold themselves (directly or through a group), so nobody hands a second
  account more than they have.
- Nor does anyone take over an account that holds more than they do: only a superuser changes,
  wakes or sets the password of a superuser's account, or of one holding permissions the
  administrator lacks (`outranks`).
- A role that reads children's data (`core.roles.CHILD_DATA_READERS`), granted to anyone, is an
  audit row and a `CaseRoleGranted` event: the notifications app tells the provincial officers of
  the province concerned, in the grant's transaction (the outbox).
- A password set for someone else is an audit row and a `PasswordSet` event: the owner is told,
  and for an account with such a role, the provincial officers of its provinces too.

Roles and privileges are changed only in the admin (core/admin.py), which asks these rules and
records the grants; the API only reads them.
"""

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import Group, Permission
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core.audit import audit
from core.events import Event, publish
from core.models import AuditEvent, RoleMembership, User
from core.roles import CHILD_DATA_READERS
from core.typing import StrOrPromise

SELF_ROLE = _("You cannot grant yourself a role; another administrator must do it.")
SELF_SUPERUSER = _("You cannot make yourself a superuser; another administrator must do it.")
SELF_STAFF = _("You cannot give yourself staff status; another administrator must do it.")
SELF_PERMISSIONS = _("You cannot give yourself permissions; another administrator must do it.")
SELF_GROUPS = _("You cannot add yourself to a group; another administrator must do it.")
ONLY_SUPERUSERS = _("Only a superuser can make someone a superuser.")
PERMISSIONS_NOT_HELD = _("You can give only permissions you hold yourself, not: %(permissions)s.")
GROUP_PERMISSIONS_NOT_HELD = _(
    "You can add someone only to groups whose permissions you hold yourself, not: %(groups)s."
)
SELF_GROUP_PERMISSIONS = _(
    "You cannot give permissions to a group you belong to; another administrator must do it."
)


def served_path(membership: RoleMembership) -> str:
    """The unit a role serves: its own, or its agency's jurisdiction ("" for neither)."""
    if membership.unit is not None:
        return membership.unit.path
    if membership.agency is not None:
        return membership.agency.jurisdiction.path
    return ""


@dataclass(frozen=True, kw_only=True)
class CaseRoleGranted(Event):
    """A role that reads children's data was granted (added, or moved to another unit, agency
    or role) in the admin; `audit_id` is its row in the trail."""

    membership: RoleMembership
    actor: User
    audit_id: int

    @property
    def unit_path(self) -> str:
        return served_path(self.membership)

    @property
    def place(self) -> str:
        return str(self.membership.unit or self.membership.agency or "")


@dataclass(frozen=True, kw_only=True)
class PasswordSet(Event):
    """An administrator set the password of someone else's account in the admin: whoever holds
    the password can sign in as its owner and read what their roles read. `audit_id` is its row
    in the trail."""

    user: User
    actor: User
    audit_id: int

    @property
    def unit_paths(self) -> list[str]:
        """The units whose children's data the account's roles read: their own, or their
        agency's jurisdiction."""
        memberships = self.user.memberships.filter(role__in=CHILD_DATA_READERS)
        paths = map(served_path, memberships.select_related("unit", "agency__jurisdiction"))
        return [path for path in paths if path]


def record_password_set(*, actor: User, user: User) -> AuditEvent:
    """The audit row of a password set in the admin, never its value; set for someone else, it
    is also published, so that the owner (and for an account that reads children's data, the
    provincial officers) hear of it: a password typed by an administrator is never silent."""
    event = audit(actor=actor, action="admin.change", target=user, details={"fields": ["password"]})
    if user.pk != actor.pk:
        publish(PasswordSet(user=user, actor=actor, audit_id=event.pk))
    return event


@dataclass(frozen=True)
class Privileges:
    """What a user account holds besides its roles: the admin's flags, permissions, groups."""

    is_superuser: bool = False
    is_staff: bool = False
    permissions: frozenset[int] = frozenset()
    groups: frozenset[int] = frozenset()

    @classmethod
    def of(cls, user: User | None) -> "Privileges":
        """As stored: a new account (None) holds nothing."""
        if user is None or user.pk is None:
            return cls()
        stored = User.objects.get(pk=user.pk)
        return cls(
            is_superuser=stored.is_superuser,
            is_staff=stored.is_staff,
            permissions=frozenset(stored.user_permissions.values_list("pk", flat=True)),
            groups=frozenset(stored.groups.values_list("pk", flat=True)),
        )


def permission_names(permissions: QuerySet[Permission]) -> set[str]:
    """As `User.has_perm` names them: "app_label.codename"."""
    return {
        f"{app_label}.{codename}"
        for app_label, codename in permissions.values_list("content_type__app_label", "codename")
    }


def not_held(actor: User, permissions: QuerySet[Permission]) -> list[str]:
    if actor.is_superuser:
        return []
    return sorted(permission_names(permissions) - actor.get_all_permissions())


def privilege_refusals(
    *, actor: User, user: User | None, before: Privileges, after: Privileges
) -> dict[str, StrOrPromise]:
    """{form field: why} for each privilege `actor` may not give `user` (None: a new account)."""
    refusals: dict[str, StrOrPromise] = {}
    itself = user is not None and user.pk == actor.pk
    if after.is_superuser and not before.is_superuser:
        if itself:
            refusals["is_superuser"] = SELF_SUPERUSER
        elif not actor.is_superuser:
            refusals["is_superuser"] = ONLY_SUPERUSERS
    if after.is_staff and not before.is_staff and itself:
        refusals["is_staff"] = SELF_STAFF
    added_permissions = after.permissions - before.permissions
    if added_permissions:
        missing = not_held(actor, Permission.objects.filter(pk__in=added_permissions))
        if itself:
            refusals["user_permissions"] = SELF_PERMISSIONS
        elif missing:
            refusals["user_permissions"] = PERMISSIONS_NOT_HELD % {
                "permissions": ", ".join(missing)
            }
    added_groups = after.groups - before.groups
    if added_groups:
        beyond = [
            group.name
            for group in Group.objects.filter(pk__in=added_groups).order_by("name")
            if not_held(actor, group.permissions.all())
        ]
        if itself:
            refusals["groups"] = SELF_GROUPS
        elif beyond:
            refusals["groups"] = GROUP_PERMISSIONS_NOT_HELD % {"groups": ", ".join(beyond)}
    return refusals


def outranks(user: User, actor: User) -> bool:
    """Whether `user` holds a privilege `actor` does not: a superuser's status, or a permission
    held directly or through a group. Counted as stored, even while the account is inactive
    (Django's permission checks count nothing for an inactive account), since one put to sleep
    can be woken: `actor` may then neither change the account nor set its password, or they
    would sign in as it and hold what nobody gave them."""
    if actor.is_superuser or user.pk == actor.pk:
        return False
    if user.is_superuser:
        return True
    held = Permission.objects.filter(Q(user=user) | Q(group__user=user)).distinct()
    return bool(not_held(actor, held))


def group_permission_refusal(
    *, actor: User, group: Group, added: QuerySet[Permission]
) -> StrOrPromise | None:
    """Why `actor` may not add these permissions to `group`, or None."""
    if not added.exists():
        return None
    if actor.groups.filter(pk=group.pk).exists():
        return SELF_GROUP_PERMISSIONS
    missing = not_held(actor, added)
    if missing:
        return PERMISSIONS_NOT_HELD % {"permissions": ", ".join(missing)}
    return None


def role_refusal(*, actor: User, user: User) -> StrOrPromise | None:
    """Why `actor` may not give `user` a role (or change one of theirs), or None."""
    if user.pk == actor.pk:
        return SELF_ROLE
    return None


def membership_details(membership: RoleMembership) -> dict[str, Any]:
    """What the trail keeps of a role: whose, which, where, and whether it reads children."""
    return {
        "user": membership.user_id,
        "role": membership.role,
        "unit": membership.unit_id,
        "agency": membership.agency_id,
        "reads_children": membership.role in CHILD_DATA_READERS,
    }


# A change to any of these gives the holder a role they did not have before.
GRANTING_FIELDS = frozenset({"user", "role", "unit", "agency"})


def record_role_change(
    *, actor: User, membership: RoleMembership, verb: str, fields: list[str]
) -> AuditEvent:
    """The audit row of a role added, changed or removed; a role that reads children's data,
    once granted, is also published for the province's provincial officers."""
    event = audit(
        actor=actor,
        action=f"admin.{verb}",
        target=membership,
        details={"fields": fields, **membership_details(membership)},
    )
    granted = verb == "add" or (verb == "change" and GRANTING_FIELDS & set(fields))
    if granted and membership.role in CHILD_DATA_READERS:
        publish(CaseRoleGranted(membership=membership, actor=actor, audit_id=event.pk))
    return event
