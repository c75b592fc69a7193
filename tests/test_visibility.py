"""Officials, organisations, countries and visits are public only while a published release
mentions them (each model's objects.public()): what authors add for a draft stays private, it
appears with the release's publication and goes again when the release is withdrawn or
unpublished. No public page links to one that is not public.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone
from lxml import etree

from news import workflow
from news.models import Country, Delegation, Official, Organisation, Release
from tests.factories import (
    AppointmentFactory,
    CountryFactory,
    DelegationFactory,
    OfficialFactory,
    OrganisationFactory,
    PreviewLinkFactory,
    PublishedReleaseFactory,
    ReleaseFactory,
)

pytestmark = pytest.mark.django_db

API = "/api/v1"
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
PLURALS = {
    "official": "officials",
    "organisation": "organisations",
    "country": "countries",
    "delegation": "delegations",
}
KINDS = list(PLURALS)


@dataclass
class Thing:
    """An entity of one kind and where readers would meet it."""

    kind: str
    entity: Model
    relation: str  # the release's many-to-many field that mentions it
    page: str
    feeds: list[str]
    api_list: str
    api_detail: str
    sitemap: str
    name: str


def add_through_the_admin(client, author, url_name: str, data: dict[str, str]) -> None:
    client.force_login(author)
    response = client.post(reverse(url_name), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    client.logout()


def new_thing(kind: str, client, author) -> Thing:
    """As an author adds it for a draft: officials and organisations through the admin."""
    if kind == "official":
        add_through_the_admin(
            client,
            author,
            "admin:news_official_add",
            {
                "full_name": "Пётр Тайнов",
                "slug": "piotr-tainov",
                "bio": "Будущий министр.",
                "appointments-TOTAL_FORMS": "0",
                "appointments-INITIAL_FORMS": "0",
                "appointments-MIN_NUM_FORMS": "0",
                "appointments-MAX_NUM_FORMS": "1000",
            },
        )
        entity = Official.objects.get(slug="piotr-tainov")
        name, key = entity.full_name, entity.slug
    elif kind == "organisation":
        add_through_the_admin(
            client,
            author,
            "admin:news_organisation_add",
            {
                "name": "ООО «Тайный подрядчик»",
                "slug": "tainyi-podriadchik",
                "kind": Organisation.Kind.ENTERPRISE,
                "website": "https://podriadchik.example/",
            },
        )
        entity = Organisation.objects.get(slug="tainyi-podriadchik")
        name, key = entity.name, entity.slug
    elif kind == "country":
        entity = CountryFactory(code="KZ")
        name, key = str(entity.name), entity.code
    else:
        entity = DelegationFactory(
            title="Визит делегации Казахстана", slug="kazakhstan-2025", country=CountryFactory()
        )
        name, key = entity.title, entity.slug
    plural = PLURALS[kind]
    feed_key = key.lower()
    return Thing(
        kind=kind,
        entity=entity,
        relation=plural,
        page=entity.get_absolute_url(),
        feeds=[
            reverse(f"news:{kind}-feed-rss", args=[feed_key]),
            reverse(f"news:{kind}-feed-atom", args=[feed_key]),
        ],
        api_list=f"{API}/{plural}?page_size=100",
        api_detail=f"{API}/{plural}/{key}",
        sitemap=reverse("sitemap-section", args=[plural]),
        name=name,
    )


def draft_mentioning(thing: Thing, author) -> Release:
    release = ReleaseFactory(
        title="Визит, о котором ещё рано писать", created_by=author, last_edited_by=author
    )
    getattr(release, thing.relation).add(thing.entity)
    return release


def publish(release: Release, author, editor, publisher) -> None:
    workflow.release_submit(release=release, user=author)
    workflow.release_approve(release=release, user=editor)
    workflow.release_publish(release=release, user=publisher)


def sitemap_locations(client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200
    tree = etree.fromstring(response.content)
    return [
        loc.removeprefix("http://testserver")
        for loc in tree.xpath("//s:loc/text()", namespaces=SITEMAP_NS)
    ]


def json_ld(html: str) -> dict[str, Any]:
    start = html.index('<script type="application/ld+json">') + len(
        '<script type="application/ld+json">'
    )
    return json.loads(html[start : html.index("</script>", start)])


def seen_by_readers(client, thing: Thing) -> dict[str, Any]:
    """Where a reader finds the thing: its page and feeds, the sitemap, the API, the feed list."""
    api_items = client.get(thing.api_list).json()["items"]
    return {
        "page": client.get(thing.page).status_code,
        "feeds": [client.get(feed).status_code for feed in thing.feeds],
        "sitemap": thing.page in sitemap_locations(client, thing.sitemap),
        "api list": any(item["url"].endswith(thing.page) for item in api_items),
        "api detail": client.get(thing.api_detail).status_code,
        "feed list": thing.feeds[0] in client.get(reverse("news:feed-list")).content.decode(),
        "search": thing.page
        in client.get(reverse("news:search"), {"q": thing.name}).content.decode(),
    }


HIDDEN = {
    "page": 404,
    "feeds": [404, 404],
    "sitemap": False,
    "api list": False,
    "api detail": 404,
    "feed list": False,
    "search": False,
}
SHOWN = {
    "page": 200,
    "feeds": [200, 200],
    "sitemap": True,
    "api list": True,
    "api detail": 200,
    "feed list": True,
    # Search finds releases, never the pages of what they mention.
    "search": False,
}


@pytest.mark.parametrize("kind", KINDS)
def test_what_only_a_draft_mentions_is_private_until_published_and_goes_when_withdrawn(
    client, author, editor, publisher, kind
):
    thing = new_thing(kind, client, author)
    release = draft_mentioning(thing, author)

    assert seen_by_readers(client, thing) == HIDDEN

    publish(release, author, editor, publisher)
    assert seen_by_readers(client, thing) == SHOWN
    assert thing.page in client.get(release.get_absolute_url()).content.decode()

    workflow.release_withdraw(release=release, user=publisher, reason="Визит перенесён.")
    assert seen_by_readers(client, thing) == HIDDEN


@pytest.mark.parametrize("kind", KINDS)
def test_what_only_an_unpublished_release_mentioned_goes_again(
    client, author, editor, publisher, kind
):
    thing = new_thing(kind, client, author)
    release = draft_mentioning(thing, author)
    publish(release, author, editor, publisher)
    assert client.get(thing.page).status_code == 200

    workflow.release_unpublish(release=release, user=publisher, reason="Дубль")

    assert seen_by_readers(client, thing) == HIDDEN


@pytest.mark.parametrize("kind", KINDS)
def test_what_a_scheduled_or_binned_release_mentions_is_private(client, author, kind, time_machine):
    now = timezone.now().replace(microsecond=0)
    time_machine.move_to(now, tick=False)
    thing = new_thing(kind, client, author)
    scheduled = PublishedReleaseFactory(published_at=now + datetime.timedelta(minutes=5))
    getattr(scheduled, thing.relation).add(thing.entity)
    binned = PublishedReleaseFactory(deleted_at=now)
    getattr(binned, thing.relation).add(thing.entity)

    assert client.get(thing.page).status_code == 404

    time_machine.move_to(now + datetime.timedelta(minutes=5), tick=False)
    assert client.get(thing.page).status_code == 200


@pytest.mark.parametrize("kind", KINDS)
def test_the_cached_page_goes_the_moment_its_only_release_is_withdrawn(
    client, author, editor, publisher, kind
):
    thing = new_thing(kind, client, author)
    release = draft_mentioning(thing, author)
    publish(release, author, editor, publisher)
    for url in [thing.page, *thing.feeds, thing.sitemap]:
        assert client.get(url)["X-Page-Cache"] == "miss", url
        assert client.get(url)["X-Page-Cache"] == "hit", url

    workflow.release_withdraw(release=release, user=publisher, reason="Визит перенесён.")

    assert [client.get(url).status_code for url in [thing.page, *thing.feeds]] == [404] * 3
    assert thing.page not in sitemap_locations(client, thing.sitemap)


def test_each_kind_has_one_public_queryset_of_what_published_releases_mention(publisher):
    official, organisation, country, delegation = (
        OfficialFactory(),
        OrganisationFactory(),
        CountryFactory(code="KZ"),
        DelegationFactory(country=CountryFactory(code="CN")),
    )
    draft = ReleaseFactory()
    for relation, entity in [
        ("officials", official),
        ("organisations", organisation),
        ("countries", country),
        ("delegations", delegation),
    ]:
        getattr(draft, relation).add(entity)
    querysets = [Official.objects, Organisation.objects, Country.objects, Delegation.objects]
    assert [list(objects.public()) for objects in querysets] == [[], [], [], []]

    # Two published releases mention them: each still appears once.
    for _ in range(2):
        live = PublishedReleaseFactory()
        live.officials.add(official)
        live.organisations.add(organisation)
        live.countries.add(country)
        live.delegations.add(delegation)

    assert [list(objects.public()) for objects in querysets] == [
        [official],
        [organisation],
        [delegation.country, country],  # CN, the visit's, before KZ
        [delegation],
    ]


# What public pages link -----------------------------------------------------------------------


@pytest.fixture
def visit():
    """A published release about a visit; the visit's people and bodies are not named in it."""
    serbia = CountryFactory(code="RS")
    head, member = OfficialFactory(slug="head"), OfficialFactory(slug="member")
    sender, host = OrganisationFactory(slug="sender"), OrganisationFactory(slug="host")
    delegation = DelegationFactory(
        slug="visit", country=serbia, head=head, host=host, organisation=sender
    )
    delegation.members.add(member)
    release = PublishedReleaseFactory()
    release.delegations.add(delegation)
    return release


def test_a_published_visit_makes_its_people_bodies_and_country_public(client, visit):
    html = client.get("/delegations/visit/").content.decode()

    for page in [
        "/officials/head/",
        "/officials/member/",
        "/organisations/sender/",
        "/organisations/host/",
        "/countries/rs/",
    ]:
        assert f'href="{page}"' in html, page
        assert client.get(page).status_code == 200, page
    api = client.get(f"{API}/delegations/visit").json()
    assert [
        client.get(api[key]["url"]).status_code for key in ["head", "host", "organisation"]
    ] == [200] * 3


def test_a_withdrawn_visit_takes_its_people_bodies_and_country_with_it(client, visit, publisher):
    workflow.release_withdraw(release=visit, user=publisher, reason="Визит отменён.")

    for page in [
        "/officials/head/",
        "/officials/member/",
        "/organisations/host/",
        "/countries/rs/",
    ]:
        assert client.get(page).status_code == 404, page


def test_the_country_of_a_public_organisation_is_public(client):
    kazakh = OrganisationFactory(country=CountryFactory(code="KZ"))
    PublishedReleaseFactory().organisations.add(kazakh)

    assert 'href="/countries/kz/"' in client.get(kazakh.get_absolute_url()).content.decode()
    assert client.get("/countries/kz/").status_code == 200


def test_an_official_page_names_a_private_organisation_without_linking_it(client):
    official = OfficialFactory()
    private = OrganisationFactory(name="ООО «Прежнее место работы»", slug="private")
    public = OrganisationFactory(name="Министерство связи", slug="public")
    AppointmentFactory(official=official, organisation=private, start=datetime.date(2010, 1, 1))
    AppointmentFactory(official=official, organisation=public, start=datetime.date(2020, 1, 1))
    release = PublishedReleaseFactory()
    release.officials.add(official)
    release.organisations.add(public)

    html = client.get(official.get_absolute_url()).content.decode()

    assert "ООО «Прежнее место работы»" in html
    assert 'href="/organisations/private/"' not in html
    assert 'href="/organisations/public/">Министерство связи</a>' in html
    assert client.get("/organisations/private/").status_code == 404


def test_an_official_page_names_a_private_current_employer_without_linking_it(client):
    official = OfficialFactory()
    AppointmentFactory(official=official, organisation=OrganisationFactory(slug="private"))
    PublishedReleaseFactory().officials.add(official)

    html = client.get(official.get_absolute_url()).content.decode()

    assert 'href="/organisations/private/"' not in html


def test_an_organisation_page_names_a_private_parent_without_linking_it(client):
    parent = OrganisationFactory(name="Холдинг", slug="holding")
    child = OrganisationFactory(parent=parent)
    PublishedReleaseFactory().organisations.add(child)

    html = client.get(child.get_absolute_url()).content.decode()
    assert "Холдинг" in html
    assert 'href="/organisations/holding/"' not in html

    PublishedReleaseFactory().organisations.add(parent)
    html = client.get(child.get_absolute_url()).content.decode()
    assert 'href="/organisations/holding/">Холдинг</a>' in html


def test_a_country_page_lists_only_visits_of_published_releases(client, visit):
    DelegationFactory(slug="planned", country=visit.delegations.get().country)
    ReleaseFactory().delegations.add(
        DelegationFactory(slug="drafted", country=Country.objects.get(code="RS"))
    )

    html = client.get("/countries/rs/").content.decode()

    assert 'href="/delegations/visit/"' in html
    assert "/delegations/planned/" not in html
    assert "/delegations/drafted/" not in html


def test_a_withdrawn_release_names_what_it_alone_mentioned_without_linking_it(client, publisher):
    alone = OfficialFactory(full_name="Только здесь", slug="alone")
    shared = OfficialFactory(full_name="Ещё и в другом", slug="shared")
    organisation = OrganisationFactory(name="Только здесь тоже", slug="alone-org")
    release = PublishedReleaseFactory()
    release.officials.add(alone, shared)
    release.organisations.add(organisation)
    release.countries.add(CountryFactory(code="KZ"))
    release.delegations.add(
        DelegationFactory(slug="alone-visit", country=CountryFactory(code="CN"))
    )
    PublishedReleaseFactory().officials.add(shared)
    workflow.release_withdraw(release=release, user=publisher, reason="Ошибка в дате.")

    response = client.get(release.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    for name in ["Только здесь", "Ещё и в другом", "Только здесь тоже"]:
        assert name in html
    for page in [
        "/officials/alone/",
        "/organisations/alone-org/",
        "/countries/kz/",
        "/delegations/alone-visit/",
    ]:
        assert f'href="{page}"' not in html, page
        assert page not in json.dumps(json_ld(html)), page
        assert client.get(page).status_code == 404, page
    assert 'href="/officials/shared/"' in html
    assert "/officials/shared/" in json.dumps(json_ld(html))


def test_a_published_release_links_and_marks_up_everything_it_mentions(client):
    release = PublishedReleaseFactory()
    release.officials.add(OfficialFactory(slug="named"))
    release.organisations.add(OrganisationFactory(slug="named-org"))
    release.countries.add(CountryFactory(code="KZ"))

    html = client.get(release.get_absolute_url()).content.decode()

    for page in ["/officials/named/", "/organisations/named-org/", "/countries/kz/"]:
        assert f'href="{page}"' in html, page
        assert page in json.dumps(json_ld(html)), page


def test_a_preview_shows_a_draft_with_its_private_mentions_without_error(client):
    draft = ReleaseFactory()
    draft.officials.add(OfficialFactory(full_name="Пока неизвестный", slug="unknown"))
    draft.delegations.add(DelegationFactory(slug="unknown-visit"))

    response = client.get(PreviewLinkFactory(release=draft).get_absolute_url())

    assert response.status_code == 200
    assert "Пока неизвестный" in response.content.decode()
