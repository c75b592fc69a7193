"""Requests per client address, counted in the cache; over the rate the API answers 429."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from ninja.throttling import SimpleRateThrottle


class ApiRateThrottle(SimpleRateThrottle):
    """settings.NEWS_API_RATE ("120/m") for every client, read at each request."""

    scope = "api"

    def __init__(self) -> None:
        super().__init__(rate=settings.NEWS_API_RATE)

    def allow_request(self, request: HttpRequest) -> bool:
        if self.rate != settings.NEWS_API_RATE:
            self.rate = settings.NEWS_API_RATE
            self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def get_cache_key(self, request: HttpRequest) -> str | None:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
