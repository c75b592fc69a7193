"""Hostile input to the admin's language switcher (Django's set_language at /i18n/setlang/):
no 5xx, no redirect off the site, no cookie but a language the site has."""

from __future__ import annotations

import pytest
from django.urls import reverse

from scripts.hostile_scan import CORE_TEXT, CORE_VALUES

pytestmark = pytest.mark.django_db

URL = "/i18n/setlang/"
OFFSITE = ["https://evil.example/", "//evil.example/", "/\\evil.example/", "javascript:alert(1)"]


def test_the_switcher_lives_where_the_admin_posts_it():
    assert reverse("set_language") == URL


@pytest.mark.parametrize("language", [*CORE_TEXT, "xx", "ru-RU" * 200, "be\x00", ""])
def test_a_language_the_site_does_not_have_sets_nothing(client, language):
    response = client.post(URL, {"language": language, "next": "/admin/"})

    assert response.status_code < 500
    assert response.cookies.get("django_language") is None
    assert client.get("/admin/login/")["Content-Language"] == "ru"


@pytest.mark.parametrize("next_url", [*OFFSITE, *CORE_TEXT])
def test_the_switcher_never_sends_anyone_off_the_site(client, next_url):
    response = client.post(URL, {"language": "be", "next": next_url})

    assert response.status_code < 500
    location = response.get("Location", "")
    assert "evil.example" not in location
    assert not location.startswith("javascript:")


def test_a_get_changes_nothing(client):
    response = client.get(URL, {"language": "be", "next": "/admin/"})

    assert response.status_code < 500
    assert response.cookies.get("django_language") is None


# Percent-encoded: a cookie is ASCII on the wire.
@pytest.mark.parametrize("cookie", [*CORE_VALUES, "xx", "be" * 5000])
def test_a_forged_language_cookie_leaves_the_admin_in_russian(client, cookie):
    client.cookies["django_language"] = cookie

    response = client.get("/admin/login/")

    assert response.status_code == 200
    assert response["Content-Language"] == "ru"
