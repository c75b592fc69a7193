"""Read replicas: readers' pages read from a replica; writes, editors and transactions from the
primary (ministry/replicas.py).

The suite runs with one database. The tests that need a replica add one for themselves (the
`replicas` fixture): two aliases whose connections open the test database itself, as Django's
TEST MIRROR does. A replica in tests/settings.py would be an extra alias, and with pytest-django
an extra connection to allow, in every test of the suite.
"""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from django.core.exceptions import MiddlewareNotUsed
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections, transaction
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse

from ministry.replicas import (
    ReplicaReadsMiddleware,
    ReplicaRouter,
    reading_from,
    replica_aliases,
    replica_databases,
)
from news.models import Release
from tests.factories import PublishedReleaseFactory

MIDDLEWARE = "ministry.replicas.ReplicaReadsMiddleware"
router = ReplicaRouter()
requests = RequestFactory()


@pytest.fixture
def replicas() -> Iterator[list[str]]:
    """Two replicas, as DATABASE_REPLICA_URLS would make them, of the test database."""
    if replica_aliases():
        pytest.skip("DATABASE_REPLICA_URLS is set: these tests add replicas of their own.")
    aliases = ["replica1", "replica2"]
    for alias in aliases:
        connections.settings[alias] = {
            **connections[DEFAULT_DB_ALIAS].settings_dict,
            "TEST": {"MIRROR": DEFAULT_DB_ALIAS},
        }
    try:
        yield aliases
    finally:
        for alias in aliases:
            connections[alias].close()
            del connections[alias]
            del connections.settings[alias]


@contextmanager
def reading(alias: str) -> Iterator[None]:
    """Read as a reader's request does once ReplicaReadsMiddleware has chosen alias."""
    token = reading_from.set(alias)
    try:
        yield
    finally:
        reading_from.reset(token)


def reads_of(request: HttpRequest, times: int = 1) -> list[str]:
    """Where the reads made while the site answers request go: the middleware, the address
    resolved to its view, then the router."""
    seen = []

    def view(request: HttpRequest) -> HttpResponse:
        match = request.resolver_match = resolve(request.path_info)
        middleware.process_view(request, match.func, match.args, match.kwargs)
        seen.extend(router.db_for_read(Release) for _ in range(times))
        return HttpResponse()

    middleware = ReplicaReadsMiddleware(view)
    middleware(request)
    return seen


def read_of(request: HttpRequest) -> str:
    [alias] = reads_of(request)
    return alias


# Settings


def test_no_replica_urls_add_no_database():
    assert replica_databases("") == {}
    assert replica_databases(" , ") == {}


def test_each_replica_url_is_an_alias_that_mirrors_default_in_tests():
    databases = replica_databases(
        "postgres://reader:pw@replica-a:5432/ministry, postgres://reader:pw@replica-b/ministry",
        conn_max_age=60,
        conn_health_checks=True,
    )

    assert list(databases) == ["replica1", "replica2"]
    assert databases["replica1"]["ENGINE"] == "django.db.backends.postgresql"
    assert [db["HOST"] for db in databases.values()] == ["replica-a", "replica-b"]
    assert databases["replica2"]["NAME"] == "ministry"
    assert databases["replica2"]["USER"] == "reader"
    for database in databases.values():
        assert database["CONN_MAX_AGE"] == 60
        assert database["CONN_HEALTH_CHECKS"] is True
        assert database["TEST"] == {"MIRROR": "default"}


def test_without_replicas_the_middleware_steps_aside():
    if replica_aliases():
        pytest.skip("DATABASE_REPLICA_URLS is set.")
    with pytest.raises(MiddlewareNotUsed):
        ReplicaReadsMiddleware(lambda request: HttpResponse())


# Where reads and writes go


def test_reads_outside_a_request_go_to_the_primary():
    """Commands and the shell: an import reads back what it wrote."""
    assert router.db_for_read(Release) == "default"


def test_a_readers_page_reads_from_one_replica_for_the_whole_request(replicas):
    reads = reads_of(requests.get("/"), times=5)

    assert len(set(reads)) == 1
    assert reads[0] in replicas


def test_requests_are_spread_over_the_replicas(replicas):
    chosen = {read_of(requests.get("/")) for _ in range(50)}

    assert chosen == set(replicas)


@pytest.mark.parametrize("method", ["get", "head", "options"])
def test_safe_methods_on_public_pages_read_from_a_replica(replicas, method):
    request = getattr(requests, method)(reverse("news:release-detail", args=["a-release"]))

    assert read_of(request) in replicas


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_a_request_that_writes_reads_from_the_primary(replicas, method):
    request = getattr(requests, method)(reverse("news:release-list"))

    assert read_of(request) == "default"


def test_a_logged_in_editor_reads_public_pages_from_the_primary(replicas, settings):
    """Their session, and the release they have just published, are on the primary first."""
    request = requests.get(reverse("news:release-list"))
    request.COOKIES[settings.SESSION_COOKIE_NAME] = "a-session-key"

    assert read_of(request) == "default"


@pytest.mark.parametrize("url", ["/admin/", "/admin/login/", "/admin/news/release/"])
def test_the_admin_reads_from_the_primary(replicas, url):
    assert read_of(requests.get(url)) == "default"


def test_a_preview_link_reads_from_the_primary(replicas):
    """It is opened moments after it was made, often by someone without an account."""
    url = reverse("news:release-preview", args=["a-signed-token"])

    assert read_of(requests.get(url)) == "default"


def test_the_next_request_of_the_thread_starts_from_the_primary(replicas):
    read_of(requests.get("/"))

    assert reading_from.get() is None
    assert router.db_for_read(Release) == "default"


def test_writes_go_to_the_primary_even_in_a_readers_request():
    with reading("replica1"):
        assert router.db_for_write(Release) == "default"


@pytest.mark.django_db(transaction=True)
def test_reads_inside_a_transaction_go_to_the_primary():
    """They must see the transaction's own writes."""
    with reading("replica1"):
        assert router.db_for_read(Release) == "replica1"
        with transaction.atomic():
            assert router.db_for_read(Release) == "default"
        assert router.db_for_read(Release) == "replica1"


def test_migrations_run_on_the_primary_only():
    assert router.allow_migrate("default", "news", "release") is True
    assert router.allow_migrate("replica1", "news", "release") is False


def test_objects_from_the_primary_and_a_replica_may_be_related():
    assert router.allow_relation(Release(), Release()) is True


# The whole site


@pytest.fixture
def routed(settings, replicas) -> list[str]:
    """The router and the middleware, installed as settings.py and the MIDDLEWARE line do."""
    settings.DATABASE_ROUTERS = ["ministry.replicas.ReplicaRouter"]
    if MIDDLEWARE not in settings.MIDDLEWARE:
        after = settings.MIDDLEWARE.index("ministry.middleware.DatabaseUnavailableMiddleware")
        settings.MIDDLEWARE = [
            *settings.MIDDLEWARE[: after + 1],
            MIDDLEWARE,
            *settings.MIDDLEWARE[after + 1 :],
        ]
    # Opened here: Django's test case lets a test open only the aliases it knew when it began.
    for alias in replicas:
        connections[alias].connect()
    return replicas


@contextmanager
def queries_by_alias(aliases: list[str]) -> Iterator[dict[str, CaptureQueriesContext]]:
    captured = {alias: CaptureQueriesContext(connections[alias]) for alias in aliases}
    for context in captured.values():
        context.__enter__()
    try:
        yield captured
    finally:
        for context in captured.values():
            context.__exit__(None, None, None)


# Committed data, so that the replicas' own connections see it: no test transaction around it.
@pytest.mark.django_db(transaction=True)
def test_a_readers_release_page_is_read_from_a_replica_and_the_admin_from_the_primary(
    routed, client, superuser
):
    release = PublishedReleaseFactory(title="Визит в Сербию")

    with queries_by_alias(["default", *routed]) as queries:
        response = client.get(release.get_absolute_url())
    assert response.status_code == 200
    assert "Визит в Сербию" in response.content.decode()
    assert len(queries["default"]) == 0
    assert sum(len(queries[alias]) for alias in routed) > 0

    client.force_login(superuser)
    with queries_by_alias(["default", *routed]) as queries:
        response = client.get(reverse("admin:news_release_change", args=[release.pk]))
    assert response.status_code == 200
    assert len(queries["default"]) > 0
    assert sum(len(queries[alias]) for alias in routed) == 0


# A replica that is out


@pytest.fixture
def out_of_service(replicas) -> Iterator[Callable[[str], None]]:
    """Make a replica a PostgreSQL server at a port where nothing listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    def take_out(alias: str) -> None:
        connections.settings[alias] = {
            **connections.settings[alias],
            "ENGINE": "django.db.backends.postgresql",
            "HOST": "127.0.0.1",
            "PORT": port,
            "NAME": "ministry",
            "USER": "reader",
            "OPTIONS": {},
        }

    yield take_out


def test_readers_do_not_read_from_a_replica_that_takes_no_connection(replicas, out_of_service):
    out_of_service("replica2")

    chosen = {read_of(requests.get("/")) for _ in range(30)}

    assert chosen == {"replica1"}


def test_with_every_replica_out_readers_read_from_the_primary(replicas, out_of_service):
    for alias in replicas:
        out_of_service(alias)

    assert reads_of(requests.get("/"), times=3) == ["default"] * 3


def test_a_replica_lost_since_it_was_last_found_up_is_left_out_and_the_primary_answers(replicas):
    """Django's handler: the view, and process_exception for what it raises."""

    def view(request: HttpRequest) -> HttpResponse:
        if reading_from.get() is not None:
            raise OperationalError("connection to server at 127.0.0.1 failed: refused")
        return HttpResponse("from the primary")

    def handler(request: HttpRequest) -> HttpResponse:
        request.resolver_match = resolve(request.path_info)
        middleware.process_view(request, view, (), {})
        try:
            return view(request)
        except OperationalError as error:
            return middleware.process_exception(request, error)

    middleware = ReplicaReadsMiddleware(handler)
    lost = middleware.choose_replica()
    middleware.choose_replica = lambda: lost  # found up a moment ago; stopped since

    response = middleware(requests.get("/"))

    assert response.content == b"from the primary"
    assert middleware.checked[lost][1] is False
    del middleware.choose_replica
    assert {middleware.choose_replica() for _ in range(20)} == set(replicas) - {lost}


def test_a_replica_and_the_primary_both_lost_leave_the_answer_to_the_outage_page(replicas):
    def view(request: HttpRequest) -> HttpResponse:
        raise OperationalError("connection failed")

    middleware = ReplicaReadsMiddleware(view)
    request = requests.get("/")
    request.resolver_match = resolve("/")
    middleware.process_view(request, view, (), {})

    with reading("replica1"):
        assert middleware.process_exception(request, OperationalError("lost")) is None
