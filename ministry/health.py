"""A health endpoint for load balancers and monitoring: is the database there, is the cache?"""

from __future__ import annotations

import logging
import uuid

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


def _database() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        logger.exception("health: the database does not answer")
        return False


def _cache() -> bool:
    key, value = f"health:{uuid.uuid4().hex}", "ok"
    try:
        cache.set(key, value, timeout=5)
        ok = cache.get(key) == value
        cache.delete(key)
        return ok
    except Exception:
        logger.exception("health: the cache does not answer")
        return False


@never_cache
@require_safe
def health(request: HttpRequest) -> JsonResponse:
    """200 when the database and cache answer, 503 (with which one failed) when not."""
    checks = {"database": _database(), "cache": _cache()}
    status = 200 if all(checks.values()) else 503
    body = {name: "ok" if ok else "failing" for name, ok in checks.items()}
    return JsonResponse({"status": "ok" if status == 200 else "failing", **body}, status=status)


@never_cache
@require_safe
def live(request: HttpRequest) -> HttpResponse:
    """200 while the process answers at all: the liveness probe, touching neither database nor
    cache. It also measures the ceiling of this stack (bench/run.py's baseline)."""
    return HttpResponse("ok\n", content_type="text/plain")
