"""The referrals API's list is written from plain rows (referrals/api/rows.py): each row must say
of a referral exactly what `ReferralSerializer` says of the model instance, in every state, to
every reader (the summary alone to an agency that has not accepted)."""

import datetime

import pytest
from django.utils import timezone, translation

from referrals import selectors, services
from referrals.api.outputs import ReferralSerializer
from tests.referrals.helpers import outcome, refer, sexual_abuse_case


@pytest.fixture
def referrals_in_every_state(demo):
    case = sexual_abuse_case(demo)
    police = refer(demo, case, "police_report", urgency="urgent")
    services.referral_accept(actor=demo["police"], referral_id=police.pk)
    services.referral_extend(
        actor=demo["police"],
        referral_id=police.pk,
        due_at=timezone.now() + datetime.timedelta(days=40),
        reason="Phức tạp",
    )
    services.referral_record_suspension(
        actor=demo["police"],
        referral_id=police.pk,
        suspended_on=timezone.localdate(),
        reason="Chờ kết luận giám định",
    )
    forensic = refer(demo, case, "forensic_exam")
    services.referral_accept(actor=demo["forensic"], referral_id=forensic.pk)
    services.referral_complete(
        actor=demo["forensic"], referral_id=forensic.pk, outcome=outcome("forensic_exam")
    )
    refer(demo, case, "medical_care")  # pending: a summary to the hospital
    legal = refer(demo, case, "legal_aid")  # declined, then waived by the chair
    services.referral_decline(actor=demo["legalaid"], referral_id=legal.pk, reason="Quá tải")
    social = refer(demo, case, "social_support")
    services.referral_decline(actor=demo["social"], referral_id=social.pk, reason="Ngoài địa bàn")
    counselling = refer(demo, case, "psychosocial")
    services.referral_cancel(actor=demo["officer_a"], referral_id=counselling.pk, reason="Trùng")
    services.referral_waive(
        actor=demo["chair_a"], case_id=case.pk, service="legal_aid", reason="Gia đình tự thuê"
    )
    return case


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize(
    "reader", ["officer_a", "province", "police", "forensic", "hospital", "social"]
)
def test_each_row_is_what_the_serializer_gives_for_the_referral(
    demo, api_as, referrals_in_every_state, reader, language
):
    with translation.override(language):
        body = api_as(reader).get("/api/v1/referrals/", HTTP_ACCEPT_LANGUAGE=language).json()
        instances = selectors.referral_list(demo[reader]).select_related("outcome")
        expected = [ReferralSerializer(referral).data for referral in instances]

    assert body["results"] == expected
    assert body["count"] == len(expected) > 0


def test_the_rows_cover_every_state_and_what_each_reader_may_read(api_as, referrals_in_every_state):
    rows = api_as("officer_a").get("/api/v1/referrals/").json()["results"]
    by_service = {row["service"]: row for row in rows}

    assert {row["status"] for row in rows} >= {
        "accepted",
        "completed",
        "pending",
        "declined",
        "cancelled",
        "waived",
    }
    police = by_service["police_report"]
    assert police["is_suspended"] and police["resume_due_at"] and police["extensions"] == 1
    assert police["extension_history"][0]["reason"] == "Phức tạp"
    assert by_service["forensic_exam"]["outcome"]["report_reference"] == "PY-117"
    assert by_service["medical_care"]["reason"] == "…"
    hospital = api_as("hospital").get("/api/v1/referrals/").json()["results"]
    assert [row["reason"] for row in hospital] == [None]  # not accepted: the summary alone
