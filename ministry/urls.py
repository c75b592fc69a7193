from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from ministry.health import health, live
from ministry.media import media_urlpatterns
from news import sitemaps, views
from news.api import api

urlpatterns = [
    path("health/", health, name="health"),
    path("health/live/", live, name="health-live"),
    path("robots.txt", views.robots_txt, name="robots-txt"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    *media_urlpatterns(),
    *sitemaps.urlpatterns,
    # Russian pages have no prefix; Belarusian and English live under /be/ and /en/.
    *i18n_patterns(path("", include("news.urls")), prefix_default_language=False),
]
