"""WebSub: the feeds name the hub, and each publication, correction and withdrawal pings it, through
the queue, for every feed that lists the release. A real local hub records the pings."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from news import corrections, workflow
from news.editing import release_stage_changes
from news.models import Release, State, snapshot_of
from tests.factories import (
    CountryFactory,
    DelegationFactory,
    OfficialFactory,
    OrganisationFactory,
    PublishedReleaseFactory,
    ReleaseFactory,
    UserFactory,
)
from tests.http_recorder import RecordingServer
from tests.smtp import run_worker

# The worker closes a connection it finds inside a transaction (close_old_connections): on
# PostgreSQL the tests commit, as the worker does (as in test_subscriptions).
pytestmark = pytest.mark.django_db(transaction=connection.vendor != "sqlite")

SITE = "https://press.example.gov.by"


class Hub:
    def __init__(self) -> None:
        self.refusals: list[int] = []
        self.server = RecordingServer(self.answer)
        self.url = self.server.url + "/hub"

    def answer(self, path: str, fields: dict) -> tuple[int, dict]:
        if self.refusals:
            return self.refusals.pop(0), {}
        return 204 if fields.get("hub.mode") == "publish" else 400, {}

    def pinged(self) -> list[str]:
        assert all(fields["hub.mode"] == "publish" for _path, fields in self.server.calls)
        return [fields["hub.url"] for _path, fields in self.server.calls]


@pytest.fixture
def hub(settings):
    recorder = Hub()
    settings.WEBSUB_HUB_URL = recorder.url
    settings.SITE_URL = SITE
    yield recorder
    recorder.server.stop()


def publish(publisher, author, at=None, **fields) -> Release:
    release = ReleaseFactory(
        state=State.APPROVED, created_by=author, last_edited_by=author, **fields
    )
    release.tags.add("Цифровизация")
    release.officials.add(OfficialFactory(slug="ivan-petrov"))
    release.organisations.add(OrganisationFactory(slug="minsvyazi-serbii"))
    release.countries.add(CountryFactory(code="RS"))
    release.delegations.add(DelegationFactory(slug="vizit-v-serbiyu"))
    workflow.release_publish(release=release, user=publisher, at=at)
    return release


# The feeds name the hub ------------------------------------------------------------------------


def test_an_rss_feed_names_the_hub_and_itself(client, hub):
    PublishedReleaseFactory()
    xml = client.get("/feeds/rss/").content.decode()

    assert f'<atom:link href="{hub.url}" rel="hub"/>' in xml
    assert f'<atom:link href="{SITE}/feeds/rss/" rel="self"/>' in xml


def test_an_atom_feed_names_the_hub_and_itself(client, hub):
    xml = client.get("/en/feeds/kind/statement/atom/").content.decode()

    assert f'<link href="{hub.url}" rel="hub"/>' in xml
    assert f'<link href="{SITE}/en/feeds/kind/statement/atom/" rel="self"/>' in xml


def test_without_a_hub_the_feeds_name_none(client, settings):
    settings.WEBSUB_HUB_URL = ""
    assert 'rel="hub"' not in client.get("/feeds/rss/").content.decode()
    assert 'rel="hub"' not in client.get("/feeds/atom/").content.decode()


# A publication pings the hub -------------------------------------------------------------------


def test_a_publication_pings_the_hub_for_every_feed_listing_it(hub, publisher, author):
    release = publish(publisher, author, kind="statement")
    assert hub.pinged() == []  # the queue pings, not the publishing request

    run_worker()

    day = timezone.localtime(release.published_at)
    pinged = hub.pinged()
    for prefix in ("", "/be", "/en"):
        for feed in (
            "/feeds/",
            "/feeds/language/ru/",
            "/feeds/kind/statement/",
            f"/feeds/topics/{release.tags.get().slug}/",
            "/feeds/officials/ivan-petrov/",
            "/feeds/organisations/minsvyazi-serbii/",
            "/feeds/countries/RS/",
            "/feeds/delegations/vizit-v-serbiyu/",
            f"/feeds/archive/{day.year}/{day.month}/{day.day}/",
        ):
            assert f"{SITE}{prefix}{feed}rss/" in pinged
            assert f"{SITE}{prefix}{feed}atom/" in pinged
    assert len(pinged) == len(set(pinged)) == 3 * 2 * 11


def test_every_pinged_feed_exists_and_lists_the_release(client, hub, publisher, author):
    release = publish(publisher, author)
    run_worker()

    for url in hub.pinged():
        response = client.get(url.removeprefix(SITE))
        assert response.status_code == 200, url
        assert release.slug in response.content.decode(), url


def test_a_correction_and_a_withdrawal_ping_the_hub_again(hub, publisher, author):
    release = publish(publisher, author)
    run_worker()
    first = hub.pinged()

    editor = UserFactory(username="corrector", roles=["Editor"])
    data = {**snapshot_of(release), "title": release.title + " (уточнено)"}
    release_stage_changes(release=release, user=editor, data=data)
    corrections.release_publish_changes(release=release, user=publisher, note="Уточнена дата")
    run_worker()
    assert hub.pinged() == first * 2

    workflow.release_withdraw(release=release, user=publisher, reason="Визит перенесён")
    run_worker()
    assert hub.pinged() == first * 3


def test_a_scheduled_release_pings_at_its_minute(hub, publisher, author):
    at = timezone.now() + datetime.timedelta(hours=3)
    publish(publisher, author, at=at)
    run_worker()
    assert hub.pinged() == []

    with time_machine.travel(at + datetime.timedelta(seconds=1)):
        run_worker()
    assert f"{SITE}/feeds/rss/" in hub.pinged()


def test_pings_the_hub_did_not_take_are_tried_again_later(hub, settings, publisher, author):
    settings.NEWS_MAIL_RETRY_SECONDS = 60
    hub.refusals = [503, 503]
    start = timezone.now()
    publish(publisher, author)
    run_worker()
    first = hub.pinged()

    (retry,) = DBTaskResult.objects.filter(task_path="news.websub.ping_hub", status="READY")
    assert retry.run_after >= start + datetime.timedelta(seconds=60)
    assert retry.args_kwargs["args"] == [first[:2], 2]
    with time_machine.travel(retry.run_after + datetime.timedelta(seconds=1)):
        run_worker()
    assert hub.pinged()[len(first) :] == first[:2]


def test_nothing_is_pinged_without_a_hub(hub, settings, publisher, author):
    settings.WEBSUB_HUB_URL = ""
    publish(publisher, author)
    run_worker()

    assert hub.pinged() == []
    assert not DBTaskResult.objects.filter(task_path__startswith="news.websub").exists()
