from __future__ import annotations

import pytest
from django.db.utils import OperationalError
from django.urls import reverse

from tests.factories import PublishedReleaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def release_page(client):
    release = PublishedReleaseFactory()
    return client.get(release.get_absolute_url())


def csp_directives(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in header.split(";") if part.strip())
    }


def test_public_pages_forbid_inline_code_and_framing(release_page):
    csp = csp_directives(release_page)
    assert "'unsafe-inline'" not in release_page.headers["Content-Security-Policy"]
    assert "'unsafe-eval'" not in release_page.headers["Content-Security-Policy"]
    assert csp["default-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert release_page.headers["X-Frame-Options"] == "DENY"


def test_public_pages_allow_scripts_only_from_the_site(client):
    # A nonce joins the header only when a page renders one; public pages need none.
    assert csp_directives(client.get("/"))["script-src"] == ["'self'"]


def test_browsers_are_told_not_to_sniff_or_leak_referrers(release_page):
    assert release_page.headers["X-Content-Type-Options"] == "nosniff"
    assert release_page.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert release_page.headers["Cross-Origin-Opener-Policy"] == "same-origin"


def test_health_reports_database_and_cache(client):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-cache" in response.headers["Cache-Control"]


def test_health_is_503_when_the_database_is_gone(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr("ministry.health.connection.cursor", refuse)
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json()["database"] == "failing"


def test_health_accepts_only_reads(client):
    assert client.post(reverse("health")).status_code == 405


def test_public_page_is_a_friendly_503_while_the_database_is_down(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr("django.db.models.query.QuerySet._fetch_all", refuse)
    response = client.get("/")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    assert "Connection refused" not in response.text
    assert "<h1>" in response.text


def test_each_request_is_logged_as_one_json_line(client, caplog):
    import json
    import logging

    with caplog.at_level(logging.INFO, logger="ministry.requests"):
        client.get("/missing-page/")
    [record] = [r for r in caplog.records if r.name == "ministry.requests"]
    line = json.loads(record.getMessage())
    assert line["method"] == "GET"
    assert line["path"] == "/missing-page/"
    assert line["status"] == 404
    assert line["user"] is None
    assert line["ms"] >= 0
