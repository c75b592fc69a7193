"""The first mention of each official, organisation and country in a release's body is a link."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from news.models import Official, Organisation, Release, State
from tests.factories import OfficialFactory, OrganisationFactory, PublishedReleaseFactory

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


def body_of(page: str) -> str:
    """The lead and the body."""
    start = page.find('<p class="release__lead">')
    if start < 0:
        start = page.index('<div class="release__body">')
    return page[start:].split("</div>", 1)[0]


def links_in(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<a class="mention" href="([^"]+)">([^<]+)</a>', html)


def test_the_seed_body_links_first_mentions_of_its_officials_and_organisations(client):
    call_command("load_demo", "--no-admin")
    release = Release.objects.get()
    stored = release.body

    body = body_of(client.get(release.get_absolute_url()).text)

    links = dict(links_in(body))
    shulgan = Official.objects.get(slug="konstantin-shulgan").get_absolute_url()
    ristic = Official.objects.get(slug="deian-ristich").get_absolute_url()
    park = Organisation.objects.get(slug="park-vysokikh-tekhnologii").get_absolute_url()
    assert links[shulgan] == "Константина Шульгана"
    assert links[ristic] == "Деяна Ристича"
    assert links[park] == "Парке высоких технологий"
    serbia = "/countries/rs/"
    assert links[serbia] == "Сербия"  # a name, not the adjective «сербской»
    hrefs = [href for href, _words in links_in(body)]
    assert len(hrefs) == len(set(hrefs))  # each only at its first mention
    # The attribution of direct speech stays plain text, tied to its quote.
    assert f"{NBSP}— отметил Шульган." in body
    release.refresh_from_db()
    assert release.body == stored


def test_no_link_inside_a_link_a_heading_or_a_quotation(client):
    official = OfficialFactory(full_name="Константин Шульган")
    release = PublishedReleaseFactory(
        body=(
            "<h2>Шульган в Сербии</h2>"
            '<p><a href="https://example.org/">Константин Шульган</a> прибыл.</p>'
            "<blockquote><p>Константин Шульган сказал.</p></blockquote>"
            "<p>Министр Константин Шульган &amp; коллеги.</p>"
        )
    )
    release.officials.add(official)

    body = body_of(client.get(release.get_absolute_url()).text)

    assert links_in(body) == [(official.get_absolute_url(), "Константин Шульган")]
    assert "<h2>Шульган в" in body
    assert "&amp; коллеги" in body


def test_what_readers_may_not_see_is_named_but_not_linked(client, publisher):
    organisation = OrganisationFactory(name="Парк высоких технологий")
    withdrawn = PublishedReleaseFactory(body="<p>Визит в Парк высоких технологий.</p>")
    withdrawn.organisations.add(organisation)
    Release.objects.filter(pk=withdrawn.pk).update(state=State.WITHDRAWN)

    page = client.get(withdrawn.get_absolute_url())

    assert page.status_code == 200
    assert "Парк высоких технологий" in body_of(page.text)
    assert links_in(body_of(page.text)) == []


def test_an_entity_the_release_is_not_linked_to_is_not_linked_in_its_body(client):
    OfficialFactory(full_name="Константин Шульган")
    release = PublishedReleaseFactory(body="<p>Министр Константин Шульган.</p>")

    assert links_in(body_of(client.get(release.get_absolute_url()).text)) == []


def test_linking_costs_no_query_per_organisation(client, django_assert_max_num_queries):
    from tests.factories import CountryFactory

    country = CountryFactory(code="BY")
    few = PublishedReleaseFactory(body="<p>Текст.</p>")
    few.organisations.add(OrganisationFactory(country=country))
    client.get(PublishedReleaseFactory().get_absolute_url())  # what a first request reads once
    with CaptureQueriesContext(connection) as baseline:
        client.get(few.get_absolute_url())
    many = PublishedReleaseFactory(body="<p>Текст.</p>")
    many.organisations.add(*(OrganisationFactory(country=country) for _ in range(5)))

    with django_assert_max_num_queries(len(baseline)):
        client.get(many.get_absolute_url())


def test_an_english_release_links_the_names_it_gives_in_english(client):
    minister = OfficialFactory(full_name="Деян Ристич", full_name_en="Dejan Ristić")
    shulgan = OfficialFactory(full_name="Константин Шульган")  # transliterated: Shulgan
    park = OrganisationFactory(
        name="Парк высоких технологий", short_name="ПВТ", name_en="High Technologies Park"
    )
    release = PublishedReleaseFactory(
        language="en",
        summary="Dejan Ristić is on a visit to Belarus.",
        body="<p>Konstantin Shulgan met him at the High Technologies Park.</p>",
    )
    release.officials.add(minister, shulgan)
    release.organisations.add(park)

    links = dict(links_in(body_of(client.get(f"/en/news/{release.slug}/").text)))

    assert links[minister.get_absolute_url()] == "Dejan Ristić"
    assert links[shulgan.get_absolute_url()] == "Konstantin Shulgan"
    assert links[park.get_absolute_url()] == "High Technologies Park"


def test_two_names_side_by_side_are_not_two_links_the_official_is_linked(client):
    call_command("load_demo", "--no-admin")
    release = Release.objects.get()

    lead = body_of(client.get(release.get_absolute_url()).text).split("</p>", 1)[0]

    # «визит Министра информации ... Республики Сербия Деяна Ристича»: his post names his
    # ministry; one link, to him, not two that read as one.
    ristic = Official.objects.get(slug="deian-ristich").get_absolute_url()
    assert (ristic, "Деяна Ристича") in links_in(lead)
    assert not re.search(r"</a>\s*<a", lead)
