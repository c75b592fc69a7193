from __future__ import annotations

import datetime

import feedparser
import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from lxml import etree

from news import corrections, workflow
from news.editing import release_stage_changes
from news.feed_formats import xml_safe
from news.images import delete_image_files
from news.models import ChangeNote, Kind, Language, State, snapshot_of
from news.models.public_version import site_changed
from tests.factories import (
    CountryFactory,
    DelegationFactory,
    ImageFactory,
    OfficialFactory,
    OrganisationFactory,
    PublishedReleaseFactory,
    ReleaseFactory,
    RevisionFactory,
    photo_bytes,
)

pytestmark = pytest.mark.django_db

RSS = reverse("news:feed-rss")
ATOM = reverse("news:feed-atom")
FEEDS = pytest.mark.parametrize("url", [RSS, ATOM], ids=["rss", "atom"])
FORMATS = pytest.mark.parametrize("fmt", ["rss", "atom"])
SCOPES = ["all", "language", "kind", "tag", "official", "organisation", "country", "delegation"]


def read(client, url: str, **headers) -> feedparser.FeedParserDict:
    """The feed as a feed reader and as a strict XML parser see it; both must accept it."""
    response = client.get(url, headers=headers)
    assert response.status_code == 200
    etree.fromstring(response.content)  # raises XMLSyntaxError on anything not well-formed
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


@pytest.fixture
def world():
    """One of each thing a feed can follow, and releases that mention them or not."""
    official = OfficialFactory(full_name="Константин Шульган", slug="shulgan")
    organisation = OrganisationFactory(name="Парк высоких технологий", slug="hitech")
    country = CountryFactory(code="RS")
    delegation = DelegationFactory(slug="serbia-2024", country=country)
    now = timezone.now()

    def linked(title: str, **kwargs):
        release = PublishedReleaseFactory(
            title=title, language=Language.BE, kind=Kind.VISIT, tags=["Сербия"], **kwargs
        )
        release.officials.add(official)
        release.organisations.add(organisation)
        release.countries.add(country)
        release.delegations.add(delegation)
        return release

    older = linked("Старшая", published_at=now - datetime.timedelta(days=2))
    newer = linked("Младшая", published_at=now - datetime.timedelta(hours=1))
    draft = ReleaseFactory(title="Черновик", language=Language.BE, kind=Kind.VISIT)
    draft.officials.add(official)
    draft.countries.add(country)
    PublishedReleaseFactory(
        title="Чужая",
        language=Language.RU,
        kind=Kind.NEWS,
        published_at=now - datetime.timedelta(days=1),
    )
    return {
        "all": [],
        "language": [Language.BE],
        "kind": [Kind.VISIT],
        "tag": ["serbiia"],
        "official": [official.slug],
        "organisation": [organisation.slug],
        "country": ["rs"],
        "delegation": [delegation.slug],
        "releases": [newer, older],
    }


def feed_url(world, scope: str, fmt: str) -> str:
    name = f"news:feed-{fmt}" if scope == "all" else f"news:{scope}-feed-{fmt}"
    return reverse(name, args=world[scope])


def test_xml_safe_drops_only_what_xml_forbids():
    assert xml_safe("a\x00b\x08c\x0bd\x0ce\x1ff\ufffeg\uffffh") == "abcdefgh"
    assert xml_safe("tab\tnewline\ncr\r«ёлка» 😀 \u2028") == "tab\tnewline\ncr\r«ёлка» 😀 \u2028"
    assert xml_safe("\ud800lone surrogate") == "lone surrogate"


def test_rss_feed_is_rss_2_and_atom_feed_is_atom_1_with_a_subtitle(client):
    rss = read(client, RSS)
    atom = read(client, ATOM)

    assert rss.version == "rss20"
    assert client.get(RSS)["Content-Type"] == "application/rss+xml; charset=utf-8"
    assert atom.version == "atom10"
    assert client.get(ATOM)["Content-Type"] == "application/atom+xml; charset=utf-8"
    assert "Министерства связи и информатизации" in atom.feed.subtitle
    assert atom.feed.language == rss.feed.language == "ru"


@FEEDS
def test_feed_items_carry_title_link_summary_dates_author_topics_and_body(client, settings, url):
    release = PublishedReleaseFactory(
        title="Визит «Сербия & Беларусь»",
        slug="vizit",
        summary="Министры обсудили <почтовую> связь.",
        body="<p>Стороны обсудили <strong>сотрудничество</strong>.</p>",
        published_at=datetime.datetime(2024, 8, 28, 14, 5, tzinfo=datetime.UTC),
        tags=["Сербия", "почта"],
    )

    (entry,) = read(client, url).entries

    assert entry.title == "Визит «Сербия & Беларусь»"
    assert entry.link == "http://testserver/news/vizit/"
    # The plain-text lead travels as HTML, so its angle brackets arrive escaped.
    assert entry.summary == "Министры обсудили &lt;почтовую&gt; связь."
    assert entry.published_parsed[:5] == (2024, 8, 28, 14, 5)
    assert entry.updated_parsed[:6] == release.modified_for_readers.utctimetuple()[:6]
    assert entry.author == settings.NEWS_PUBLISHER
    assert sorted(tag.term for tag in entry.tags) == ["Сербия", "почта"]
    assert "<strong>сотрудничество</strong>" in entry.content[0].value
    assert entry.id == release.guid
    assert entry.id.startswith("urn:uuid:")


def test_rss_guid_is_not_a_permalink(client):
    release = PublishedReleaseFactory()

    xml = client.get(RSS).content.decode()

    assert f'<guid isPermaLink="false">{release.guid}</guid>' in xml


@FEEDS
def test_guid_stays_the_same_when_title_and_slug_change(client, url):
    release = PublishedReleaseFactory(title="Старый заголовок", slug="staryi")
    (before,) = read(client, url).entries

    release.title = "Новый заголовок"
    release.slug = "novyi"
    release.save()
    site_changed()  # written directly, not through a service: say so as one would
    (after,) = read(client, url).entries

    assert before.id == after.id == release.guid
    assert after.title == "Новый заголовок"
    assert after.link.endswith("/news/novyi/")


@FEEDS
def test_feed_lists_only_published_releases_newest_first(client, url):
    now = timezone.now()
    PublishedReleaseFactory(title="Вчерашняя", published_at=now - datetime.timedelta(days=1))
    PublishedReleaseFactory(title="Сегодняшняя", published_at=now - datetime.timedelta(minutes=1))
    ReleaseFactory(title="Черновик")
    ReleaseFactory(
        title="Запланированная",
        state=State.PUBLISHED,
        published_at=now + datetime.timedelta(minutes=1),
    )
    ReleaseFactory(
        title="Отозванная", state=State.WITHDRAWN, published_at=now - datetime.timedelta(hours=1)
    )

    entries = read(client, url).entries

    assert [entry.title for entry in entries] == ["Сегодняшняя", "Вчерашняя"]


@FEEDS
def test_feed_holds_the_latest_news_feed_size_releases(client, settings, url):
    settings.NEWS_FEED_SIZE = 3
    now = timezone.now()
    for n in range(5):
        PublishedReleaseFactory(
            title=f"Новость {n}", published_at=now - datetime.timedelta(hours=n)
        )

    entries = read(client, url).entries

    assert [entry.title for entry in entries] == ["Новость 0", "Новость 1", "Новость 2"]


@FEEDS
def test_feed_stays_well_formed_when_text_has_control_characters_from_word(client, url):
    PublishedReleaseFactory(
        title="Визит\x0b делегации\x1f",
        summary="Переговоры\x0c состоялись\x08.",
        body="<p>Текст\x0b из\x1f Word</p>",
        tags=["связь\x1f"],
    )

    (entry,) = read(client, url).entries

    assert entry.title == "Визит делегации"
    assert "Переговоры состоялись." in entry.summary
    assert "Текст из Word" in entry.content[0].value


@FEEDS
def test_empty_feed_is_valid(client, url):
    assert read(client, url).entries == []


# Every scope, in both formats -----------------------------------------------------------------


@FORMATS
@pytest.mark.parametrize("scope", SCOPES)
def test_each_scope_feed_holds_its_published_releases_newest_first(client, world, scope, fmt):
    feed = read(client, feed_url(world, scope, fmt))

    titles = [entry.title for entry in feed.entries]
    if scope == "all":
        assert titles == ["Младшая", "Чужая", "Старшая"]
    else:
        assert titles == ["Младшая", "Старшая"]
    assert [e.id for e in feed.entries if e.title != "Чужая"] == [r.guid for r in world["releases"]]
    assert feed.version == ("rss20" if fmt == "rss" else "atom10")


@pytest.mark.parametrize(
    ("scope", "title"),
    [
        ("official", "Константин Шульган"),
        ("organisation", "Парк высоких технологий"),
        ("country", "Сербия"),
        ("tag", "Сербия"),
        ("kind", "визит"),
        ("language", "Белорусский"),
    ],
)
def test_scope_feed_names_what_it_follows_and_links_its_page(client, world, scope, title):
    feed = read(client, feed_url(world, scope, "atom"))

    assert title in feed.feed.title
    assert feed.feed.link.startswith("http://testserver/")


def test_language_feed_declares_its_language(client, world):
    assert read(client, feed_url(world, "language", "rss")).feed.language == "be"
    assert read(client, feed_url(world, "language", "atom")).feed.language == "be"


@pytest.mark.parametrize(
    "url",
    [
        "/feeds/language/xx/rss/",
        "/feeds/kind/nonsense/atom/",
        "/feeds/officials/nobody/rss/",
        "/feeds/organisations/nobody/rss/",
        "/feeds/countries/zz/rss/",
        "/feeds/delegations/nobody/rss/",
        "/feeds/topics/nothing/rss/",
    ],
)
def test_feed_of_something_unknown_is_404(client, url):
    assert client.get(url).status_code == 404


def test_topic_and_delegation_with_only_drafts_have_no_feed(client):
    draft = ReleaseFactory(tags=["секрет"])
    delegation = DelegationFactory(slug="plan")
    draft.delegations.add(delegation)

    assert client.get(reverse("news:tag-feed-rss", args=["sekret"])).status_code == 404
    assert client.get(reverse("news:delegation-feed-rss", args=["plan"])).status_code == 404


@FORMATS
@pytest.mark.parametrize("scope", SCOPES)
def test_feed_costs_the_same_few_queries_however_many_releases(client, world, scope, fmt):
    url = feed_url(world, scope, fmt)
    with CaptureQueriesContext(connection) as few:
        read(client, url)
    for release in PublishedReleaseFactory.create_batch(
        15, language=Language.BE, kind=Kind.VISIT, tags=["Сербия", "б", "в"]
    ):
        release.officials.add(world["releases"][0].officials.get())
        release.organisations.add(world["releases"][0].organisations.get())
        release.countries.add(world["releases"][0].countries.get())
        release.delegations.add(world["releases"][0].delegations.get())
    with CaptureQueriesContext(connection) as many:
        feed = read(client, url)

    assert len(feed.entries) >= 17
    # The public version (news.pagecache), the entity (not for all), validators, releases,
    # their tags, their change notes.
    assert len(many) == len(few) <= (5 if scope == "all" else 6)


# Hostile content ------------------------------------------------------------------------------

# No NUL: PostgreSQL refuses to store it, so no feed can meet one.
HOSTILE = "Визит\x0b «A & B» ]]> <tag> 😀 שלום عربي \x1f\ufffe"


@FORMATS
@pytest.mark.parametrize("scope", SCOPES)
def test_hostile_text_everywhere_still_gives_a_valid_feed(client, world, scope, fmt):
    release = world["releases"][0]
    release.title = HOSTILE
    release.summary = HOSTILE
    release.body = f"<p>{HOSTILE}</p><p>]]&gt; &amp; <![CDATA[ x ]]></p>"
    release.lead_image = ImageFactory(alt=HOSTILE, caption=HOSTILE)
    release.save()
    release.tags.add("тег & ]]> \x1f")
    official = release.officials.get()
    official.full_name = HOSTILE
    official.save()
    organisation = release.organisations.get()
    organisation.name = HOSTILE
    organisation.save()
    delegation = release.delegations.get()
    delegation.title = HOSTILE
    delegation.save()

    feed = read(client, feed_url(world, scope, fmt))

    entry = feed.entries[0]
    assert entry.title == "Визит «A & B» ]]> <tag> 😀 שלום عربي"
    assert "]]>" in entry.content[0].value or "]]&gt;" in entry.content[0].value
    assert "😀" in entry.summary


# The lead image and corrections ---------------------------------------------------------------


def noisy_photo(size: tuple[int, int]) -> bytes:
    """A JPEG as heavy as a real press photo (noise does not compress)."""
    import io
    import os

    from PIL import Image as PillowImage

    buffer = io.BytesIO()
    pixels = PillowImage.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    pixels.save(buffer, "JPEG", quality=95)
    return buffer.getvalue()


@FEEDS
def test_lead_image_is_an_enclosure_no_heavier_than_a_rendition(client, url):
    image = ImageFactory(content=noisy_photo((2400, 1600)), alt="Министры")
    PublishedReleaseFactory(lead_image=image)
    assert default_storage.size(image.file) > 1_000_000  # the master: several times too big

    (entry,) = read(client, url).entries

    (enclosure,) = entry.enclosures
    rendition = image.rendition(960)
    assert enclosure.href == f"http://testserver{default_storage.url(rendition.name)}"
    assert int(enclosure.length) == default_storage.size(rendition.name) <= 400_000
    assert enclosure.type == "image/jpeg"
    (media,) = entry.media_content
    assert media["url"] == enclosure.href
    assert (media["width"], media["height"]) == ("960", "640")


@FEEDS
def test_a_small_lead_image_is_its_own_enclosure(client, url):
    image = ImageFactory(content=photo_bytes((40, 30)), alt="Министры")
    PublishedReleaseFactory(lead_image=image)

    (entry,) = read(client, url).entries

    (media,) = entry.media_content
    assert (media["width"], media["height"]) == ("40", "30")
    assert int(entry.enclosures[0].length) > 0


@FEEDS
def test_image_whose_files_are_gone_leaves_no_enclosure_and_no_error(client, url):
    image = ImageFactory()
    PublishedReleaseFactory(lead_image=image)
    delete_image_files(image.file)  # the master and its renditions

    (entry,) = read(client, url).entries

    assert entry.get("enclosures", []) == []


@FEEDS
def test_release_without_image_has_no_enclosure(client, url):
    PublishedReleaseFactory()

    (entry,) = read(client, url).entries

    assert entry.get("enclosures", []) == []


@FEEDS
def test_corrected_release_shows_its_change_note_and_keeps_its_guid(client, url):
    release = PublishedReleaseFactory(summary="Лид.")
    (before,) = read(client, url).entries
    revision = RevisionFactory(release=release)
    ChangeNote.objects.create(
        release=release, text="Исправлена дата визита", before=revision, after=revision
    )
    release.title = "Исправленный заголовок"
    release.save()
    site_changed()  # written directly, not through a service: say so as one would

    (after,) = read(client, url).entries

    assert after.id == before.id == release.guid
    assert "Исправлена дата визита" in after.summary
    assert "Исправлена дата визита" in after.content[0].value


@FEEDS
def test_withdrawn_release_leaves_the_feed(client, url):
    kept = PublishedReleaseFactory(title="Остаётся")
    gone = PublishedReleaseFactory(title="Уходит")
    assert len(read(client, url).entries) == 2

    gone.state = State.WITHDRAWN
    gone.save()

    assert [e.id for e in read(client, url).entries] == [kept.guid]


# Conditional requests -------------------------------------------------------------------------


@FORMATS
@pytest.mark.parametrize("scope", SCOPES)
def test_every_feed_has_etag_last_modified_and_cache_control(client, world, scope, fmt):
    response = client.get(feed_url(world, scope, fmt))

    assert response["ETag"].startswith('W/"')
    assert response["Last-Modified"].endswith("GMT")
    assert "max-age=60" in response["Cache-Control"]
    assert "public" in response["Cache-Control"]


@FORMATS
@pytest.mark.parametrize("scope", SCOPES)
def test_conditional_request_gets_304_with_no_body_in_two_queries(client, world, scope, fmt):
    url = feed_url(world, scope, fmt)
    first = client.get(url)

    with CaptureQueriesContext(connection) as queries:
        by_etag = client.get(url, headers={"If-None-Match": first["ETag"]})
    by_date = client.get(url, headers={"If-Modified-Since": first["Last-Modified"]})

    assert by_etag.status_code == by_date.status_code == 304
    assert by_etag.content == by_date.content == b""
    assert by_etag["ETag"] == first["ETag"]
    assert "max-age=60" in by_etag["Cache-Control"]
    assert len(queries) <= 2


def test_edit_changes_the_etag_and_the_feed_is_sent_again(client, editor, publisher):
    release = PublishedReleaseFactory()
    first = client.get(RSS)

    data = {**snapshot_of(release), "title": "Правка"}
    release_stage_changes(release=release, user=editor, data=data)
    corrections.release_publish_changes(release=release, user=publisher, minor=True)
    again = client.get(RSS, headers={"If-None-Match": first["ETag"]})

    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]
    assert "Правка" in again.content.decode()


def test_withdrawal_changes_the_etag(client, publisher):
    PublishedReleaseFactory()
    gone = PublishedReleaseFactory()
    first = client.get(ATOM)

    workflow.release_withdraw(release=gone, user=publisher, reason="Ошибка в дате")

    assert client.get(ATOM, headers={"If-None-Match": first["ETag"]}).status_code == 200


def test_a_change_made_outside_the_application_is_shown_after_refresh_public_site(client):
    PublishedReleaseFactory()
    gone = PublishedReleaseFactory(published_at=timezone.now() - datetime.timedelta(days=1))
    first = client.get(ATOM)

    # As an UPDATE typed into psql would: no signal, so nothing readers see has moved yet.
    type(gone).objects.filter(pk=gone.pk).update(state=State.WITHDRAWN)
    assert client.get(ATOM, headers={"If-None-Match": first["ETag"]}).status_code == 304
    call_command("refresh_public_site")

    assert client.get(ATOM, headers={"If-None-Match": first["ETag"]}).status_code == 200


def test_scheduled_release_coming_due_changes_the_validators(client, time_machine):
    now = timezone.now()
    time_machine.move_to(now, tick=False)
    PublishedReleaseFactory(published_at=now - datetime.timedelta(hours=2))
    ReleaseFactory(state=State.PUBLISHED, published_at=now + datetime.timedelta(minutes=5))
    first = client.get(RSS)

    time_machine.move_to(now + datetime.timedelta(minutes=6), tick=False)
    by_etag = client.get(RSS, headers={"If-None-Match": first["ETag"]})
    by_date = client.get(RSS, headers={"If-Modified-Since": first["Last-Modified"]})

    assert by_etag.status_code == by_date.status_code == 200
    assert len(feedparser.parse(by_etag.content).entries) == 2


def test_rss_and_atom_of_one_scope_have_different_etags(client):
    PublishedReleaseFactory()

    assert client.get(RSS)["ETag"] != client.get(ATOM)["ETag"]


# Discovery ------------------------------------------------------------------------------------


def head_of(client, url: str) -> str:
    html = client.get(url).content.decode()
    return html[: html.index("</head>")]


@pytest.mark.parametrize("scope", ["tag", "official", "organisation", "country", "delegation"])
def test_entity_page_links_its_own_feeds_and_the_site_feeds_in_head(client, world, scope):
    pages = {
        "tag": reverse("news:tag-detail", args=["serbiia"]),
        "official": reverse("news:official-detail", args=["shulgan"]),
        "organisation": reverse("news:organisation-detail", args=["hitech"]),
        "country": reverse("news:country-detail", args=["rs"]),
        "delegation": reverse("news:delegation-detail", args=["serbia-2024"]),
    }

    head = head_of(client, pages[scope])

    for fmt, kind in [("rss", "application/rss+xml"), ("atom", "application/atom+xml")]:
        assert f'type="{kind}"' in head
        assert f'href="{feed_url(world, scope, fmt)}"' in head
        assert f'href="{reverse(f"news:feed-{fmt}")}"' in head
        read(client, feed_url(world, scope, fmt))


@pytest.mark.parametrize("scope", ["tag", "official", "organisation", "country", "delegation"])
def test_entity_pages_share_one_template_with_their_heading_and_feed_links(client, world, scope):
    page = reverse(f"news:{scope}-detail", args=world[scope])

    response = client.get(page)

    assert "news/entity_detail.html" in [t.name for t in response.templates]
    html = response.content.decode()
    name = str(response.context["object"])
    assert f"<h1>{name}</h1>" in html
    assert f"<title>{name} — " in html
    assert f'title="{name} (RSS)" href="{feed_url(world, scope, "rss")}"' in html


def test_feeds_page_lists_every_feed_with_an_explanation(client, world):
    response = client.get(reverse("news:feed-list"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Ленты новостей</h1>" in html
    urls = [feed_url(world, scope, fmt) for scope in SCOPES for fmt in ("rss", "atom")]
    urls += [reverse("news:kind-feed-rss", args=[kind]) for kind in Kind.values]
    urls += [reverse("news:language-feed-atom", args=[lang]) for lang in Language.values]
    for url in urls:
        assert f'href="{url}"' in html, url
    assert "Черновик" not in html


def test_feeds_page_costs_a_fixed_number_of_queries(client, world):
    client.get(reverse("news:release-list"))  # the footer's list of pages, read once and kept
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("news:feed-list"))
    OfficialFactory.create_batch(3)
    for official in OfficialFactory.create_batch(3):
        PublishedReleaseFactory().officials.add(official)
    with CaptureQueriesContext(connection) as more:
        client.get(reverse("news:feed-list"))

    assert len(more) == len(queries) <= 6


def test_footer_of_every_page_links_the_feeds_page(client):
    html = client.get(reverse("news:release-list")).content.decode()

    assert f'href="{reverse("news:feed-list")}"' in html


def test_release_page_links_the_feeds_of_its_language_and_kind(client):
    release = PublishedReleaseFactory(language=Language.BE, kind=Kind.INTERVIEW)

    head = head_of(client, release.get_absolute_url())

    for name in ["language-feed-rss", "language-feed-atom"]:
        assert f'href="{reverse(f"news:{name}", args=["be"])}"' in head
    for name in ["kind-feed-rss", "kind-feed-atom"]:
        assert f'href="{reverse(f"news:{name}", args=["interview"])}"' in head
    assert f'href="{RSS}"' in head


@pytest.mark.parametrize("prefix", ["/be", "/en"])
def test_feeds_are_served_under_the_language_prefixes_too(client, world, prefix):
    feed = read(client, f"{prefix}{feed_url(world, 'official', 'atom')}")

    assert [entry.title for entry in feed.entries] == ["Младшая", "Старшая"]


@FORMATS
@pytest.mark.parametrize("scope", SCOPES)
def test_conditional_request_costs_one_query_even_when_the_page_cache_is_off(
    client, world, settings, scope, fmt
):
    settings.NEWS_PAGE_CACHE_SECONDS = 0
    url = feed_url(world, scope, fmt)
    first = client.get(url)

    with CaptureQueriesContext(connection) as by_etag:
        not_modified = client.get(url, headers={"If-None-Match": first["ETag"]})
    with CaptureQueriesContext(connection) as by_date:
        also = client.get(url, headers={"If-Modified-Since": first["Last-Modified"]})

    # The public version only: the feed's topic, official or country is not looked up.
    assert not_modified.status_code == also.status_code == 304
    assert len(by_etag) == len(by_date) == 1
    assert not_modified["ETag"] == first["ETag"]
    assert not_modified["Last-Modified"] == first["Last-Modified"]
    assert "max-age=60" in not_modified["Cache-Control"]
    assert "public" in not_modified["Cache-Control"]


@FORMATS
def test_feed_body_is_one_chunk_when_the_page_cache_is_off(client, world, settings, fmt):
    settings.NEWS_PAGE_CACHE_SECONDS = 0

    response = client.get(feed_url(world, "official", fmt))

    assert len(response._container) == 1
