"""A case is closed as "turned 16" only once the child is 16 (Law on Children 2016 Art. 1): the
closure record (Form 06) and the figures would otherwise say what is not so."""

import datetime

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from cases.models import Case, Child, ClosureAssessment
from tests.cases.factories import advance, make_case

REVIEW = ("assess_initial", "submit_plan", "approve_plan", "start_review")
FORM_06 = {
    "remaining_harm": "low",
    "perpetrator_access": "low",
    "care_obstacles": "low",
    "resilience": "high",
    "reason": "turned_16",
}


def in_review(demo, **child: object) -> Case:
    case = make_case(demo["officer_a"], abuse_forms=("other",))
    Child.objects.filter(pk=case.child_id).update(**child)
    return advance(case, *REVIEW, officer=demo["officer_a"], chair=demo["chair_a"])


def propose(api_as, case: Case, **payload: str):
    return api_as("officer_a").post(
        f"/api/v1/cases/{case.pk}/transitions/propose_closure/",
        FORM_06 | payload,
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )


def test_a_nine_year_old_is_not_closed_as_turned_16(demo, api_as):
    case = in_review(demo)  # estimated 9 on the report's day

    response = propose(api_as, case)

    assert response.status_code == 400, response.content
    assert "The child is 9 today" in response.json()["reason"][0]
    case.refresh_from_db()
    assert case.status == "review"
    assert not ClosureAssessment.objects.filter(case=case).exists()


def test_a_child_who_is_16_today_is(demo, api_as):
    sixteen = timezone.localdate() - relativedelta(years=16)
    case = in_review(demo, date_of_birth=sixteen)
    assert propose(api_as, case).status_code == 200
    case.refresh_from_db()
    assert case.status == "closure_review"

    a_day_short = in_review(demo, date_of_birth=sixteen + datetime.timedelta(days=1))
    assert propose(api_as, a_day_short).status_code == 400
