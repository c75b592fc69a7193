"""The indexes of officials, organisations, topics, countries and visits: only what is public."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    AppointmentFactory,
    CountryFactory,
    DelegationFactory,
    OfficialFactory,
    OrganisationFactory,
    PublishedReleaseFactory,
    ReleaseFactory,
)

pytestmark = pytest.mark.django_db

INDEXES = [
    "official-index",
    "organisation-index",
    "topic-index",
    "country-index",
    "delegation-index",
]


def text(client, name: str, **params) -> str:
    response = client.get(reverse(f"news:{name}"), params)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def world():
    """A published release naming an official in post, a former one, a visit and topics; and a
    draft naming things that must stay private."""
    ministry = OrganisationFactory(name="Министерство связи", country=CountryFactory(code="BY"))
    minister = AppointmentFactory(
        official__full_name="Константин Шульган", title="Министр", organisation=ministry
    ).official
    former = AppointmentFactory(
        official__full_name="Сергей Попков",
        title="Министр",
        organisation=ministry,
        start=datetime.date(2015, 1, 1),
        end=datetime.date(2018, 1, 1),
    ).official
    visit = DelegationFactory(title="Визит из Сербии", country=CountryFactory(code="RS"))
    release = PublishedReleaseFactory(tags=["почтовая связь", "5G"])
    release.officials.add(minister, former)
    release.organisations.add(ministry)
    release.delegations.add(visit)
    PublishedReleaseFactory(tags=["5G"])

    draft = ReleaseFactory(tags=["тайная тема"])
    draft.officials.add(OfficialFactory(full_name="Тайный Чиновник"))
    draft.organisations.add(OrganisationFactory(name="Тайная организация"))
    draft.delegations.add(
        DelegationFactory(title="Тайный визит", country=CountryFactory(code="KZ"))
    )
    draft.countries.add(CountryFactory(code="UZ"))
    return release


@pytest.mark.parametrize("name", INDEXES)
@pytest.mark.parametrize("prefix", ["", "/en", "/be"])
def test_every_index_answers_in_every_language_and_hides_what_is_not_public(
    client, world, name, prefix
):
    html = client.get(prefix + reverse(f"news:{name}")).content.decode()

    for private in ["Тайн", "Казахстан", "Узбекистан", "Kazakhstan", "Uzbekistan"]:
        assert private not in html


def test_officials_in_post_come_first_by_organisation_then_the_former(client, world):
    html = text(client, "official-index")

    group = html.index("<h2")
    assert html.index("Министерство связи", group) < html.index("Константин Шульган")
    assert html.index("Константин Шульган") < html.index("Ранее занимали должности")
    assert html.index("Ранее занимали должности") < html.index("Сергей Попков")
    assert "1\u00a0января 2015\u00a0г. – 1\u00a0января 2018\u00a0г." in html


def test_topics_show_how_many_published_releases_each_has(client, world):
    html = text(client, "topic-index")

    assert '5G</a> <span class="count">2 публикации</span>' in html
    assert 'почтовая связь</a> <span class="count">1 публикация</span>' in html


def test_organisations_show_their_country_and_releases(client, world):
    html = text(client, "organisation-index")

    assert 'Министерство связи</a> <span class="meta-inline">Беларусь</span>' in html


def test_countries_show_their_number_of_visits(client, world):
    html = text(client, "country-index")

    assert 'Сербия</a> <span class="count">1 визит</span>' in html
    assert "Беларусь</a>" in html


def test_visits_to_come_are_listed_first_then_the_past_ones(client, world):
    today = timezone.localdate()
    coming = DelegationFactory(
        title="Предстоящий визит",
        start=today + datetime.timedelta(days=3),
        end=today + datetime.timedelta(days=4),
    )
    world.delegations.add(coming)

    html = text(client, "delegation-index")

    assert html.index("Сейчас и предстоящие") < html.index("Предстоящий визит")
    assert html.index("Предстоящий визит") < html.index("Прошедшие визиты")
    assert html.index("Прошедшие визиты") < html.index("Визит из Сербии")


@pytest.mark.parametrize("page", ["2", "0", "-1", "x", "١", "9" * 30, "last"])
def test_a_visits_page_out_of_range_is_404_never_500(client, world, page):
    status = client.get(reverse("news:delegation-index"), {"page": page}).status_code

    assert status == 404


@pytest.mark.parametrize("name", INDEXES)
def test_each_index_takes_a_few_queries_however_long(client, world, name):
    for n in range(10):
        release = PublishedReleaseFactory(tags=[f"тема {n}"])
        release.officials.add(AppointmentFactory(organisation=OrganisationFactory()).official)
        release.delegations.add(DelegationFactory())

    with CaptureQueriesContext(connection) as queries:
        text(client, name)

    assert len(queries) <= 8, [q["sql"] for q in queries]


def test_the_indexes_are_in_the_sitemap_and_linked_from_every_page(client, world):
    sitemap = client.get("/sitemap-listings.xml").content.decode()
    footer = client.get("/").content.decode()

    for name in INDEXES:
        assert f"http://testserver{reverse(f'news:{name}')}</loc>" in sitemap
        assert f'href="{reverse(f"news:{name}")}"' in footer
