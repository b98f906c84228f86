"""The client address for the audit trail: REMOTE_ADDR, or X-Forwarded-For when a trusted proxy
is declared (CHECHO_TRUST_X_FORWARDED_FOR)."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import path

from core.middleware import RequestContextMiddleware
from core.request_context import client_ip

address_of = RequestContextMiddleware.address_of


def request(**meta):
    return RequestFactory().get("/", **meta)


def test_it_takes_remote_addr_by_default(settings):
    settings.CHECHO_TRUST_X_FORWARDED_FOR = False

    assert address_of(request(REMOTE_ADDR="198.51.100.4")) == "198.51.100.4"


def test_it_ignores_x_forwarded_for_unless_the_proxy_is_trusted(settings):
    settings.CHECHO_TRUST_X_FORWARDED_FOR = False

    forged = request(REMOTE_ADDR="198.51.100.4", HTTP_X_FORWARDED_FOR="203.0.113.7")

    assert address_of(forged) == "198.51.100.4"


def test_it_takes_the_client_from_x_forwarded_for_behind_a_trusted_proxy(settings):
    settings.CHECHO_TRUST_X_FORWARDED_FOR = True

    proxied = request(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=" 203.0.113.7 ")

    assert address_of(proxied) == "203.0.113.7"


def test_a_client_cannot_forge_its_address_behind_a_trusted_proxy(settings):
    # nginx's usual `$proxy_add_x_forwarded_for` appends the real client to whatever header the
    # client sent, so only the last entry was written by the trusted proxy.
    settings.CHECHO_TRUST_X_FORWARDED_FOR = True

    forged = request(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.66, 203.0.113.7")

    assert address_of(forged) == "203.0.113.7"


def test_a_header_that_is_not_an_address_is_not_taken(settings):
    # The audit trail stores an IP address column; on PostgreSQL a value like this one makes
    # every audited write of the request fail.
    settings.CHECHO_TRUST_X_FORWARDED_FOR = True

    junk = request(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="unknown")

    assert address_of(junk) == "10.0.0.2"


def test_it_falls_back_to_remote_addr_when_the_trusted_proxy_sends_no_header(settings):
    settings.CHECHO_TRUST_X_FORWARDED_FOR = True

    assert address_of(request(REMOTE_ADDR="10.0.0.2")) == "10.0.0.2"


def test_it_has_no_address_when_the_server_gives_none(settings):
    settings.CHECHO_TRUST_X_FORWARDED_FOR = False

    assert address_of(request(REMOTE_ADDR="")) is None


def test_the_middleware_keeps_the_address_only_while_the_request_runs(settings):
    settings.CHECHO_TRUST_X_FORWARDED_FOR = False
    seen = []

    def view(request):
        seen.append(client_ip.get())
        return HttpResponse()

    RequestContextMiddleware(view)(request(REMOTE_ADDR="198.51.100.4"))

    assert seen == ["198.51.100.4"]
    assert client_ip.get() is None


@pytest.mark.urls(__name__)
def test_a_request_through_the_middleware_stack_knows_its_address(client, settings):
    settings.CHECHO_TRUST_X_FORWARDED_FOR = False

    response = client.get("/probe", REMOTE_ADDR="198.51.100.9")

    assert response.content == b"198.51.100.9"


def probe(request):
    """What the audit helper would read while this request runs."""
    return HttpResponse(client_ip.get() or "")


urlpatterns = [path("probe", probe)]
