"""Readers see each listing in their own language, or the Russian releases marked as Russian."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from lxml import html as lxml_html

from news.models import Kind, Language, Release
from tests.factories import (
    CountryFactory,
    DelegationFactory,
    OfficialFactory,
    OrganisationFactory,
    PublishedReleaseFactory,
)

pytestmark = pytest.mark.django_db

PUBLISHED = timezone.now() - datetime.timedelta(days=1)


def tree(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, url
    return lxml_html.fromstring(response.content)


def titles(page) -> list[str]:
    return [
        " ".join(link.text_content().split())
        for link in page.xpath('//*[contains(@class, "release-summary__title")]/a')
    ]


def publish(title: str, language: str, **links) -> Release:
    release = PublishedReleaseFactory(
        title=title,
        summary=title,
        body=f"<p>{title}</p>",
        language=language,
        kind=Kind.VISIT,
        published_at=PUBLISHED,
        tags=links.pop("tags", None),
    )
    for field, items in links.items():
        getattr(release, field).add(*items)
    return release


@pytest.fixture
def mentioned():
    return {
        "officials": [OfficialFactory(full_name="Константин Шульган")],
        "organisations": [OrganisationFactory(name="Министерство связи")],
        "countries": [CountryFactory(code="RS")],
        "delegations": [DelegationFactory(title="Визит в Сербию")],
    }


def listing_urls(prefix: str, mentioned) -> list[str]:
    official = mentioned["officials"][0]
    organisation = mentioned["organisations"][0]
    delegation = mentioned["delegations"][0]
    return [
        f"{prefix}/",
        f"{prefix}/kinds/visit/",
        f"{prefix}/archive/{PUBLISHED.year}/{PUBLISHED.month}/",
        f"{prefix}/officials/{official.slug}/",
        f"{prefix}/organisations/{organisation.slug}/",
        f"{prefix}/countries/rs/",
        f"{prefix}/delegations/{delegation.slug}/",
        f"{prefix}/topics/serbia/",
    ]


@pytest.mark.parametrize("prefix,language", [("/en", Language.EN), ("/be", Language.BE)])
def test_every_listing_shows_only_the_readers_language_where_it_has_releases(
    client, mentioned, prefix, language
):
    publish("Переговоры в Белграде", Language.RU, tags=["serbia"], **mentioned)
    publish(f"Talks in Belgrade ({language})", language, tags=["serbia"], **mentioned)
    for url in listing_urls(prefix, mentioned):
        page = tree(client, url)
        assert titles(page) == [f"Talks in Belgrade ({language})"], url
        assert not page.xpath('//*[@class="language-note"]'), url
        assert not page.xpath('//*[@class="language-mark"]'), url


@pytest.mark.parametrize("prefix,mark", [("/en", "In Russian"), ("/be", "Па-руску"), ("", None)])
def test_where_the_readers_language_has_none_the_russian_releases_are_offered_marked(
    client, mentioned, prefix, mark
):
    publish("Переговоры в Белграде", Language.RU, tags=["serbia"], **mentioned)
    for url in listing_urls(prefix, mentioned):
        page = tree(client, url)
        assert titles(page) == ["Переговоры в Белграде"], url
        [article] = page.xpath('//article[contains(@class, "release-summary")]')
        if mark is None:
            assert article.get("lang") is None
            assert not page.xpath('//*[@class="language-note"]')
            continue
        assert article.get("lang") == "ru", url
        [label] = article.xpath('.//*[@class="language-mark"]')
        assert label.text_content() == mark
        assert label.get("lang") == prefix.strip("/")
        assert len(page.xpath('//*[@class="language-note"]')) == 1, url


def test_the_russian_listing_does_not_mix_in_other_languages(client):
    publish("Переговоры в Белграде", Language.RU)
    publish("Talks in Belgrade", Language.EN)
    assert titles(tree(client, "/")) == ["Переговоры в Белграде"]


def test_search_in_english_finds_the_english_release(client):
    publish("Переговоры в Белграде с Сербией", Language.RU)
    publish("Talks with Serbia in Belgrade", Language.EN)
    page = tree(client, "/en/search/?q=Serbia")
    assert titles(page) == ["Talks with Serbia in Belgrade"]
    assert not page.xpath('//*[@class="language-note"]')


def test_search_in_english_with_no_english_hit_offers_the_russian_ones_marked(client):
    publish("Переговоры с Сербией", Language.RU)
    page = tree(client, "/en/search/?q=Сербией")
    assert titles(page) == ["Переговоры с Сербией"]
    [label] = page.xpath('//*[@class="language-mark"]')
    assert label.text_content() == "In Russian"
    assert len(page.xpath('//*[@class="language-note"]')) == 1


def test_the_language_feed_holds_only_that_language(client):
    publish("Переговоры в Белграде", Language.RU)
    publish("Talks in Belgrade", Language.EN)
    body = client.get("/feeds/language/en/rss/").content.decode()
    assert "Talks in Belgrade" in body
    assert "Переговоры" not in body


def alternates(page) -> dict[str, str]:
    return {
        link.get("hreflang"): link.get("href")
        for link in page.xpath('//link[@rel="alternate"][@hreflang]')
    }


def main_language(page) -> str:
    """The language of the page's main content: its article's lang, else the page's."""
    [html] = page.xpath("/html")
    for article in page.xpath('//main//article[contains(@class, "release")][1]'):
        return article.get("lang") or html.get("lang")
    return html.get("lang")


def test_a_release_page_names_only_its_published_translations(client):
    original = publish("Переговоры в Белграде", Language.RU)
    english = publish("Talks in Belgrade", Language.EN)
    english.translation_key = original.translation_key
    english.save()
    draft_be = publish("Перамовы ў Бялградзе", Language.BE)
    draft_be.translation_key = original.translation_key
    draft_be.state = "draft"
    draft_be.save()
    for url in [
        f"/news/{original.slug}/",
        f"/be/news/{original.slug}/",
        f"/en/news/{english.slug}/",
    ]:
        page = tree(client, url)
        links = alternates(page)
        assert links == {
            "ru": f"http://testserver/news/{original.slug}/",
            "x-default": f"http://testserver/news/{original.slug}/",
            "en": f"http://testserver/en/news/{english.slug}/",
        }, url


def test_a_release_read_in_another_languages_chrome_is_canonical_in_its_own(client):
    original = publish("Переговоры в Белграде", Language.RU)
    page = tree(client, f"/en/news/{original.slug}/")
    [canonical] = page.xpath('//link[@rel="canonical"]')
    assert canonical.get("href") == f"http://testserver/news/{original.slug}/"
    assert alternates(page) == {
        "ru": f"http://testserver/news/{original.slug}/",
        "x-default": f"http://testserver/news/{original.slug}/",
    }


def test_no_hreflang_on_any_page_type_points_to_content_in_another_language(client, mentioned):
    releases = {}
    for language, title in [(Language.RU, "Переговоры"), (Language.BE, "Перамовы")]:
        releases[language] = publish(title, language, tags=["serbia"], **mentioned)
    english = publish("Talks", Language.EN, tags=["serbia"], **mentioned)
    english.translation_key = releases[Language.RU].translation_key
    english.save()
    pages = [
        f"/news/{releases[Language.RU].slug}/",
        f"/en/news/{releases[Language.BE].slug}/",
        f"/be/news/{english.slug}/",
        *listing_urls("", mentioned),
        *listing_urls("/en", mentioned),
    ]
    for url in pages:
        for hreflang, href in alternates(tree(client, url)).items():
            target = tree(client, href.removeprefix("http://testserver"))
            expected = "ru" if hreflang == "x-default" else hreflang
            assert main_language(target) == expected, (url, hreflang, href)


def test_search_in_english_for_a_country_finds_russian_releases_about_it_marked(client):
    release = publish("Переговоры в Белграде", Language.RU)
    release.countries.add(CountryFactory(code="RS"))
    publish("Переговоры в Пекине", Language.RU).countries.add(CountryFactory(code="CN"))
    page = tree(client, "/en/search/?q=serbia")
    assert titles(page) == ["Переговоры в Белграде"]
    [label] = page.xpath('//*[@class="language-mark"]')
    assert label.text_content() == "In Russian"
    assert titles(tree(client, "/search/?q=Сербия")) == ["Переговоры в Белграде"]
