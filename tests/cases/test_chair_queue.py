"""The chair's "Awaiting my decision": every decision that waits (plans, separations, closures),
each with its deadline, the earliest first, and what the officer proposed beside the form."""

import re

from django.urls import reverse

from cases import clocks
from core.models import Clock
from tests.cases.factories import advance, make_case


def waiting_on_the_chair(demo):
    officer, chair = demo["officer_a"], demo["chair_a"]
    plan = advance(
        make_case(officer), "assess_initial", "submit_plan", officer=officer, chair=chair
    )
    separation = advance(
        make_case(officer, abuse_forms=("other",)),
        "assess_initial",
        "propose_separation",
        officer=officer,
        chair=chair,
    )
    closure = advance(
        make_case(officer, abuse_forms=("other",)),  # no service the law requires before closing
        "assess_initial",
        "submit_plan",
        "approve_plan",
        "start_review",
        "propose_closure",
        officer=officer,
        chair=chair,
    )
    return plan, separation, closure


def test_every_decision_waiting_is_listed_with_its_deadline(client, demo):
    plan, separation, closure = waiting_on_the_chair(demo)
    # The closure's decision is late: it leads its section marked overdue.
    late = Clock.objects.for_object(closure).open().get(kind=clocks.CLOSURE_DECISION)
    late.due_at = late.started_at = late.due_at.replace(year=late.due_at.year - 1)
    late.save(update_fields=["due_at", "started_at"])
    client.force_login(demo["chair_a"])

    page = client.get(reverse("cases:queue")).text

    for case, section in (
        (plan, "plans-waiting"),
        (separation, "separations-waiting"),
        (closure, "closures-waiting"),
    ):
        part = page[page.index(f'id="{section}"') :]
        assert case.code in part.split("</section>")[0], section
    closures = page[page.index('id="closures-waiting"') :].split("</section>")[0]
    assert 'data-overdue="yes"' in closures and "quá hạn" in closures
    plans = page[page.index('id="plans-waiting"') :].split("</section>")[0]
    assert 'data-overdue="no"' in plans and re.search(r"\d\d/\d\d/\d{4} \d\d:\d\d", plans)
    # Each row leads to where the decision is taken.
    assert reverse("cases:transition", args=[closure.pk, "close"]) in closures
    assert reverse("cases:transition", args=[plan.pk, "approve_plan"]) in plans


def test_a_separation_shows_what_was_proposed_and_keeps_its_place_in_the_form(client, demo):
    _plan, separation, _closure = waiting_on_the_chair(demo)
    proposal = separation.separationdecisions.get()
    client.force_login(demo["chair_a"])

    page = client.get(reverse("cases:queue")).text

    part = page[page.index(f'data-separation="{proposal.pk}"') :].split("</li>")[0]
    assert proposal.placement and proposal.placement in part
    assert f'value="{proposal.placement}"' in part  # the place proposed, for the chair to keep
    assert proposal.grounds.splitlines()[0] in part


def test_the_queue_reads_a_constant_number_of_statements(
    client, demo, django_assert_max_num_queries
):
    waiting_on_the_chair(demo)
    client.force_login(demo["chair_a"])
    client.get(reverse("cases:queue"))
    with django_assert_max_num_queries(12) as counted:
        client.get(reverse("cases:queue"))
    few = len(counted.captured_queries)

    waiting_on_the_chair(demo)
    with django_assert_max_num_queries(few):
        client.get(reverse("cases:queue"))
