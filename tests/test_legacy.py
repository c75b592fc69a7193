from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from news.models import Language, State
from news.pages import footer_pages
from tests.factories import PublishedReleaseFactory, ReleaseFactory, SourceURLFactory

pytestmark = pytest.mark.django_db

OLD_PATH = "/vizit-ministra-informacii-i-telekommunikaciy-respubliki-serbiya-v-belarus"


def release_from_old_site(url: str = f"https://mpt.gov.by{OLD_PATH}", **kwargs):
    release = PublishedReleaseFactory(slug="vizit-ministra-serbii", **kwargs)
    SourceURLFactory(release=release, url=url, is_primary=True)
    return release


def test_old_site_path_redirects_permanently_to_the_release(client):
    release_from_old_site()
    response = client.get(OLD_PATH)
    assert response.status_code == 301
    assert response["Location"] == "/news/vizit-ministra-serbii/"


def test_old_path_with_trailing_slash_and_other_scheme_and_www_redirects(client):
    release_from_old_site(url=f"http://www.mpt.gov.by{OLD_PATH}")
    response = client.get(OLD_PATH + "/")
    assert response.status_code == 301
    assert response["Location"] == "/news/vizit-ministra-serbii/"


def test_cyrillic_old_path_stored_percent_encoded_redirects(client):
    release_from_old_site(url="https://mpt.gov.by/%D0%B2%D0%B8%D0%B7%D0%B8%D1%82")
    assert client.get("/визит").status_code == 301


def test_old_path_with_query_string_redirects(client):
    release_from_old_site(url="https://mpt.gov.by/news/view?id=1234")
    response = client.get("/news/view", {"id": "1234"})
    assert response.status_code == 301


def test_belarusian_release_redirects_to_its_belarusian_address(client):
    release_from_old_site(language=Language.BE)
    response = client.get(OLD_PATH)
    assert response["Location"] == "/be/news/vizit-ministra-serbii/"


def test_path_unknown_on_the_old_site_stays_404(client):
    release_from_old_site()
    assert client.get("/no-such-page").status_code == 404


def test_source_on_another_domain_is_not_a_legacy_address(client):
    release_from_old_site(url=f"https://sputnik.by{OLD_PATH}")
    assert client.get(OLD_PATH).status_code == 404


def test_secondary_source_is_not_a_legacy_address(client):
    release = PublishedReleaseFactory()
    SourceURLFactory(release=release, url=f"https://mpt.gov.by{OLD_PATH}", is_primary=False)
    assert client.get(OLD_PATH).status_code == 404


@pytest.mark.parametrize(
    "state,published_at",
    [
        (State.DRAFT, None),
        (State.PUBLISHED, timezone.now() + datetime.timedelta(days=1)),
        (State.WITHDRAWN, timezone.now() - datetime.timedelta(days=1)),
    ],
    ids=["draft", "scheduled", "withdrawn"],
)
def test_unpublished_release_does_not_leak_through_its_old_address(client, state, published_at):
    release = ReleaseFactory(state=state, published_at=published_at, slug="secret")
    SourceURLFactory(release=release, url=f"https://mpt.gov.by{OLD_PATH}")
    response = client.get(OLD_PATH)
    assert response.status_code == 404
    assert b"secret" not in response.content


def test_release_in_the_bin_does_not_leak_through_its_old_address(client):
    release = release_from_old_site()
    release.deleted_at = timezone.now()
    release.save()
    assert client.get(OLD_PATH).status_code == 404


def test_legacy_domains_come_from_settings(client, settings):
    settings.NEWS_LEGACY_DOMAINS = ["old.example.by"]
    release_from_old_site(url=f"https://old.example.by{OLD_PATH}")
    assert client.get(OLD_PATH).status_code == 301
    settings.NEWS_LEGACY_DOMAINS = ["mpt.gov.by"]
    assert client.get(OLD_PATH).status_code == 404


def test_a_404_costs_one_lookup_query(client, django_assert_num_queries):
    release_from_old_site()
    footer_pages()  # read once and kept until a page changes (news.pages): not the 404's cost
    with django_assert_num_queries(1):
        assert client.get("/no-such-page").status_code == 404


def test_post_to_an_old_address_is_not_redirected(client):
    release_from_old_site()
    assert client.post(OLD_PATH).status_code == 404
