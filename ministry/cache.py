"""Redis as Django's cache, degrading to no cache when Redis is unreachable.

A cache that went away must cost speed, never errors: every operation that fails to reach Redis
answers as if the key were missing, and a warning is logged at most once a minute.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from typing import Any

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)
WARN_EVERY_SECONDS = 60


def _missing_on_failure(answer: Callable[..., Any]) -> Callable[[Callable[..., Any]], Any]:
    """Run the cache operation; if Redis fails, log and return answer(*args, **kwargs)."""

    def decorate(method: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(method)
        def guarded(self: ResilientRedisCache, *args: Any, **kwargs: Any) -> Any:
            try:
                return method(self, *args, **kwargs)
            except RedisError as error:
                self._report(error)
                return answer(*args, **kwargs)

        return guarded

    return decorate


def _default(key: str, default: Any = None, version: int | None = None) -> Any:
    return default


def _nothing(*args: Any, **kwargs: Any) -> None:
    return None


def _false(*args: Any, **kwargs: Any) -> bool:
    return False


def _empty(*args: Any, **kwargs: Any) -> dict:
    return {}


def _all_failed(data: dict, *args: Any, **kwargs: Any) -> list:
    return list(data)


def _no_key(key: str, *args: Any, **kwargs: Any) -> int:
    raise ValueError(f"Key {key!r} not found (the cache is unreachable).")


class ResilientRedisCache(RedisCache):
    _last_warning = 0.0

    def _report(self, error: Exception) -> None:
        now = time.monotonic()
        if now - ResilientRedisCache._last_warning >= WARN_EVERY_SECONDS:
            ResilientRedisCache._last_warning = now
            logger.warning("cache unreachable, serving without it: %s", error)

    get = _missing_on_failure(_default)(RedisCache.get)
    set = _missing_on_failure(_nothing)(RedisCache.set)
    add = _missing_on_failure(_false)(RedisCache.add)
    touch = _missing_on_failure(_false)(RedisCache.touch)
    delete = _missing_on_failure(_false)(RedisCache.delete)
    has_key = _missing_on_failure(_false)(RedisCache.has_key)
    incr = _missing_on_failure(_no_key)(RedisCache.incr)
    get_many = _missing_on_failure(_empty)(RedisCache.get_many)
    set_many = _missing_on_failure(_all_failed)(RedisCache.set_many)
    delete_many = _missing_on_failure(_nothing)(RedisCache.delete_many)
    clear = _missing_on_failure(_false)(RedisCache.clear)
