from __future__ import annotations

import logging
import socket
import uuid

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from ministry.cache import ResilientRedisCache
from news import workflow
from tests.factories import PublishedReleaseFactory

pytestmark = pytest.mark.django_db


def redis_cache(location: str) -> dict:
    """The settings' caches, with Redis at location as the default one."""
    return {
        **settings.CACHES,
        "default": {
            "BACKEND": "ministry.cache.ResilientRedisCache",
            "LOCATION": location,
            "KEY_PREFIX": f"test-{uuid.uuid4().hex[:8]}",
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
        },
    }


def redis_is_running() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
        return True
    except OSError:
        return False


GONE = redis_cache("redis://127.0.0.1:1/0")  # nothing listens on port 1


@override_settings(CACHES=GONE)
def test_an_unreachable_cache_answers_as_if_empty(caplog, monkeypatch):
    monkeypatch.setattr(ResilientRedisCache, "_last_warning", -1e9)
    with caplog.at_level(logging.WARNING, logger="ministry.cache"):
        cache.set("key", "value")
        assert cache.get("key") is None
        assert cache.get("key", "fallback") == "fallback"
        assert cache.add("key", "value") is False
        assert cache.get_many(["a", "b"]) == {}
        with pytest.raises(ValueError):
            cache.incr("counter")
        cache.delete("key")
    # Logged once, not once per operation.
    assert caplog.text.count("cache unreachable, serving without it") == 1


@override_settings(CACHES=GONE)
def test_pages_are_served_when_the_cache_is_gone_and_health_says_so(client):
    release = PublishedReleaseFactory()
    assert client.get(reverse("news:release-list")).status_code == 200
    assert client.get(release.get_absolute_url()).status_code == 200
    assert client.get(reverse("news:feed-rss")).status_code == 200

    health = client.get(reverse("health"))
    assert health.status_code == 503
    assert health.json()["cache"] == "failing"
    assert health.json()["database"] == "ok"


@pytest.mark.skipif(not redis_is_running(), reason="no Redis on 127.0.0.1:6379")
def test_a_running_redis_is_used_as_the_cache(client):
    with override_settings(CACHES=redis_cache("redis://127.0.0.1:6379/0")):
        cache.set("key", {"a": 1}, timeout=30)
        assert cache.get("key") == {"a": 1}
        assert client.get(reverse("health")).json()["cache"] == "ok"
        cache.delete("key")


@override_settings(CACHES=GONE)
def test_the_liveness_probe_answers_without_database_or_cache(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(reverse("health-live"))

    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.skipif(not redis_is_running(), reason="no Redis on 127.0.0.1:6379")
def test_pages_cached_in_redis_are_shared_and_never_stale(client, publisher):
    # A database of its own: clear() empties it.
    with override_settings(CACHES=redis_cache("redis://127.0.0.1:6379/15")):
        cache.clear()
        release = PublishedReleaseFactory(title="Визит в Redis")
        url = reverse("news:release-list")
        assert client.get(url)["X-Page-Cache"] == "miss"
        assert client.get(url)["X-Page-Cache"] == "hit"

        workflow.release_withdraw(release=release, user=publisher, reason="Ошибка")

        response = client.get(url)
        assert response["X-Page-Cache"] == "miss"
        assert "Визит в Redis" not in response.content.decode()
        cache.clear()
