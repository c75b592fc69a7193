"""The public pages and feeds, cached whole and never stale.

A page is cached under the public version (news.models.PublicVersion): a count that moves on
in the same transaction as any change readers could see, together with the time of the newest
visible release, which moves on by itself when a scheduled release's minute comes. Reading
both is one indexed query per request; a new version leaves every older page unread (it
expires from the cache in its own time). The key also holds the day (an official's current
position changes at midnight), the language, the low-vision mode and the full address.

The cache is Django's default one: this process's memory, or Redis with REDIS_URL, shared by
every worker and machine.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control, patch_vary_headers, set_response_etag
from django.utils.functional import empty

from news.models import PublicVersion

# Views whose answer depends only on the address, the language and the low-vision mode.
# Not here: previews, attachments (files), the low-vision switch, the admin and the API.
CACHED_NAMESPACES = {"news"}
NOT_CACHED = {"release-preview", "attachment-download", "low-vision"}
CACHED_VIEWS = {"robots-txt", "sitemap-index", "sitemap-news", "sitemap-section"}
# Editorial records readers never see: a change to them leaves every page as it was.
PRIVATE_MODELS = {"news.auditentry", "news.revision", "news.previewlink", "news.publicversion"}
HEADER = "X-Page-Cache"


def is_cached_view(request: HttpRequest) -> bool:
    match = request.resolver_match
    if match is None or request.method not in ("GET", "HEAD"):
        return False
    if match.url_name in CACHED_VIEWS:
        return True
    return bool(CACHED_NAMESPACES & set(match.namespaces)) and match.url_name not in NOT_CACHED


def page_key(request: HttpRequest, version: tuple[int, str, str]) -> str:
    from news.views import LOW_VISION_COOKIE, LOW_VISION_MODES

    low_vision = request.COOKIES.get(LOW_VISION_COOKIE, "")
    parts = [
        *map(str, version),
        timezone.localdate().isoformat(),
        translation.get_language() or "",
        low_vision if low_vision in LOW_VISION_MODES else "",
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
        response = self.get_response(request)
        key = getattr(request, "_page_cache_key", None)
        if key is None or response.get(HEADER) == "hit":
            return response
        if is_storable(request, response):
            if not response.has_header("ETag"):
                set_response_etag(response)
            if not response.has_header("Cache-Control"):
                # Browsers and proxies ask again each time; the ETag makes that a 304.
                patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
            patch_vary_headers(response, ["Cookie"])
            cache.set(key, response, settings.NEWS_PAGE_CACHE_SECONDS)
        response[HEADER] = "miss"
        return response

    def process_view(
        self, request: HttpRequest, view: Any, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        if not settings.NEWS_PAGE_CACHE_SECONDS or not is_cached_view(request):
            return None
        try:
            version = PublicVersion.objects.current()
        except DatabaseError:
            # The view will meet the same error and answer it (503); nothing to cache.
            return None
        request._page_cache_key = page_key(request, version)
        cached = cache.get(request._page_cache_key)
        if cached is not None:
            cached[HEADER] = "hit"
        return cached


def content_changed(sender: Any, **kwargs: Any) -> None:
    """A change readers may see: move the public version on, in the same transaction."""
    if kwargs.get("raw"):
        # loaddata (restore) writes rows as they are; the command moves the version on.
        return
    label = sender._meta.label_lower
    if sender._meta.app_label in ("news", "taggit") and label not in PRIVATE_MODELS:
        PublicVersion.objects.using(kwargs.get("using") or "default").advance()


def connect() -> None:
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(content_changed, dispatch_uid=f"news_pagecache_{signal}")
