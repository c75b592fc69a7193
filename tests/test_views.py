from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from news.models import Kind, State
from news.models.public_version import site_changed
from news.pages import footer_pages
from news.templatetags.news_tags import format_date_range
from tests.factories import (
    AppointmentFactory,
    CountryFactory,
    DelegationFactory,
    ImageFactory,
    OfficialFactory,
    OrganisationFactory,
    PublishedReleaseFactory,
    ReleaseFactory,
    SourceURLFactory,
)

pytestmark = pytest.mark.django_db

MINSK = datetime.timezone(datetime.timedelta(hours=3))
LIST_URL = reverse("news:release-list")


@pytest.fixture(autouse=True)
def _russian():
    """Each test starts in Russian: a request under /en/ leaves its language active."""
    translation.activate("ru")


def titles(response) -> list[str]:
    """The release titles a reader sees in a listing, top to bottom."""
    html = response.content.decode()
    return re.findall(r'class="release-summary__title"><a href="[^"]+">([^<]+)</a>', html)


def count_queries(client, url: str) -> int:
    # The footer's pages are read once and kept until one changes (news.pages): not a page's cost.
    footer_pages()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def hidden_releases() -> list:
    now = timezone.now()
    return [
        ReleaseFactory(title="Черновик", state=State.DRAFT),
        ReleaseFactory(
            title="Запланированный",
            state=State.PUBLISHED,
            published_at=now + datetime.timedelta(days=1),
        ),
        ReleaseFactory(
            title="Отозванный", state=State.WITHDRAWN, published_at=now - datetime.timedelta(days=1)
        ),
        ReleaseFactory(
            title="Снятый с публикации",
            state=State.UNPUBLISHED,
            published_at=now - datetime.timedelta(days=1),
        ),
    ]


# The date helper -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "russian", "english"),
    [
        (datetime.date(2024, 8, 28), None, "28 августа 2024 г.", "28 August 2024"),
        (
            datetime.date(2024, 8, 28),
            datetime.date(2024, 8, 28),
            "28 августа 2024 г.",
            "28 August 2024",
        ),
        (
            datetime.date(2024, 8, 28),
            datetime.date(2024, 8, 30),
            "28–30 августа 2024 г.",
            "28–30 August 2024",
        ),
        (
            datetime.date(2024, 8, 30),
            datetime.date(2024, 9, 2),
            "30 августа – 2 сентября 2024 г.",
            "30 August – 2 September 2024",
        ),
        (
            datetime.date(2024, 12, 30),
            datetime.date(2025, 1, 3),
            "30 декабря 2024 г. – 3 января 2025 г.",
            "30 December 2024 – 3 January 2025",
        ),
    ],
)
def test_date_ranges_read_naturally_in_russian_and_english(start, end, russian, english):
    with translation.override("ru"):
        assert format_date_range(start, end) == russian
    with translation.override("en"):
        assert format_date_range(start, end) == english


def test_date_range_of_nothing_is_empty():
    assert format_date_range(None, None) == ""


# The listing -----------------------------------------------------------------------------


def test_listing_shows_published_releases_newest_first(client):
    now = timezone.now()
    PublishedReleaseFactory(title="Вчерашняя", published_at=now - datetime.timedelta(days=1))
    PublishedReleaseFactory(title="Сегодняшняя", published_at=now - datetime.timedelta(minutes=5))
    PublishedReleaseFactory(title="Позавчерашняя", published_at=now - datetime.timedelta(days=2))

    response = client.get(LIST_URL)

    assert response.status_code == 200
    assert titles(response) == ["Сегодняшняя", "Вчерашняя", "Позавчерашняя"]


def test_listing_hides_drafts_scheduled_withdrawn_and_unpublished(client):
    PublishedReleaseFactory(title="Опубликованный")
    hidden = hidden_releases()

    response = client.get(LIST_URL)

    assert titles(response) == ["Опубликованный"]
    for release in hidden:
        assert release.get_absolute_url() not in response.content.decode()


def test_listing_shows_date_in_minsk_time_with_russian_month_kind_summary_and_tags(client):
    PublishedReleaseFactory(
        title="Визит делегации",
        kind=Kind.VISIT,
        summary="Министры обсудили почтовую связь.",
        published_at=datetime.datetime(2024, 8, 28, 21, 30, tzinfo=datetime.UTC),
        tags=["Сербия", "почта"],
    )

    response = client.get(LIST_URL)

    html = response.content.decode()
    # 21:30 UTC is half past midnight the next day in Minsk.
    assert "29 августа 2024, 00:30" in html
    assert 'datetime="2024-08-29T00:30:00+03:00"' in html
    assert "Визит" in html
    assert "Министры обсудили почтовую связь." in html
    assert f'href="{reverse("news:tag-detail", args=["serbiia"])}"' in html
    assert ">почта</a>" in html


def test_empty_listing_says_nothing_is_published(client):
    response = client.get(LIST_URL)

    assert response.status_code == 200
    assert "Новостей пока нет." in response.content.decode()


def link(response, rel: str) -> str | None:
    """Where the page's "Older" (rel=next) or "Newer" (rel=prev) link goes, unescaped."""
    found = re.search(rf'rel="{rel}" href="([^"]+)"', response.content.decode())
    return found and found.group(1).replace("&amp;", "&")


def test_listing_pages_go_older_and_newer_by_cursor(client, settings):
    settings.NEWS_PAGE_SIZE = 2
    now = timezone.now()
    for n in range(5):
        PublishedReleaseFactory(
            title=f"Новость {n}", published_at=now - datetime.timedelta(hours=n)
        )

    first = client.get(LIST_URL)
    second = client.get(LIST_URL + link(first, "next"))
    third = client.get(LIST_URL + link(second, "next"))
    back = client.get(LIST_URL + link(third, "prev"))
    top = client.get(LIST_URL + link(back, "prev"))

    assert titles(first) == ["Новость 0", "Новость 1"]
    assert link(first, "prev") is None
    assert "Последние" in first.content.decode()
    assert titles(second) == ["Новость 2", "Новость 3"]
    assert titles(third) == ["Новость 4"]
    assert link(third, "next") is None
    assert titles(back) == ["Новость 2", "Новость 3"]
    # Going newer from the second page lands on the first page, whole.
    assert titles(top) == ["Новость 0", "Новость 1"]
    assert link(top, "prev") is None


def test_a_page_of_releases_published_at_the_same_instant_loses_and_repeats_none(client, settings):
    settings.NEWS_PAGE_SIZE = 2
    moment = timezone.now() - datetime.timedelta(hours=1)
    for n in range(5):
        PublishedReleaseFactory(title=f"Новость {n}", published_at=moment)

    seen, response = [], client.get(LIST_URL)
    while True:
        seen += titles(response)
        if not (older := link(response, "next")):
            break
        response = client.get(LIST_URL + older)

    assert sorted(seen) == [f"Новость {n}" for n in range(5)]


def test_a_deep_page_is_named_by_the_day_it_starts_from(client, settings):
    settings.NEWS_PAGE_SIZE = 1
    PublishedReleaseFactory(published_at=datetime.datetime(2024, 8, 30, 12, tzinfo=datetime.UTC))
    PublishedReleaseFactory(published_at=datetime.datetime(2024, 8, 28, 12, tzinfo=datetime.UTC))

    second = client.get(LIST_URL + link(client.get(LIST_URL), "next"))

    assert "<title>Новости, 28 августа 2024 и ранее" in second.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "before=abc",
        "before=-1.5",
        "before=1.5.6",
        "after=1",
        "before=99999999999999999999999999.1",
        "before=1000.1",
        "after=9999999999999999.1",
        "before=%00",
    ],
)
def test_malformed_or_out_of_range_cursor_is_404_never_500(client, settings, query):
    settings.NEWS_PAGE_SIZE = 2
    PublishedReleaseFactory.create_batch(3)

    response = client.get(f"{LIST_URL}?{query}")

    # A NUL byte is a bad request; the rest is no page.
    assert response.status_code == (400 if "%00" in query else 404)


def test_page_numbers_mean_nothing_to_a_listing(client):
    PublishedReleaseFactory(title="Новость")

    response = client.get(f"{LIST_URL}?page=5000")

    assert titles(response) == ["Новость"]


def test_listing_takes_four_queries_however_many_releases_and_tags(client, settings):
    settings.NEWS_PAGE_CACHE_SECONDS = 0
    PublishedReleaseFactory(tags=["а"])
    few = count_queries(client, LIST_URL)
    PublishedReleaseFactory.create_batch(10, tags=["б", "в", "г"])

    # The releases, their topics as plain rows, and their topics as models for the summaries
    # not kept yet (news.fragments); the page cache, off here, would read the public version.
    assert count_queries(client, LIST_URL) == few <= 3
    # Every summary kept: no models of topics.
    assert count_queries(client, LIST_URL) == 2


# A scheduled release appears by itself --------------------------------------------------------


def test_scheduled_release_appears_everywhere_at_its_minute_with_nothing_run(client):
    with time_machine.travel(datetime.datetime(2024, 8, 28, 9, 0, tzinfo=MINSK), tick=False) as t:
        release = ReleaseFactory(
            title="Запланированный визит",
            state=State.PUBLISHED,
            published_at=timezone.now() + datetime.timedelta(minutes=1),
        )
        detail = release.get_absolute_url()
        pages = [LIST_URL, reverse("news:feed-rss"), reverse("news:feed-atom")]

        t.shift(datetime.timedelta(seconds=59))
        assert client.get(detail).status_code == 404
        for url in pages:
            assert "Запланированный визит" not in client.get(url).content.decode()

        t.shift(datetime.timedelta(seconds=1))
        assert client.get(detail).status_code == 200
        for url in pages:
            assert "Запланированный визит" in client.get(url).content.decode()


# One release ---------------------------------------------------------------------------------


@pytest.fixture
def serbia_visit():
    """The seed release, with everything a release can carry."""
    ministry = OrganisationFactory(name="Министерство связи и информатизации", slug="mpt")
    serbian_ministry = OrganisationFactory(
        name="Министерство информации и телекоммуникаций Республики Сербия", slug="mitt-rs"
    )
    shulgan = OfficialFactory(full_name="Константин Шульган", slug="konstantin-shulgan")
    AppointmentFactory(
        official=shulgan,
        title="Министр связи и информатизации",
        organisation=ministry,
        start=datetime.date(2021, 6, 1),
        end=datetime.date(2025, 6, 30),
    )
    AppointmentFactory(
        official=shulgan,
        title="Помощник Президента",
        start=datetime.date(2025, 7, 1),
    )
    ristic = OfficialFactory(full_name="Деян Ристич", slug="dejan-ristic")
    AppointmentFactory(
        official=ristic,
        title="Министр информации и телекоммуникаций Республики Сербия",
        organisation=serbian_ministry,
        start=datetime.date(2024, 5, 2),
    )
    serbia = CountryFactory(code="RS")
    delegation = DelegationFactory(
        title="Визит делегации Республики Сербия",
        slug="serbia-2024",
        country=serbia,
        head=ristic,
        host=ministry,
    )
    release = PublishedReleaseFactory(
        title="Визит Министра информации и телекоммуникаций Республики Сербия в Беларусь",
        slug="vizit-serbiya-2024",
        kind=Kind.VISIT,
        summary="28 – 30 августа 2024 г. проходит визит Министра Деяна Ристича в Беларусь.",
        body="<p>Состоялись переговоры.</p><blockquote><p>- Нас интересует опыт Сербии.</p>"
        "</blockquote>",
        event_start=datetime.date(2024, 8, 28),
        event_end=datetime.date(2024, 8, 30),
        place="Минск",
        published_at=datetime.datetime(2024, 8, 28, 14, 5, tzinfo=MINSK),
        tags=["Сербия", "цифровизация"],
    )
    release.officials.set([shulgan, ristic])
    release.organisations.set([ministry, serbian_ministry])
    release.countries.set([serbia])
    release.delegations.set([delegation])
    SourceURLFactory(release=release, url="https://example.org/mirror", title="", is_primary=False)
    SourceURLFactory(
        release=release,
        url="https://www.mpt.gov.by/vizit-ministra-informacii-i-telekommunikaciy-respubliki-serbiya-v-belarus",
        title="Министерство связи и информатизации",
        is_primary=True,
    )
    return release


def test_release_page_shows_every_field(client, serbia_visit):
    response = client.get(serbia_visit.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert (
        "<h1>Визит Министра информации и телекоммуникаций Республики Сербия в Беларусь</h1>" in html
    )
    assert "28 августа 2024, 14:05" in html
    # A date's number keeps its word: no line starts with "г." (a no-break space).
    assert "28–30\u00a0августа 2024\u00a0г." in html
    assert "Минск" in html
    assert "проходит визит Министра Деяна Ристича" in html
    assert "<blockquote><p>—\u00a0Нас интересует опыт Сербии.</p></blockquote>" in html
    assert 'href="/officials/konstantin-shulgan/">Константин Шульган</a>' in html
    assert 'href="/officials/dejan-ristic/">Деян Ристич</a>' in html
    assert 'href="/delegations/serbia-2024/">Визит делегации Республики Сербия</a>' in html
    assert 'href="/organisations/mpt/">Министерство связи и информатизации</a>' in html
    assert 'href="/organisations/mitt-rs/">' in html
    assert 'href="/countries/rs/">Сербия</a>' in html
    assert f'href="{reverse("news:tag-detail", args=["tsifrovizatsiia"])}">цифровизация</a>' in html
    assert "Визит" in html


def test_release_page_gives_sources_under_the_lead_primary_first_with_their_site(
    client, serbia_visit
):
    html = client.get(serbia_visit.get_absolute_url()).content.decode()

    source = html[html.index('<p class="release__source">') :]
    source = source[: source.index("</p>")]
    assert html.index('class="release__lead"') < html.index('class="release__source"')
    assert html.index('class="release__source"') < html.index('class="release__body"')
    assert "Источники:" in source
    primary = source.index(">Министерство связи и информатизации</a>")
    mirror = source.index('href="https://example.org/mirror">example.org</a>')
    assert primary < mirror


def test_release_with_one_source_names_it_in_the_singular(client):
    release = PublishedReleaseFactory()
    SourceURLFactory(release=release, url="https://www.mpt.gov.by/ru/news/1", title="")

    html = client.get(release.get_absolute_url()).content.decode()

    assert "Источник:</span>" in html
    assert '<a href="https://www.mpt.gov.by/ru/news/1">mpt.gov.by</a>' in html


def test_official_is_shown_with_the_position_held_on_the_day_of_the_event(client, serbia_visit):
    html = client.get(serbia_visit.get_absolute_url()).content.decode()

    assert '<span class="position">Министр связи и информатизации</span>' in html
    assert "Помощник Президента" not in html


def test_release_page_shows_lead_image_with_its_size_and_description(client):
    image = ImageFactory(alt="Министры за столом переговоров")
    release = PublishedReleaseFactory(lead_image=image)

    html = client.get(release.get_absolute_url()).content.decode()

    assert "<picture" in html
    assert 'alt="Министры за столом переговоров"' in html
    assert f'width="{image.width}" height="{image.height}"' in html


@pytest.mark.parametrize("state", [State.DRAFT, State.SUBMITTED, State.APPROVED])
def test_release_not_published_is_404(client, state):
    release = ReleaseFactory(state=state, published_at=timezone.now() - datetime.timedelta(days=1))

    assert client.get(release.get_absolute_url()).status_code == 404


def test_scheduled_release_is_404_for_anonymous(client):
    release = ReleaseFactory(
        state=State.PUBLISHED, published_at=timezone.now() + datetime.timedelta(hours=1)
    )

    assert client.get(release.get_absolute_url()).status_code == 404


def test_release_page_escapes_title_and_summary_but_shows_body_html(client):
    release = PublishedReleaseFactory(
        title="<script>alert(1)</script> Заголовок",
        summary="A < B & C",
        body="<p>Текст <strong>жирный</strong></p><script>alert(2)</script>",
    )

    html = client.get(release.get_absolute_url()).content.decode()

    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Заголовок" in html
    assert "A &lt; B &amp; C" in html
    assert "<strong>жирный</strong>" in html


def test_release_page_takes_a_fixed_number_of_queries(client, serbia_visit):
    few = count_queries(client, serbia_visit.get_absolute_url())

    ministry = serbia_visit.organisations.first()
    for n in range(4):
        official = OfficialFactory()
        AppointmentFactory(official=official, organisation=ministry)
        AppointmentFactory(official=official, organisation=OrganisationFactory(), start=None)
        serbia_visit.officials.add(official)
        serbia_visit.organisations.add(OrganisationFactory())
        serbia_visit.delegations.add(DelegationFactory(country=CountryFactory(code="KZ")))
        serbia_visit.tags.add(f"тема {n}")
        SourceURLFactory(release=serbia_visit, is_primary=False)
    serbia_visit.countries.add(CountryFactory(code="CN"), CountryFactory(code="UZ"))
    site_changed()  # written directly, not through a service: say so as one would

    many = count_queries(client, serbia_visit.get_absolute_url())

    # One for the public version (news.pagecache); one for the row, then (its article not kept
    # yet, news.articles) ten for the release and what it mentions; one each for its
    # translations, the related news and the site's default press contact.
    assert many == few <= 14


def test_a_kept_article_leaves_a_release_page_four_queries(client, serbia_visit):
    count_queries(client, serbia_visit.get_absolute_url())
    PublishedReleaseFactory()
    site_changed(releases_only=True)  # as the services publishing a release say

    # The public version, the row, its translations and the related news: the article, kept
    # under a key of all it shows, is not rendered again.
    assert count_queries(client, serbia_visit.get_absolute_url()) == 4


# Pages about officials, organisations, countries, delegations, topics ------------------------


def test_official_page_shows_current_position_history_and_only_published_releases(
    client, serbia_visit
):
    shulgan = serbia_visit.officials.get(slug="konstantin-shulgan")
    draft = ReleaseFactory(title="Черновик о Шульгане")
    draft.officials.add(shulgan)

    response = client.get(shulgan.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Константин Шульган</h1>" in html
    assert '<p class="entity__position">Помощник Президента</p>' in html
    assert "Министр связи и информатизации" in html
    assert "1\u00a0июня 2021\u00a0г. – 30\u00a0июня 2025\u00a0г." in html
    assert "с 1\u00a0июля 2025\u00a0г." in html
    assert html.index("Помощник Президента") < html.index("1\u00a0июня 2021\u00a0г.")
    assert serbia_visit.title in html
    assert "Черновик о Шульгане" not in html


def test_official_page_paginates_their_releases(client, settings):
    settings.NEWS_PAGE_SIZE = 2
    official = OfficialFactory()
    for release in PublishedReleaseFactory.create_batch(3):
        release.officials.add(official)

    first = client.get(official.get_absolute_url())
    second = client.get(official.get_absolute_url() + link(first, "next"))

    assert len(titles(first)) == 2
    assert len(titles(second)) == 1
    assert client.get(official.get_absolute_url(), {"before": "x"}).status_code == 404


def test_unknown_official_is_404(client):
    assert client.get(reverse("news:official-detail", args=["nobody"])).status_code == 404


def test_organisation_page_shows_details_and_only_published_releases(client, serbia_visit):
    ministry = serbia_visit.organisations.get(slug="mpt")
    ministry.short_name = "Минсвязи"
    ministry.website = "https://www.mpt.gov.by/"
    ministry.country = CountryFactory(code="BY")
    ministry.save()
    ReleaseFactory(title="Черновик о Минсвязи").organisations.add(ministry)

    html = client.get(ministry.get_absolute_url()).content.decode()

    assert "<h1>Министерство связи и информатизации</h1>" in html
    assert "Минсвязи" in html
    assert 'href="https://www.mpt.gov.by/"' in html
    assert 'href="/countries/by/">Беларусь</a>' in html
    assert "Министерство или государственный орган" in html
    assert serbia_visit.title in html
    assert "Черновик о Минсвязи" not in html


@pytest.mark.parametrize("code", ["rs", "RS", "Rs"])
def test_country_page_is_found_by_code_in_any_case(client, serbia_visit, code):
    response = client.get(reverse("news:country-detail", args=[code]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Сербия</h1>" in html
    assert serbia_visit.title in html
    assert 'href="/delegations/serbia-2024/">' in html


@pytest.mark.parametrize("code", ["zz", "xx", "rus", "1"])
def test_unknown_country_is_404(client, code):
    CountryFactory(code="RS")

    assert client.get(reverse("news:country-detail", args=[code])).status_code == 404


def test_delegation_page_shows_who_came_when_why_and_its_releases(client, serbia_visit):
    delegation = serbia_visit.delegations.get()
    delegation.purpose = "Переговоры о цифровизации и почтовой связи."
    delegation.organisation = serbia_visit.organisations.get(slug="mitt-rs")
    delegation.save()
    member = OfficialFactory(full_name="Милан Петрович")
    AppointmentFactory(official=member, title="Государственный секретарь")
    delegation.members.add(member, delegation.head)

    html = client.get(delegation.get_absolute_url()).content.decode()

    assert "<h1>Визит делегации Республики Сербия</h1>" in html
    assert "28–30\u00a0августа 2024\u00a0г." in html
    assert "Переговоры о цифровизации и почтовой связи." in html
    assert 'href="/countries/rs/">Сербия</a>' in html
    assert 'href="/organisations/mitt-rs/">' in html
    assert 'href="/organisations/mpt/">Министерство связи и информатизации</a>' in html
    assert 'href="/officials/dejan-ristic/">Деян Ристич</a>' in html
    assert "глава делегации" in html
    assert html.count('href="/officials/dejan-ristic/"') == 1
    assert 'href="/officials/' in html and "Милан Петрович" in html
    assert "Государственный секретарь" in html
    assert serbia_visit.title in html


def test_delegation_page_is_404_until_a_release_about_it_is_published(client):
    delegation = DelegationFactory()
    release = ReleaseFactory()
    release.delegations.add(delegation)

    assert client.get(delegation.get_absolute_url()).status_code == 404

    release.state = State.PUBLISHED
    release.published_at = timezone.now()
    release.save()

    assert client.get(delegation.get_absolute_url()).status_code == 200


def test_tag_page_lists_only_published_releases_with_the_tag(client):
    PublishedReleaseFactory(title="Про почту", tags=["почта"])
    PublishedReleaseFactory(title="Про связь", tags=["связь"])
    ReleaseFactory(title="Черновик про почту", tags=["почта"])

    response = client.get(reverse("news:tag-detail", args=["pochta"]))

    assert response.status_code == 200
    assert "<h1>почта</h1>" in response.content.decode()
    assert titles(response) == ["Про почту"]


def test_tag_of_drafts_only_is_404(client):
    ReleaseFactory(tags=["секретный визит"])

    assert client.get(reverse("news:tag-detail", args=["sekretnyi-vizit"])).status_code == 404
    assert client.get(reverse("news:tag-detail", args=["нет-такой"])).status_code == 404


def entity_urls(release) -> list[str]:
    return [
        release.officials.first().get_absolute_url(),
        release.organisations.first().get_absolute_url(),
        release.countries.first().get_absolute_url(),
        release.delegations.first().get_absolute_url(),
        reverse("news:tag-detail", args=[release.tags.first().slug]),
    ]


def test_entity_pages_take_a_fixed_number_of_queries(client, serbia_visit):
    official, organisation = serbia_visit.officials.first(), serbia_visit.organisations.first()
    country, delegation = serbia_visit.countries.first(), serbia_visit.delegations.first()
    delegation.members.add(AppointmentFactory(organisation=organisation).official)
    urls = entity_urls(serbia_visit)
    few = {url: count_queries(client, url) for url in urls}

    for n in range(5):
        AppointmentFactory(official=official, organisation=OrganisationFactory())
        member = OfficialFactory()
        AppointmentFactory(official=member, organisation=OrganisationFactory())
        delegation.members.add(member)
        DelegationFactory(country=country).releases.add(PublishedReleaseFactory())
        release = PublishedReleaseFactory(tags=["Сербия", f"тема {n}"])
        release.officials.add(official)
        release.organisations.add(organisation)
        release.countries.add(country)
        release.delegations.add(delegation)
    many = {url: count_queries(client, url) for url in urls}

    assert many == few
    assert max(many.values()) <= 10


# Every page ----------------------------------------------------------------------------------


def test_every_page_links_its_rss_and_atom_feeds_and_stylesheet(client, serbia_visit):
    rss = reverse("news:feed-rss")
    atom = reverse("news:feed-atom")
    urls = [LIST_URL, serbia_visit.get_absolute_url(), *entity_urls(serbia_visit), "/no-such/"]

    for url in urls:
        html = client.get(url).content.decode()
        head = html[: html.index("</head>")]
        assert '<link rel="alternate" type="application/rss+xml"' in head, url
        assert f'href="{rss}"' in head, url
        assert '<link rel="alternate" type="application/atom+xml"' in head, url
        assert f'href="{atom}"' in head, url
        assert '<link rel="stylesheet" href="/static/css/site.css">' in head, url
        assert '<html lang="ru">' in html, url
        assert 'href="#content"' in html and 'id="content"' in html, url


def test_pages_carry_no_inline_scripts_or_styles(client, serbia_visit):
    for url in [LIST_URL, serbia_visit.get_absolute_url(), *entity_urls(serbia_visit)]:
        html = client.get(url).content.decode()
        # The one script allowed: the release's JSON-LD data block, which browsers never run.
        html = re.sub(r'<script type="application/ld\+json">[^<]*</script>', "", html)
        assert "<script" not in html, url
        assert "style=" not in html, url
        assert "<style" not in html, url


def test_missing_page_is_a_friendly_404_in_russian(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "Страница не найдена" in response.content.decode()


def test_unprefixed_pages_are_russian_whatever_the_browser_asks(client):
    PublishedReleaseFactory()
    response = client.get("/", headers={"accept-language": "en-US,en;q=0.9"})
    assert response.status_code == 200
    assert '<html lang="ru"' in response.text


@pytest.mark.parametrize("language", ["be", "en"])
def test_belarusian_and_english_pages_live_under_their_prefix(client, language):
    release = PublishedReleaseFactory()
    response = client.get(f"/{language}/news/{release.slug}/")
    assert response.status_code == 200
    assert f'<html lang="{language}"' in response.text


# Listings by kind and by date -----------------------------------------------------------------


def test_kind_page_lists_published_releases_of_that_kind_newest_first(client):
    now = timezone.now()
    PublishedReleaseFactory(
        title="Старый визит", kind=Kind.VISIT, published_at=now - datetime.timedelta(days=2)
    )
    PublishedReleaseFactory(
        title="Новый визит", kind=Kind.VISIT, published_at=now - datetime.timedelta(hours=1)
    )
    PublishedReleaseFactory(title="Заявление", kind=Kind.STATEMENT)
    ReleaseFactory(title="Черновик визита", kind=Kind.VISIT)

    response = client.get(reverse("news:kind-list", args=["visit"]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Визит</h1>" in html
    assert titles(response) == ["Новый визит", "Старый визит"]
    head = html[: html.index("</head>")]
    assert f'href="{reverse("news:kind-feed-rss", args=["visit"])}"' in head
    assert f'href="{reverse("news:kind-feed-atom", args=["visit"])}"' in head


def test_kind_page_is_paginated_and_unknown_kind_is_404(client, settings):
    settings.NEWS_PAGE_SIZE = 2
    PublishedReleaseFactory.create_batch(3, kind=Kind.VISIT)
    url = reverse("news:kind-list", args=["visit"])

    first = client.get(url)
    assert len(titles(first)) == 2
    assert len(titles(client.get(url + link(first, "next")))) == 1
    assert client.get(reverse("news:kind-list", args=["gossip"])).status_code == 404


def test_listing_links_every_kind_and_the_archive_and_each_release_its_kind(client):
    PublishedReleaseFactory(kind=Kind.AGREEMENT)

    html = client.get(LIST_URL).content.decode()

    for kind in Kind.values:
        assert f'href="{reverse("news:kind-list", args=[kind])}"' in html
    assert f'<a class="kind" href="{reverse("news:kind-list", args=["agreement"])}">' in html
    assert f'href="{reverse("news:archive")}"' in html


@pytest.fixture
def archive_releases():
    def at(*args):
        return datetime.datetime(*args, tzinfo=MINSK)

    PublishedReleaseFactory(title="Август, 28-е", published_at=at(2024, 8, 28, 10, 0))
    PublishedReleaseFactory(title="Август, 28-е, вечер", published_at=at(2024, 8, 28, 20, 0))
    # 00:30 in Minsk on 1 September is still 31 August in UTC: it belongs to September.
    PublishedReleaseFactory(title="Сентябрь, 1-е", published_at=at(2024, 9, 1, 0, 30))
    PublishedReleaseFactory(title="Прошлый год", published_at=at(2023, 12, 31, 23, 0))
    ReleaseFactory(title="Черновик", published_at=at(2024, 8, 28, 11, 0))
    ReleaseFactory(title="Отозванный", state=State.WITHDRAWN, published_at=at(2024, 8, 28, 12, 0))


def test_archive_lists_years_with_counts_newest_first(client, archive_releases):
    html = client.get(reverse("news:archive")).content.decode()

    assert html.index('href="/archive/2024/">2024</a>') < html.index('href="/archive/2023/">2023')
    assert "3 публикации" in html
    assert "1 публикация" in html


def test_archive_year_lists_months_in_russian_with_counts(client, archive_releases):
    html = client.get(reverse("news:archive-year", args=[2024])).content.decode()

    assert 'href="/archive/2024/09/">Сентябрь</a>' in html
    assert 'href="/archive/2024/08/">Август</a>' in html
    assert html.index("Сентябрь") < html.index(">Август<")
    assert "2 публикации" in html


def test_archive_month_lists_days_with_counts_and_its_releases(client, archive_releases):
    response = client.get(reverse("news:archive-month", args=[2024, 8]))

    html = response.content.decode()
    assert "<h1>Август 2024</h1>" in html
    assert 'href="/archive/2024/08/28/">28 августа</a>' in html
    assert "2 публикации" in html
    assert titles(response) == ["Август, 28-е, вечер", "Август, 28-е"]


def test_archive_day_counts_in_minsk_time(client, archive_releases):
    september = client.get(reverse("news:archive-day", args=[2024, 9, 1]))

    assert titles(september) == ["Сентябрь, 1-е"]
    assert "<h1>1 сентября 2024</h1>" in september.content.decode()
    assert client.get(reverse("news:archive-day", args=[2024, 8, 31])).status_code == 404


def test_archive_month_and_day_names_follow_the_readers_language(client, archive_releases):
    year = client.get("/en/archive/2024/").content.decode()
    day = client.get("/en/archive/2024/08/28/").content.decode()

    assert 'href="/en/archive/2024/08/">August</a>' in year
    assert "<h1>28 August 2024</h1>" in day


@pytest.mark.parametrize(
    "url",
    [
        "/archive/2024/13/",
        "/archive/2024/02/30/",
        "/archive/0/",
        "/archive/2022/",
        "/archive/2024/07/",
    ],
)
def test_archive_of_no_date_or_an_empty_period_is_404(client, archive_releases, url):
    assert client.get(url).status_code == 404


def test_archive_pages_take_a_fixed_number_of_queries(client, archive_releases):
    urls = ["/archive/", "/archive/2024/", "/archive/2024/08/", "/archive/2024/08/28/"]
    few = {url: count_queries(client, url) for url in urls}
    PublishedReleaseFactory.create_batch(
        5, published_at=datetime.datetime(2024, 8, 28, 9, 0, tzinfo=MINSK), tags=["а", "б"]
    )
    site_changed()  # written directly, not through a service: say so as one would

    assert {url: count_queries(client, url) for url in urls} == few
    assert max(few.values()) <= 5


@pytest.mark.parametrize("entity", ["tag", "organisation", "country", "delegation"])
def test_entity_pages_paginate_their_releases(client, settings, serbia_visit, entity):
    settings.NEWS_PAGE_SIZE = 2
    for release in PublishedReleaseFactory.create_batch(2, tags=["Сербия"]):
        release.organisations.add(serbia_visit.organisations.first())
        release.countries.add(serbia_visit.countries.first())
        release.delegations.add(serbia_visit.delegations.first())
    url = dict(
        zip(
            ["official", "organisation", "country", "delegation", "tag"],
            entity_urls(serbia_visit),
            strict=True,
        )
    )[entity]

    first = client.get(url)
    assert len(titles(first)) == 2
    assert len(titles(client.get(url + link(first, "next")))) == 1


# The release page's extras: contact, sharing, related news, translations, print -------------


def test_release_page_shows_its_own_press_contact_or_the_site_default(client):
    from tests.factories import ContactFactory

    ContactFactory(name="Пресс-служба (дежурный)", is_default=True, email="press@mpt.gov.by")
    own = PublishedReleaseFactory(
        contact=ContactFactory(name="Анна Петрова", email="anna@mpt.gov.by")
    )
    plain = PublishedReleaseFactory()

    own_html = client.get(own.get_absolute_url()).content.decode()
    plain_html = client.get(plain.get_absolute_url()).content.decode()

    assert "Контакт для прессы" in own_html
    assert "Анна Петрова" in own_html and "дежурный" not in own_html
    assert 'href="mailto:anna@mpt.gov.by"' in own_html
    assert 'href="tel:+37517287-87-87">+375 17 287-87-87</a>' in own_html
    assert "Пресс-служба (дежурный)" in plain_html


def test_release_page_without_any_contact_shows_no_contact_section(client):
    html = client.get(PublishedReleaseFactory().get_absolute_url()).content.decode()

    assert "Контакт для прессы" not in html


def test_only_one_contact_can_be_the_default():
    from django.db import IntegrityError, transaction

    from tests.factories import ContactFactory

    ContactFactory(is_default=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        ContactFactory(is_default=True)


def test_release_page_has_plain_share_links_and_no_third_party_script(client, serbia_visit):
    html = client.get(serbia_visit.get_absolute_url()).content.decode()

    share = html[html.index('<section class="share"') :]
    share = share[: share.index("</section>")]
    page = "http%3A%2F%2Ftestserver%2Fnews%2Fvizit-serbiya-2024%2F"
    assert f'href="https://t.me/share/url?url={page}&amp;text=' in share
    assert f'href="https://vk.com/share.php?url={page}' in share
    assert f'href="https://www.facebook.com/sharer/sharer.php?u={page}"' in share
    assert f'href="https://x.com/intent/post?url={page}' in share
    assert 'href="mailto:?subject=' in share
    # No script but the page's own JSON-LD data block.
    scripts = re.findall(r"<script[^>]*>", html)
    assert scripts == ['<script type="application/ld+json">']


def test_related_releases_share_officials_delegations_or_topics_best_first(client, serbia_visit):
    now = timezone.now()
    delegation = serbia_visit.delegations.get()
    shulgan = serbia_visit.officials.get(slug="konstantin-shulgan")
    same_visit = PublishedReleaseFactory(
        title="Итоги визита", published_at=now - datetime.timedelta(days=3)
    )
    same_visit.delegations.add(delegation)
    same_person = PublishedReleaseFactory(
        title="Шульган о связи", published_at=now - datetime.timedelta(days=2)
    )
    same_person.officials.add(shulgan)
    PublishedReleaseFactory(
        title="Про цифровизацию",
        tags=["цифровизация"],
        published_at=now - datetime.timedelta(days=1),
    )
    PublishedReleaseFactory(title="Ни о чём общем", tags=["почта"])
    ReleaseFactory(title="Черновик о визите").delegations.add(delegation)
    call_command("rebuild_related")  # written directly, not through the services

    html = client.get(serbia_visit.get_absolute_url()).content.decode()

    related = html[html.index('<section class="related"') :]
    related = related[: related.index("</section>")]
    names = re.findall(r'<li><a href="[^"]+">([^<]+)</a>', related)
    assert names == ["Итоги визита", "Шульган о связи", "Про цифровизацию"]


def test_release_page_with_related_news_still_takes_a_fixed_number_of_queries(client, serbia_visit):
    few = count_queries(client, serbia_visit.get_absolute_url())
    for n in range(5):
        other = PublishedReleaseFactory(tags=["Сербия", f"тема {n}"])
        other.officials.add(*serbia_visit.officials.all())
        other.delegations.add(*serbia_visit.delegations.all())

    site_changed()  # written directly, not through a service: say so as one would

    assert count_queries(client, serbia_visit.get_absolute_url()) == few <= 14


def test_print_stylesheet_hides_navigation_search_and_sharing():
    from pathlib import Path

    css = (Path(__file__).resolve().parent.parent / "static" / "css" / "site.css").read_text()
    print_rules = css[css.index("@media print") :]
    hidden = print_rules[: print_rules.index("display: none")]
    for selector in [".site-nav", ".site-search", ".language-switcher", ".share", ".related"]:
        assert selector in hidden


# Low-vision mode ----------------------------------------------------------------------------

LOW_VISION_URL = reverse("news:low-vision")


def test_every_page_offers_the_low_vision_version_as_a_plain_link(client, serbia_visit):
    html = client.get(serbia_visit.get_absolute_url()).content.decode()

    assert '<html lang="ru">' in html
    assert (
        f'<a href="{LOW_VISION_URL}?mode=on&amp;next=/news/vizit-serbiya-2024/">'
        "Версия для слабовидящих</a>"
    ) in html


def test_low_vision_mode_is_kept_in_a_cookie_and_marks_every_page(client, serbia_visit):
    response = client.get(LOW_VISION_URL, {"mode": "on", "next": serbia_visit.get_absolute_url()})

    assert response.status_code == 302
    assert response["Location"] == serbia_visit.get_absolute_url()
    assert response.cookies["low_vision"].value == "1.bw.normal.on"
    assert response.cookies["low_vision"]["httponly"]
    for url in ["/", serbia_visit.get_absolute_url(), "/search/?q=x"]:
        html = client.get(url).content.decode()
        assert '<html lang="ru" class="low-vision low-vision--size-1 low-vision--bw">' in html
        assert "Обычная версия</a>" in html and "— Скрыть изображения</span></a>" in html, url


@pytest.mark.parametrize(
    ("query", "classes"),
    [
        ({"size": "3"}, "low-vision--size-3 low-vision--bw"),
        ({"scheme": "wb"}, "low-vision--size-1 low-vision--wb"),
        ({"scheme": "blue"}, "low-vision--size-1 low-vision--blue"),
        ({"spacing": "wide"}, "low-vision--size-1 low-vision--bw low-vision--wide"),
        ({"images": "off"}, "low-vision--size-1 low-vision--bw low-vision--no-images"),
    ],
)
def test_each_low_vision_setting_is_one_plain_link_and_kept(client, query, classes):
    client.get(LOW_VISION_URL, {"mode": "on", "next": "/"})

    client.get(LOW_VISION_URL, {**query, "next": "/"})

    assert f'class="low-vision {classes}"' in client.get("/").content.decode()


def test_low_vision_settings_add_up_and_the_current_ones_are_marked(client):
    for query in [{"mode": "on"}, {"size": "2"}, {"scheme": "blue"}, {"spacing": "wide"}]:
        client.get(LOW_VISION_URL, {**query, "next": "/"})

    html = client.get("/").content.decode()

    assert 'class="low-vision low-vision--size-2 low-vision--blue low-vision--wide"' in html
    current = re.findall(r'href="([^"]*)"[^>]* aria-current="true"', html)
    assert current == [
        f"{LOW_VISION_URL}?size=2&amp;next=/",
        f"{LOW_VISION_URL}?scheme=blue&amp;next=/",
        f"{LOW_VISION_URL}?spacing=wide&amp;next=/",
        f"{LOW_VISION_URL}?images=on&amp;next=/",
    ]
    assert f'href="{LOW_VISION_URL}?size=3&amp;next=/"' in html
    assert "— Белым по чёрному</span></a>" in html


@pytest.mark.parametrize("cookie", ["9.bw.normal.on", "1.red.normal.on", "x", "1.bw.normal", "off"])
def test_a_low_vision_cookie_not_ours_shows_the_standard_version(client, cookie):
    client.cookies["low_vision"] = cookie

    assert '<html lang="ru">' in client.get("/").content.decode()


def test_low_vision_mode_can_hide_images_and_be_switched_off(client):
    client.get(LOW_VISION_URL, {"mode": "no-images", "next": "/"})
    assert "low-vision--no-images" in client.get("/").content.decode()
    assert "— Показать изображения</span></a>" in client.get("/").content.decode()

    response = client.get(LOW_VISION_URL, {"mode": "off", "next": "/"})

    assert response.cookies["low_vision"].value == ""
    assert '<html lang="ru">' in client.get("/").content.decode()


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "", "javascript:x"])
def test_low_vision_switch_never_redirects_off_the_site(client, target):
    response = client.get(LOW_VISION_URL, {"mode": "on", "next": target})

    assert response.status_code == 302
    assert response["Location"] == "/"


def test_low_vision_switch_works_in_every_language(client):
    response = client.get("/en/low-vision/", {"mode": "on", "next": "/en/"})

    assert response["Location"] == "/en/"
    html = client.get("/en/").content.decode()
    assert '<html lang="en" class="low-vision low-vision--size-1 low-vision--bw">' in html
    assert "Standard version</a>" in html


def test_low_vision_stylesheet_enlarges_type_and_raises_contrast():
    from pathlib import Path

    css = (Path(__file__).resolve().parent.parent / "static" / "css" / "site.css").read_text()
    rules = css[css.index(":root.low-vision {") :]
    rules = rules[: rules.index("}")]
    assert "font-size: 137.5%" in rules
    assert "--text: #000000" in rules and "--background: #ffffff" in rules
    for setting in ["size-3", "wb", "blue"]:
        assert f":root.low-vision--{setting} {{" in css
    assert ".low-vision--wide body" in css
    assert ".low-vision--no-images img" in css


def test_release_page_links_its_kind_and_the_day_it_was_published(client):
    release = PublishedReleaseFactory(
        kind=Kind.VISIT, published_at=datetime.datetime(2024, 8, 28, 23, 30, tzinfo=MINSK)
    )

    html = client.get(release.get_absolute_url()).content.decode()

    assert f'href="{reverse("news:kind-list", args=["visit"])}"' in html
    # The day in Minsk, where the release was published.
    day = reverse("news:archive-day", args=[2024, 8, 28])
    assert f'href="{day}"' in html
    assert client.get(day).status_code == 200


def test_every_page_links_the_archive_from_its_footer(client):
    html = client.get(LIST_URL).content.decode()

    footer = html[html.index('<footer class="site-footer">') :]
    assert f'href="{reverse("news:archive")}"' in footer


# The site's icon and web app manifest ---------------------------------------------------------


def test_every_page_names_the_sites_icon_and_manifest(client):
    from django.contrib.staticfiles import finders

    html = client.get("/").content.decode()

    for path in ["icons/favicon.svg", "icons/icon-32.png", "icons/icon-180.png"]:
        assert f'href="/static/{path}"' in html
        assert finders.find(path), path
    assert '<link rel="manifest" href="/static/icons/site.webmanifest">' in html


def test_the_manifest_names_the_site_and_icons_that_exist():
    import json

    from django.contrib.staticfiles import finders

    manifest = json.loads(open(finders.find("icons/site.webmanifest"), encoding="utf-8").read())

    assert manifest["short_name"] == "Пресс-служба" and manifest["start_url"] == "/"
    for icon in manifest["icons"]:
        assert finders.find(f"icons/{icon['src']}"), icon
