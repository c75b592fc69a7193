from __future__ import annotations

import datetime

import pytest
import schemathesis
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from news.models import Kind, Language, State
from tests.factories import (
    AppointmentFactory,
    CountryFactory,
    DelegationFactory,
    OfficialFactory,
    OrganisationFactory,
    PublishedReleaseFactory,
    ReleaseFactory,
    SourceURLFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """The limiter counts in the cache: each test starts with a clean slate."""
    cache.clear()
    yield
    cache.clear()


def get(client, path: str, status: int = 200, **headers):
    response = client.get(f"{API}{path}", headers=headers)
    assert response.status_code == status, response.content[:500]
    return response.json() if response.content else None


@pytest.fixture
def site():
    """Published releases that mention things, and things that only drafts mention."""
    now = timezone.now()
    ministry = OrganisationFactory(name="Министерство связи", slug="mpt")
    shulgan = OfficialFactory(full_name="Константин Шульган", slug="shulgan")
    AppointmentFactory(official=shulgan, title="Министр", organisation=ministry)
    serbia = CountryFactory(code="RS")
    visit = DelegationFactory(slug="serbia-2024", country=serbia, head=shulgan, host=ministry)
    editor = UserFactory(username="secret-editor-name")
    linked = PublishedReleaseFactory(
        title="Визит",
        slug="vizit",
        kind=Kind.VISIT,
        language=Language.RU,
        published_at=datetime.datetime(2024, 8, 28, 10, 0, tzinfo=datetime.UTC),
        tags=["Сербия"],
        created_by=editor,
        last_edited_by=editor,
        place="Минск",
    )
    linked.officials.add(shulgan)
    linked.organisations.add(ministry)
    linked.countries.add(serbia)
    linked.delegations.add(visit)
    SourceURLFactory(release=linked, url="https://www.mpt.gov.by/news/1")
    english = PublishedReleaseFactory(
        title="Statement",
        slug="statement",
        kind=Kind.STATEMENT,
        language=Language.EN,
        published_at=now - datetime.timedelta(hours=1),
    )
    secret_official = OfficialFactory(slug="secret-official")
    secret_org = OrganisationFactory(slug="secret-org")
    secret_visit = DelegationFactory(slug="secret-visit", country=CountryFactory(code="CN"))
    draft = ReleaseFactory(title="Черновик", slug="draft", tags=["секрет"])
    draft.officials.add(secret_official)
    draft.organisations.add(secret_org)
    draft.delegations.add(secret_visit)
    draft.countries.add(secret_visit.country)
    scheduled = ReleaseFactory(
        title="Запланированный",
        slug="scheduled",
        state=State.PUBLISHED,
        published_at=now + datetime.timedelta(days=1),
    )
    withdrawn = ReleaseFactory(
        title="Отозванный",
        slug="withdrawn",
        state=State.WITHDRAWN,
        published_at=now - datetime.timedelta(days=1),
    )
    return {
        "linked": linked,
        "english": english,
        "hidden": [draft, scheduled, withdrawn],
    }


# Releases -------------------------------------------------------------------------------------


def test_release_list_holds_only_published_releases_newest_first(client, site):
    data = get(client, "/releases")

    assert [item["title"] for item in data["items"]] == ["Statement", "Визит"]
    assert (data["count"], data["page"], data["pages"]) == (2, 1, 1)
    item = data["items"][1]
    assert item["guid"] == site["linked"].guid
    assert item["url"] == "http://testserver/news/vizit/"
    assert item["kind"] == "visit" and item["language"] == "ru"
    assert item["tags"] == [
        {
            "slug": "serbiia",
            "name": "Сербия",
            "url": "http://testserver/topics/serbiia/",
        }
    ]
    assert item["published_at"].startswith("2024-08-28T10:00:00")


@pytest.mark.parametrize("slug", ["draft", "scheduled", "withdrawn"])
def test_hidden_release_is_404_by_slug_and_by_uid(client, site, slug):
    release = next(r for r in site["hidden"] if r.slug == slug)

    get(client, f"/releases/{slug}", status=404)
    get(client, f"/releases/{release.uid}", status=404)


def test_release_detail_by_slug_and_by_uid_shows_everything_public(client, site):
    by_slug = get(client, "/releases/vizit")
    by_uid = get(client, f"/releases/{site['linked'].uid}")

    assert by_slug == by_uid
    assert by_slug["body"] == "<p>Стороны обсудили сотрудничество.</p>"
    assert by_slug["place"] == "Минск"
    assert by_slug["officials"] == [
        {
            "slug": "shulgan",
            "name": "Константин Шульган",
            "url": "http://testserver/officials/shulgan/",
            "position": "Министр",
        }
    ]
    assert [o["slug"] for o in by_slug["organisations"]] == ["mpt"]
    assert by_slug["countries"] == [
        {"code": "RS", "name": "Сербия", "url": "http://testserver/countries/rs/"}
    ]
    assert [d["slug"] for d in by_slug["delegations"]] == ["serbia-2024"]
    assert by_slug["sources"][0]["url"] == "https://www.mpt.gov.by/news/1"
    assert by_slug["change_notes"] == []


def test_api_never_shows_editors_or_workflow_fields(client, site):
    for path in ["/releases", "/releases/vizit"]:
        text = client.get(f"{API}{path}").content.decode()
        assert "secret-editor-name" not in text
        for field in ["created_by", "last_edited_by", "state", "version", "pending_revision"]:
            assert f'"{field}"' not in text, field


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ("kind=visit", ["Визит"]),
        ("language=en", ["Statement"]),
        ("tag=serbiia", ["Визит"]),
        ("official=shulgan", ["Визит"]),
        ("organisation=mpt", ["Визит"]),
        ("country=rs", ["Визит"]),
        ("country=RS", ["Визит"]),
        ("delegation=serbia-2024", ["Визит"]),
        ("published_after=2024-08-28&published_before=2024-08-28", ["Визит"]),
        ("published_after=2024-08-29", ["Statement"]),
        ("published_before=2024-08-27", []),
        ("kind=visit&language=en", []),
        ("official=secret-official", []),
        ("tag=sekret", []),
        ("official=nobody", []),
    ],
)
def test_release_filters(client, site, query, titles):
    data = get(client, f"/releases?{query}")

    assert [item["title"] for item in data["items"]] == titles
    assert data["count"] == len(titles)


def test_release_pages(client):
    now = timezone.now()
    for n in range(5):
        PublishedReleaseFactory(title=f"№{n}", published_at=now - datetime.timedelta(hours=n))

    second = get(client, "/releases?page=2&page_size=2")
    beyond = get(client, "/releases?page=9&page_size=2")

    assert [item["title"] for item in second["items"]] == ["№2", "№3"]
    assert (second["count"], second["page"], second["pages"]) == (5, 2, 3)
    assert beyond["items"] == []


@pytest.mark.parametrize(
    "query",
    [
        "page=0",
        "page=abc",
        "page=99999999999999999999999",
        "page_size=0",
        "page_size=1000",
        "kind=bogus",
        "language=xx",
        "country=xxx",
        "country=%00%00",
        "tag=%00",
        "official=a%20b",
        "published_after=yesterday",
        "published_after=0",
        "published_before=2024-13-45",
    ],
)
def test_malformed_parameters_are_4xx_never_500(client, query):
    response = client.get(f"{API}/releases?{query}")

    # 422 with the reason from the API; 400 where the site refuses the address before it.
    assert response.status_code in (400, 422), response.content[:300]
    if response.status_code == 422:
        assert response.json()["detail"]


@pytest.mark.parametrize(
    "path", ["/releases/%00", "/releases/a%20b", "/countries/xyz", "/officials/%E2%80%AE"]
)
def test_malformed_path_is_4xx(client, path):
    assert 400 <= client.get(f"{API}{path}").status_code < 500


# What releases mention ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "key", "public", "hidden"),
    [
        ("/officials", "slug", "shulgan", "secret-official"),
        ("/organisations", "slug", "mpt", "secret-org"),
        ("/countries", "code", "RS", "CN"),
        ("/delegations", "slug", "serbia-2024", "secret-visit"),
        ("/tags", "slug", "serbiia", "sekret"),
    ],
)
def test_entities_are_listed_only_when_a_published_release_mentions_them(
    client, site, path, key, public, hidden
):
    data = get(client, path)

    assert [item[key] for item in data["items"]] == [public]
    assert get(client, f"{path}/{public.lower()}")[key] == public
    get(client, f"{path}/{hidden.lower()}", status=404)


def test_official_shows_positions_and_delegation_its_people(client, site):
    official = get(client, "/officials/shulgan")
    delegation = get(client, "/delegations/serbia-2024")

    assert official["position"] == "Министр"
    assert official["appointments"][0]["organisation"] == "Министерство связи"
    assert delegation["country"] == "RS"
    assert delegation["head"]["slug"] == "shulgan"
    assert delegation["host"]["slug"] == "mpt"


# Query counts ---------------------------------------------------------------------------------


def count_queries(client, path: str) -> int:
    """The endpoint's queries; the rate limiter's count is its own (tests/test_api_rate.py)."""
    with CaptureQueriesContext(connection) as queries:
        get(client, path)
    return len([query for query in queries if "apiratewindow" not in query["sql"]])


@pytest.mark.parametrize(
    ("path", "bound"),
    [
        ("/releases", 3),
        ("/releases?tag=serbiia&official=shulgan", 3),
        ("/releases/vizit", 12),
        ("/officials", 3),
        ("/organisations", 2),
        ("/countries", 2),
        ("/delegations", 2),
        ("/tags", 2),
    ],
)
def test_api_costs_the_same_few_queries_however_many_rows(client, site, path, bound):
    few = count_queries(client, path)
    shulgan = site["linked"].officials.get()
    for release in PublishedReleaseFactory.create_batch(12, tags=["Сербия", "б"]):
        release.officials.add(shulgan, OfficialFactory())
        release.organisations.add(OrganisationFactory())
        release.countries.add(CountryFactory())
        release.delegations.add(DelegationFactory(head=OfficialFactory()))
    linked = site["linked"]
    linked.officials.add(*OfficialFactory.create_batch(3))
    linked.tags.add("в", "г")

    assert count_queries(client, path) == few <= bound


# HTTP: ETag, CORS, limits, OpenAPI ------------------------------------------------------------


def test_answers_carry_an_etag_and_a_conditional_request_gets_304(client, site):
    first = client.get(f"{API}/releases")
    again = client.get(f"{API}/releases", headers={"If-None-Match": first["ETag"]})

    assert first["ETag"]
    assert "max-age=60" in first["Cache-Control"]
    assert again.status_code == 304
    assert again.content == b""
    assert again["Access-Control-Allow-Origin"] == "*"


def test_etag_changes_when_the_data_does(client, site):
    first = client.get(f"{API}/releases/vizit")
    release = site["linked"]
    release.title = "Исправленный визит"
    release.save()

    again = client.get(f"{API}/releases/vizit", headers={"If-None-Match": first["ETag"]})

    assert again.status_code == 200
    assert again.json()["title"] == "Исправленный визит"


def test_get_is_open_to_any_site_and_preflight_is_answered(client, site):
    response = client.get(f"{API}/releases", headers={"Origin": "https://example.org"})
    preflight = client.options(
        f"{API}/releases",
        headers={"Origin": "https://example.org", "Access-Control-Request-Method": "GET"},
    )

    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    assert preflight.status_code == 204
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert "POST" not in preflight["Access-Control-Allow-Methods"]
    assert "Access-Control-Allow-Credentials" not in response


def test_writes_are_refused(client, site):
    assert client.post(f"{API}/releases", data={}).status_code == 405
    assert client.delete(f"{API}/releases/vizit").status_code == 405


def test_site_pages_get_no_cors_headers(client, site):
    assert "Access-Control-Allow-Origin" not in client.get("/")


def test_too_many_requests_get_429_with_retry_after(client, settings):
    settings.NEWS_API_RATE = "3/m"

    statuses = [client.get(f"{API}/tags").status_code for _ in range(4)]
    limited = client.get(f"{API}/tags")

    assert statuses == [200, 200, 200, 429]
    assert limited.status_code == 429
    assert int(limited["Retry-After"]) > 0
    assert limited["Access-Control-Allow-Origin"] == "*"


def test_other_clients_are_not_limited_by_one(client, settings):
    settings.NEWS_API_RATE = "2/m"
    for _ in range(3):
        client.get(f"{API}/tags")

    other = client.get(f"{API}/tags", REMOTE_ADDR="192.0.2.7")

    assert other.status_code == 200


def test_forwarded_for_cannot_dodge_the_limit_without_a_proxy(client, settings):
    settings.NEWS_API_RATE = "2/m"
    statuses = [
        client.get(f"{API}/tags", headers={"X-Forwarded-For": f"198.51.100.{n}"}).status_code
        for n in range(3)
    ]

    assert statuses[-1] == 429


def test_openapi_description_is_served_and_valid(client):
    raw = get(client, "/openapi.json")
    schema = schemathesis.openapi.from_dict(raw)

    schema.validate()  # against the OpenAPI 3.1 meta-schema; raises when invalid
    assert raw["openapi"].startswith("3.1")
    operations = {(op.ok().method.upper(), op.ok().path) for op in schema.get_all_operations()}
    expected = {("GET", "/api/v1/releases"), ("GET", "/api/v1/releases/{key}")}
    for path, key in [
        ("officials", "slug"),
        ("organisations", "slug"),
        ("countries", "code"),
        ("delegations", "slug"),
        ("tags", "slug"),
    ]:
        expected |= {("GET", f"/api/v1/{path}"), ("GET", f"/api/v1/{path}/{{{key}}}")}
    assert operations == expected
    for path in raw["paths"].values():
        assert set(path) == {"get"}
        assert {"200", "422", "429"} <= set(path["get"]["responses"])


def test_head_answers_like_get_without_a_body(client, site):
    get_response = client.get(f"{API}/releases")
    head = client.head(f"{API}/releases")

    assert head.status_code == 200
    assert head.content == b""
    assert head["ETag"] == get_response["ETag"]


def test_lead_image_is_described_with_its_size_and_description(client):
    from tests.factories import ImageFactory, photo_bytes

    image = ImageFactory(content=photo_bytes((40, 30)), alt="Министры на встрече")
    PublishedReleaseFactory(slug="s-foto", lead_image=image)

    (item,) = get(client, "/releases")["items"]

    assert item["lead_image"] == {
        "url": f"http://testserver{image.url}",
        "width": 40,
        "height": 30,
        "alt": "Министры на встрече",
    }
    assert get(client, "/releases/s-foto")["lead_image"] == item["lead_image"]
