"""An inbox's rows are plain rows (referrals/rows.py): they must say of each referral what the
model instance says, in both languages."""

import pytest
from django.utils import timezone, translation

from referrals import selectors
from referrals.rows import referral_rows
from tests.referrals.helpers import refer, sexual_abuse_case


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_row_says_what_the_referral_says(demo, language):
    case = sexual_abuse_case(demo)
    urgent = refer(demo, case, "police_report", urgency="urgent")
    routine = refer(demo, case, "medical_care")
    ids = [routine.pk, urgent.pk]

    with translation.override(language):
        rows = referral_rows(ids)
        referrals = {r.pk: r for r in selectors.referral_list(demo["officer_a"]).filter(pk__in=ids)}
        today = timezone.localdate()
        for row in rows:
            referral = referrals[row.pk]
            assert row.case_code == referral.case.code
            assert row.service_label == referral.get_service_display()
            assert row.urgency_label == referral.get_urgency_display()
            assert row.status_label == referral.get_status_display()
            assert row.child_sex_label == referral.case.child.get_sex_display()
            assert row.child_age == referral.case.child.age_on(today) == 11
            assert row.commune_name == referral.case.commune.name
            assert (row.sent_at, row.next_due_at) == (referral.sent_at, referral.next_due_at)
            assert row.is_overdue == referral.is_overdue

    assert [row.pk for row in rows] == ids  # in the page's order
    assert {row.urgency for row in rows} == {"urgent", "routine"}


def test_an_id_that_names_no_referral_is_left_out(demo):
    referral = refer(demo, sexual_abuse_case(demo), "police_report")

    assert [row.pk for row in referral_rows([10**9, referral.pk])] == [referral.pk]
