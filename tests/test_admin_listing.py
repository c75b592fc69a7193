"""The releases' change list stays fast as the archive grows: few queries, no DISTINCT over
links, deep pages read ids first, long lists are not counted row by row."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from news.admin import listing
from news.models import Release
from tests.factories import OfficialFactory, PublishedReleaseFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:news_release_changelist")


def titles(response) -> list[str]:
    return re.findall(
        r'<th class="field-title"><a href="[^"]+">([^<]+)</a>', response.content.decode()
    )


@pytest.fixture
def chief(client, superuser):
    client.force_login(superuser)
    return client


@pytest.mark.parametrize(
    "term, expected",
    [
        ("Сербия", ["Визит в Сербию"]),  # a topic's name
        ("Шульган", ["Визит в Сербию"]),  # an official's name
        ("вьетнам", ["Переговоры с Вьетнамом"]),  # a word of the title, any case
        ("peregovory-s-vetnamom", ["Переговоры с Вьетнамом"]),  # the slug
        ("press-author", ["Переговоры с Вьетнамом"]),  # the author
    ],
)
def test_search_finds_releases_by_words_topics_officials_slug_and_author(chief, term, expected):
    serbia = PublishedReleaseFactory(title="Визит в Сербию", tags=["Сербия", "Сербия-2024"])
    serbia.officials.add(OfficialFactory(full_name="Константин Шульган"))
    PublishedReleaseFactory(
        title="Переговоры с Вьетнамом",
        slug="peregovory-s-vetnamom",
        created_by=UserFactory(username="press-author"),
    )

    response = chief.get(CHANGELIST, {"q": term})

    assert response.status_code == 200
    # Two matching topics, one row: links are looked up, not joined.
    assert titles(response) == expected


def test_change_list_costs_the_same_queries_however_many_releases(
    chief, django_assert_max_num_queries
):
    PublishedReleaseFactory.create_batch(3, tags=["а"])
    with django_assert_max_num_queries(9):
        chief.get(CHANGELIST)
    PublishedReleaseFactory.create_batch(30, tags=["б", "в"])

    with django_assert_max_num_queries(9):
        response = chief.get(CHANGELIST)

    assert len(titles(response)) == 33


def test_a_deep_page_read_ids_first_shows_what_offset_would(chief, monkeypatch, settings):
    PublishedReleaseFactory.create_batch(7)
    monkeypatch.setattr(listing, "DEFERRED_JOIN_FROM", 0)
    from news.admin.releases import ReleaseAdmin

    monkeypatch.setattr(ReleaseAdmin, "list_per_page", 3)
    expected = list(
        Release.objects.order_by("-published_at", "-pk").values_list("title", flat=True)
    )

    pages = [titles(chief.get(CHANGELIST, {"p": page})) for page in (1, 2, 3)]

    assert pages == [expected[0:3], expected[3:6], expected[6:7]]


def test_short_lists_are_counted_exactly(db):
    PublishedReleaseFactory.create_batch(4)

    assert listing.EstimatedCountPaginator(Release.objects.all(), 2).count == 4
