from django.db import connection

from core.models import RoleMembership, User
from referrals import services
from referrals.models import Referral
from tests.referrals.helpers import refer, sexual_abuse_case
from tests.services.test_case_concurrency import run_together


def test_two_concurrent_accepts_let_exactly_one_win(committed_demo):
    assert connection.vendor == "postgresql"
    referral = refer(committed_demo, sexual_abuse_case(committed_demo), "police_report")
    colleague = User.objects.create_user("police_2", password="x")
    RoleMembership.objects.create(user=colleague, role="agency_staff", agency=referral.agency)

    outcomes = run_together(
        lambda: services.referral_accept(actor=committed_demo["police"], referral_id=referral.pk),
        lambda: services.referral_accept(actor=colleague, referral_id=referral.pk),
    )

    winners = [o for o in outcomes if isinstance(o, Referral)]
    assert len(winners) == 1, outcomes
    referral.refresh_from_db()
    assert referral.status == "accepted"
    assert referral.responded_by == winners[0].responded_by
    assert referral.case.events.filter(action="referral_accepted").count() == 1
