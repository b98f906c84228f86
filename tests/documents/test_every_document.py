"""Every document of a case opens in both formats: the PDF parses and the DOCX opens, each with
the form's name and the child's name with its diacritics."""

import io
import re

import docx
import pytest
from django.urls import reverse
from pypdf import PdfReader

from cases.models import ClosureAssessment, InitialAssessment, Plan, PlanDecision
from documents.catalogue import KINDS
from referrals import services as referral_services
from tests.cases.factories import advance, make_case


@pytest.fixture
def closed_for_review(demo):
    officer, chair = demo["officer_a"], demo["chair_a"]
    case = advance(
        make_case(officer, full_name="Đặng Thị Ngọc Ánh"),
        "assess_initial",
        "submit_plan",
        "approve_plan",
        "start_review",
        officer=officer,
        chair=chair,
    )
    referral_services.referral_waive(
        actor=chair, case_id=case.pk, service="medical_care", reason="Đã khám."
    )
    return advance(case, "propose_closure", officer=officer, chair=chair)


def records(case):
    return {
        "summary": case.pk,
        "form01": case.pk,
        "form02": InitialAssessment.objects.get(case=case).pk,
        "form03": Plan.objects.get(case=case).pk,
        "form04": Plan.objects.get(case=case).pk,
        "form05": PlanDecision.objects.get(case=case, approved=True).pk,
        "form06": ClosureAssessment.objects.get(case=case).pk,
    }


def words(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_every_document_opens_with_its_name_and_the_childs(client, demo, closed_for_review, fmt):
    case = closed_for_review
    client.force_login(demo["officer_a"])
    found = records(case)
    assert set(found) == set(KINDS) - {"form07"}  # no separation in this case

    for key, record_id in found.items():
        url = reverse("documents:case_document", args=[case.pk, key, record_id, fmt])
        response = client.get(url)
        assert response.status_code == 200, key
        if fmt == "pdf":
            pages = PdfReader(io.BytesIO(response.content)).pages
            text = words(" ".join(page.extract_text() for page in pages))
        else:
            document = docx.Document(io.BytesIO(response.content))
            cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
            text = words(" ".join([p.text for p in document.paragraphs] + cells))
        form = KINDS[key].title.split(" — ")[0]
        assert form in text, (key, fmt)
        assert "Đặng Thị Ngọc Ánh" in text, (key, fmt)
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text, (key, fmt)
