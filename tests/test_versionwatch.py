"""On PostgreSQL each process learns that the public version moved from a notification, and
reads it from the database only then: a cached page costs no query, and is never stale."""

from __future__ import annotations

import datetime
import time

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from news import versionwatch
from news.models import PublicVersion
from news.models.public_version import CHANNEL, site_changed
from news.versionwatch import VersionWatch
from tests.factories import PublishedReleaseFactory

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="LISTEN/NOTIFY is PostgreSQL's"
)


@pytest.fixture
def listening(settings):
    settings.NEWS_PAGE_CACHE_LISTEN = True


@pytest.fixture
def watch(listening):
    watch = VersionWatch()
    yield watch
    watch.close()


def queries_of(call):
    with CaptureQueriesContext(connection) as queries:
        result = call()
    return result, len(queries)


def publish(**fields):
    """A published release, with the public version moved on as the publishing service does."""
    with transaction.atomic():
        PublishedReleaseFactory(**fields)
        site_changed()


def settle(watch):
    """Until the notices of what this test committed have arrived and been read."""
    deadline = time.monotonic() + 2
    while queries_of(watch.current)[1] and time.monotonic() < deadline:
        time.sleep(0.005)


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_the_version_is_read_once_then_kept_while_nothing_changes(watch):
    first, first_queries = queries_of(watch.current)
    again, again_queries = queries_of(watch.current)

    assert watch.listening
    assert first_queries == 1
    assert again == first
    assert again_queries == 0


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_committed_change_is_seen_by_the_next_request(watch):
    before = watch.current()

    publish()  # committed: this test runs outside a transaction

    after, queries = queries_of(watch.current)
    assert queries == 1
    assert after.number > before.number


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_change_another_process_commits_is_seen_once_its_notice_arrives(watch):
    PublicVersion.objects.advance()
    before = watch.current()
    other = connection.Database.connect(**connection.get_connection_params())
    with other.transaction():
        other.execute("UPDATE news_publicversion SET number = number + 1 WHERE id = 1")
        other.execute("SELECT pg_notify(%s, number::text) FROM news_publicversion", [CHANNEL])
    other.close()

    deadline = time.monotonic() + 2
    while (after := watch.current()) == before and time.monotonic() < deadline:
        time.sleep(0.001)

    assert after.number == before.number + 1


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_change_rolled_back_is_never_announced(watch):
    before = watch.current()

    with pytest.raises(RuntimeError), transaction.atomic():
        PublicVersion.objects.advance()
        raise RuntimeError("the editor's save failed")

    assert queries_of(watch.current) == (before, 0)


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_scheduled_release_appears_when_its_time_comes(watch, monkeypatch):
    now = timezone.now()
    PublishedReleaseFactory(published_at=now + datetime.timedelta(minutes=5))
    before = watch.current()
    assert before.next_change is not None

    monkeypatch.setattr(timezone, "now", lambda: now + datetime.timedelta(minutes=6))
    after, queries = queries_of(watch.current)

    assert queries == 1
    assert after.newest == before.next_change
    assert after.next_change is None


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_version_behind_the_announced_number_is_read_again(watch):
    """A read replica that has not replayed the change yet must not be believed for long."""
    current = watch.current()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_notify(%s, %s)", [CHANNEL, str(current.number + 5)])

    deadline = time.monotonic() + 2
    while queries_of(watch.current)[1] == 0 and time.monotonic() < deadline:
        time.sleep(0.001)  # until the notice arrives: then the version is read again

    # The database still says current.number: every request reads it until it catches up.
    assert queries_of(watch.current)[1] == 1
    assert queries_of(watch.current)[1] == 1


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_lost_listening_connection_means_reading_the_version_each_time(watch):
    watch.current()
    watch._listener.close()

    version, queries = queries_of(watch.current)

    assert queries == 1
    assert version == PublicVersion.objects.current()
    assert not watch.listening


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_cached_page_is_served_without_a_query_and_a_publication_shows_at_once(
    client, watch, monkeypatch
):
    monkeypatch.setattr(versionwatch, "watch", watch)
    PublishedReleaseFactory(title="Первый визит")
    url = reverse("news:release-list")
    settle(watch)
    client.get(url)

    cached, queries = queries_of(lambda: client.get(url))
    assert cached["X-Page-Cache"] == "hit"
    assert queries == 0

    publish(title="Второй визит")
    fresh = client.get(url)
    assert fresh["X-Page-Cache"] == "miss"
    assert "Второй визит" in fresh.content.decode()


@pytest.mark.django_db
def test_without_postgresql_or_when_turned_off_every_request_reads_the_version(settings):
    settings.NEWS_PAGE_CACHE_LISTEN = connection.vendor != "postgresql"
    watch = VersionWatch()

    watch.current()
    assert queries_of(watch.current)[1] == 1
    assert not watch.listening


@pytest.mark.django_db
def test_with_read_replicas_each_request_reads_the_version_from_its_own(listening, monkeypatch):
    """A version kept from one replica could be newer than another replica's data."""
    monkeypatch.setattr(versionwatch, "replica_aliases", lambda: ["replica1"])
    watch = VersionWatch()

    watch.current()
    assert queries_of(watch.current)[1] == 1
    assert not watch.listening
