"""Requests per client address in fixed windows, counted where every worker sees the same
count: Redis when it is the cache, the database otherwise. Over the rate the API answers 429."""

from __future__ import annotations

import datetime
import time

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest
from ninja.throttling import SimpleRateThrottle

from ministry.cache import ResilientRedisCache
from news.models.ratelimit import ApiRateWindow


class ApiRateThrottle(SimpleRateThrottle):
    """settings.NEWS_API_RATE ("120/m") for every client address, read at each request."""

    scope = "api"

    def __init__(self) -> None:
        super().__init__(rate=settings.NEWS_API_RATE)

    def allow_request(self, request: HttpRequest) -> bool:
        if self.rate != settings.NEWS_API_RATE:
            self.rate = settings.NEWS_API_RATE
            self.num_requests, self.duration = self.parse_rate(self.rate)
        now = time.time()
        window_start = int(now // self.duration * self.duration)
        self.window_end = window_start + self.duration
        self.now = now
        count = self.count(client_address(request), window_start)
        return count <= self.num_requests

    def count(self, ident: str, window_start: int) -> int:
        """Add this request to the client's window and return the window's count."""
        cache = caches["default"]
        if isinstance(cache, ResilientRedisCache):
            key = f"throttle:{self.scope}:{ident}:{window_start}"
            # INCR is atomic in Redis; the key outlives its window a little and then expires.
            cache.add(key, 0, timeout=self.duration + 5)
            try:
                return cache.incr(key)
            except ValueError:
                pass  # Redis is unreachable: count in the database meanwhile
        start = datetime.datetime.fromtimestamp(window_start, tz=datetime.UTC)
        return ApiRateWindow.objects.hit(ident=ident, window_start=start)

    def wait(self) -> float:
        return self.window_end - self.now


def client_address(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or behind our proxy (BEHIND_PROXY) the last address
    of X-Forwarded-For, the one the proxy added. Earlier addresses are the client's to forge."""
    address = request.META.get("REMOTE_ADDR", "")
    if settings.NINJA_NUM_PROXIES:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [a for a in forwarded if a]
        if forwarded:
            address = forwarded[-min(settings.NINJA_NUM_PROXIES, len(forwarded))]
    return address[:100]
