"""After a publication every cached page misses at once: one request renders each page, the
others asking for it meanwhile wait for that result (news.pagecache)."""

from __future__ import annotations

import threading
import time
import uuid

import pytest
from django.core.cache import cache
from django.db import connections
from django.test import Client, RequestFactory
from django.utils import translation

from news import pagecache
from news.models.public_version import site_changed
from news.pagecache import page_key
from news.versionwatch import public_version
from tests.factories import PublishedReleaseFactory

pytestmark = pytest.mark.django_db(transaction=True)

REDIS = "redis://127.0.0.1:6379/5"


@pytest.fixture(params=["locmem", "redis"])
def page_cache(request, settings):
    """The page cache, in this process's memory or in Redis (db 5), empty."""
    if request.param == "redis":
        settings.CACHES = {
            **settings.CACHES,
            "default": {
                "BACKEND": "ministry.cache.ResilientRedisCache",
                "LOCATION": REDIS,
                "KEY_PREFIX": f"stampede-{uuid.uuid4().hex}",
            },
        }
    cache.clear()
    yield request.param
    cache.clear()


def get_at_once(url: str, clients: int) -> list[str]:
    """GET url from that many threads released together; each response's X-Page-Cache."""
    start = threading.Barrier(clients)
    answers: list[str] = []

    def read() -> None:
        try:
            start.wait()
            response = Client().get(url)
            assert response.status_code == 200
            answers.append(response["X-Page-Cache"])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=read) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def test_a_missed_page_asked_for_by_many_at_once_is_rendered_once(page_cache):
    for n in range(20):
        PublishedReleaseFactory(title=f"Визит № {n}", tags=["экспорт"])
    site_changed()

    answers = get_at_once("/", clients=12)

    assert len(answers) == 12
    assert answers.count("miss") == 1
    assert answers.count("hit") == 11


def test_after_a_publication_the_new_version_is_rendered_once_too(page_cache):
    release = PublishedReleaseFactory(title="Визит министра")
    assert get_at_once(release.get_absolute_url(), clients=6).count("miss") == 1

    PublishedReleaseFactory(title="Новая публикация")
    site_changed()

    assert get_at_once(release.get_absolute_url(), clients=6).count("miss") == 1


def test_when_the_renderer_dies_a_waiting_reader_renders_the_page_itself(page_cache, monkeypatch):
    PublishedReleaseFactory(title="Визит министра")
    monkeypatch.setattr(pagecache, "RENDER_LOCK_SECONDS", 1)  # Redis counts whole seconds
    with translation.override("ru"):
        key = page_key(RequestFactory().get("/"), public_version())
    # A process took the lock and died before storing the page: the lock expires.
    assert cache.add(key + ":rendering", "rendering", 1)

    began = time.monotonic()
    response = Client().get("/")

    assert response.status_code == 200
    assert response["X-Page-Cache"] == "miss"
    assert 0.8 < time.monotonic() - began < 5
    assert Client().get("/")["X-Page-Cache"] == "hit"


def test_a_page_that_cannot_be_stored_does_not_keep_readers_waiting(page_cache):
    PublishedReleaseFactory(title="Визит министра")

    began = time.monotonic()
    statuses = []
    for _ in range(3):
        statuses.append(Client().get("/news/no-such-release/").status_code)

    assert statuses == [404, 404, 404]
    assert time.monotonic() - began < pagecache.RENDER_LOCK_SECONDS
