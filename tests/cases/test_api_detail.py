"""One case: the record, its history and the steps open to the user."""

from django.utils import translation

from cases import services
from cases.workflow import CASE_WORKFLOW
from core.models import AuditEvent, Role
from referrals import services as referral_services
from tests.cases.factories import advance, make_case
from tests.referrals.helpers import refer, sexual_abuse_case


def url(case, tail: str = "") -> str:
    return f"/api/v1/cases/{case.pk}/{tail}"


def test_the_record_shows_the_child_the_report_and_the_open_deadlines(api_as, demo):
    case = make_case(demo["officer_a"])

    body = api_as("officer_a").get(url(case)).json()

    assert body["code"] == case.code
    assert body["child"]["full_name"] == "Nguyễn Thị Lan"
    assert body["child"]["residence"] == "14428"
    assert body["description"] == "Trẻ bị đánh."
    assert body["abuse_forms"] == ["physical_violence"]
    assert body["recorded_by"] == "officer_a"
    assert body["records"] == {
        "initial_assessments": [],
        "emergency_declarations": [],
        "emergency_ends": [],
        "plans": [],
        "closure_assessments": [],
        "separations": [],
        "reviews": [],
        "plan_refusals": [],
        "transfers": [],
        "notes": [],
    }
    # No separation in force, nothing awaiting the chair's decision on closing.
    assert (body["current_placement"], body["open_work"]) == (None, [])
    [clock] = body["open_clocks"]
    assert clock["kind"] == "case_initial_assessment"
    assert clock["is_overdue"] is False
    assert clock["due_at"]


def test_reading_a_case_is_audited(api_as, demo):
    case = make_case(demo["officer_a"])

    assert api_as("province").get(url(case)).status_code == 200

    assert AuditEvent.objects.filter(
        action="case.read", actor=demo["province"], object_id=str(case.pk)
    ).exists()


def test_the_reporter_is_shown_to_the_communes_staff_only(api_as, demo):
    case = make_case(demo["officer_a"])

    for username in ("officer_a", "chair_a"):
        body = api_as(username).get(url(case)).json()
        assert body["reporter_name"] == "Trần Văn Hàng", username
        assert body["reporter_contact"] == "0912 345 678"
    body = api_as("province").get(url(case)).json()
    assert "reporter_name" not in body and "reporter_contact" not in body


def test_a_case_out_of_scope_is_not_found(api_as, demo):
    case = make_case(demo["officer_a"])

    for username in ("officer_b", "chair_b", "manager", "inspector", "admin"):
        assert api_as(username).get(url(case)).status_code == 404, username
    assert not AuditEvent.objects.filter(action="case.read").exists()
    assert api_as("officer_a").get("/api/v1/cases/999999/").status_code == 404


def test_the_record_shows_every_step_taken(api_as, demo):
    case = make_case(demo["officer_a"], abuse_forms=("other",))
    advance(
        case,
        "assess_initial",
        "submit_plan",
        "approve_plan",
        officer=demo["officer_a"],
        chair=demo["chair_a"],
    )
    services.case_add_note(actor=demo["officer_a"], case_id=case.pk, text="Gọi điện cho bà.")

    records = api_as("chair_a").get(url(case)).json()["records"]

    assert records["initial_assessments"][0]["harm_level"] == "medium"
    [plan] = records["plans"]
    assert plan["outcome"] == "approved"
    assert plan["measures"][0]["service"] == "psychosocial"
    assert plan["decisions"][0]["decision_number"] == "01/QĐ"
    assert plan["decisions"][0]["author"] == "chair_a"
    assert records["notes"][0]["text"] == "Gọi điện cho bà."


def test_the_history_lists_each_step_with_its_actor(api_as, demo):
    case = make_case(demo["officer_a"])
    advance(case, "assess_initial", officer=demo["officer_a"], chair=demo["chair_a"])

    body = api_as("province").get(url(case, "events/")).json()

    assert body["count"] == 2
    created, assessed = body["results"]
    assert created["action"] == "create"
    assert assessed["action"] == "assess_initial"
    assert (assessed["from_status"], assessed["to_status"]) == ("received", "assessment")
    assert assessed["actor"] == {"username": "officer_a", "full_name": "Nguyễn Thị Lan"}
    assert assessed["at"]


def test_the_history_of_a_case_out_of_scope_is_not_found(api_as, demo):
    case = make_case(demo["officer_a"])

    assert api_as("officer_b").get(url(case, "events/")).status_code == 404
    assert api_as("officer_b").get(url(case, "transitions/")).status_code == 404


def test_the_steps_say_which_the_user_may_run_now_and_what_is_missing(api_as, demo):
    case = make_case(demo["officer_a"])

    officer = {r["name"]: r for r in api_as("officer_a").get(url(case, "transitions/")).json()}
    chair = {r["name"]: r for r in api_as("chair_a").get(url(case, "transitions/")).json()}

    assert list(officer) == CASE_WORKFLOW.names
    assert officer["assess_initial"]["allowed"] is True
    assert officer["assess_initial"]["missing"] == []
    assert officer["approve_plan"]["allowed"] is False
    assert chair["assess_initial"]["allowed"] is False
    with translation.override("vi"):  # the API speaks Vietnamese by default
        officer_role = str(Role.COMMUNE_OFFICER.label)
    assert any(officer_role in m for m in chair["assess_initial"]["missing"])
    assert [name for name, row in officer.items() if row["allowed"]] == [
        "assess_initial",
        "declare_emergency",
        "dismiss",
        # A separation may be proposed whenever the case is open (Decree 56/2017 Art. 32).
        "propose_separation",
    ]


def test_the_case_carries_its_latest_notes_and_pages_them_all(api_as, demo):
    case = make_case(demo["officer_a"])
    for number in range(55):
        services.case_add_note(actor=demo["officer_a"], case_id=case.pk, text=f"Ghi chú {number}.")
    officer = api_as("officer_a")

    carried = officer.get(url(case)).json()["records"]["notes"]
    first = officer.get(url(case, "notes/")).json()
    second = officer.get(url(case, "notes/"), {"page": 2}).json()

    assert [note["text"] for note in carried] == [f"Ghi chú {n}." for n in range(54, 34, -1)]
    assert first["count"] == 55 and first["next"] and not second["next"]
    texts = [note["text"] for note in first["results"] + second["results"]]
    assert texts == [f"Ghi chú {n}." for n in range(54, -1, -1)]  # newest first
    assert first["results"][0]["author"] == "officer_a"


def test_only_readers_of_the_history_read_the_notes(api_as, demo):
    case = sexual_abuse_case(demo)
    note = services.case_add_note(actor=demo["officer_a"], case_id=case.pk, text="Gọi điện cho bà.")
    referral = refer(demo, case, "police_report")
    referral_services.referral_accept(actor=demo["police"], referral_id=referral.pk)
    before = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()

    assert api_as("province").get(url(case, "notes/")).status_code == 200
    assert api_as("police").get(url(case, "notes/")).status_code == 403  # its service: no history
    assert api_as("officer_b").get(url(case, "notes/")).status_code == 404
    assert api_as("officer_a").get("/api/v1/cases/99999999/notes/").status_code == 404
    assert api_as("province").get(url(case, "notes/"), {"page": 7}).status_code == 404

    # One read, of the page shown; the refusals are no reads (the out-of-scope ones are logged
    # as refused), and a page that does not exist shows nothing.
    audited = AuditEvent.objects.filter(pk__gt=before).order_by("pk")
    assert list(audited.values_list("actor__username", "action", "details")) == [
        ("province", "case.read", {"view": "notes", "page": 1, "first": note.pk, "last": note.pk}),
        ("officer_b", "case.read_denied", {"case_id": case.pk}),
        ("officer_a", "case.read_denied", {"case_id": 99999999}),
    ]
