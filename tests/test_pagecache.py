"""Public pages and feeds come from the cache, and what readers see is never stale."""

from __future__ import annotations

import datetime
import http.server
import threading

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from news import corrections, workflow
from news.build import build_id
from news.editing import release_stage_changes
from news.low_vision import LOW_VISION_COOKIE
from news.models import AuditEntry, PublicVersion, snapshot_of
from news.models.public_version import site_changed
from news.preview_links import preview_link_create
from tests.factories import PublishedReleaseFactory, ReleaseFactory

pytestmark = pytest.mark.django_db

LIST_URL = reverse("news:release-list")


def fetch(client, url: str, **extra):
    response = client.get(url, **extra)
    assert response.status_code == 200, url
    return response


def test_the_second_reader_gets_the_page_from_the_cache_in_one_query(client):
    release = PublishedReleaseFactory(title="Визит министра")

    first = fetch(client, release.get_absolute_url())
    with CaptureQueriesContext(connection) as queries:
        second = fetch(client, release.get_absolute_url())

    assert first["X-Page-Cache"] == "miss"
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    # Only the public version is read: what readers see now.
    assert len(queries) == 1


@pytest.mark.parametrize(
    "url",
    [
        LIST_URL,
        "/en/",
        reverse("news:feed-rss"),
        reverse("news:feed-atom"),
        reverse("news:feed-list"),
        reverse("news:archive"),
        reverse("news:search") + "?q=визит",
        "/sitemap.xml",
        "/sitemap-releases.xml",
        "/robots.txt",
    ],
)
def test_public_pages_and_feeds_are_cached(client, url):
    PublishedReleaseFactory(title="Визит министра")

    assert fetch(client, url)["X-Page-Cache"] == "miss"
    assert fetch(client, url)["X-Page-Cache"] == "hit"


def test_what_is_not_the_same_for_everyone_is_never_cached(client, publisher):
    release = ReleaseFactory()
    link = preview_link_create(release=release, user=publisher)

    for url in [
        link.get_absolute_url(),
        reverse("news:low-vision") + "?mode=on",
        "/api/v1/releases",
        "/health/",
    ]:
        client.get(url)
        assert "X-Page-Cache" not in client.get(url), url

    client.force_login(publisher)
    assert "X-Page-Cache" not in client.get(reverse("admin:news_release_changelist"))


def test_publishing_shows_the_release_at_once(client, author, editor, publisher):
    release = ReleaseFactory(title="Новый визит", created_by=author, last_edited_by=author)
    fetch(client, LIST_URL)
    fetch(client, LIST_URL)

    workflow.release_submit(release=release, user=author)
    workflow.release_approve(release=release, user=editor)
    workflow.release_publish(release=release, user=publisher)

    response = fetch(client, LIST_URL)
    assert response["X-Page-Cache"] == "miss"
    assert "Новый визит" in response.content.decode()


def test_withdrawing_takes_the_release_off_the_listing_and_feed_at_once(client, publisher):
    release = PublishedReleaseFactory(title="Отозванный визит")
    for url in (LIST_URL, reverse("news:feed-rss")):
        assert "Отозванный визит" in fetch(client, url).content.decode()

    workflow.release_withdraw(release=release, user=publisher, reason="Ошибка в дате")

    for url in (LIST_URL, reverse("news:feed-rss")):
        assert "Отозванный визит" not in fetch(client, url).content.decode()


def test_an_edit_to_a_live_release_shows_at_once(client, editor, publisher):
    release = PublishedReleaseFactory(title="Визит")
    fetch(client, release.get_absolute_url())

    data = {**snapshot_of(release), "title": "Визит министра"}
    release_stage_changes(release=release, user=editor, data=data)
    assert "Визит министра" not in fetch(client, release.get_absolute_url()).content.decode()
    corrections.release_publish_changes(release=release, user=publisher, note="Уточнено название")

    assert "Визит министра" in fetch(client, release.get_absolute_url()).content.decode()


def test_a_scheduled_release_appears_at_its_minute_with_nothing_written_in_between(
    client, time_machine
):
    now = timezone.now().replace(second=0, microsecond=0)
    time_machine.move_to(now, tick=False)
    PublishedReleaseFactory(title="Старый визит")
    PublishedReleaseFactory(
        title="Визит по расписанию", published_at=now + datetime.timedelta(minutes=5)
    )
    before = fetch(client, LIST_URL)
    assert fetch(client, LIST_URL)["X-Page-Cache"] == "hit"

    time_machine.move_to(now + datetime.timedelta(minutes=5), tick=False)
    with CaptureQueriesContext(connection) as queries:
        after = fetch(client, LIST_URL)

    assert "Визит по расписанию" not in before.content.decode()
    assert "Визит по расписанию" in after.content.decode()
    assert not [q for q in queries if not q["sql"].lstrip().upper().startswith("SELECT")]


def test_records_readers_never_see_leave_the_cache_alone(client, publisher):
    release = PublishedReleaseFactory()
    fetch(client, LIST_URL)
    version = PublicVersion.objects.current()

    AuditEntry.objects.create(release=release, user=publisher, action="edited")

    assert PublicVersion.objects.current() == version
    assert fetch(client, LIST_URL)["X-Page-Cache"] == "hit"


def test_low_vision_readers_and_languages_get_their_own_copies(client):
    PublishedReleaseFactory()
    plain = fetch(client, LIST_URL)

    client.cookies[LOW_VISION_COOKIE] = "on"
    low_vision = fetch(client, LIST_URL)
    english = fetch(client, "/en/")

    assert low_vision["X-Page-Cache"] == english["X-Page-Cache"] == "miss"
    assert low_vision.content != plain.content
    assert "Cookie" in plain["Vary"]


def test_a_reader_who_has_the_page_gets_304(client):
    release = PublishedReleaseFactory()
    for url in (LIST_URL, release.get_absolute_url(), reverse("news:feed-rss")):
        etag = fetch(client, url)["ETag"]

        assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
        assert client.get(url, HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_pages_are_revalidated_by_browsers_not_kept(client):
    response = fetch(client, LIST_URL)

    assert "max-age=0" in response["Cache-Control"]
    assert "must-revalidate" in response["Cache-Control"]


def test_a_flushed_database_starts_a_new_version(client, publisher):
    PublicVersion.objects.all().delete()
    release = ReleaseFactory(title="Переговоры в Минске")
    assert "Переговоры в Минске" not in fetch(client, LIST_URL).content.decode()

    workflow.release_force_publish(release=release, user=publisher, reason="Срочно")

    assert "Переговоры в Минске" in fetch(client, LIST_URL).content.decode()
    assert PublicVersion.objects.get().number == 1


def test_without_its_row_the_version_still_knows_the_newest_and_the_next_release():
    PublicVersion.objects.all().delete()
    published = PublishedReleaseFactory()
    scheduled = PublishedReleaseFactory(published_at=timezone.now() + datetime.timedelta(hours=1))

    version = PublicVersion.objects.current()

    assert (version.number, version.changed_at) == (0, None)
    assert version.newest == published.published_at
    assert version.next_change == scheduled.published_at


@pytest.fixture
def build(settings):
    """Set BUILD_ID, as a deploy does; each call is a new deploy."""

    def deploy(name: str) -> None:
        settings.BUILD_ID = name
        build_id.cache_clear()

    yield deploy
    build_id.cache_clear()


def test_a_new_deploy_never_serves_pages_the_old_one_rendered(client, build):
    release = PublishedReleaseFactory()
    build("a1")
    for url in (LIST_URL, reverse("news:feed-rss")):
        fetch(client, url)
        assert fetch(client, url)["X-Page-Cache"] == "hit"
    old_etag = fetch(client, reverse("news:feed-rss"))["ETag"]

    build("b2")

    for url in (LIST_URL, release.get_absolute_url(), reverse("news:feed-rss")):
        assert fetch(client, url)["X-Page-Cache"] == "miss", url
    # A poller holding the old feed gets the new one, not a 304.
    assert client.get(reverse("news:feed-rss"), HTTP_IF_NONE_MATCH=old_etag).status_code == 200


def test_without_a_build_id_the_build_is_what_it_renders_with(settings, tmp_path, build):
    build("")
    settings.BASE_DIR = tmp_path
    settings.STATIC_ROOT = tmp_path / "staticfiles"
    (tmp_path / "templates").mkdir()
    (tmp_path / "staticfiles").mkdir()
    template = tmp_path / "templates" / "base.html"
    template.write_text("<title>Пресс-служба</title>")
    first = build_id()

    assert build_id() == first
    build_id.cache_clear()
    assert build_id() == first  # the same files, on any machine: the same build
    template.write_text("<title>Пресс-центр</title>")
    build_id.cache_clear()
    second = build_id()
    assert second != first
    (tmp_path / "staticfiles" / "staticfiles.json").write_text('{"paths": {}}')
    build_id.cache_clear()
    assert build_id() not in (first, second)


def test_the_cache_can_be_turned_off(client, settings):
    settings.NEWS_PAGE_CACHE_SECONDS = 0
    fetch(client, LIST_URL)

    assert "X-Page-Cache" not in fetch(client, LIST_URL)
    assert not cache.get("anything")


def test_a_cdn_may_keep_pages_but_never_past_a_scheduled_release(client, settings, time_machine):
    settings.NEWS_CDN_MAX_AGE = 300
    now = timezone.now()
    time_machine.move_to(now, tick=False)
    PublishedReleaseFactory()

    assert "s-maxage=300" in fetch(client, LIST_URL)["Cache-Control"]

    PublishedReleaseFactory(published_at=now + datetime.timedelta(seconds=100))
    page, feed = fetch(client, LIST_URL), fetch(client, reverse("news:feed-rss"))

    assert "s-maxage=100" in page["Cache-Control"]
    assert "max-age=0" in page["Cache-Control"]
    # Feed readers may keep a feed a minute, but not past the scheduled release either.
    time_machine.move_to(now + datetime.timedelta(seconds=70), tick=False)
    assert "max-age=30" in fetch(client, reverse("news:feed-rss"))["Cache-Control"]
    assert "max-age=60" in feed["Cache-Control"]


class PurgeRecorder(http.server.BaseHTTPRequestHandler):
    received: list[tuple[str, str]] = []

    def do_PURGE(self):  # noqa: N802 (the HTTP method's name)
        self.received.append((self.command, self.path))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def cdn():
    """A CDN's purge address on loopback, recording what it is asked."""
    server = http.server.HTTPServer(("127.0.0.1", 0), PurgeRecorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    PurgeRecorder.received = []
    yield f"http://127.0.0.1:{server.server_port}/purge-all", PurgeRecorder.received
    server.shutdown()


def test_a_change_purges_the_cdn_once_after_it_commits(
    cdn, settings, publisher, django_capture_on_commit_callbacks
):
    release = PublishedReleaseFactory(tags=["Сербия"])
    settings.NEWS_CDN_PURGE_URL, purges = cdn

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        workflow.release_withdraw(release=release, user=publisher, reason="Ошибка в дате")

    # Several rows changed (the release, its audit entry...): one purge.
    assert len(callbacks) == 1
    assert purges == [("PURGE", "/purge-all")]


def test_a_transaction_purges_the_cdn_once_even_after_one_rolled_back(
    cdn, settings, django_capture_on_commit_callbacks
):
    settings.NEWS_CDN_PURGE_URL, purges = cdn
    with pytest.raises(RuntimeError), transaction.atomic():
        site_changed()
        raise RuntimeError("the editor's save failed")

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        site_changed()
        site_changed()

    assert purges == [("PURGE", "/purge-all")]


def test_a_cdn_that_does_not_answer_never_fails_the_change(
    settings, publisher, django_capture_on_commit_callbacks, caplog
):
    release = PublishedReleaseFactory()
    settings.NEWS_CDN_PURGE_URL = "http://127.0.0.1:9/purge"

    with django_capture_on_commit_callbacks(execute=True):
        workflow.release_withdraw(release=release, user=publisher, reason="Ошибка в дате")

    release.refresh_from_db()
    assert release.state == "withdrawn"
    assert "CDN purge failed" in caplog.text
