"""A release page's article is kept rendered (news.articles) and is never out of date: each
change readers may see of it is on the page at once, whatever kept the article before."""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from news import corrections, workflow
from news.models.public_version import site_changed
from tests.factories import (
    AppointmentFactory,
    OrganisationFactory,
    PublishedReleaseFactory,
    ReleaseFactory,
    SourceURLFactory,
)
from tests.test_invalidation import admin_save, change_url
from tests.test_live_rows import RIGHT, WRONG, field_holding, opened

pytestmark = pytest.mark.django_db


def page(client, release, prefix: str = "") -> str:
    response = client.get(prefix + release.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def kept(kind: str = "article") -> int:
    """How many articles (or whole release pages: "release-page") this process keeps."""
    return sum(f":{kind}:" in key for key in caches["articles"]._cache)


@pytest.fixture
def release(db):
    release = PublishedReleaseFactory(title="Визит в Белград", place="Белград")
    SourceURLFactory(release=release, url=WRONG, title="Сайт министерства")
    return release


def test_a_publication_elsewhere_leaves_the_kept_article_in_use(client, release, publisher):
    page(client, release)
    other = ReleaseFactory(title="Срочный визит")
    workflow.release_force_publish(release=other, user=publisher, reason="Срочно.")

    with CaptureQueriesContext(connection) as queries:
        html = page(client, release)

    assert "Сайт министерства" in html
    assert not [query for query in queries if "news_sourceurl" in query["sql"]]
    assert kept() == kept("release-page") == 1


def test_a_release_related_since_is_offered_on_the_kept_page(client, release, publisher):
    release.tags.add("Сербия")
    site_changed()
    assert "Визит сербской делегации" not in page(client, release)
    other = ReleaseFactory(title="Визит сербской делегации", tags=["Сербия"])

    workflow.release_force_publish(release=other, user=publisher, reason="Срочно.")

    assert "Визит сербской делегации" in page(client, release)


def test_a_correction_published_through_the_services_is_on_the_page_at_once(
    client, release, editor, publisher
):
    assert WRONG in page(client, release)
    client.force_login(editor)
    data = opened(client, release)
    data[field_holding(data, WRONG)] = RIGHT
    assert client.post(change_url(release), data).status_code == 302
    client.logout()

    corrections.release_publish_changes(release=release, user=publisher, note="Исправлен источник.")

    html = page(client, release)
    assert RIGHT in html
    assert WRONG not in html
    assert "Исправлен источник." in html


def test_an_official_renamed_in_the_admin_is_renamed_on_the_pages_naming_him(
    client, release, editor
):
    official = AppointmentFactory(title="Министр").official
    release.officials.add(official)
    site_changed()
    assert "Министр" in page(client, release)

    admin_save(editor, change_url(official), **{"appointments-0-title": "Министр связи"})

    assert "Министр связи" in page(client, release)


def test_links_written_directly_show_once_the_writer_says_the_site_changed(client, release):
    page(client, release)
    release.organisations.add(OrganisationFactory(name="Минская почта"))

    site_changed()

    assert "Минская почта" in page(client, release)


def test_each_language_has_its_own_article(client, release):
    assert "Источник:" in page(client, release)

    english = page(client, release, "/en")

    assert "Source:" in english
    assert "Источник:" not in english
    assert kept() == 2


def test_a_translation_published_since_is_offered_on_the_kept_article(client, release):
    page(client, release)

    PublishedReleaseFactory(
        language="en", title="Visit to Belgrade", translation_key=release.translation_key
    )
    site_changed(releases_only=True)

    assert "Visit to Belgrade" in page(client, release)


def test_a_withdrawn_release_is_rendered_afresh_and_not_kept(client, release, publisher):
    workflow.release_withdraw(release=release, user=publisher, reason="Ошибка в дате.")

    assert "Ошибка в дате." in page(client, release)
    assert kept() == kept("release-page") == 0
