"""Read replicas of PostgreSQL: readers' pages read from a replica, everything else the primary.

DATABASE_REPLICA_URLS adds one alias per replica (replica1, replica2...). Writes, migrations,
the admin, preview links, unsafe methods, logged-in people, reads inside transaction.atomic and
everything outside a request (commands, the shell) use `default`, the primary. Only a reader's
safe request reads from a replica, one chosen at random for the whole request, so that a page
does not mix two replicas that lag by different amounts. A replica that does not take a
connection is left out (and readers read from the primary) until it does again.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

import dj_database_url
from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse

REPLICA_PREFIX = "replica"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
# How long a worker trusts what it last found of a replica (up or down) before trying again.
CHECK_SECONDS = 2.0
# What a lost database connection raises (as DatabaseUnavailableMiddleware treats it).
DATABASE_LOST = (OperationalError, InterfaceError)

logger = logging.getLogger(__name__)

# The replica the current request reads from; None means the primary. A context variable is
# private to each thread (gunicorn's threads) and to each asyncio task.
reading_from: ContextVar[str | None] = ContextVar("reading_from", default=None)


def replica_databases(urls: str, **options: Any) -> dict[str, dict[str, Any]]:
    """DATABASES entries for comma-separated database URLs, parsed as DATABASE_URL is."""
    return {
        f"{REPLICA_PREFIX}{number}": {
            **dj_database_url.parse(url, **options),
            # Tests read "the replica" from the test database itself, not from a copy of it.
            "TEST": {"MIRROR": DEFAULT_DB_ALIAS},
        }
        for number, url in enumerate(
            (url.strip() for url in urls.split(",") if url.strip()), start=1
        )
    }


def replica_aliases() -> list[str]:
    return [alias for alias in settings.DATABASES if alias.startswith(REPLICA_PREFIX)]


class ReplicaRouter:
    """Send reads where the request said (ReplicaReadsMiddleware), writes to the primary."""

    def db_for_read(self, model: type, **hints: Any) -> str:
        replica = reading_from.get()
        # Inside transaction.atomic, read what the transaction sees, writes included.
        if replica is None or connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        return replica

    def db_for_write(self, model: type, **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        # Replicas hold the primary's data: a release read from one may point to an official
        # read from the other.
        return True

    def allow_migrate(
        self, db: str, app_label: str, model_name: str | None = None, **hints: Any
    ) -> bool:
        return db == DEFAULT_DB_ALIAS


class ReplicaReadsMiddleware:
    """Let a reader's request read from a replica: a safe method, no session cookie, neither
    the admin nor a preview link. Editors thus see at once what they have just saved.

    Not used when no replica is configured.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.replicas = replica_aliases()
        if not self.replicas:
            raise MiddlewareNotUsed
        # alias -> (when it was last tried, whether it answered)
        self.checked: dict[str, tuple[float, bool]] = {}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # A session cookie means a logged-in editor, whose session (and latest save) is
        # on the primary before any replica.
        reader = (
            request.method in SAFE_METHODS and settings.SESSION_COOKIE_NAME not in request.COOKIES
        )
        token = reading_from.set(self.choose_replica() if reader else None)
        try:
            return self.get_response(request)
        finally:
            # The next request this thread serves starts from the primary again.
            reading_from.reset(token)

    def choose_replica(self) -> str | None:
        """A replica at random among those that answer; None (the primary) if none does."""
        up = [alias for alias in self.replicas if self.answers(alias)]
        return random.choice(up) if up else None

    def answers(self, alias: str) -> bool:
        """Whether the replica takes a connection, found at most every CHECK_SECONDS."""
        now = time.monotonic()
        checked_at, up = self.checked.get(alias, (None, True))
        if checked_at is not None and now - checked_at < CHECK_SECONDS:
            return up
        wrapper = connections[alias]
        # Only PostgreSQL replicas are probed (tests mirror the test database, of any kind).
        if wrapper.vendor == "postgresql":
            try:
                with wrapper.Database.connect(**wrapper.get_connection_params(), connect_timeout=1):
                    pass
            except wrapper.Database.Error as error:
                if up:
                    logger.warning("replica %s is out, readers read the primary: %s", alias, error)
                self.checked[alias] = (now, False)
                return False
            if not up:
                logger.warning("replica %s is back", alias)
        self.checked[alias] = (now, True)
        return True

    def process_view(
        self, request: HttpRequest, view_func: Callable, view_args: tuple, view_kwargs: dict
    ) -> None:
        match = request.resolver_match
        # A preview link is opened moments after an editor made it, often by someone without
        # an account.
        if "admin" in match.app_names or match.view_name == "news:release-preview":
            reading_from.set(None)
        request._replica_view = (view_func, view_args, view_kwargs)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """A replica lost since it was last found up (it is tried at most every CHECK_SECONDS):
        leave it out, and answer the reader from the primary, calling the view again (a safe
        method's). Should the primary fail too, DatabaseUnavailableMiddleware answers 503."""
        replica, view = reading_from.get(), getattr(request, "_replica_view", None)
        if replica is None or view is None or not isinstance(exception, DATABASE_LOST):
            return None
        logger.warning("replica %s is out, readers read the primary: %s", replica, exception)
        self.checked[replica] = (time.monotonic(), False)
        reading_from.set(None)
        view_func, args, kwargs = view
        try:
            response = view_func(request, *args, **kwargs)
            # Django renders the view's own response only: this one is rendered here.
            if callable(getattr(response, "render", None)):
                response = response.render()
        except DATABASE_LOST:
            return None
        return response
