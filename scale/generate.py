"""A national data set on PostgreSQL, generated set-based: one INSERT … SELECT per table.

Every commune of the 2025 structure gets an officer and a chair; each province agencies of the
kinds the referral pathway needs (Ninh Bình keeps its demo agencies). Cases are spread over all
communes, with Xã Nho Quan (the demo officer's) about four times the average, and carry what a
real case leaves behind: a state from the whole workflow, an abuse form, its first assessment
(Form 02) once past its receipt, three referrals in realistic states, open and closed clocks,
history, audit rows and notifications; the provinces run inspections. The values are derived
from the row's id, so the same N gives the same data.

The audit rows are not hash-chained (the chain is computed row by row in Python): the scale
database is a throwaway, and `verify_audit` is not meant to pass on it.
"""

import time
from collections.abc import Callable

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction

from cases.models import Case
from core.policy import escalation_chain
from referrals.models import Referral
from referrals.services import PROVIDER_KINDS

# The commune the demo officer serves: the one whose list the benchmark times.
HOME_COMMUNE = "14428"
SERVICES = list(PROVIDER_KINDS)

# (status, share in twentieths) of the cases: most are in intervention or closed.
STATUSES = [
    ("received", 1),
    ("assessment", 1),
    ("emergency", 1),
    ("plan_review", 1),
    ("intervention", 7),
    ("review", 2),
    ("closure_review", 1),
    ("closed", 6),
]
# The clock each open state runs, and its span in hours.
STATE_CLOCKS = {
    "received": ("case_initial_assessment", 12),
    "assessment": ("case_plan_submission", 120),
    "emergency": ("case_plan_submission", 120),
    "plan_review": ("case_plan_decision", 72),
    "intervention": ("case_review", 24 * 90),
    "review": ("case_review_conclusion", 24 * 10),
    "closure_review": ("case_closure_decision", 72),
}


def status_case_sql() -> str:
    """`CASE c.id %% 20 WHEN … END`: the state of the case with this id."""
    whens, start = [], 0
    for status, share in STATUSES:
        for slot in range(start, start + share):
            whens.append(f"WHEN {slot} THEN '{status}'")
        start += share
    return f"CASE (c.id %% 20) {' '.join(whens)} END"


def run(sql: str, params: list | None = None) -> int:
    """One statement; a literal % is written %% (the parameters are always interpolated)."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return cursor.rowcount


def users_and_agencies() -> None:
    """An officer and a chair per commune; per province, an agency of each provider kind."""
    run(
        """
        INSERT INTO core_user (password, is_superuser, username, first_name, last_name, email,
                               is_staff, is_active, date_joined, phone)
        SELECT '!', false, r.role || '_' || u.code, 'Cán bộ', u.name, '', false, true, now(), ''
        FROM core_unit u
        CROSS JOIN (VALUES ('officer'), ('chair')) AS r(role)
        WHERE u.structure = '2025' AND u.level = 'commune'
        ON CONFLICT (username) DO NOTHING
        """
    )
    run(
        """
        INSERT INTO core_rolemembership (user_id, role, unit_id, created_at)
        SELECT usr.id, CASE WHEN usr.username LIKE 'officer\\_%%' THEN 'commune_officer'
                            ELSE 'commune_chair' END, u.id, now()
        FROM core_unit u
        JOIN core_user usr ON usr.username IN ('officer_' || u.code, 'chair_' || u.code)
        WHERE u.structure = '2025' AND u.level = 'commune'
        """
    )
    kinds = sorted({kind for kinds in PROVIDER_KINDS.values() for kind in kinds})
    run(
        """
        CREATE TEMP TABLE scale_new_agency ON COMMIT DROP AS
        SELECT p.id AS province_id, k.id AS kind_id, k.code AS kind, p.code AS province
        FROM core_unit p JOIN core_agencykind k ON k.code = ANY(%s)
        WHERE p.structure = '2025' AND p.level = 'province'
          AND NOT EXISTS (
            SELECT 1 FROM core_agency a JOIN core_agency_kinds ak ON ak.agency_id = a.id
            WHERE a.jurisdiction_id = p.id AND ak.agencykind_id = k.id
          )
        """,
        [kinds],
    )
    run(
        """
        INSERT INTO core_agency (name, jurisdiction_id, email, phone, is_active)
        SELECT 'scale ' || kind || ' ' || province, province_id, '', '', true
        FROM scale_new_agency
        """
    )
    run(
        """
        INSERT INTO core_agency_kinds (agency_id, agencykind_id)
        SELECT a.id, n.kind_id FROM scale_new_agency n
        JOIN core_agency a ON a.name = 'scale ' || n.kind || ' ' || n.province
        """
    )
    # One agency per province and service: the one referrals from that province go to.
    run(
        """
        CREATE TEMP TABLE scale_provider ON COMMIT DROP AS
        SELECT DISTINCT ON (p.path, s.service) p.path AS province_path, s.service, a.id AS agency_id
        FROM core_unit p
        JOIN core_agency a ON a.jurisdiction_id = p.id
        JOIN core_agency_kinds ak ON ak.agency_id = a.id
        JOIN core_agencykind k ON k.id = ak.agencykind_id
        JOIN (SELECT unnest(%s::text[]) AS service, unnest(%s::text[]) AS kind) s ON s.kind = k.code
        WHERE p.structure = '2025' AND p.level = 'province'
        ORDER BY p.path, s.service, a.id
        """,
        [SERVICES, [PROVIDER_KINDS[service][0] for service in SERVICES]],
    )


def children_and_cases(count: int) -> None:
    run(
        """
        CREATE TEMP TABLE scale_commune ON COMMIT DROP AS
        SELECT row_number() OVER (ORDER BY id) - 1 AS slot, id, path, code
        FROM core_unit WHERE structure = '2025' AND level = 'commune'
        """
    )
    (communes,) = fetch_one("SELECT count(*) FROM scale_commune")
    (home,) = fetch_one("SELECT slot FROM scale_commune WHERE code = %s", [HOME_COMMUNE])
    # Every 1,000th case in the home commune: about four times a commune's average share.
    run(
        f"""
        INSERT INTO cases_child (full_name, search_name, sex, estimated_age, estimated_on,
            birth_year, ethnicity, disability, special_circumstances, residence_id, address,
            school, carers, family_circumstances, created_at)
        SELECT 'Trẻ ' || g, 'tre ' || g, CASE WHEN g %% 2 = 0 THEN 'female' ELSE 'male' END,
            g %% 16, current_date - (g %% 1000), extract(year FROM current_date)::int - g %% 16,
            '01', false, '[]', sc.id, '', '', '[]', '', now()
        FROM generate_series(1, %s) AS g
        JOIN scale_commune sc ON sc.slot = CASE WHEN g %% 1000 = 0 THEN {home}
                                               ELSE (g::bigint * 7919) %% {communes} END
        """,
        [count],
    )
    run(
        f"""
        INSERT INTO cases_case (code, child_id, commune_id, unit_path, status, received_at,
            channel, source, reporter_name, reporter_contact, reporter_address, receiving_body,
            report_number, harm_location, child_location, child_condition, description,
            likely_harm, actions_taken, situation, sexual_abuse_forms, setting,
            perpetrator_relation, recorded_by_id, recorded_by_hotline, dismiss_reason,
            dismiss_verification, closure_reason, created_at, updated_at, closed_at)
        SELECT 'SC-' || ch.id, ch.id, u.id, u.path, s.status, s.received_at,
            'phone', 'family', '', '', '', '', '', '', '', '', 'Trẻ bị đánh.', '', '', 'abused',
            '[]', 'family', '', o.id, false, '', '',
            CASE WHEN s.status = 'closed' THEN 'goals_met' ELSE '' END, now(), now(),
            CASE WHEN s.status = 'closed' THEN s.received_at + interval '60 days' END
        FROM cases_child ch
        JOIN core_unit u ON u.id = ch.residence_id
        JOIN core_user o ON o.username = 'officer_' || u.code
        JOIN LATERAL (
            SELECT {status_case_sql().replace("c.id", "ch.id")} AS status,
                now() - ((ch.id * 7919) %% (3 * 365 * 24 * 60)) * interval '1 minute'
                    AS received_at
        ) s ON true
        WHERE ch.search_name LIKE 'tre %%'
        """
    )
    run(
        """
        INSERT INTO cases_caseabuseform (case_id, form)
        SELECT id, (ARRAY['physical_violence', 'neglect', 'sexual_abuse', 'psychological_violence'])
                   [1 + id %% 4]
        FROM cases_case WHERE code LIKE 'SC-%%'
        """
    )


def assessments() -> None:
    """Form 02 for every case past its receipt, hours after it: abuse confirmed for seven in
    ten, a risk for two, neither yet for one, so the report's tables of abused children count
    what a real year would give them."""
    run(
        """
        INSERT INTO cases_initialassessment (case_id, author_id, created_at, harm_level,
            immediate_danger, confirmed, safety_measures, findings)
        SELECT id, recorded_by_id, received_at + (1 + id %% 11) * interval '1 hour',
            (ARRAY['low', 'medium', 'high'])[1 + id %% 3], id %% 7 = 0,
            CASE WHEN id %% 10 < 7 THEN 'abuse' WHEN id %% 10 < 9 THEN 'risk'
                 ELSE 'not_confirmed' END,
            '', 'Trẻ có vết bầm trên tay.'
        FROM cases_case WHERE code LIKE 'SC-%%' AND status <> 'received'
        """
    )


def referrals() -> None:
    services = SERVICES
    run(
        """
        INSERT INTO referrals_referral (case_id, unit_path, service, required, status, urgency,
            reason, sent_by_id, sent_at, agency_id, consent_basis, consent_by_carer,
            consent_by_child, accepted_at, completed_at, declined_at, decline_reason,
            cancel_reason, waive_reason, extensions, suspension_reason)
        SELECT c.id, c.unit_path, s.service, k.n = 0, r.status,
            'routine', 'Cần hỗ trợ.', c.recorded_by_id, c.received_at + interval '2 hours',
            p.agency_id, 'consent', true, false,
            CASE WHEN r.status IN ('accepted', 'completed')
                 THEN c.received_at + interval '1 day' END,
            CASE WHEN r.status = 'completed' THEN c.received_at + interval '20 days 2 hours' END,
            CASE WHEN r.status = 'declined' THEN c.received_at + interval '1 day 2 hours' END,
            CASE WHEN r.status = 'declined' THEN 'Không đủ điều kiện.' ELSE '' END,
            '', '', 0, ''
        FROM cases_case c
        CROSS JOIN (VALUES (0), (1), (2)) AS k(n)
        JOIN LATERAL (SELECT (%s::text[])[1 + (c.id + k.n * 2) %% %s] AS service) s ON true
        JOIN LATERAL (
            SELECT CASE WHEN c.status = 'closed' THEN 'completed'
                        WHEN (c.id + k.n) %% 7 < 2 THEN 'pending'
                        WHEN (c.id + k.n) %% 7 = 2 THEN 'declined'
                        ELSE 'accepted' END AS status
        ) r ON true
        JOIN scale_provider p
          ON p.province_path = substring(c.unit_path FROM '^[^/]+/[^/]+/') AND p.service = s.service
        WHERE c.code LIKE 'SC-%%'
        """,
        [services, len(services)],
    )


def clocks() -> None:
    case_type = ContentType.objects.get_for_model(Case).pk
    referral_type = ContentType.objects.get_for_model(Referral).pk
    whens = " ".join(
        f"WHEN '{status}' THEN ARRAY['{kind}', '{hours}']"
        for status, (kind, hours) in STATE_CLOCKS.items()
    )
    # Without a reminder, a clock's first call on the sweep is the chain's first step.
    first_escalation = escalation_chain()[0][1]
    # The clock of the case's current state: about one in ten overdue.
    run(
        f"""
        INSERT INTO core_clock (kind, subject_type_id, subject_id, unit_path, started_at, due_at,
                                remind_at, escalation_level, next_action_at)
        SELECT spec[1], %s, c.id, c.unit_path, now() - interval '1 day', due.at, NULL, 0,
            due.at + %s * interval '1 hour'
        FROM cases_case c
        JOIN LATERAL (SELECT CASE c.status {whens} END AS spec) s ON true
        JOIN LATERAL (
            SELECT now() - interval '1 day' + (spec[2]::int * interval '1 hour')
                - CASE WHEN c.id %% 10 = 0 THEN spec[2]::int * interval '2 hours'
                       ELSE interval '0' END AS at
        ) due ON true
        WHERE c.code LIKE 'SC-%%' AND c.status <> 'closed'
        """,
        [case_type, first_escalation],
    )
    # The clocks each case already met: its initial assessment and its plan.
    run(
        """
        INSERT INTO core_clock (kind, subject_type_id, subject_id, unit_path, started_at, due_at,
                                met_at, escalation_level)
        SELECT k.kind, %s, c.id, c.unit_path, c.received_at, c.received_at + interval '12 hours',
            c.received_at + interval '6 hours', 0
        FROM cases_case c
        CROSS JOIN (VALUES ('case_initial_assessment'), ('case_plan_submission')) AS k(kind)
        WHERE c.code LIKE 'SC-%%' AND c.status NOT IN ('received')
        """,
        [case_type],
    )
    # A live referral runs its clock: to be accepted, or (accepted) to be completed; due from a
    # day ago to nine days ahead, spread by the minute, so each minute's sweep has its share.
    run(
        """
        INSERT INTO core_clock (kind, subject_type_id, subject_id, unit_path, started_at, due_at,
                                escalation_level, next_action_at)
        SELECT CASE r.status WHEN 'pending' THEN 'referral_accept_' ELSE 'referral_complete_' END
                   || r.service,
            %s, r.id, r.unit_path, r.sent_at, due.at, 0, due.at + %s * interval '1 hour'
        FROM referrals_referral r JOIN cases_case c ON c.id = r.case_id
        JOIN LATERAL (
            SELECT now() + ((r.id * 7919 %% (240 * 60)) - 24 * 60) * interval '1 minute' AS at
        ) due ON true
        WHERE c.code LIKE 'SC-%%' AND r.status IN ('pending', 'accepted')
        """,
        [referral_type, first_escalation],
    )


def history_audit_and_notices() -> None:
    run(
        """
        INSERT INTO cases_caseevent (case_id, actor_id, at, action, from_status, to_status, details)
        SELECT c.id, c.recorded_by_id, c.received_at + k.n * interval '1 day', k.action,
               k.from_status, k.to_status, '{}'
        FROM cases_case c
        CROSS JOIN (VALUES (0, 'create', '', 'received'),
                           (1, 'assess_initial', 'received', 'assessment'),
                           (2, 'note', 'assessment', 'assessment'))
             AS k(n, action, from_status, to_status)
        WHERE c.code LIKE 'SC-%%'
        """
    )
    run(
        """
        INSERT INTO core_auditevent (actor_id, action, object_type, object_id, at, reason, details,
                                     previous_hash, chain_hash)
        SELECT c.recorded_by_id, k.action, 'cases.case', c.id::text,
               c.received_at + k.n * interval '1 hour', '', '{"view": "page"}', '', ''
        FROM cases_case c
        CROSS JOIN (VALUES (0, 'case.create'), (1, 'case.read'), (2, 'case.read'),
                           (3, 'case.assess_initial')) AS k(n, action)
        WHERE c.code LIKE 'SC-%%'
        """
    )
    run(
        """
        INSERT INTO notifications_notification (key, recipient_id, channel, event, params, link,
            status, attempts, next_attempt_at, last_error, created_at, sent_at, read_at)
        SELECT 'scale:' || c.id || ':' || k.n, c.recorded_by_id, 'in_app', k.event,
               json_build_object('code', c.code), '/cases/' || c.id || '/', 'sent', 1,
               c.received_at, '', c.received_at, c.received_at,
               CASE WHEN c.status = 'closed' THEN c.received_at + interval '1 day' END
        FROM cases_case c
        CROSS JOIN (VALUES (0, 'case_received'), (1, 'referral_accepted')) AS k(n, event)
        WHERE c.code LIKE 'SC-%%'
        """
    )


def inspections(count: int) -> None:
    """One inspection per 100 cases, spread over the provinces, led by one of each province's
    agencies, over three years and every state: the provincial overseers' list."""
    run(
        """
        CREATE TEMP TABLE scale_province ON COMMIT DROP AS
        SELECT row_number() OVER (ORDER BY p.province_path) - 1 AS slot, p.province_path,
               min(p.agency_id) AS agency_id
        FROM scale_provider p GROUP BY p.province_path
        """
    )
    (provinces,) = fetch_one("SELECT count(*) FROM scale_province")
    run(
        f"""
        INSERT INTO inspections_inspection (kind, topic, title, lead_agency_id, unit_path,
            decision_number, decision_date, planned_start, planned_end, actual_start, actual_end,
            status, conclusion, no_violation_found, cancel_reason, created_by_id, created_at)
        SELECT CASE WHEN g %% 3 = 0 THEN 'thematic' ELSE 'interagency' END,
            (ARRAY['child_protection_duties', 'school_violence', 'social_support_facility',
                   'online_privacy'])[1 + g %% 4],
            'Kiểm tra ' || g, p.agency_id, p.province_path, g || '/QĐ-UBND', start.day - 14,
            start.day, start.day + 10,
            CASE WHEN state.status NOT IN ('planned', 'cancelled') THEN start.day END,
            CASE WHEN state.status NOT IN ('planned', 'in_progress', 'cancelled')
                 THEN start.day + 10 END,
            state.status, '', false, '', (SELECT min(id) FROM core_user), now()
        FROM generate_series(1, %s) AS g
        JOIN scale_province p ON p.slot = g %% {provinces}
        JOIN LATERAL (SELECT current_date - (g * 7919) %% (3 * 365) AS day) start ON true
        JOIN LATERAL (
            SELECT (ARRAY['planned', 'in_progress', 'reporting', 'concluded', 'follow_up',
                          'closed', 'closed', 'cancelled'])[1 + g %% 8] AS status
        ) state ON true
        """,
        [max(1, count // 100)],
    )


def fetch_one(sql: str, params: list | None = None) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        row = cursor.fetchone()
    assert row is not None
    return row


STEPS: list[tuple[str, Callable[..., None]]] = [
    ("users and agencies", users_and_agencies),
    ("children and cases", children_and_cases),
    ("assessments", assessments),
    ("referrals", referrals),
    ("clocks", clocks),
    ("history, audit, notifications", history_audit_and_notices),
    ("inspections", inspections),
]


def generate(count: int, say: Callable[[str], None]) -> None:
    """Generate `count` cases (one transaction), then ANALYZE so the planner knows the sizes."""
    started = time.perf_counter()
    with transaction.atomic():
        for name, step in STEPS:
            began = time.perf_counter()
            step(count) if step in (children_and_cases, inspections) else step()
            say(f"generated {name} in {time.perf_counter() - began:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    say(f"generated {count} cases in {time.perf_counter() - started:.0f} s")
