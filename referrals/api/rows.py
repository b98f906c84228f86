"""A page of the referrals API's list as plain rows (as cases/rows.py does for the case list).

Read as model instances, each referral came with its case, child, commune, agency and outcome
built as objects and was then written out field by field: two thirds of the police's page of
fifty, ten times the page's SQL (docs/performance.md). Here the page's ids (from the scoped,
filtered query, core/pagination.py) are read as one row each with the list's annotations, and
the rare outcomes and extensions in one query each."""

from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from cases.models import age_on
from cases.rows import AGE_FIELDS, age_columns
from core.pagination import RowReader, in_order
from referrals.api.outputs import ExtensionSerializer, OutcomeSerializer
from referrals.models import Referral, ReferralExtension, ReferralOutcome

COLUMNS = (
    "id",
    "case_id",
    "case__code",
    "case__commune__code",
    "case__commune__name",
    "case__child__sex",
    *age_columns("case__child__"),
    "service",
    "required",
    "status",
    "urgency",
    "reason",
    "agency_id",
    "agency__name",
    "assigned_to_id",
    "sent_at",
    "accepted_at",
    "completed_at",
    "decline_reason",
    "cancel_reason",
    "waive_reason",
    "consent_basis",
    "extensions",
    "report_received_at",
    "suspended_on",
    "suspension_reason",
    "resumed_on",
    # The list's annotations (referrals.selectors.referral_list).
    "next_due_at",
    "is_overdue",
    "details_shown",
)


def page_rows(referrals: QuerySet[Referral]) -> RowReader:
    """Reads a page's referrals from the list's own query (its annotations say what the reader
    may see), each a dict of `COLUMNS` with its `outcome` and `extension_history` written out."""

    def read(ids: list[int]) -> Sequence[dict[str, Any]]:
        rows = referrals.prefetch_related(None).filter(pk__in=ids).values(*COLUMNS)
        found = {row["id"]: row for row in rows}
        outcomes = {
            outcome.referral_id: OutcomeSerializer(outcome).data
            for outcome in ReferralOutcome.objects.filter(referral_id__in=ids)
        }
        histories: dict[int, list[Any]] = {}
        extensions = ReferralExtension.objects.filter(referral_id__in=ids).order_by("number")
        for extension in extensions:
            histories.setdefault(extension.referral_id, []).append(
                ExtensionSerializer(extension).data
            )
        today = timezone.localdate()
        for pk, row in found.items():
            row["child_age"] = age_on(
                today, **{field: row["case__child__" + field] for field in AGE_FIELDS}
            )
            row["outcome"] = outcomes.get(pk)
            row["extension_history"] = histories.get(pk, [])
        return in_order(ids, found)

    return read
