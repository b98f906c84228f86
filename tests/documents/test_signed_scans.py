"""The signed scan of an official document is uploaded back and linked to the document it signs
(the attachment checks as for any document of the case)."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases import services
from cases.models import CaseAttachment
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
