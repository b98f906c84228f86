"""Every page and API answer carries a Content-Security-Policy without inline scripts, a
Permissions-Policy and `Cache-Control: no-store` (core/headers.py, issue 13)."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.utils import timezone

from cases import services
from core.headers import SecurityHeadersMiddleware
from core.models import Unit

TEMPLATE_DIRS = sorted(Path(settings.BASE_DIR).glob("*/templates"))


def directives(response: HttpResponse) -> dict[str, list[str]]:
    policy = response.headers["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in policy.split(";") if part.strip())
    }


def check_headers(response: HttpResponse) -> None:
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]  # no 'unsafe-inline', no 'unsafe-eval'
    assert policy["style-src"] == ["'self'"]  # no <style> element
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    permissions = response.headers["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in permissions
    assert "no-store" in response.headers["Cache-Control"]


@pytest.fixture
def officer(client: Client, demo):
    client.force_login(demo["officer_a"])
    return client


def test_the_home_page_carries_the_headers(officer):
    response = officer.get("/")
    assert response.status_code == 200
    check_headers(response)


def test_a_case_page_carries_the_headers(officer, demo):
    case = services.case_create(
        actor=demo["officer_a"],
        commune=Unit.objects.get(structure="2025", code="14428"),
        received_at=timezone.now() - datetime.timedelta(hours=1),
        channel="phone",
        source="family",
        description="…",
        situation="abused",
        abuse_forms=["physical_violence"],
        setting="family",
        child=services.ChildData(full_name="Lê Thị Hoa", sex="female", estimated_age=8),
    )
    response = officer.get(f"/cases/{case.pk}/")
    assert response.status_code == 200
    check_headers(response)


def test_an_api_answer_carries_the_headers(api_as):
    response = api_as("officer_a").get("/api/v1/cases/")
    assert response.status_code == 200
    check_headers(response)


def test_refusals_and_the_sign_in_page_carry_them_too(client, api):
    check_headers(client.get("/accounts/login/"))
    check_headers(client.get("/cases/"))  # the redirect to sign in
    check_headers(api.get("/api/v1/cases/"))  # 401
    check_headers(client.get("/no-such-page/"))


def test_static_files_keep_their_own_caching():
    middleware = SecurityHeadersMiddleware(lambda request: HttpResponse("body {}"))
    static = "/" + settings.STATIC_URL.lstrip("/")
    response = middleware(RequestFactory().get(f"{static}core/app.css"))
    assert "Cache-Control" not in response.headers


def template_files() -> list[Path]:
    return [path for folder in TEMPLATE_DIRS for path in sorted(folder.rglob("*.html"))]


@pytest.mark.parametrize("path", template_files(), ids=lambda p: str(p.relative_to(p.parents[2])))
def test_no_template_has_an_inline_script_or_style_element(path: Path):
    """What the policy would block: a script without `src`, an `on…=` handler, a `javascript:`
    link or a `<style>` element. (`style` attributes are allowed: the report tables' bars.)"""
    text = path.read_text()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), "an inline <script>"
    assert not re.search(r"<[^>]+\son[a-z]+\s*=", text), "an on…= handler"
    assert "javascript:" not in text.lower()
    assert "<style" not in text.lower()


def test_the_templates_are_found():
    assert len(template_files()) > 20
