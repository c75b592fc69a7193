"""Release summaries are rendered once for what they show, and never shown out of date."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from taggit.models import Tag

from news.fragments import SUMMARY_TEMPLATE, release_summaries
from news.models import Release
from tests.factories import PublishedReleaseFactory

pytestmark = pytest.mark.django_db

LIST_URL = reverse("news:release-list")


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    """Every request renders its page: what is left to see is the summaries' own store."""
    settings.NEWS_PAGE_CACHE_SECONDS = 0


def summaries_rendered(response) -> int:
    return sum(template.name == SUMMARY_TEMPLATE for template in response.templates)


def listing(client, url: str = LIST_URL) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_summary_is_rendered_once_and_then_reused(client):
    PublishedReleaseFactory.create_batch(3, tags=["связь"])

    first = client.get(LIST_URL)
    second = client.get(LIST_URL)

    assert summaries_rendered(first) == 3
    assert summaries_rendered(second) == 0
    assert second.content == first.content


def test_a_new_release_renders_only_its_own_summary(client):
    PublishedReleaseFactory.create_batch(3)
    client.get(LIST_URL)

    PublishedReleaseFactory(title="Новый визит")
    response = client.get(LIST_URL)

    assert summaries_rendered(response) == 1
    assert "Новый визит" in response.content.decode()


def test_a_kept_summary_is_the_one_the_template_renders(rf):
    release = PublishedReleaseFactory(title="Визит <министра>", tags=["связь", "Сербия"])
    release = Release.objects.for_listing().get(pk=release.pk)
    for language in ("ru", "en"):
        with translation.override(language):
            expected = render_to_string(
                SUMMARY_TEMPLATE, {"release": release, "level": 3, "LANGUAGE_CODE": language}
            )
            rendered = release_summaries([release], 3, language)  # rendered
            kept = release_summaries([release], 3, language)  # from the store

        assert rendered == kept == [expected]
        assert "Визит &lt;министра&gt;" in expected


@pytest.mark.parametrize(
    "change",
    [
        lambda release: setattr(release, "title", "Исправленный заголовок"),
        lambda release: setattr(release, "summary", "Исправленный анонс"),
        lambda release: setattr(release, "slug", "ispravlennyi-adres"),
    ],
)
def test_an_edit_shows_in_the_listing_at_once(client, change):
    release = PublishedReleaseFactory(title="Заголовок", summary="Анонс", slug="adres")
    listing(client)

    change(release)
    release.save()
    page = listing(client)

    assert release.title in page
    assert release.summary in page
    assert release.get_absolute_url() in page


def test_topics_added_or_renamed_show_in_the_listing_at_once(client):
    release = PublishedReleaseFactory(tags=["связь"])
    listing(client)

    release.tags.add("цифровизация")
    assert "цифровизация" in listing(client)

    Tag.objects.filter(name="связь").update(name="электросвязь")
    assert "электросвязь" in listing(client)


def test_each_language_and_heading_level_has_its_own_summary(client):
    release = PublishedReleaseFactory(tags=["связь"])
    release = Release.objects.for_listing().get(pk=release.pk)

    with translation.override("ru"):
        russian = release_summaries([release], 2, "ru")[0]
    with translation.override("en"):
        english = release_summaries([release], 2, "en")[0]
        smaller = release_summaries([release], 3, "en")[0]

    assert "<h2" in russian and "<h2" in english and "<h3" in smaller
    assert russian != english  # the kind and the month are said in the reader's language
