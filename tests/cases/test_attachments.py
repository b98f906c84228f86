import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from cases import services
from cases.models import CaseAttachment
from core.errors import NotFound
from core.models import AuditEvent
from tests.cases.test_services_workflow import record

PDF = b"%PDF-1.7\n%fake but well-formed enough for the signature check\n"


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def upload(name: str = "bien-ban.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def test_an_officer_attaches_a_pdf_stored_under_a_random_name(demo, tmp_path):
    case = record(demo["officer_a"])
    attachment = services.case_attach(
        actor=demo["officer_a"], case_id=case.pk, upload=upload("Nguyen Thi Lan.pdf")
    )
    assert attachment.content_type == "application/pdf"
    assert attachment.original_name == "Nguyen Thi Lan.pdf"
    assert attachment.file.name is not None
    assert "Lan" not in attachment.file.name
    assert (tmp_path / attachment.file.name).read_bytes() == PDF
    assert case.events.filter(action="attach").count() == 1


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("script.exe", b"MZ\x90\x00"),
        ("photo.png", PDF),  # the content is not a PNG
        ("no-extension", PDF),
    ],
)
def test_a_file_of_the_wrong_type_is_refused_and_nothing_is_stored(demo, tmp_path, name, content):
    case = record(demo["officer_a"])
    with pytest.raises(ValidationError) as refused:
        services.case_attach(actor=demo["officer_a"], case_id=case.pk, upload=upload(name, content))
    assert "file" in refused.value.message_dict
    assert CaseAttachment.objects.count() == 0
    assert not any(tmp_path.rglob("*.*"))


def test_a_file_over_the_size_limit_is_refused(demo, settings):
    settings.CHECHO_ATTACHMENT_MAX_BYTES = 1024
    case = record(demo["officer_a"])
    with pytest.raises(ValidationError):
        services.case_attach(
            actor=demo["officer_a"], case_id=case.pk, upload=upload(content=PDF + b"0" * 2000)
        )
    assert CaseAttachment.objects.count() == 0


def test_an_attachment_is_read_only_by_who_sees_the_case_and_the_read_is_audited(demo):
    case = record(demo["officer_a"])
    attachment = services.case_attach(actor=demo["officer_a"], case_id=case.pk, upload=upload())

    with pytest.raises(NotFound):
        services.attachment_open(
            actor=demo["officer_b"], case_id=case.pk, attachment_id=attachment.pk
        )
    opened = services.attachment_open(
        actor=demo["province"], case_id=case.pk, attachment_id=attachment.pk
    )
    assert opened == attachment
    assert AuditEvent.objects.filter(actor=demo["province"], action="case.attachment.read").exists()


def test_an_officer_uploads_on_the_case_page_and_a_supervisor_downloads(client, demo):
    case = record(demo["officer_a"])
    client.force_login(demo["officer_a"])
    response = client.post(
        f"/cases/{case.pk}/documents/", {"upload": upload("bien-ban.pdf"), "description": "Form 01"}
    )
    assert response.status_code == 302
    attachment = CaseAttachment.objects.get(case=case)

    client.force_login(demo["province"])
    download = client.get(f"/cases/{case.pk}/documents/{attachment.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Disposition"].startswith("attachment")
    assert download["Cache-Control"] == "private, no-store"


def test_a_document_of_another_commune_answers_404(client, demo):
    case = record(demo["officer_a"])
    attachment = services.case_attach(actor=demo["officer_a"], case_id=case.pk, upload=upload())
    client.force_login(demo["officer_b"])
    assert client.get(f"/cases/{case.pk}/documents/{attachment.pk}/").status_code == 404
    client.force_login(demo["officer_a"])
    other = record(demo["officer_a"])
    assert client.get(f"/cases/{other.pk}/documents/{attachment.pk}/").status_code == 404


def test_a_refused_upload_shows_the_reason_on_the_form(client, demo):
    case = record(demo["officer_a"])
    client.force_login(demo["officer_a"])
    response = client.post(f"/cases/{case.pk}/documents/", {"upload": upload("x.exe", b"MZ")})
    assert response.status_code == 200
    assert response.context["attachment_form"].errors["upload"]
    assert not CaseAttachment.objects.exists()


def test_an_agency_reading_part_of_the_case_cannot_open_its_documents(demo):
    from referrals import services as referral_services
    from tests.referrals.helpers import refer

    case = record(demo["officer_a"])
    attachment = services.case_attach(actor=demo["officer_a"], case_id=case.pk, upload=upload())
    referral = refer(demo, case, "education_support")
    referral_services.referral_accept(actor=demo["school"], referral_id=referral.pk)
    with pytest.raises(NotFound):
        services.attachment_open(actor=demo["school"], case_id=case.pk, attachment_id=attachment.pk)
