"""The feeds of the date archive: a year's, a month's and a day's releases, linked from the page."""

from __future__ import annotations

import datetime

import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from lxml import etree

from news.models import Kind, State
from news.models.public_version import site_changed
from tests.factories import PublishedReleaseFactory, ReleaseFactory

pytestmark = pytest.mark.django_db

MINSK = datetime.timezone(datetime.timedelta(hours=3))
FORMATS = pytest.mark.parametrize("fmt", ["rss", "atom"])
PERIODS = {
    "year": [2024],
    "month": [2024, "08"],
    "day": [2024, "08", "28"],
}


def at(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=MINSK)


def read(client, url: str) -> feedparser.FeedParserDict:
    """The feed as a feed reader and as a strict XML parser see it; both must accept it."""
    response = client.get(url)
    assert response.status_code == 200
    etree.fromstring(response.content)
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


def feed_url(level: str, fmt: str, args: list | None = None) -> str:
    return reverse(
        f"news:archive-{level}-feed-{fmt}", args=PERIODS[level] if args is None else args
    )


def head_of(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    return html[: html.index("</head>")]


@pytest.fixture
def archive(time_machine):
    time_machine.move_to(at(2024, 9, 1, 12, 0), tick=False)
    PublishedReleaseFactory(title="Август, 28-е", published_at=at(2024, 8, 28, 10, 0))
    PublishedReleaseFactory(title="Август, 28-е, вечер", published_at=at(2024, 8, 28, 20, 0))
    PublishedReleaseFactory(title="Август, 5-е", published_at=at(2024, 8, 5, 9, 0))
    # 00:30 in Minsk on 1 September is still 31 August in UTC: it belongs to September.
    PublishedReleaseFactory(title="Сентябрь, 1-е", published_at=at(2024, 9, 1, 0, 30))
    PublishedReleaseFactory(title="Прошлый год", published_at=at(2023, 12, 31, 23, 0))
    ReleaseFactory(title="Черновик", published_at=at(2024, 8, 28, 11, 0))
    ReleaseFactory(title="Отозванный", state=State.WITHDRAWN, published_at=at(2024, 8, 28, 12, 0))
    ReleaseFactory(
        title="Запланированный", state=State.PUBLISHED, published_at=at(2024, 9, 1, 18, 0)
    )


@FORMATS
@pytest.mark.parametrize(
    ("level", "titles"),
    [
        ("year", ["Сентябрь, 1-е", "Август, 28-е, вечер", "Август, 28-е", "Август, 5-е"]),
        ("month", ["Август, 28-е, вечер", "Август, 28-е", "Август, 5-е"]),
        ("day", ["Август, 28-е, вечер", "Август, 28-е"]),
    ],
)
def test_archive_feed_holds_only_the_published_releases_of_its_period(
    client, archive, level, titles, fmt
):
    feed = read(client, feed_url(level, fmt))

    assert [entry.title for entry in feed.entries] == titles
    assert feed.version == ("rss20" if fmt == "rss" else "atom10")


def test_day_feed_counts_in_minsk_time(client, archive):
    feed = read(client, feed_url("day", "rss", [2024, "09", "01"]))

    assert [entry.title for entry in feed.entries] == ["Сентябрь, 1-е"]


def test_archive_feed_items_carry_the_same_content_as_the_main_feed(client, archive):
    main = {entry.id: entry for entry in read(client, reverse("news:feed-atom")).entries}

    for entry in read(client, feed_url("day", "atom")).entries:
        same = main[entry.id]
        assert (entry.title, entry.link, entry.summary) == (same.title, same.link, same.summary)
        assert entry.content[0].value == same.content[0].value
        assert entry.published == same.published


@pytest.mark.parametrize(
    ("prefix", "level", "title", "link"),
    [
        ("", "year", "Министерство связи и информатизации: архив, 2024", "/archive/2024/"),
        ("", "month", "архив, Август 2024", "/archive/2024/08/"),
        ("", "day", "архив, 28 августа 2024", "/archive/2024/08/28/"),
        ("/be", "month", "архіў, Жнівень 2024", "/be/archive/2024/08/"),
        ("/be", "day", "архіў, 28 жніўня 2024", "/be/archive/2024/08/28/"),
        ("/en", "month", "archive, August 2024", "/en/archive/2024/08/"),
        ("/en", "day", "archive, 28 August 2024", "/en/archive/2024/08/28/"),
    ],
)
def test_archive_feed_names_its_period_in_the_readers_language_and_links_its_page(
    client, archive, prefix, level, title, link
):
    feed = read(client, prefix + feed_url(level, "atom"))

    assert title in feed.feed.title
    assert feed.feed.link == f"http://testserver{link}"
    assert client.get(link).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/feeds/archive/2024/13/rss/",
        "/feeds/archive/2024/00/atom/",
        "/feeds/archive/2024/02/30/rss/",
        "/feeds/archive/0/rss/",
        "/feeds/archive/2022/atom/",
        "/feeds/archive/2024/07/rss/",
        "/feeds/archive/2024/08/27/atom/",
    ],
)
def test_archive_feed_of_no_date_or_an_empty_period_is_404(client, archive, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("state", "published_at"),
    [
        (State.DRAFT, at(2024, 8, 28, 10, 0)),
        (State.WITHDRAWN, at(2024, 8, 28, 10, 0)),
        (State.PUBLISHED, at(2024, 8, 28, 18, 0)),
    ],
    ids=["draft", "withdrawn", "scheduled"],
)
def test_period_with_only_an_unpublished_release_has_no_feed(
    client, time_machine, state, published_at
):
    time_machine.move_to(at(2024, 8, 28, 12, 0), tick=False)
    ReleaseFactory(state=state, published_at=published_at)

    for level in PERIODS:
        assert client.get(feed_url(level, "rss")).status_code == 404


@FORMATS
@pytest.mark.parametrize("level", PERIODS)
def test_archive_feed_answers_conditional_requests(client, archive, level, fmt):
    url = feed_url(level, fmt)
    first = client.get(url)

    with CaptureQueriesContext(connection) as queries:
        again = client.get(url, headers={"If-None-Match": first["ETag"]})

    assert first["ETag"].startswith('W/"')
    assert first["Last-Modified"].endswith("GMT")
    assert "max-age=60" in first["Cache-Control"]
    assert again.status_code == 304
    assert again.content == b""
    assert len(queries) <= 2


@FORMATS
@pytest.mark.parametrize("level", PERIODS)
def test_archive_feed_costs_the_main_feeds_queries_and_its_period_check_however_many_releases(
    client, archive, level, fmt, django_assert_max_num_queries
):
    url = feed_url(level, fmt)
    with CaptureQueriesContext(connection) as main:
        read(client, reverse(f"news:feed-{fmt}"))
    with CaptureQueriesContext(connection) as few:
        read(client, url)
    PublishedReleaseFactory.create_batch(10, published_at=at(2024, 8, 28, 9, 0), tags=["а", "б"])
    site_changed()  # written directly, not through a service: say so as one would

    # The main feed's validators, releases, their tags and change notes; and the period check.
    with django_assert_max_num_queries(len(main) + 1) as many:
        feed = read(client, url)

    assert len(feed.entries) >= 12
    assert len(many) == len(few)


# Discovery ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("page", "level", "name"),
    [
        ("/archive/2024/", "year", "Архив: 2024"),
        ("/archive/2024/08/", "month", "Архив: Август 2024"),
        ("/archive/2024/08/28/", "day", "Архив: 28 августа 2024"),
    ],
)
def test_archive_page_links_its_own_feeds_and_the_site_feeds_in_head(
    client, archive, page, level, name
):
    head = head_of(client, page)

    for fmt, kind, label in [
        ("rss", "application/rss+xml", "RSS"),
        ("atom", "application/atom+xml", "Atom"),
    ]:
        url = feed_url(level, fmt)
        assert f'<link rel="alternate" type="{kind}" title="{name} ({label})" href="{url}">' in head
        assert f'href="{reverse(f"news:feed-{fmt}")}"' in head
        read(client, url)


def test_archive_index_links_the_site_feeds_only(client, archive):
    head = head_of(client, reverse("news:archive"))

    assert f'href="{reverse("news:feed-rss")}"' in head
    assert f'href="{reverse("news:feed-atom")}"' in head
    assert "/feeds/archive/" not in head


def test_archive_page_in_belarusian_links_the_belarusian_feeds(client, archive):
    head = head_of(client, "/be/archive/2024/08/")

    assert 'title="Архіў: Жнівень 2024 (RSS)" href="/be/feeds/archive/2024/08/rss/"' in head


@pytest.mark.parametrize(
    ("prefix", "heading"), [("", "По дате"), ("/be", "Па даце"), ("/en", "By date")]
)
def test_feeds_page_tells_that_each_archive_period_has_a_feed(client, prefix, heading):
    html = client.get(f"{prefix}{reverse('news:feed-list')}").content.decode()

    section = html[html.index('<section aria-labelledby="feeds-dates">') :]
    section = section[: section.index("</section>")]
    assert f'<h2 id="feeds-dates">{heading}</h2>' in section
    assert f'href="{prefix}/archive/"' in section


# Finding the listings -------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["/archive/", "/archive/2024/", "/archive/2024/08/28/"])
def test_archive_pages_link_every_kind_listing(client, archive, page):
    html = client.get(page).content.decode()

    for kind in Kind.values:
        assert f'href="{reverse("news:kind-list", args=[kind])}"' in html


def test_archive_index_marks_itself_current_in_the_kind_navigation(client, archive):
    html = client.get("/archive/").content.decode()
    nav = html[html.index('<nav class="kind-nav"') :]
    nav = nav[: nav.index("</nav>")]

    assert '<a href="/archive/" aria-current="page">' in nav


@FORMATS
@pytest.mark.parametrize("level", PERIODS)
def test_archive_feed_answers_conditional_requests_in_one_query_without_the_page_cache(
    client, archive, settings, level, fmt
):
    settings.NEWS_PAGE_CACHE_SECONDS = 0
    first = client.get(feed_url(level, fmt))

    with CaptureQueriesContext(connection) as queries:
        again = client.get(feed_url(level, fmt), headers={"If-None-Match": first["ETag"]})

    assert again.status_code == 304
    assert len(queries) == 1
