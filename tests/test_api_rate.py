"""The API's rate limit holds across workers and servers: the count lives in Redis or the
database, never in one process's memory."""

from __future__ import annotations

import datetime
import socket

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext

from news.api.throttling import ApiRateThrottle
from news.models import ApiRateWindow

pytestmark = pytest.mark.django_db

API = "/api/v1"
# The middle of a minute: a run of requests stays inside one rate window.
MID_MINUTE = datetime.datetime(2026, 12, 1, 9, 0, 20, tzinfo=datetime.UTC)


def redis_is_running() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


def redis_caches(location: str) -> dict:
    return {
        "default": {
            "BACKEND": "ministry.cache.ResilientRedisCache",
            "LOCATION": location,
            "KEY_PREFIX": "ministry-test-rate",
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
        }
    }


def forget_process_memory() -> None:
    """What another worker would see: none of this process's cache."""
    caches["default"].clear()


@pytest.fixture
def mid_minute(time_machine):
    time_machine.move_to(MID_MINUTE, tick=False)


def api_request(address: str = "203.0.113.5", **headers: str):
    return RequestFactory().get(f"{API}/tags", REMOTE_ADDR=address, **headers)


def test_two_workers_share_one_count(settings, mid_minute):
    settings.NEWS_API_RATE = "3/m"
    first_worker, second_worker = ApiRateThrottle(), ApiRateThrottle()

    allowed = []
    for worker in [first_worker, second_worker, first_worker, second_worker]:
        forget_process_memory()
        allowed.append(worker.allow_request(api_request()))

    assert allowed == [True, True, True, False]


def test_the_121st_request_in_a_minute_is_429_with_retry_after(client, mid_minute):
    statuses = []
    for _ in range(121):
        forget_process_memory()
        statuses.append(client.get(f"{API}/tags").status_code)
    limited = client.get(f"{API}/tags")

    assert statuses[:120] == [200] * 120
    assert statuses[120] == 429
    assert limited.status_code == 429
    assert limited["Retry-After"] == "40"  # the rest of the minute


def test_a_new_minute_gives_a_new_quota_and_drops_ended_windows(client, settings, time_machine):
    settings.NEWS_API_RATE = "2/m"
    time_machine.move_to(MID_MINUTE, tick=False)
    statuses = [client.get(f"{API}/tags").status_code for _ in range(3)]
    time_machine.move_to(MID_MINUTE + datetime.timedelta(minutes=1), tick=False)
    client.get(f"{API}/tags", REMOTE_ADDR="192.0.2.99")

    next_minute = client.get(f"{API}/tags")

    assert statuses == [200, 200, 429]
    assert next_minute.status_code == 200
    assert set(ApiRateWindow.objects.values_list("window_start", flat=True)) == {
        datetime.datetime(2026, 12, 1, 9, 1, tzinfo=datetime.UTC)
    }


def test_a_forged_forwarded_for_gives_no_fresh_quota_behind_the_proxy(settings, mid_minute):
    settings.NEWS_API_RATE = "2/m"
    settings.NINJA_NUM_PROXIES = 1  # BEHIND_PROXY=1
    throttle = ApiRateThrottle()

    allowed = [
        throttle.allow_request(
            api_request("10.0.0.2", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, 203.0.113.5")
        )
        for n in range(3)
    ]

    assert allowed == [True, True, False]


def test_the_proxys_address_is_the_clients_behind_the_proxy(settings, mid_minute):
    settings.NEWS_API_RATE = "1/m"
    settings.NINJA_NUM_PROXIES = 1
    throttle = ApiRateThrottle()

    first = throttle.allow_request(api_request("10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.5"))
    other = throttle.allow_request(api_request("10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.6"))

    assert first and other


def test_without_a_proxy_forwarded_for_is_ignored(settings, mid_minute):
    settings.NEWS_API_RATE = "2/m"
    settings.NINJA_NUM_PROXIES = 0
    throttle = ApiRateThrottle()

    allowed = [
        throttle.allow_request(api_request(HTTP_X_FORWARDED_FOR=f"198.51.100.{n}"))
        for n in range(3)
    ]

    assert allowed == [True, True, False]


def test_counting_in_the_database_costs_one_statement_a_request(settings, mid_minute):
    throttle = ApiRateThrottle()
    throttle.allow_request(api_request())  # a window's first request also drops ended ones

    with CaptureQueriesContext(connection) as queries:
        throttle.allow_request(api_request())

    assert len(queries) == 1


@pytest.mark.skipif(not redis_is_running(), reason="no Redis on 127.0.0.1:6379")
def test_with_redis_as_the_cache_workers_count_in_redis(settings, mid_minute):
    settings.NEWS_API_RATE = "3/m"
    with override_settings(CACHES=redis_caches("redis://127.0.0.1:6379/14")):
        caches["default"].clear()
        workers = [ApiRateThrottle(), ApiRateThrottle()]
        allowed = [workers[n % 2].allow_request(api_request()) for n in range(4)]
        caches["default"].clear()

    assert allowed == [True, True, True, False]
    assert not ApiRateWindow.objects.exists()


def test_when_redis_is_gone_the_database_counts(settings, mid_minute):
    settings.NEWS_API_RATE = "2/m"
    with override_settings(CACHES=redis_caches("redis://127.0.0.1:1/0")):  # nothing listens
        throttle = ApiRateThrottle()
        allowed = [throttle.allow_request(api_request()) for _ in range(3)]

    assert allowed == [True, True, False]
    assert ApiRateWindow.objects.get().count == 3
