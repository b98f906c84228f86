from core.models.agencies import Agency, AgencyKind
from core.models.audit import AuditEvent, AuditLogIsAppendOnly
from core.models.calendar import CalendarDecision, Holiday
from core.models.people import Role, RoleMembership, User
from core.models.units import Unit, UnitLevel, UnitSuccession

__all__ = [
    "Agency",
    "AgencyKind",
    "AuditEvent",
    "AuditLogIsAppendOnly",
    "CalendarDecision",
    "Holiday",
    "Role",
    "RoleMembership",
    "Unit",
    "UnitLevel",
    "UnitSuccession",
    "User",
]
from core.models.clocks import Clock, ClockPolicy, FixedByLaw
from core.models.policy import PolicySettings
from core.models.tokens import ApiToken

__all__ += ["ApiToken", "Clock", "ClockPolicy", "FixedByLaw", "PolicySettings"]
