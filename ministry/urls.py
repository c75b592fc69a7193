from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.http import HttpRequest, HttpResponsePermanentRedirect
from django.urls import include, path, re_path
from django.utils.encoding import escape_uri_path

from ministry.health import health, live
from ministry.media import media_urlpatterns
from news import seo, sitemaps
from news.api import api


def without_trailing_slash(request: HttpRequest, rest: str) -> HttpResponsePermanentRedirect:
    query = request.META.get("QUERY_STRING", "")
    target = escape_uri_path(request.path.rstrip("/"))
    return HttpResponsePermanentRedirect(f"{target}?{query}" if query else target)


urlpatterns = [
    path("health/", health, name="health"),
    path("health/live/", live, name="health-live"),
    path("robots.txt", seo.robots_txt, name="robots-txt"),
    path("admin/", admin.site.urls),
    # Django's set_language: the admin's language switcher posts here.
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    # /api/v1/releases/ and the like: the API's addresses have no trailing slash.
    re_path(r"^api/v1/(?P<rest>.+)/$", without_trailing_slash),
    *media_urlpatterns(),
    *sitemaps.urlpatterns,
    # Russian pages have no prefix; Belarusian and English live under /be/ and /en/.
    *i18n_patterns(
        path("", include("news.urls")),
        path("", include("news.subscriptions.urls")),
        prefix_default_language=False,
    ),
]
