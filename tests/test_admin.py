from __future__ import annotations

import pytest
from django.urls import reverse

from news.models import Release, State
from tests.factories import (
    AppointmentFactory,
    DelegationFactory,
    OfficialFactory,
    OrganisationFactory,
    PublishedReleaseFactory,
    SourceURLFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("chief", password="not-a-real-password-1")
    client.force_login(user)
    return client


@pytest.mark.parametrize("model", ["release", "official", "organisation", "country", "delegation"])
def test_every_list_and_add_page_opens(admin_client, model):
    PublishedReleaseFactory()
    assert admin_client.get(reverse(f"admin:news_{model}_changelist")).status_code == 200
    assert admin_client.get(reverse(f"admin:news_{model}_add")).status_code == 200


def test_change_pages_open(admin_client):
    source = SourceURLFactory(release=PublishedReleaseFactory())
    appointment = AppointmentFactory()
    for url in [
        reverse("admin:news_release_change", args=[source.release.pk]),
        reverse("admin:news_official_change", args=[appointment.official.pk]),
        reverse("admin:news_organisation_change", args=[OrganisationFactory().pk]),
        reverse("admin:news_delegation_change", args=[DelegationFactory().pk]),
    ]:
        assert admin_client.get(url).status_code == 200


def test_editor_adds_a_release_with_a_source_and_gets_a_latin_slug(admin_client):
    official = OfficialFactory()
    response = admin_client.post(
        reverse("admin:news_release_add"),
        {
            "title": "Переговоры с делегацией Сербии",
            "kind": "press_release",
            "language": "ru",
            "summary": "Состоялись переговоры.",
            "body": "<p>Текст</p><script>alert(1)</script>",
            "tags": "5G, почтовая связь",
            "state": State.DRAFT,
            "officials": [official.pk],
            "sources-TOTAL_FORMS": "1",
            "sources-INITIAL_FORMS": "0",
            "sources-0-url": "https://www.mpt.gov.by/news/1",
            "sources-0-title": "Минсвязи",
            "sources-0-is_primary": "on",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    release = Release.objects.get()
    assert release.slug == "peregovory-s-delegatsiei-serbii"
    assert release.body == "<p>Текст</p>"
    assert sorted(release.tags.names()) == ["5G", "почтовая связь"]
    assert release.sources.get().is_primary


def test_bad_source_url_stores_nothing(admin_client):
    response = admin_client.post(
        reverse("admin:news_release_add"),
        {
            "title": "Заголовок",
            "kind": "press_release",
            "language": "ru",
            "state": State.DRAFT,
            "sources-TOTAL_FORMS": "1",
            "sources-INITIAL_FORMS": "0",
            "sources-0-url": "javascript:alert(1)",
        },
    )
    assert response.status_code == 200
    assert not Release.objects.exists()


def test_release_list_page_needs_few_queries(admin_client, django_assert_max_num_queries):
    for _ in range(30):
        PublishedReleaseFactory()
    # Session, user, counts and one page of rows; the session is saved on every request so
    # that idle sessions expire.
    with django_assert_max_num_queries(9):
        admin_client.get(reverse("admin:news_release_changelist"))
