"""Middleware that keeps bad requests and a lost database from becoming server errors."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable

from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.db import InterfaceError, OperationalError
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseNotFound,
)
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers

logger = logging.getLogger(__name__)
request_logger = logging.getLogger("ministry.requests")

RETRY_AFTER_SECONDS = 30


class DatabaseUnavailableMiddleware:
    """Turn a lost database connection into 503 Service Unavailable with Retry-After.

    process_exception sees errors from views and from rendering their templates, where the
    lazy queries run.

    Django drops the broken connection at the end of the request, and CONN_HEALTH_CHECKS makes
    the next request connect afresh: the site recovers by itself when the database is back.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, OperationalError | InterfaceError):
            return self.unavailable(request, exception)
        return None

    def unavailable(self, request: HttpRequest, error: Exception) -> HttpResponse:
        logger.error("database unavailable for %s %s: %s", request.method, request.path, error)
        # Who asked is unknown without the database: the request log, on the way out, must not
        # ask it again (the user is read lazily from the session, which lives there).
        request.user = AnonymousUser()
        response = HttpResponse(render_to_string("503.html", request=None), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        add_never_cache_headers(response)
        return response


class SessionMiddleware(DjangoSessionMiddleware):
    """Django's, except that a server error's answer (the 503 of an outage) leaves the session
    alone: Django saves none on a 5xx anyway, but reads its expiry first, from the database."""

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if response.status_code >= 500:
            return response
        return super().process_response(request, response)


class NullByteGuardMiddleware:
    """No address or query with a NUL byte reaches a view: PostgreSQL cannot even compare one.

    A path with one is not found (404); a query string with one is a bad request (400).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path:
            return HttpResponseNotFound(render_to_string("404.html", request=None))
        if any("\x00" in key or "\x00" in value for key, value in _query_items(request)):
            return HttpResponseBadRequest("Bad request: the address contains a NUL byte.")
        return self.get_response(request)


def _query_items(request: HttpRequest) -> list[tuple[str, str]]:
    return [(key, value) for key, values in request.GET.lists() for value in values]


class RequestLogMiddleware:
    """One structured line per request: method, path, status, time taken, user, address."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.monotonic()
        response = self.get_response(request)
        user = getattr(request, "user", None)
        request_logger.info(
            json.dumps(
                {
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "ms": round((time.monotonic() - started) * 1000, 1),
                    "user": user.get_username() if user and user.is_authenticated else None,
                    "ip": request.META.get("REMOTE_ADDR"),
                },
                ensure_ascii=False,
            )
        )
        return response
