"""The signed scan of an official document is uploaded back and linked to the document it signs
(the attachment checks as for any document of the case)."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from access.services import grant_access
from cases import services
from cases.models import CaseAttachment
from core.models import AuditEvent
from tests.cases.factories import advance, make_case
from tests.documents.test_decisions import approved_plan

PDF = b"%PDF-1.7\n%the signed decision, scanned\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def scan() -> SimpleUploadedFile:
    return SimpleUploadedFile("qd-12.pdf", PDF, content_type="application/pdf")


def test_the_officer_links_the_signed_scan_to_its_decision(client, demo):
    case, decision = approved_plan(demo)
    client.force_login(demo["officer_a"])
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert f'value="form05-{decision.pk}"' in page  # offered in the attachment form

    response = client.post(
        reverse("cases:attach", args=[case.pk]),
        {"upload": scan(), "description": "Quyết định đã ký", "signs": f"form05-{decision.pk}"},
    )

    assert response.status_code == 302
    attachment = CaseAttachment.objects.get(case=case)
    assert attachment.signs == f"form05-{decision.pk}"
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    documents = page[page.index('id="documents"') :]
    assert f'data-scan="{attachment.pk}"' in documents


def test_a_scan_cannot_claim_to_sign_a_document_the_case_does_not_have(client, demo):
    case, _decision = approved_plan(demo)
    _other, other_decision = approved_plan(demo)

    with pytest.raises(ValidationError) as refused:
        services.case_attach(
            actor=demo["officer_a"],
            case_id=case.pk,
            upload=scan(),
            signs=f"form05-{other_decision.pk}",
        )

    assert "signs" in refused.value.message_dict
    assert not CaseAttachment.objects.filter(case=case).exists()
    client.force_login(demo["officer_a"])
    response = client.post(
        reverse("cases:attach", args=[case.pk]), {"upload": scan(), "signs": "form05-999999"}
    )
    assert response.status_code == 200  # the form again, with its error
    assert not CaseAttachment.objects.filter(case=case).exists()


def attach(demo, case, signs: str = "") -> CaseAttachment:
    return services.case_attach(
        actor=demo["officer_a"], case_id=case.pk, upload=scan(), signs=signs
    )


def opens(client, attachment: CaseAttachment) -> bool:
    response = client.get(reverse("cases:attachment", args=[attachment.case_id, attachment.pk]))
    assert response.status_code in (200, 404)
    return response.status_code == 200


def listed(client, case, attachment: CaseAttachment) -> bool:
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    return reverse("cases:attachment", args=[case.pk, attachment.pk]) in page


def test_a_signed_scan_is_opened_only_by_readers_of_the_whole_paper(client, demo):
    """The signed Form 01 names who reported; the province reads all but that, so it opens the
    case's other documents and not that scan. A reader let in to the child and the history
    opens a plain document, not the signed Form 02 (the assessments)."""
    case = make_case(demo["officer_a"])
    advance(case, "assess_initial", officer=demo["officer_a"], chair=demo["chair_a"])
    form01 = attach(demo, case, signs=f"form01-{case.pk}")
    form02 = attach(demo, case, signs=f"form02-{case.initialassessments.get().pk}")
    plain = attach(demo, case)
    grant_access(
        actor=demo["officer_a"],
        case_id=case.pk,
        user_id=demo["officer_b"].pk,
        sections=["child", "history"],
        may_add_notes=False,
        days=7,
        explanation="Trẻ chuyển đến học tại phường.",
    )
    readers = {name: Client() for name in ("officer_a", "province", "officer_b")}
    for name, reader in readers.items():
        reader.force_login(demo[name])

    expected = {
        "officer_a": {form01: True, form02: True, plain: True},
        "province": {form01: False, form02: True, plain: True},
        "officer_b": {form01: False, form02: False, plain: True},
    }
    for name, reader in readers.items():
        for attachment, allowed in expected[name].items():
            assert opens(reader, attachment) is allowed, (name, attachment.signs)
            assert listed(reader, case, attachment) is allowed, (name, attachment.signs)
    read = AuditEvent.objects.filter(action="case.attachment.read", actor=demo["province"])
    assert {event.details["attachment"] for event in read} == {form02.pk, plain.pk}
