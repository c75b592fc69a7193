"""The API's own address, the addresses the README gives, and its interactive docs."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db

API = "/api/v1"


def test_the_api_root_lists_its_endpoints_and_descriptions(client):
    response = client.get(f"{API}/")

    assert response.status_code == 200
    index = response.json()
    assert index["openapi"] == f"{API}/openapi.json"
    assert index["docs"] == f"{API}/docs"
    assert f"{API}/releases" in index["endpoints"]
    assert f"{API}/releases/{{key}}" in index["endpoints"]
    assert f"{API}/tags" in index["endpoints"]
    assert client.get(index["openapi"]).status_code == 200


@pytest.mark.parametrize(
    ("path", "target"),
    [
        ("/releases/", "/releases"),
        ("/releases/?page=2&kind=visit", "/releases?page=2&kind=visit"),
        ("/tags/serbia/", "/tags/serbia"),
        ("/docs/", "/docs"),
    ],
)
def test_addresses_with_a_trailing_slash_lead_to_the_endpoint(client, path, target):
    response = client.get(f"{API}{path}")

    assert response.status_code == 301
    assert response["Location"] == f"{API}{target}"


def test_the_interactive_docs_load_nothing_from_elsewhere(client):
    response = client.get(f"{API}/docs")

    html = response.content.decode()
    assert response.status_code == 200
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    addresses = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert addresses
    assert all(address.startswith("/static/") for address in addresses), addresses
    for address in addresses:
        assert finders.find(address.removeprefix("/static/")), address
    assert "<script>" not in html  # no inline script, which the CSP would block
