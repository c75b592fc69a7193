"""The public pages and feeds, cached whole and never stale.

A page is cached under the public version (news.models.PublicVersion): a count that each
service making a change readers can see moves on in its transaction (site_changed), with the
time of the newest visible release, which moves on by itself when a scheduled release's minute
comes. Reading both is one indexed query; on PostgreSQL a process reads it only when notified
of a change (news.versionwatch), so a page from the cache costs no query at all. A new version
leaves every older page unread (it expires from the cache in its own time). The key also holds
the day (an official's current position changes at midnight), the language, the low-vision
mode, the full address and the build (news.build): a deploy never serves what the one
before rendered.

The cache is Django's default one: this process's memory, or Redis with REDIS_URL, shared by
every worker and machine.
"""

from __future__ import annotations

import hashlib
import logging
import time
import urllib.request
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.utils.cache import (
    get_max_age,
    patch_cache_control,
    patch_vary_headers,
    set_response_etag,
)
from django.utils.functional import empty

from news.build import build_id
from news.models.public_version import Version
from news.versionwatch import public_version

logger = logging.getLogger(__name__)

# Views whose answer depends only on the address, the language and the low-vision mode.
# Not here: previews, attachments (files), the low-vision switch, the admin and the API.
CACHED_NAMESPACES = {"news"}
NOT_CACHED = {"release-preview", "attachment-download", "low-vision"}
CACHED_VIEWS = {"robots-txt", "sitemap-index", "sitemap-news", "sitemap-section"}
HEADER = "X-Page-Cache"
# A page missing from the cache is rendered by one request; others asking for it meanwhile wait
# for that result (polling every POLL_SECONDS, doubled up to 50 ms) at most this long.
RENDER_LOCK_SECONDS = 5
POLL_SECONDS = 0.005
UNSTORABLE = "unstorable"


def is_cached_view(request: HttpRequest) -> bool:
    match = request.resolver_match
    if match is None or request.method not in ("GET", "HEAD"):
        return False
    if match.url_name in CACHED_VIEWS:
        return True
    return bool(CACHED_NAMESPACES & set(match.namespaces)) and match.url_name not in NOT_CACHED


def page_key(request: HttpRequest, version: Version) -> str:
    from news.low_vision import display_for

    display = display_for(request)
    parts = [
        build_id(),
        version.key,
        timezone.localdate().isoformat(),
        translation.get_language() or "",
        display.cookie if display else "",
        request.build_absolute_uri(),
    ]
    return "page:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()


def is_storable(request: HttpRequest, response: HttpResponse) -> bool:
    nonce = getattr(request, "_csp_nonce", None)
    return (
        request.method == "GET"
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        # A page that used the request's CSP nonce is for that request only.
        and (nonce is None or getattr(nonce, "_wrapped", empty) is empty)
        and "private" not in response.get("Cache-Control", "")
        and "no-store" not in response.get("Cache-Control", "")
    )


class PageCacheMiddleware:
    """Answer public pages from the cache; store what they render.

    Placed after LocaleMiddleware, so the language is known; a page is looked up in
    process_view, once the address has been resolved to a view that may be cached.
    """

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            response = self.get_response(request)
        except BaseException:
            if getattr(request, "_page_lock", None):
                cache.delete(request._page_lock)
            raise
        key = getattr(request, "_page_cache_key", None)
        if key is None:
            return response
        if response.get(HEADER) != "hit":
            stored = self.store(request, response, key)
            if lock := getattr(request, "_page_lock", None):
                # Waiting readers now find the page, or are told to render it themselves.
                if stored:
                    cache.delete(lock)
                else:
                    cache.set(lock, UNSTORABLE, RENDER_LOCK_SECONDS)
        if response.status_code == 200:
            limit_shared_caching(response, request._public_version)
        return response

    def store(self, request: HttpRequest, response: HttpResponse, key: str) -> bool:
        stored = is_storable(request, response)
        if stored:
            if not response.has_header("ETag"):
                set_response_etag(response)
            if not response.has_header("Cache-Control"):
                # Browsers and proxies ask again each time; the ETag makes that a 304.
                patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
            patch_vary_headers(response, ["Cookie"])
            # One chunk: the server writes each of a response's chunks on its own.
            response.content = response.content
            cache.set(key, response, settings.NEWS_PAGE_CACHE_SECONDS)
        response[HEADER] = "miss"
        return stored

    def process_view(
        self, request: HttpRequest, view: Any, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        if not settings.NEWS_PAGE_CACHE_SECONDS or not is_cached_view(request):
            return None
        try:
            version = public_version()
        except DatabaseError:
            # The view will meet the same error and answer it (503); nothing to cache.
            return None
        request._public_version = version
        request._page_cache_key = page_key(request, version)
        cached = cache.get(request._page_cache_key)
        if cached is None:
            cached = self.wait_for_render(request)
        if cached is not None:
            cached[HEADER] = "hit"
        return cached

    def wait_for_render(self, request: HttpRequest) -> HttpResponse | None:
        """The page as another request renders it now; None when this one is to render it
        (request._page_lock set if it holds the lock: when none holds it, or the holder died).

        The lock lives in the cache the pages do: one render per process with the local cache,
        one for all servers with Redis. An unreachable cache holds no lock: render at once.
        """
        key = request._page_cache_key
        lock = key + ":rendering"
        if cache.add(lock, "rendering", RENDER_LOCK_SECONDS):
            request._page_lock = lock
            return None
        deadline = time.monotonic() + RENDER_LOCK_SECONDS
        delay = POLL_SECONDS
        while time.monotonic() < deadline:
            holder = cache.get(lock)
            if holder == UNSTORABLE:
                return None
            if holder is None:
                if (cached := cache.get(key)) is not None:
                    return cached
                if cache.add(lock, "rendering", RENDER_LOCK_SECONDS):
                    request._page_lock = lock
                    return None
                if cache.get(lock) is None:
                    return None  # the cache does not answer
            time.sleep(delay)
            delay = min(delay * 2, 0.05)
            if (cached := cache.get(key)) is not None:
                return cached
        return None


def limit_shared_caching(response: HttpResponse, version: Version) -> None:
    """Let a CDN keep the page NEWS_CDN_MAX_AGE seconds, browsers their max-age (feeds: 60),
    never past the minute a scheduled release appears: that change comes with no purge."""
    until_change = None
    if version.next_change is not None:
        until_change = max(0, int((version.next_change - timezone.now()).total_seconds()))
    current = get_max_age(response)
    if until_change is not None and current is not None and current > until_change:
        patch_cache_control(response, max_age=until_change)
    if settings.NEWS_CDN_MAX_AGE:
        shared = settings.NEWS_CDN_MAX_AGE
        patch_cache_control(
            response, s_maxage=shared if until_change is None else min(shared, until_change)
        )


def purge_cdn() -> None:
    """Ask the CDN to drop every page (NEWS_CDN_PURGE_URL, with NEWS_CDN_PURGE_METHOD), once a
    change has committed (site_changed).

    A CDN that does not answer is logged, never the editor's error: its copies expire after
    NEWS_CDN_MAX_AGE seconds anyway.
    """
    request = urllib.request.Request(
        settings.NEWS_CDN_PURGE_URL,
        method=settings.NEWS_CDN_PURGE_METHOD,
        headers={"User-Agent": "ministry-press-cms"},
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.NEWS_CDN_PURGE_TIMEOUT) as answer:
            logger.info("CDN purged: %s %s", answer.status, settings.NEWS_CDN_PURGE_URL)
    except (OSError, ValueError) as error:
        logger.error("CDN purge failed (%s): %s", settings.NEWS_CDN_PURGE_URL, error)
