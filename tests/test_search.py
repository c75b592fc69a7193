"""Search: Russian word forms, filters, snippets, odd input; on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from news.demo import load_demo
from news.models import Kind, Release, State
from news.pages import footer_pages
from news.search import query_words, stem
from tests.factories import PublishedReleaseFactory, ReleaseFactory

pytestmark = pytest.mark.django_db

SEARCH_URL = reverse("news:search")
MINSK = datetime.timezone(datetime.timedelta(hours=3))


def found(response) -> list[str]:
    html = response.content.decode()
    return re.findall(r'class="release-summary__title"><a href="[^"]+">([^<]+)</a>', html)


def search(client, **params):
    response = client.get(SEARCH_URL, params)
    assert response.status_code == 200
    return response


@pytest.fixture
def seed():
    return load_demo()


# Word forms --------------------------------------------------------------------------------


def test_stems_cut_russian_endings():
    assert stem("Сербии") == stem("Сербия") == "серб"
    assert stem("сербской") == stem("сербская") == "сербск"


@pytest.mark.parametrize("query", ["Сербии", "сербской", "Сербия", "СЕРБИЯ", "переговоров"])
def test_a_word_form_not_in_the_text_finds_the_seed_release(client, seed, query):
    response = search(client, q=query)

    assert found(response) == [seed.title]


def test_serbii_finds_the_seed_release_with_the_word_marked_in_the_snippet(client, seed):
    html = search(client, q="Сербии").content.decode()

    assert seed.get_absolute_url() in html
    assert re.search(r"<mark>[^<]*Серби[^<]*</mark>", html), html
    assert "1 публикация" in html


def test_every_word_must_match(client, seed):
    assert found(search(client, q="сербской делегацией")) == [seed.title]
    assert found(search(client, q="сербской кукурузой")) == []


def test_results_are_only_published_releases(client):
    PublishedReleaseFactory(title="Почтовая связь: опубликовано")
    for state in [State.DRAFT, State.SUBMITTED, State.APPROVED, State.UNPUBLISHED]:
        ReleaseFactory(title=f"Почтовая связь: {state}", state=state)
    ReleaseFactory(
        title="Почтовая связь: запланировано",
        state=State.PUBLISHED,
        published_at=timezone.now() + datetime.timedelta(days=1),
    )
    ReleaseFactory(
        title="Почтовая связь: отозвано",
        state=State.WITHDRAWN,
        published_at=timezone.now() - datetime.timedelta(days=1),
    )

    assert found(search(client, q="почтовой")) == ["Почтовая связь: опубликовано"]


def test_a_title_match_ranks_above_a_body_match(client):
    now = timezone.now()
    PublishedReleaseFactory(
        title="Новости отрасли",
        body="<p>Обсуждались вопросы почтовой связи.</p>",
        published_at=now - datetime.timedelta(hours=1),
    )
    PublishedReleaseFactory(
        title="Почтовая связь в регионах",
        body="<p>Подробности.</p>",
        published_at=now - datetime.timedelta(days=3),
    )

    assert found(search(client, q="почтовая")) == ["Почтовая связь в регионах", "Новости отрасли"]


def test_snippet_escapes_the_text_of_the_release(client):
    PublishedReleaseFactory(
        title="Заголовок",
        summary="",
        body="<p>Стороны &lt;b&gt; обсудили <strong>тарифы</strong> связи.</p>",
    )

    html = search(client, q="тарифов").content.decode()

    assert "<mark>тарифы</mark>" in html
    assert "&lt;b&gt;" in html
    assert "<strong>" not in html[html.index("search-results__snippet") :]


# Filters ------------------------------------------------------------------------------------


@pytest.fixture
def three_releases():
    PublishedReleaseFactory(
        title="Визит в Сербию",
        kind=Kind.VISIT,
        published_at=datetime.datetime(2024, 8, 28, 12, 0, tzinfo=MINSK),
        tags=["Сербия"],
    )
    PublishedReleaseFactory(
        title="Соглашение с Сербией",
        kind=Kind.AGREEMENT,
        published_at=datetime.datetime(2024, 9, 10, 12, 0, tzinfo=MINSK),
        tags=["Сербия", "почта"],
    )
    PublishedReleaseFactory(
        title="Визит в Китай",
        kind=Kind.VISIT,
        # Half past midnight in Minsk on 1 October: 21:30 UTC on 30 September.
        published_at=datetime.datetime(2024, 9, 30, 21, 30, tzinfo=datetime.UTC),
    )


def test_filters_combine_with_the_query(client, three_releases):
    assert found(search(client, q="Сербия", kind="visit")) == ["Визит в Сербию"]
    assert found(search(client, q="Сербия", tag="pochta")) == ["Соглашение с Сербией"]
    assert found(search(client, q="визит", date_from="2024-09-01")) == ["Визит в Китай"]
    assert found(search(client, q="Сербия", date_to="2024-08-31")) == ["Визит в Сербию"]


def test_filters_alone_list_releases_newest_first(client, three_releases):
    assert found(search(client, kind="visit")) == ["Визит в Китай", "Визит в Сербию"]


def test_date_filter_counts_days_in_minsk_time(client, three_releases):
    assert found(search(client, q="визит", date_from="2024-10-01")) == ["Визит в Китай"]
    assert found(search(client, q="визит", date_to="2024-09-30")) == ["Визит в Сербию"]


def test_reversed_date_range_is_read_the_right_way_round(client, three_releases):
    result = found(search(client, q="Сербия", date_from="2024-09-30", date_to="2024-09-01"))
    assert result == ["Соглашение с Сербией"]


def test_no_results_says_so_and_suggests_dropping_filters_and_similar_topics(
    client, three_releases
):
    html = search(client, q="Сербия", kind="interview").content.decode()

    assert "Ничего не найдено" in html
    assert f'href="{SEARCH_URL}?q=%D0%A1%D0%B5%D1%80%D0%B1%D0%B8%D1%8F"' in html
    assert f'href="{reverse("news:tag-detail", args=["serbiia"])}"' in html


def test_no_results_without_filters_suggests_the_biggest_topics(client, three_releases):
    html = search(client, q="кукуруза").content.decode()

    assert "Ничего не найдено" in html
    assert "без фильтров" not in html
    assert f'href="{reverse("news:tag-detail", args=["serbiia"])}"' in html


# Odd input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": ""},
        {"q": "   "},
        {"q": "!!! & | ! ( ) : * <-> ' \""},
        {"q": "серб:* & !(связь | почта)"},
        {"q": "x" * 10_000},
        {"q": " ".join(["слово"] * 500)},
        {"q": "\x01\ue000\ud7ff\U0001f600"},
        {"q": "Robert'); DROP TABLE news_release;--"},
        {"q": "%_\\"},
        {"q": "и"},
        {"q": "Сербия", "kind": "no-such-kind"},
        {"q": "Сербия", "date_from": "not-a-date", "date_to": "2024-13-45"},
        {"q": "Сербия", "tag": "no-such-topic"},
        {"q": "Сербия", "page": "1"},
    ],
)
def test_odd_input_never_fails(client, seed, params):
    response = client.get(SEARCH_URL, params)

    assert response.status_code == 200
    assert Release.objects.filter(pk=seed.pk).exists()


def test_a_nul_byte_is_refused_or_ignored_never_an_error(client, seed):
    assert client.get(SEARCH_URL, {"q": "Серб\x00ия"}).status_code in (200, 400)


def test_a_page_past_the_end_is_404(client, seed):
    assert client.get(SEARCH_URL, {"q": "Сербия", "page": "9"}).status_code == 404


def test_query_words_are_bounded_and_free_of_syntax():
    words = query_words("серб:* & !(связь | почта) " + "a" * 100 + " " + " ".join("abcdefghijk"))

    assert words[:3] == ["серб", "связь", "почта"]
    assert len(words) == 8
    assert all(re.fullmatch(r"[^\W_]+", word) and len(word) <= 40 for word in words)


def test_empty_search_page_shows_the_form_and_no_results(client):
    html = search(client).content.decode()

    assert '<form class="search-form"' in html
    assert "Ничего не найдено" not in html


def test_results_are_paginated_keeping_the_query(client, settings):
    settings.NEWS_PAGE_SIZE = 2
    PublishedReleaseFactory.create_batch(3, title="Почтовая связь")

    first = search(client, q="почта", kind="press_release")

    assert len(found(first)) == 2
    assert 'href="?q=%D0%BF%D0%BE%D1%87%D1%82%D0%B0&amp;kind=press_release&amp;page=2"' in (
        first.content.decode()
    )
    assert len(found(search(client, q="почта", kind="press_release", page=2))) == 1


def test_search_takes_a_bounded_number_of_queries(client, settings):
    settings.NEWS_PAGE_SIZE = 5
    PublishedReleaseFactory(title="Почтовая связь", tags=["почта"])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            search(client, q="почтовой связи", kind="press_release")
        return len(captured)

    footer_pages()  # read once and kept until a page changes (news.pages): not the search's cost
    few = queries()
    for n in range(8):
        PublishedReleaseFactory(title=f"Почтовая связь {n}", tags=["почта", f"тема {n}"])

    assert queries() == few <= 6


def test_every_page_has_a_labelled_search_box(client, seed):
    for url in ["/", seed.get_absolute_url(), "/no-such-page/"]:
        html = client.get(url).content.decode()
        header = html[html.index("<header") : html.index("</header>")]
        assert f'action="{SEARCH_URL}" method="get" role="search"' in header, url
        assert '<label class="visually-hidden" for="site-search-q">' in header, url
        assert 'id="site-search-q" name="q"' in header, url


def test_the_search_page_has_one_search_box_and_its_filters_folded(client, seed):
    html = client.get(SEARCH_URL, {"q": "Сербии"}).content.decode()

    assert html.count('type="search"') == 1
    assert html.count('role="search"') == 1
    assert '<details class="search-form__more">' in html
    assert "<summary>Фильтры</summary>" in html


def test_filters_in_use_stay_unfolded(client, seed):
    html = client.get(SEARCH_URL, {"q": "Сербии", "kind": "visit"}).content.decode()

    assert '<details class="search-form__more" open>' in html


def test_releases_stored_in_bulk_are_found(client):
    # The JSON Lines importer stores with bulk_create, which never calls save().
    Release.objects.bulk_create(
        [
            Release(
                title=f"Импорт {n}",
                slug=f"import-{n}",
                body="<p>Сотрудничество в области почтовой связи.</p>",
                state=State.PUBLISHED,
                published_at=timezone.now(),
            )
            for n in range(3)
        ]
    )

    assert sorted(found(search(client, q="почтовая"))) == ["Импорт 0", "Импорт 1", "Импорт 2"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's full-text search")
def test_postgresql_keeps_the_search_vector_current_and_indexed():
    release = PublishedReleaseFactory(
        title="Визит", summary="", body="<p>Переговоры <b>состоялись</b></p>"
    )
    assert "'переговор':2C" in Release.objects.values_list("search_vector", flat=True).get()

    release.title = "Соглашение"
    release.save()
    vector = Release.objects.values_list("search_vector", flat=True).get()
    assert "'соглашен':1A" in vector and "визит" not in vector
    assert "b" not in vector.split()  # markup is not text

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'release_search_vector_idx'"
        )
        assert "USING gin (search_vector)" in cursor.fetchone()[0]
