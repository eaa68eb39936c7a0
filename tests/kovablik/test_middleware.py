"""The Content-Security-Policy header: built once per process, the same as django-csp's."""

import pytest
from csp.constants import NONCE, NONE, SELF
from csp.exceptions import CSPNonceError
from csp.middleware import CSPMiddleware
from django.http import HttpResponse
from django.test import RequestFactory

from kovablik.middleware import ContentSecurityPolicyMiddleware

HEADER = "Content-Security-Policy"


def through(middleware_class, response, request=None):
    request = request or RequestFactory().get("/")
    middleware = middleware_class(lambda request: response)
    return middleware(request), request


def test_policy_is_django_csps():
    ours, _ = through(ContentSecurityPolicyMiddleware, HttpResponse())
    theirs, _ = through(CSPMiddleware, HttpResponse())

    assert ours[HEADER] == theirs[HEADER]
    assert "default-src 'self'" in ours[HEADER]


@pytest.mark.django_db
def test_every_page_carries_the_policy(client, staff_a):
    expected = through(CSPMiddleware, HttpResponse())[0][HEADER]

    anonymous = client.get("/")
    missing = client.get("/tidak-ada/")
    client.force_login(staff_a)
    redirect = client.get("/")

    assert [r[HEADER] for r in (anonymous, missing, redirect)] == [expected] * 3


def test_changed_setting_changes_the_policy(settings):
    through(ContentSecurityPolicyMiddleware, HttpResponse())

    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": [NONE]}}
    response, _ = through(ContentSecurityPolicyMiddleware, HttpResponse())

    assert response[HEADER] == "default-src 'none'"


def test_response_with_its_own_policy_keeps_it():
    own = HttpResponse()
    own[HEADER] = "sandbox"

    response, _ = through(ContentSecurityPolicyMiddleware, own)

    assert response[HEADER] == "sandbox"


def test_view_that_updates_the_policy_gets_django_csps_treatment():
    updated = HttpResponse()
    updated._csp_update = {"img-src": ["https://example.org"]}

    response, _ = through(ContentSecurityPolicyMiddleware, updated)

    assert "img-src 'self' data: https://example.org" in response[HEADER]


def test_exempt_response_has_no_policy():
    exempt = HttpResponse()
    exempt._csp_exempt = True

    response, _ = through(ContentSecurityPolicyMiddleware, exempt)

    assert HEADER not in response


def test_nonce_asked_for_before_the_header_is_in_it(settings):
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"script-src": [SELF, NONCE]}}

    def view(request):
        return HttpResponse(str(request.csp_nonce))

    response = ContentSecurityPolicyMiddleware(view)(RequestFactory().get("/"))

    assert f"'nonce-{response.content.decode()}'" in response[HEADER]


def test_nonce_asked_for_after_the_header_is_an_error():
    _, request = through(ContentSecurityPolicyMiddleware, HttpResponse())

    with pytest.raises(CSPNonceError):
        str(request.csp_nonce)


def test_report_only_policy_is_django_csps(settings):
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": {"default-src": [SELF]}}

    response, _ = through(ContentSecurityPolicyMiddleware, HttpResponse())

    assert response["Content-Security-Policy-Report-Only"] == "default-src 'self'"
