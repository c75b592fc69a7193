from django.contrib import admin
from django.urls import include, path
from search import views as search_views
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls

from news.feeds import LatestNewsFeed

urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("search/", search_views.search, name="search"),
    path("feed/", LatestNewsFeed(), name="feed"),
    path("", include(wagtail_urls)),
]
