from __future__ import annotations

import datetime
import json
import re

import pytest
from lxml import html as lxml_html

from news.models import Kind, Language, State
from tests.factories import (
    AppointmentFactory,
    CountryFactory,
    ImageFactory,
    OfficialFactory,
    OrganisationFactory,
    PreviewLinkFactory,
    PublishedReleaseFactory,
    ReleaseFactory,
)

pytestmark = pytest.mark.django_db


def page(client, url: str, **extra):
    response = client.get(url, **extra)
    assert response.status_code == 200
    return response, lxml_html.fromstring(response.content)


def json_ld(tree) -> dict:
    [script] = tree.xpath('//script[@type="application/ld+json"]')
    return json.loads(script.text)


@pytest.fixture
def visit():
    minister = OfficialFactory(full_name="Константин Шульган")
    AppointmentFactory(
        official=minister,
        title="Заместитель министра",
        start=datetime.date(2019, 1, 1),
        end=datetime.date(2023, 12, 31),
    )
    AppointmentFactory(
        official=minister,
        title="Министр связи и информатизации",
        start=datetime.date(2024, 1, 1),
        end=None,
    )
    release = PublishedReleaseFactory(
        title="Визит министра Сербии",
        slug="vizit-ministra-serbii",
        summary="Министры обсудили сотрудничество.",
        place="Минск",
        event_start=datetime.date(2024, 8, 28),
        lead_image=ImageFactory(alt="Министры на встрече"),
    )
    release.officials.add(minister)
    release.organisations.add(OrganisationFactory(name="Министерство информации Сербии"))
    release.countries.add(CountryFactory(code="RS"))
    return release


# Canonical addresses ---------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/", "/archive/", "/search/?q=визит", "/en/", "/kinds/visit/"])
def test_public_pages_name_their_absolute_canonical_address(client, url):
    PublishedReleaseFactory(kind=Kind.VISIT)
    _, tree = page(client, url)
    [link] = tree.xpath('//link[@rel="canonical"]/@href')
    assert link == "http://testserver" + url.split("?")[0]


def test_canonical_address_is_built_from_the_request_host_and_scheme(client, settings):
    settings.ALLOWED_HOSTS = ["press.mpt.gov.by"]
    _, tree = page(client, "/", HTTP_HOST="press.mpt.gov.by", secure=True)
    assert tree.xpath('//link[@rel="canonical"]/@href') == ["https://press.mpt.gov.by/"]


def test_second_page_of_a_listing_is_its_own_canonical_page(client, settings):
    settings.NEWS_PAGE_SIZE = 1
    PublishedReleaseFactory.create_batch(2)
    _, first = page(client, "/")
    [older] = first.xpath('//a[@rel="next"]/@href')
    _, tree = page(client, "/" + older)
    assert tree.xpath('//link[@rel="canonical"]/@href') == ["http://testserver/" + older]


def test_release_page_is_canonical_at_its_own_address(client, visit):
    _, tree = page(client, visit.get_absolute_url())
    assert tree.xpath('//link[@rel="canonical"]/@href') == [
        "http://testserver/news/vizit-ministra-serbii/"
    ]


def test_preview_has_no_canonical_address_and_no_structured_data(client):
    link = PreviewLinkFactory(release=ReleaseFactory(title="Черновик"))
    _, tree = page(client, link.get_absolute_url())
    assert not tree.xpath('//link[@rel="canonical"]')
    assert not tree.xpath('//script[@type="application/ld+json"]')
    assert not tree.xpath('//meta[@property="og:title"]')


# Cards for sharing -----------------------------------------------------------------------------


def test_release_page_has_open_graph_and_twitter_cards_with_the_lead_image(client, visit):
    _, tree = page(client, visit.get_absolute_url())

    def meta(attribute: str, name: str) -> list[str]:
        return tree.xpath(f'//meta[@{attribute}="{name}"]/@content')

    rendition = visit.lead_image.rendition(1280)
    assert meta("property", "og:type") == ["article"]
    assert meta("property", "og:title") == ["Визит министра Сербии"]
    assert meta("property", "og:description") == ["Министры обсудили сотрудничество."]
    assert meta("property", "og:url") == ["http://testserver/news/vizit-ministra-serbii/"]
    assert meta("property", "og:locale") == ["ru_RU"]
    [image] = meta("property", "og:image")
    assert image.startswith("http://testserver/") and image.endswith(rendition.name)
    assert meta("property", "og:image:width") == [str(rendition.width)]
    assert meta("property", "og:image:height") == [str(rendition.height)]
    assert meta("property", "og:image:alt") == ["Министры на встрече"]
    assert meta("name", "twitter:card") == ["summary_large_image"]
    assert meta("name", "twitter:title") == ["Визит министра Сербии"]
    assert meta("name", "twitter:image") == [image]


def test_release_without_image_gets_a_summary_card(client):
    release = PublishedReleaseFactory()
    _, tree = page(client, release.get_absolute_url())
    assert tree.xpath('//meta[@name="twitter:card"]/@content') == ["summary"]
    assert not tree.xpath('//meta[@property="og:image"]')


def test_belarusian_release_card_names_its_locale_and_the_translation(client):
    original = PublishedReleaseFactory(language=Language.RU)
    translation = PublishedReleaseFactory(
        language=Language.BE, translation_key=original.translation_key
    )
    _, tree = page(client, f"/be{translation.get_absolute_url()}")
    assert tree.xpath('//meta[@property="og:locale"]/@content') == ["be_BY"]
    assert tree.xpath('//meta[@property="og:locale:alternate"]/@content') == ["ru_RU"]


# JSON-LD ---------------------------------------------------------------------------------------


def test_release_page_describes_itself_as_a_news_article(client, visit):
    _, tree = page(client, visit.get_absolute_url())
    data = json_ld(tree)

    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Визит министра Сербии"
    assert data["inLanguage"] == "ru"
    assert datetime.datetime.fromisoformat(data["datePublished"]) == visit.published_at
    assert datetime.datetime.fromisoformat(data["dateModified"]) == visit.modified_for_readers
    assert data["publisher"]["@type"] == "Organization"
    assert "Министерство связи и информатизации" in data["publisher"]["name"]
    assert data["author"]["@type"] == "Organization"
    assert data["image"]["url"].endswith(visit.lead_image.rendition(1280).name)
    assert data["contentLocation"] == {"@type": "Place", "name": "Минск"}


def test_json_ld_mentions_officials_with_their_position_at_the_time(client, visit):
    _, tree = page(client, visit.get_absolute_url())
    mentions = json_ld(tree)["mentions"]

    people = [m for m in mentions if m["@type"] == "Person"]
    assert people == [
        {
            "@type": "Person",
            "name": "Константин Шульган",
            "url": "http://testserver" + visit.officials.get().get_absolute_url(),
            "jobTitle": "Министр связи и информатизации",
        }
    ]
    organisations = [m["name"] for m in mentions if m["@type"] == "Organization"]
    assert organisations == ["Министерство информации Сербии"]
    assert [m["@type"] for m in mentions].count("Country") == 1


def test_json_ld_shows_the_position_held_on_the_event_date_not_today(client, visit):
    visit.event_start = datetime.date(2022, 5, 1)
    visit.save()
    _, tree = page(client, visit.get_absolute_url())
    [person] = [m for m in json_ld(tree)["mentions"] if m["@type"] == "Person"]
    assert person["jobTitle"] == "Заместитель министра"


def test_title_with_a_closing_script_tag_cannot_break_out_of_the_json_ld(client):
    title = 'Ответ </script><script>alert("x")</script> & <!-- всё'
    release = PublishedReleaseFactory(title=title)
    response, tree = page(client, release.get_absolute_url())
    content = response.content.decode()

    [block] = re.findall(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', content, re.S)
    assert "<" not in block and ">" not in block
    assert json.loads(block)["headline"] == title
    assert 'alert("x")</script>' not in content.split("</head>")[0]


def test_json_ld_is_a_data_block_that_needs_no_nonce_so_the_page_can_be_cached(client, visit):
    # Browsers run no data block, so the policy has nothing to allow: the page is the same
    # for every reader, and a cached copy never carries an old request's nonce.
    response, tree = page(client, visit.get_absolute_url())
    assert tree.xpath('//script[@type="application/ld+json"]')
    assert not tree.xpath("//script/@nonce")
    assert "nonce-" not in response["Content-Security-Policy"]


def test_withdrawn_release_keeps_its_description_but_is_not_indexed(client):
    release = PublishedReleaseFactory(state=State.WITHDRAWN)
    _, tree = page(client, release.get_absolute_url())
    assert tree.xpath('//meta[@name="robots"]/@content') == ["noindex"]
    assert json_ld(tree)["headline"] == release.title


# robots.txt --------------------------------------------------------------------


def test_robots_txt_allows_all_but_the_admin_and_previews_and_names_the_sitemap(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[:3] == ["User-agent: *", "Allow: /", "Disallow: /admin/"]
    assert {"Disallow: /preview/", "Disallow: /be/preview/", "Disallow: /en/preview/"} <= set(lines)
    assert "Sitemap: http://testserver/sitemap.xml" in lines
