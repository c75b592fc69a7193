"""The low-vision mode: large type and high contrast, with or without images."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme

LOW_VISION_COOKIE = "low_vision"
# "on": large type and high contrast; "no-images": the same, without images.
LOW_VISION_MODES = {"on", "no-images"}


def low_vision(request: HttpRequest) -> HttpResponse:
    """Switch the low-vision mode on, off or without images; a cookie keeps it, no script needed.

    A plain link (GET) so that it works from any page without a form; the change is only the
    reader's own display preference.
    """
    mode = request.GET.get("mode", "")
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    if mode in LOW_VISION_MODES:
        response.set_cookie(
            LOW_VISION_COOKIE,
            mode,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
        )
    else:
        response.delete_cookie(LOW_VISION_COOKIE, samesite="Lax")
    add_never_cache_headers(response)
    return response
