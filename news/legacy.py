"""Addresses of the old site: a path that was a published release's source answers 301."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.utils import translation
from django.utils.encoding import escape_uri_path


class LegacyAddressMiddleware:
    """A path that is not found here but was a published release's primary source on the old
    site (settings.NEWS_LEGACY_DOMAINS) answers 301 to that release's page.

    Only 404s are looked at, with one query on the indexed primary source URLs.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in ("GET", "HEAD"):
            return response
        return self.process_not_found(request) or response

    def process_not_found(self, request: HttpRequest) -> HttpResponse | None:
        from news.models import Release, SourceURL

        candidates = legacy_urls(request)
        if not candidates:
            return None
        source = (
            SourceURL.objects.filter(
                url__in=candidates,
                is_primary=True,
                release__in=Release.objects.published(),
            )
            .select_related("release")
            .only("release", "release__slug", "release__language")
            .order_by("-release__published_at", "-release__pk")
            .first()
        )
        if source is None:
            return None
        release = source.release
        with translation.override(release.language):
            return HttpResponsePermanentRedirect(release.get_absolute_url())


def legacy_urls(request: HttpRequest) -> list[str]:
    """The old site's addresses a request's path may have had: both schemes, every legacy
    domain, with and without the trailing slash, with the query string when there is one."""
    if request.path == "/":
        return []
    # The old site's links may be stored as typed (Cyrillic) or percent-encoded.
    paths = {
        variant
        for path in {request.path, escape_uri_path(request.path)}
        for variant in (path.rstrip("/"), path.rstrip("/") + "/")
    }
    query = request.META.get("QUERY_STRING", "")
    if query:
        paths |= {f"{p}?{query}" for p in paths}
    return sorted(
        f"{scheme}://{domain}{p}"
        for scheme in ("https", "http")
        for domain in settings.NEWS_LEGACY_DOMAINS
        for p in paths
    )
