from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from ministry.health import health, live
from news import sitemaps, views
from news.api import api

urlpatterns = [
    path("health/", health, name="health"),
    path("health/live/", live, name="health-live"),
    path("robots.txt", views.robots_txt, name="robots-txt"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    *sitemaps.urlpatterns,
    # Russian pages have no prefix; Belarusian and English live under /be/ and /en/.
    *i18n_patterns(path("", include("news.urls")), prefix_default_language=False),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
