"""What every API response carries: CORS for reading, ETag and 304, and caching headers."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag

API_PREFIX = "/api/"
# Clients may cache answers this long; the ETag makes asking again cheap.
API_MAX_AGE = 60
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "ETag, Retry-After",
}
PREFLIGHT_HEADERS = {
    **CORS_HEADERS,
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, If-None-Match, If-Modified-Since",
    "Access-Control-Max-Age": "86400",
}


class ApiMiddleware:
    """For paths under /api/: open to any site for GET (no cookies), conditional, cacheable.

    Only GET, HEAD and OPTIONS are answered with CORS headers: the API changes nothing.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        if request.method == "OPTIONS" and "HTTP_ACCESS_CONTROL_REQUEST_METHOD" in request.META:
            preflight = HttpResponse(status=204)
            for name, value in PREFLIGHT_HEADERS.items():
                preflight[name] = value
            return preflight
        # The API declares GET only; HEAD is the same answer, whose body the server drops.
        head = request.method == "HEAD"
        if head:
            request.method = "GET"
        response = self.get_response(request)
        if head:
            request.method = "HEAD"
        if request.method not in ("GET", "HEAD"):
            return response
        if response.status_code == 200 and not response.streaming:
            patch_cache_control(response, public=True, max_age=API_MAX_AGE)
            set_response_etag(response)
            response = get_conditional_response(request, etag=response["ETag"], response=response)
        # On a 304 too: the browser checks it before it uses its cached copy.
        for name, value in CORS_HEADERS.items():
            response[name] = value
        return response
