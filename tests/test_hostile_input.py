"""Hostile input: nothing executes, nothing answers 500, nothing is stored half."""

from __future__ import annotations

import datetime
import re
from html.parser import HTMLParser
from urllib.parse import quote
from xml.etree import ElementTree

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from news.models import Official, Organisation, Release, SourceURL
from scripts.hostile_scan import (
    CORE_VALUES,
    PAGE_PARAMETERS,
    api_query_parameters,
    bad_paths,
    bad_queries,
    public_routes,
    reads_query,
    sample,
)
from tests.factories import (
    AppointmentFactory,
    CountryFactory,
    DelegationFactory,
    ImageFactory,
    OfficialFactory,
    OrganisationFactory,
    PublishedReleaseFactory,
    RevisionFactory,
)

pytestmark = pytest.mark.django_db

XSS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    '<img src=x onerror="alert(1)">',
    "<img src=x onerror=alert(1)//",
    '<svg onload="alert(1)">',
    "<svg><script>alert(1)</script></svg>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<body onload="alert(1)">',
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<style>*{background:url(javascript:alert(1))}</style>",
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<form action="javascript:alert(1)"><input type=submit></form>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<details open ontoggle="alert(1)">',
    '<input autofocus onfocus="alert(1)">',
    '<video><source onerror="alert(1)"></video>',
    '<marquee onstart="alert(1)">x</marquee>',
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    "</title><script>alert(1)</script>",
    "</textarea><script>alert(1)</script>",
    "{{ 7*7 }}{% debug %}",
    '<base href="javascript:/">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<link rel="stylesheet" href="javascript:alert(1)">',
    "<!--<img src=--><img src=x onerror=alert(1)//-->",
    '<p title="</p><script>alert(1)</script>">x</p>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
]

FORBIDDEN_TAGS = {"script", "iframe", "object", "embed", "svg", "math", "base", "style"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "xlink:href"}
BAD_SCHEMES = re.compile(r"^\s*(javascript|vbscript|data):", re.IGNORECASE)


class LiveMarkup(HTMLParser):
    """Collects the markup in a page that a browser would run: tags, handlers, URLs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        # A JSON-LD data block is not run; a break-out of it would show as a script of its own.
        data_block = values.get("type") == "application/ld+json" and not values.get("src")
        if tag in FORBIDDEN_TAGS and not (
            tag == "script" and ((values.get("src") or "").startswith("/static/") or data_block)
        ):
            self.found.append(f"<{tag}>")
        if tag == "meta" and "http-equiv" in values:
            self.found.append("<meta http-equiv>")
        for name, value in attrs:
            if name.startswith("on") or name == "srcdoc":
                self.found.append(f"{tag} {name}=")
            if name in URL_ATTRIBUTES and value and BAD_SCHEMES.match(value):
                self.found.append(f"{tag} {name}={value[:30]}")


def live_markup(html: str) -> list[str]:
    parser = LiveMarkup()
    parser.feed(html)
    return parser.found


def live_markup_in(response) -> list[str]:
    """Live markup in an HTML page, or in the HTML that feed readers render from a feed."""
    text = response.content.decode()
    if "xml" not in response.headers["Content-Type"]:
        return live_markup(text)
    root = ElementTree.fromstring(response.content)
    found = []
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1]
        # Plain-text elements (Atom type="text", Media RSS type="plain") are not rendered.
        plain = element.get("type") in {"text", "plain"}
        if tag in {"description", "encoded", "content", "summary"} and element.text and not plain:
            found += live_markup(element.text)
    return found


def public_pages(release: Release) -> list[str]:
    pages = [
        reverse("news:release-list"),
        release.get_absolute_url(),
        reverse("news:feed-rss"),
        reverse("news:feed-atom"),
    ]
    pages += [o.get_absolute_url() for o in release.officials.all()]
    pages += [o.get_absolute_url() for o in release.organisations.all()]
    pages += [d.get_absolute_url() for d in release.delegations.all()]
    return pages


@pytest.mark.parametrize("payload", XSS)
def test_payload_in_every_text_field_is_shown_as_text_never_run(client, payload):
    official = OfficialFactory(full_name=f"Иван {payload}", bio=payload)
    AppointmentFactory(official=official, title=payload)
    organisation = OrganisationFactory(name=f"Организация {payload}", short_name=payload[:100])
    delegation = DelegationFactory(title=f"Делегация {payload}", purpose=payload)
    release = PublishedReleaseFactory(
        title=f"Визит {payload}",
        summary=payload,
        body=f"<p>Текст {payload}</p>",
        place=payload[:300],
        lead_image=ImageFactory(alt=payload[:300], caption=payload[:500], credit=payload[:200]),
        tags=[payload[:100]],
    )
    release.officials.add(official)
    release.organisations.add(organisation)
    release.delegations.add(delegation)
    SourceURL.objects.create(release=release, url="https://example.org/a", title=payload)

    for url in public_pages(release):
        response = client.get(url)
        assert response.status_code == 200, url
        assert not live_markup_in(response), url


@pytest.mark.parametrize("payload", XSS)
def test_body_pasted_through_the_admin_form_is_sanitised(client, payload, django_user_model):
    admin = django_user_model.objects.create_superuser("chief", password="x-not-real-password-1")
    client.force_login(admin)
    response = client.post(
        reverse("admin:news_release_add"),
        {
            "title": "Заголовок",
            "kind": "press_release",
            "language": "ru",
            "summary": "Лид",
            "body": f"<p>До</p>{payload}<p>После</p>",
            "sources-TOTAL_FORMS": "0",
            "sources-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    body = Release.objects.get().body
    assert not live_markup(body), body
    assert body.startswith("<p>До</p>")  # a malformed payload may swallow what follows it


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "ftp://example.org/file",
        "https://user:secret@example.org/",
        "https://admin@example.org/",
        "http://",
        "https://exa mple.org/",
        "//example.org/no-scheme",
        "https://example.org/\x00",
    ],
)
def test_a_bad_source_address_is_refused_with_a_message(url):
    source = SourceURL(release=PublishedReleaseFactory(), url=url)
    with pytest.raises(ValidationError) as error:
        source.full_clean()
    assert "url" in error.value.message_dict


@pytest.mark.parametrize(
    "website", ["javascript:alert(1)", "https://user:pass@example.org", "data:text/html,x"]
)
def test_a_bad_organisation_website_is_refused(website):
    with pytest.raises(ValidationError):
        Organisation(name="Орг", slug="org", website=website).full_clean()


def admin_post(client, django_user_model, **fields):
    admin = django_user_model.objects.create_superuser("chief", password="x-not-real-password-1")
    client.force_login(admin)
    data = {
        "title": "Заголовок",
        "kind": "press_release",
        "language": "ru",
        "sources-TOTAL_FORMS": "0",
        "sources-INITIAL_FORMS": "0",
        **fields,
    }
    return client.post(reverse("admin:news_release_add"), data)


@pytest.mark.parametrize(
    "fields",
    [
        {"title": "З" * 501},
        {"title": "Заголовок\x00с нулём"},
        {"summary": "Лид\x00"},
        {"event_start": "2024-08-30", "event_end": "2024-08-28"},
        {"event_start": "2024-02-31"},
        {"event_start": "28 августа"},
        {"kind": "not-a-kind"},
        {"language": "xx"},
        {
            "sources-TOTAL_FORMS": "1",
            "sources-0-url": "https://user:pass@example.org/",
        },
    ],
)
def test_bad_admin_input_is_a_form_error_and_stores_nothing(client, django_user_model, fields):
    response = admin_post(client, django_user_model, **fields)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors or any(
        f.errors for f in response.context["inline_admin_formsets"][0].formset.forms
    )
    assert not Release.objects.exists()
    assert not SourceURL.objects.exists()


def test_a_taken_slug_becomes_a_new_unique_one_not_an_error(client, django_user_model):
    PublishedReleaseFactory(title="Визит", slug="vizit")
    response = admin_post(client, django_user_model, slug="vizit")
    assert response.status_code == 302
    assert Release.objects.get(slug="vizit-2").title == "Заголовок"


@pytest.mark.parametrize(
    "query",
    [
        "page=abc",
        "page=-1",
        "page=0",
        "page=999999",
        "page=1e9",
        "page=%00",
        "page=" + "9" * 400,
        "page[]=1",
        "page=1&page=2",
        "%ff%fe=1",
        "q=" + "а" * 5000,
        "a=%",
    ],
)
def test_odd_query_strings_on_public_pages_never_answer_500(client, query):
    release = PublishedReleaseFactory()
    official = OfficialFactory()
    release.officials.add(official)
    for path in [reverse("news:release-list"), official.get_absolute_url(), "/feeds/rss/"]:
        response = client.get(f"{path}?{query}")
        assert response.status_code in (200, 400, 404), (path, query, response.status_code)


@pytest.mark.parametrize(
    "path",
    [
        "/news/%00/",
        "/news/" + "a" * 3000 + "/",
        "/news/..%2f..%2fetc%2fpasswd/",
        "/officials/%D0%B8%D0%B2%D0%B0%D0%BD/",
        "/countries/%FF/",
        "/countries/zz/",
        "/countries/" + "x" * 500 + "/",
        "/topics/%00/",
        "/topics/" + "тег" * 300 + "/",
        "/delegations/<script>/",
        "/en/news/missing/",
        "/be/officials/nobody/",
    ],
)
def test_odd_paths_are_404_never_500(client, path):
    assert client.get(path).status_code == 404


def test_names_with_quotes_and_ampersands_survive_a_round_trip(client):
    release = PublishedReleaseFactory(title='«Минская почта» & "Белпочта" <b>')
    page = client.get(release.get_absolute_url()).text
    assert "«Минская почта» &amp; &quot;Белпочта&quot; &lt;b&gt;" in page
    assert Official.objects.count() == 0


# Generated hostile values on every public address and in every admin list -------------------


@pytest.fixture
def world(db):
    """One published release that mentions one of everything, and the values naming each."""
    country = CountryFactory(code="RS")
    official = OfficialFactory()
    organisation = OrganisationFactory(country=country)
    delegation = DelegationFactory(country=country, head=official)
    release = PublishedReleaseFactory(
        tags=["Сербия"], published_at=datetime.datetime(2024, 8, 28, 10, tzinfo=datetime.UTC)
    )
    release.officials.add(official)
    release.organisations.add(organisation)
    release.countries.add(country)
    release.delegations.add(delegation)
    tag = release.tags.get()
    return {
        "news.slug": release.slug,
        "releases.key": release.slug,
        "officials.slug": official.slug,
        "organisations.slug": organisation.slug,
        "countries.code": country.code,
        "delegations.slug": delegation.slug,
        "topics.slug": tag.slug,
        "tags.slug": tag.slug,
        "year": "2024",
        "month": "08",
        "day": "28",
        "kind": release.kind,
        "language": release.language,
        "section": "releases",
    }


@pytest.fixture
def no_api_limit(settings):
    settings.NEWS_API_RATE = "1000000/m"


ROUTES = public_routes()


def below_500(client, urls) -> dict[str, int]:
    """The addresses among urls that answer 500 or more, with their status."""
    client.raise_request_exception = False
    failed = {}
    for url in urls:
        status = client.get(url).status_code
        if status >= 500:
            failed[url[:200]] = status
    return failed


@pytest.mark.parametrize("route", [r for r in ROUTES if r.parameters], ids=lambda r: r.route)
def test_bad_values_in_each_path_parameter_never_answer_500(client, world, no_api_limit, route):
    urls = bad_paths(route, world, CORE_VALUES, every_parameter=False)
    assert below_500(client, urls) == {}


# One route of each view and depth: the rss and atom routes of a feed read the same parameters.
PAGE_ROUTES = list(
    {(r.view, len(r.parameters)): r for r in ROUTES if not r.route.startswith("api/")}.values()
)


@pytest.mark.parametrize("route", PAGE_ROUTES, ids=lambda r: r.route)
def test_bad_values_in_query_parameters_of_each_page_never_answer_500(client, world, route):
    page = route.fill({name: sample(route, name, world) for name in route.parameters})
    # A page that reads no parameter gets a few values: enough for the middleware and cache.
    values = CORE_VALUES if reads_query(page) else CORE_VALUES[::5]
    urls = bad_queries(
        page, PAGE_PARAMETERS, values, offset=len(route.route), translated=route.translated
    )
    assert below_500(client, urls) == {}


def test_bad_values_in_each_api_query_parameter_never_answer_500(client, world, no_api_limit):
    schema = client.get("/api/v1/openapi.json").json()
    parameters = api_query_parameters(schema)
    assert "page" in parameters["/api/v1/releases"]
    failed = {}
    for template, names in parameters.items():
        path = re.sub(r"\{(\w+)\}", lambda m: world.get(f"releases.{m[1]}", "x"), template)
        for name in names:
            failed |= below_500(client, bad_queries(path, [name], CORE_VALUES))
    assert failed == {}


# Item 5: digits that are not ASCII digits
UNICODE_DIGITS = ["¹", "²", "٣", "۴", "߅", "０", "１２", "๓"]


@pytest.mark.parametrize("digit", UNICODE_DIGITS)
@pytest.mark.parametrize("parameter", ["before", "after"])
def test_a_cursor_of_other_digits_is_404_not_500(client, world, parameter, digit):
    for cursor in [f"{digit}.{digit}", f"{digit}.1", f"1724839200000000.{digit}"]:
        response = client.get(reverse("news:release-list"), {parameter: cursor})
        assert response.status_code == 404, cursor


@pytest.mark.parametrize(
    "cursor", ["1724839200000000.9999999999999999999", "0.0", "1." + "9" * 20, "1.-1", ".", ""]
)
def test_a_cursor_out_of_range_is_an_answer_not_an_error(client, world, cursor):
    for parameter in ["before", "after"]:
        response = client.get(reverse("news:release-list"), {parameter: cursor})
        assert response.status_code in (200, 404), (parameter, cursor)


@pytest.mark.parametrize("page", [*UNICODE_DIGITS, "9" * 30, "-1", "1.5", " 1"])
def test_a_search_page_number_of_other_digits_or_too_many_is_404(client, world, page):
    response = client.get(reverse("news:search"), {"q": "визит", "page": page})
    assert response.status_code == 404


def test_a_search_page_number_in_ascii_digits_still_pages(client, world):
    assert client.get(reverse("news:search"), {"kind": "visit", "page": "1"}).status_code == 200
    assert client.get(reverse("news:search"), {"kind": "visit", "page": ""}).status_code == 200


# Item 6: years no day of which fits datetime in every time zone
@pytest.mark.parametrize("year", [1, 9999, 10000, 10**20])
def test_an_archive_year_out_of_range_is_404_on_every_database(client, world, year):
    urls = [f"/archive/{year}/", f"/archive/{year}/1/", f"/archive/{year}/1/1/"]
    urls += [f"/archive/{year}/12/31/", f"/en/archive/{year}/"]
    urls += [f"/feeds/archive/{year}/rss/", f"/feeds/archive/{year}/1/atom/"]
    urls += [f"/feeds/archive/{year}/12/31/rss/"]
    for url in urls:
        assert client.get(url).status_code == 404, url


def test_published_in_refuses_a_year_out_of_range_and_keeps_the_ones_inside():
    for year in [datetime.MINYEAR, datetime.MAXYEAR, 0, -1, 10**20]:
        with pytest.raises(ValueError):
            Release.objects.published_in(year)
    assert not Release.objects.published_in(2).exists()
    assert not Release.objects.published_in(9998, 12, 31).exists()


# Item 7: an admin search with no words in it
WORDLESS = ["'", "!!", "(((", "%", '"', ":*", "😀", "&|!", "<->", "\\"]


@pytest.mark.parametrize("term", WORDLESS)
def test_an_admin_search_with_no_words_answers_plainly(client, superuser, term):
    PublishedReleaseFactory(title="Визит в Сербию")
    PublishedReleaseFactory(title=f"Итоги {term} года")
    client.force_login(superuser)

    response = client.get(reverse("admin:news_release_changelist"), {"q": term})

    assert response.status_code == 200
    assert [r.title for r in response.context["cl"].result_list] == [f"Итоги {term} года"]


# Item 1 (fixed in tests/test_topics.py's work): a topic of punctuation only or an emoji.
@pytest.mark.parametrize("topic", ["—", "😀"])
def test_a_topic_with_no_letters_takes_no_public_page_down(client, world, no_api_limit, topic):
    release = PublishedReleaseFactory(tags=[topic])
    urls = ["/", "/en/", "/be/", release.get_absolute_url(), f"/kinds/{release.kind}/"]
    urls += ["/feeds/rss/", "/api/v1/releases", "/api/v1/tags", "/sitemap-topics.xml"]
    assert below_500(client, urls) == {}


# The admin's change lists: search, filters, date hierarchy, ordering and page -----------------

ADMIN_LISTS = [model._meta for model in admin.site._registry]
# One of each kind of bad value: the admin's pages cost more than the public ones.
ADMIN_VALUES = [quote(text, safe="") for text in ["!!", ":*", "😀", "¹", "٣", "０", "\x00"]]
ADMIN_VALUES += [quote(text, safe="") for text in [str(10**30), "-1", "1", "9999", "x" * 10_000]]
ADMIN_VALUES += ["%ZZ", "%C0%80", "%ED%A0%80", "..%2F..%2Fetc", "a%0D%0ASet-Cookie:%20x=1"]


def admin_parameters(response) -> list[str]:
    """The query parameters a change list reads: search, order, page, date hierarchy, filters."""
    changelist = response.context["cl"]
    names = ["q", "o", "p"]
    if hierarchy := changelist.date_hierarchy:
        names += [f"{hierarchy}__year", f"{hierarchy}__month", f"{hierarchy}__day"]
    for spec in changelist.filter_specs:
        names += spec.expected_parameters()
    return names


@pytest.mark.parametrize("role", ["superuser", "author"])
@pytest.mark.parametrize("opts", ADMIN_LISTS, ids=lambda opts: opts.label)
def test_bad_values_in_every_admin_change_list_never_answer_500(client, world, request, role, opts):
    client.force_login(request.getfixturevalue(role))
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    response = client.get(url)
    if response.status_code != 200:  # a list the role may not see
        assert response.status_code in (302, 403)
        return
    names = admin_parameters(response)
    offset = ["superuser", "author"].index(role)
    urls = bad_queries(url, names, ADMIN_VALUES, offset=offset)
    assert below_500(client, urls) == {}


@pytest.mark.parametrize("year", ["1", "9999", "10000", str(10**30), "٣"])
@pytest.mark.parametrize(
    "opts",
    [o for o in ADMIN_LISTS if admin.site._registry[o.model].date_hierarchy],
    ids=str,
)
def test_an_admin_date_hierarchy_out_of_range_never_answers_500(client, superuser, opts, year):
    field = admin.site._registry[opts.model].date_hierarchy
    client.force_login(superuser)
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    for query in [
        {f"{field}__year": year},
        {f"{field}__year": year, f"{field}__month": "12"},
        {f"{field}__year": year, f"{field}__month": "12", f"{field}__day": "31"},
    ]:
        assert client.get(url, query).status_code < 500, query


# Generated by hypothesis: any text at all where the site reads a number or a search ---------

ANY_TEXT = st.text(st.characters(codec="utf-8"), max_size=60)
BOUNDED = hypothesis_settings(
    max_examples=50,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@BOUNDED
@given(parameter=st.sampled_from(["before", "after"]), text=ANY_TEXT)
def test_any_text_as_a_cursor_is_a_page_or_404(client, world, parameter, text):
    response = client.get(reverse("news:release-list"), {parameter: text})
    assert response.status_code in (200, 400, 404)  # 400: a NUL byte


@BOUNDED
@given(text=ANY_TEXT)
def test_any_text_as_a_search_page_number_is_a_page_or_404(client, world, text):
    response = client.get(reverse("news:search"), {"q": "визит", "page": text})
    assert response.status_code in (200, 400, 404)


@BOUNDED
@given(text=ANY_TEXT)
def test_any_text_in_the_admin_release_search_is_answered(client, world, superuser, text):
    client.force_login(superuser)
    response = client.get(reverse("admin:news_release_changelist"), {"q": text})
    assert response.status_code in (200, 400)


# Item 5 in the admin's own views: the revisions compared are named by ids in the address.
@pytest.mark.parametrize("value", ["abc", "¹", "٣", "", str(10**30), "-1", "1.5"])
@pytest.mark.parametrize("parameter", ["a", "b"])
def test_comparing_revisions_named_by_no_id_is_404(client, superuser, parameter, value):
    revision = RevisionFactory(release=PublishedReleaseFactory())
    client.force_login(superuser)
    url = reverse("admin:news_release_revisions", args=[revision.release.pk])
    assert client.get(url, {"a": revision.pk, "b": "current"}).status_code == 200

    response = client.get(url, {"a": revision.pk, "b": "current", parameter: value})

    assert response.status_code == (200 if (parameter, value) == ("b", "") else 404)
