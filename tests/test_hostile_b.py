"""Hostile input to the editing screen's new doors: the topic suggestions, the staff preview,
the topics box. No 5xx, nothing half-stored, nothing unpublished shown to whom may not see it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from news.models import Release
from scripts.hostile_scan import BAD_VALUES
from tests.admin_forms import release_form_data
from tests.factories import ReleaseFactory, UserFactory

pytestmark = pytest.mark.django_db

TOPICS_URL = "/admin/news/release/topics/"
XSS = '<img src=x onerror="alert(1)">'


@pytest.fixture
def draft(author):
    return ReleaseFactory(created_by=author, title="Черновик", tags=["связь", XSS])


@pytest.mark.parametrize("value", BAD_VALUES)
def test_any_query_to_the_topic_suggestions_is_answered_in_json(client, author, draft, value):
    client.force_login(author)
    response = client.get(f"{TOPICS_URL}?q={value}")
    assert response.status_code in (200, 400), value  # a NUL in an address is refused early
    if response.status_code == 200:
        assert isinstance(response.json()["topics"], list)


@pytest.mark.parametrize(
    "query", ["q=a&q=b", "q[]=связь", "q", f"q={'я' * 100_000}", "x=1", "q=%25%25", "q=%C0%80"]
)
def test_odd_query_strings_to_the_topic_suggestions_are_answered(client, author, draft, query):
    client.force_login(author)
    assert client.get(f"{TOPICS_URL}?{query}").status_code == 200


def test_a_topic_name_with_markup_comes_back_as_a_json_string(client, author, draft):
    client.force_login(author)
    response = client.get(TOPICS_URL, {"q": "img"})
    assert response.json() == {"topics": [XSS]}
    assert response["Content-Type"] == "application/json"  # data, never rendered as a page


@pytest.mark.parametrize("value", BAD_VALUES)
def test_any_address_of_a_preview_never_answers_500(client, author, draft, value):
    client.force_login(author)
    response = client.get(f"/admin/news/release/{value}/preview/")
    assert response.status_code in (200, 302, 404), value


@pytest.mark.parametrize("value", BAD_VALUES)
def test_any_address_of_a_change_page_never_answers_500(client, author, draft, value):
    client.force_login(author)
    response = client.get(f"/admin/news/release/{value}/change/")
    assert response.status_code in (200, 302, 404), value


def test_preview_of_a_release_that_does_not_exist_is_404(client, author):
    client.force_login(author)
    assert client.get("/admin/news/release/999999/preview/").status_code == 404


def test_preview_is_refused_to_staff_without_rights_on_releases(client, draft):
    client.force_login(UserFactory(username="security-officer"))  # staff, no role
    response = client.get(reverse("admin:news_release_preview", args=[draft.pk]))
    assert response.status_code == 403
    assert "Черновик" not in response.content.decode()


def test_preview_shows_markup_in_topics_as_text(client, author, draft):
    client.force_login(author)
    page = client.get(reverse("admin:news_release_preview", args=[draft.pk])).content.decode()
    assert XSS not in page
    assert "&lt;img" in page


@pytest.mark.parametrize(
    "tags",
    [
        "а\x00б",
        "я" * 101,
        "\n".join(["тема"] * 1000),
        '"""',
        '",,,"',
        "\u202e\u200b",
        XSS,
    ],
    ids=["nul", "too-long", "repeated", "quotes", "quoted-commas", "invisible", "markup"],
)
def test_any_topics_text_is_saved_or_refused_whole_never_a_500(client, author, draft, tags):
    client.force_login(author)
    before = sorted(draft.tags.names())
    data = release_form_data(draft, title="Новый заголовок", tags=tags)

    response = client.post(reverse("admin:news_release_change", args=[draft.pk]), data)

    draft.refresh_from_db()
    assert response.status_code in (200, 302)
    if response.status_code == 200:  # refused: nothing of the form is stored
        assert draft.title == "Черновик"
        assert sorted(draft.tags.names()) == before
    else:
        assert draft.title == "Новый заголовок"
        assert all("\x00" not in name and len(name) <= 100 for name in draft.tags.names())


def test_a_nul_in_a_topic_is_a_form_error(client, author, draft):
    client.force_login(author)
    data = release_form_data(draft, tags="а\x00б")
    response = client.post(reverse("admin:news_release_change", args=[draft.pk]), data)
    assert response.status_code == 200
    assert Release.objects.get(pk=draft.pk).title == "Черновик"
