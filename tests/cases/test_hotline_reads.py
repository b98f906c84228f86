"""The hotline reads the report it recorded until the commune takes it over, but never the
commune's own work on it: notes and attachments added before the commune's first step."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases import services
from cases.sections import HISTORY, REPORT
from cases.visibility import sections_for
from core.errors import NotFound
from tests.cases.test_services_workflow import record

PDF = b"%PDF-1.7\n%a record of the home visit\n"
NOTE = "Mẹ cháu nói bố dượng đã đánh cháu từ tháng trước."


@pytest.fixture
def worked_on(demo, settings, tmp_path):
    """A hotline report the commune has written a note and attached a file to, before its first
    step (which is what takes the case over)."""
    settings.MEDIA_ROOT = tmp_path
    case = record(demo["hotline"], code="14329")
    services.case_add_note(actor=demo["officer_b"], case_id=case.pk, text=NOTE)
    attachment = services.case_attach(
        actor=demo["officer_b"],
        case_id=case.pk,
        upload=SimpleUploadedFile("bien-ban.pdf", PDF, content_type="application/pdf"),
    )
    case.refresh_from_db()
    assert case.taken_by_commune_at is None
    return case, attachment


def test_the_hotline_reads_its_report_but_not_the_communes_history(demo, worked_on):
    case, _attachment = worked_on

    shown = sections_for(demo["hotline"], case)
    assert REPORT in shown
    assert HISTORY not in shown
    assert HISTORY in sections_for(demo["officer_b"], case)


def test_the_case_page_shows_the_hotline_neither_the_note_nor_the_file(client, demo, worked_on):
    case, attachment = worked_on
    client.force_login(demo["hotline"])

    page = client.get(reverse("cases:detail", args=[case.pk]))

    assert page.status_code == 200
    assert case.code in page.content.decode()
    assert NOTE not in page.content.decode()
    assert "bien-ban.pdf" not in page.content.decode()
    download = reverse("cases:attachment", args=[case.pk, attachment.pk])
    assert client.get(download).status_code == 404


def test_the_api_refuses_the_hotline_the_notes_and_the_history(demo, worked_on, api_for):
    case, _attachment = worked_on
    hotline = api_for(demo["hotline"])

    assert hotline.get(f"/api/v1/cases/{case.pk}/").status_code == 200
    for view in ("notes", "events"):
        assert hotline.get(f"/api/v1/cases/{case.pk}/{view}/").status_code == 403
    assert api_for(demo["officer_b"]).get(f"/api/v1/cases/{case.pk}/notes/").json()["count"] == 1


def test_the_attachment_service_answers_the_hotline_not_found(demo, worked_on):
    case, attachment = worked_on

    with pytest.raises(NotFound):
        services.attachment_open(
            actor=demo["hotline"], case_id=case.pk, attachment_id=attachment.pk
        )
