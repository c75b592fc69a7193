from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from lxml import etree

from news.models import Kind, Release, State
from tests.factories import (
    CountryFactory,
    DelegationFactory,
    OfficialFactory,
    OrganisationFactory,
    PublishedReleaseFactory,
    ReleaseFactory,
)

pytestmark = pytest.mark.django_db

NS = {
    "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


def parse(client, url: str) -> etree._Element:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return etree.fromstring(response.content)


def locations(client, url: str) -> list[str]:
    return parse(client, url).xpath("//s:url/s:loc/text()", namespaces=NS)


@pytest.fixture
def site():
    now = timezone.now()
    official = OfficialFactory(slug="shulgan")
    organisation = OrganisationFactory(slug="mpt")
    country = CountryFactory(code="RS")
    delegation = DelegationFactory(slug="serbia-2024", country=country)
    fresh = PublishedReleaseFactory(
        slug="fresh", title="Свежий & «визит»\x0b", tags=["Сербия"], language="be"
    )
    fresh.officials.add(official)
    fresh.organisations.add(organisation)
    fresh.countries.add(country)
    fresh.delegations.add(delegation)
    PublishedReleaseFactory(slug="old", published_at=now - datetime.timedelta(days=3))
    draft = ReleaseFactory(slug="draft", tags=["секрет"])
    draft.officials.add(OfficialFactory(slug="secret-official"))
    draft.delegations.add(DelegationFactory(slug="secret-visit", country=country))
    ReleaseFactory(
        slug="withdrawn", state=State.WITHDRAWN, published_at=now - datetime.timedelta(hours=1)
    )
    ReleaseFactory(
        slug="scheduled", state=State.PUBLISHED, published_at=now + datetime.timedelta(hours=1)
    )


def test_index_lists_every_section(client, site):
    index = parse(client, "/sitemap.xml")

    sitemaps = index.xpath("//s:sitemap/s:loc/text()", namespaces=NS)
    assert sorted(sitemaps) == sorted(
        f"http://testserver/sitemap-{section}.xml"
        for section in [
            "releases",
            "news",
            "listings",
            "officials",
            "organisations",
            "countries",
            "delegations",
            "topics",
            "pages",
        ]
    )
    for url in sitemaps:
        parse(client, url.removeprefix("http://testserver"))


def test_release_sitemap_lists_public_releases_with_lastmod(client, site):
    root = parse(client, reverse("sitemap-section", args=["releases"]))

    assert root.xpath("//s:loc/text()", namespaces=NS) == [
        "http://testserver/news/fresh/",
        "http://testserver/news/old/",
    ]
    assert len(root.xpath("//s:lastmod", namespaces=NS)) == 2


@pytest.mark.parametrize(
    ("section", "expected"),
    [
        ("officials", ["/officials/shulgan/"]),
        ("organisations", ["/organisations/mpt/"]),
        ("countries", ["/countries/rs/"]),
        ("delegations", ["/delegations/serbia-2024/"]),
        ("topics", ["/topics/serbiia/"]),
    ],
)
def test_entity_sitemaps_list_only_what_published_releases_mention(client, site, section, expected):
    urls = locations(client, reverse("sitemap-section", args=[section]))

    assert urls == [f"http://testserver{path}" for path in expected]
    for url in urls:
        assert client.get(url.removeprefix("http://testserver")).status_code == 200


MINSK = datetime.timezone(datetime.timedelta(hours=3))


def at(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=MINSK)


@pytest.fixture
def archive():
    """Releases of three months in two years, of two kinds, with what readers must not see."""

    def published(title: str, published_at: datetime.datetime, updated_at, **kwargs):
        release = PublishedReleaseFactory(title=title, published_at=published_at, **kwargs)
        Release.objects.filter(pk=release.pk).update(updated_at=updated_at)

    published("Визит", at(2024, 9, 1, 0, 30), at(2024, 9, 2, 12, 0), kind=Kind.VISIT)
    published("Заявление", at(2024, 8, 28, 10, 0), at(2024, 10, 1, 9, 0), kind=Kind.STATEMENT)
    published("Прошлый год", at(2023, 12, 31, 23, 0), at(2024, 1, 10, 8, 0), kind=Kind.VISIT)
    ReleaseFactory(kind=Kind.INTERVIEW, published_at=at(2022, 5, 5, 10, 0))
    ReleaseFactory(kind=Kind.AGREEMENT, state=State.WITHDRAWN, published_at=at(2021, 3, 3, 10, 0))
    ReleaseFactory(
        kind=Kind.NEWS,
        state=State.PUBLISHED,
        published_at=timezone.now() + datetime.timedelta(days=1),
    )


def listings(client) -> dict[str, str | None]:
    """Each listed page's path and its lastmod."""
    root = parse(client, reverse("sitemap-section", args=["listings"]))
    return {
        url.xpath("s:loc/text()", namespaces=NS)[0].removeprefix("http://testserver"): next(
            iter(url.xpath("s:lastmod/text()", namespaces=NS)), None
        )
        for url in root.xpath("//s:url", namespaces=NS)
    }


def test_listings_are_the_news_the_feeds_each_published_kind_and_the_archive_by_month(
    client, archive
):
    assert list(listings(client)) == [
        "/",
        "/feeds/",
        "/kinds/statement/",
        "/kinds/visit/",
        "/archive/",
        "/officials/",
        "/organisations/",
        "/topics/",
        "/countries/",
        "/delegations/",
        "/archive/2024/",
        # 00:30 in Minsk on 1 September is still 31 August in UTC: the archive counts in Minsk.
        "/archive/2024/09/",
        "/archive/2024/08/",
        "/archive/2023/",
        "/archive/2023/12/",
    ]


def test_every_listed_listing_is_a_page_readers_can_open(client, archive):
    for path in listings(client):
        assert client.get(path).status_code == 200, path


def test_listing_lastmod_is_the_day_of_the_latest_update_of_its_releases(client, archive):
    lastmods = listings(client)

    assert lastmods["/"] == lastmods["/feeds/"] == lastmods["/archive/"] == "2024-10-01"
    assert lastmods["/kinds/visit/"] == "2024-09-02"
    assert lastmods["/kinds/statement/"] == "2024-10-01"
    assert lastmods["/archive/2024/"] == "2024-10-01"
    assert lastmods["/archive/2024/09/"] == "2024-09-02"
    assert lastmods["/archive/2024/08/"] == "2024-10-01"
    assert lastmods["/archive/2023/"] == lastmods["/archive/2023/12/"] == "2024-01-10"


def test_index_gives_the_listings_the_latest_update_of_any_release(client, archive):
    index = parse(client, "/sitemap.xml")

    (lastmod,) = index.xpath(
        "//s:sitemap[s:loc='http://testserver/sitemap-listings.xml']/s:lastmod/text()",
        namespaces=NS,
    )
    assert lastmod.startswith("2024-10-01")


def test_listings_of_a_site_with_nothing_published_are_the_news_and_the_feeds(client):
    ReleaseFactory(kind=Kind.VISIT)

    assert listings(client) == {"/": None, "/feeds/": None}


def test_listings_are_in_russian_only_like_every_other_section(client, archive):
    assert not [path for path in listings(client) if path.startswith(("/be/", "/en/"))]


def test_listings_cost_one_query_however_many_kinds_and_months(
    client, archive, django_assert_max_num_queries
):
    for month in range(1, 13):
        PublishedReleaseFactory(
            published_at=at(2020, month, 15, 12, 0), kind=Kind.values[month % 7]
        )

    # Each answer also reads the public version first (news.pagecache).
    with django_assert_max_num_queries(2):
        urls = listings(client)
    with django_assert_max_num_queries(12):  # the version, then one query per section
        parse(client, "/sitemap.xml")

    assert "/archive/2020/12/" in urls
    assert len(urls) > 20


def test_news_sitemap_holds_the_last_two_days_in_the_news_format(client, site):
    root = parse(client, reverse("sitemap-news"))

    (url,) = root.xpath("//s:url", namespaces=NS)
    assert url.xpath("s:loc/text()", namespaces=NS) == ["http://testserver/news/fresh/"]
    news = url.xpath("news:news", namespaces=NS)[0]
    assert news.xpath("news:title/text()", namespaces=NS) == ["Свежий & «визит»"]
    assert news.xpath("news:publication/news:language/text()", namespaces=NS) == ["be"]
    assert news.xpath("news:publication/news:name/text()", namespaces=NS) == [
        "Министерство связи и информатизации Республики Беларусь"
    ]
    published = news.xpath("news:publication_date/text()", namespaces=NS)[0]
    assert datetime.datetime.fromisoformat(published).tzinfo is not None


def test_news_sitemap_of_a_quiet_week_is_empty_and_valid(client):
    PublishedReleaseFactory(published_at=timezone.now() - datetime.timedelta(days=5))

    assert parse(client, reverse("sitemap-news")).xpath("//s:url", namespaces=NS) == []


@pytest.mark.parametrize(
    "url",
    [
        "/sitemap.xml",
        "/sitemap-releases.xml",
        "/sitemap-news.xml",
        "/sitemap-officials.xml",
        "/sitemap-topics.xml",
        "/sitemap-listings.xml",
    ],
)
def test_sitemaps_cost_the_same_queries_however_many_releases(client, site, url):
    with CaptureQueriesContext(connection) as few:
        parse(client, url)
    for release in PublishedReleaseFactory.create_batch(10, tags=["а", "б"]):
        release.officials.add(OfficialFactory())
    with CaptureQueriesContext(connection) as many:
        parse(client, url)

    # The public version (news.pagecache), then the index's or the section's own queries.
    assert len(many) == len(few) <= (12 if url == "/sitemap.xml" else 3)


def test_unknown_section_is_404(client):
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_release_sitemap_is_split_into_pages_listed_in_the_index(client, monkeypatch):
    from news.sitemaps import ReleaseSitemap

    monkeypatch.setattr(ReleaseSitemap, "limit", 2)
    PublishedReleaseFactory.create_batch(5)

    index = parse(client, "/sitemap.xml").xpath("//s:sitemap/s:loc/text()", namespaces=NS)
    pages = [url for url in index if "sitemap-releases.xml" in url]

    assert pages == [
        "http://testserver/sitemap-releases.xml",
        "http://testserver/sitemap-releases.xml?p=2",
        "http://testserver/sitemap-releases.xml?p=3",
    ]
    assert len(locations(client, "/sitemap-releases.xml?p=3")) == 1
    assert client.get("/sitemap-releases.xml?p=4").status_code == 404
