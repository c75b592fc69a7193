"""While the database is gone every request answers the friendly 503, editors' too."""

from __future__ import annotations

import pytest
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_down(monkeypatch):
    """Every statement fails as it does when PostgreSQL has gone away."""

    def refuse(*args, **kwargs):
        raise OperationalError("could not connect to server: Connection refused")

    def go_down() -> None:
        monkeypatch.setattr(CursorWrapper, "execute", refuse)
        monkeypatch.setattr(CursorWrapper, "executemany", refuse)

    return go_down


@pytest.mark.parametrize("path", ["/admin/", "/admin/news/release/", "/"])
def test_a_logged_in_editor_gets_the_friendly_503(client, editor, database_down, path):
    client.force_login(editor)
    database_down()

    response = client.get(path)

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "<h1>" in response.text
    assert "Connection refused" not in response.text


def test_the_editors_session_survives_the_outage(client, editor, database_down, monkeypatch):
    client.force_login(editor)
    database_down()
    during = client.get("/admin/")
    monkeypatch.undo()

    after = client.get("/admin/")

    assert during.status_code == 503
    assert "sessionid" not in during.cookies  # neither deleted nor replaced
    assert after.status_code == 200


def test_a_reader_gets_the_friendly_503(client, database_down):
    database_down()

    response = client.get("/")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
