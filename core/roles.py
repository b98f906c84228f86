"""The groups of roles that the rules of access speak of, named once (DOMAIN §3).

A rule that says "the commune's staff" or "whoever supervises cases" uses these names, so a new
role is added to the groups it belongs to here and nowhere else.
"""

from core.models import Role

# The commune's own child-protection staff: they run the case (officer) and decide (chair).
COMMUNE_STAFF = (Role.COMMUNE_OFFICER, Role.COMMUNE_CHAIR)
# Above the commune, they read every case of their unit and step in; they run no case step.
CASE_SUPERVISORS = (Role.DISTRICT_OFFICER, Role.PROVINCIAL_OFFICER)
# Everyone who sees the cases of a unit because of the unit they serve.
CASE_HANDLERS = (*COMMUNE_STAFF, *CASE_SUPERVISORS)
# The staff of an agency that receives referrals: they accept, decline and complete them.
AGENCY_WORKERS = (Role.AGENCY_STAFF, Role.AGENCY_HEAD)
# They read the province's inspections without belonging to a team.
INSPECTION_OVERSEERS = (Role.PROVINCIAL_OFFICER, Role.MANAGER)
# They record a report of a child at risk (Form 01): for their commune, or any (hotline 111).
CASE_RECORDERS = (Role.COMMUNE_OFFICER, Role.HOTLINE_OPERATOR)
# They read the indicator reports (Circular 13/2021) of their units.
INDICATOR_READERS = (*CASE_HANDLERS, Role.MANAGER)
# They read the plan's yearly outcome report; agencies also record their results in it.
PLAN_OUTCOME_READERS = (Role.MANAGER, Role.PROVINCIAL_OFFICER, *AGENCY_WORKERS)
# Every role that reads a child's data (the commune's, the supervisors', the agencies', the
# hotline's): granting one is told to the province's provincial officers (core/grants.py).
CHILD_DATA_READERS = (*CASE_HANDLERS, *AGENCY_WORKERS, Role.HOTLINE_OPERATOR)
