"""Sitemaps for search engines: an index of releases, the pages of what they mention and the
listings; and a news sitemap of the last two days' releases, in the format news search reads.

Everything listed is public: releases come from Release.objects.published(); the pages of
officials, organisations, countries, visits and topics only once a published release mentions them.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import DateField, Max, QuerySet
from django.db.models.functions import Trunc
from django.urls import URLPattern, path, reverse
from django.utils import timezone

from news.feed_formats import xml_safe
from news.models import Country, Delegation, Kind, Official, Organisation, Page, Release
from news.models.topics import Topic

# What Google News reads: releases of the last two days, at most a thousand of them.
NEWS_SITEMAP_AGE = datetime.timedelta(days=2)
NEWS_SITEMAP_LIMIT = 1000
# As the publication is registered with news search engines.
PUBLICATION_NAME = "Министерство связи и информатизации Республики Беларусь"


class ReleaseSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.8
    # Pages of 5,000 rather than the protocol's 50,000: each renders in well under a second.
    limit = 5000

    def items(self) -> QuerySet[Release]:
        return (
            Release.objects.published().order_by("-published_at", "-pk").only("slug", "updated_at")
        )

    def lastmod(self, release: Release) -> datetime.datetime:
        return release.updated_at

    def get_latest_lastmod(self) -> datetime.datetime | None:
        # One aggregate instead of reading every release, as the default would.
        return Release.objects.published().aggregate(latest=Max("updated_at"))["latest"]


class EntitySitemap(Sitemap):
    """Pages of things that published releases mention: each model's public() ones."""

    changefreq = "weekly"
    priority = 0.5


class OfficialSitemap(EntitySitemap):
    def items(self) -> QuerySet[Official]:
        return Official.objects.public().order_by("pk").only("slug")


class OrganisationSitemap(EntitySitemap):
    def items(self) -> QuerySet[Organisation]:
        return Organisation.objects.public().order_by("pk").only("slug")


class CountrySitemap(EntitySitemap):
    def items(self) -> QuerySet[Country]:
        return Country.objects.public().order_by("code")


class DelegationSitemap(EntitySitemap):
    def items(self) -> QuerySet[Delegation]:
        return Delegation.objects.public().order_by("pk").only("slug")


class TagSitemap(EntitySitemap):
    def items(self) -> QuerySet[Topic]:
        return Topic.objects.public().order_by("pk").only("slug")

    def location(self, tag: Topic) -> str:
        return reverse("news:tag-detail", kwargs={"slug": tag.slug})


@dataclass(frozen=True)
class Listing:
    location: str
    lastmod: datetime.datetime | None


INDEXES = [
    "official-index",
    "organisation-index",
    "topic-index",
    "country-index",
    "delegation-index",
]


class ListingSitemap(Sitemap):
    """The pages that list: the news, the feeds, each kind, the indexes and the archive by month.

    Kinds and periods with a published release only, each with the latest update of its
    releases: one aggregate query however many releases there are.
    """

    changefreq = "hourly"
    priority = 1.0

    def items(self) -> list[Listing]:
        return self.listings

    def location(self, listing: Listing) -> str:
        return listing.location

    def lastmod(self, listing: Listing) -> datetime.datetime | None:
        return listing.lastmod

    @cached_property
    def listings(self) -> list[Listing]:
        """Read once per sitemap: Django asks for the items more than once."""
        # One row per kind and month, at most a few thousand however many releases there are.
        rows = (
            Release.objects.published()
            .annotate(month=Trunc("published_at", "month", output_field=DateField()))
            .values("kind", "month")
            .annotate(updated=Max("updated_at"))
            .order_by()
            .values_list("kind", "month", "updated")
        )
        by_kind: dict[str, datetime.datetime] = {}
        by_year: dict[int, dict[datetime.date, datetime.datetime]] = {}
        for kind, month, updated in rows:
            by_kind[kind] = max(updated, by_kind.get(kind, updated))
            months = by_year.setdefault(month.year, {})
            months[month] = max(updated, months.get(month, updated))
        newest = max(by_kind.values(), default=None)

        listings = [
            Listing(reverse("news:release-list"), newest),
            Listing(reverse("news:feed-list"), newest),
        ]
        listings += [
            Listing(reverse("news:kind-list", args=[kind]), by_kind[kind])
            for kind in Kind.values
            if kind in by_kind
        ]
        if by_year:
            listings.append(Listing(reverse("news:archive"), newest))
            # The indexes of officials, organisations, topics, countries and visits.
            listings += [Listing(reverse(f"news:{name}"), newest) for name in INDEXES]
        for year in sorted(by_year, reverse=True):
            months = by_year[year]
            listings.append(
                Listing(reverse("news:archive-year", args=[year]), max(months.values()))
            )
            listings += [
                Listing(reverse("news:archive-month", args=[year, f"{month:%m}"]), months[month])
                for month in sorted(months, reverse=True)
            ]
        return listings


class NewsSitemap(Sitemap):
    """Releases of the last two days, newest first, for templates/sitemaps/news.xml."""

    limit = NEWS_SITEMAP_LIMIT

    def items(self) -> list[Release]:
        releases = list(
            Release.objects.published()
            .filter(published_at__gte=timezone.now() - NEWS_SITEMAP_AGE)
            .order_by("-published_at", "-pk")
            .only("slug", "title", "language", "published_at", "updated_at")[:NEWS_SITEMAP_LIMIT]
        )
        for release in releases:
            release.news_title = xml_safe(release.title)
            release.news_publication = xml_safe(PUBLICATION_NAME)
        return releases

    def lastmod(self, release: Release) -> datetime.datetime:
        return release.updated_at

    def get_latest_lastmod(self) -> datetime.datetime | None:
        return (
            Release.objects.published()
            .filter(published_at__gte=timezone.now() - NEWS_SITEMAP_AGE)
            .aggregate(latest=Max("updated_at"))["latest"]
        )


class PageSitemap(Sitemap):
    """The press service's own pages: contacts, accessibility, privacy."""

    changefreq = "monthly"
    priority = 0.3

    def items(self) -> QuerySet[Page]:
        return Page.objects.order_by("pk").only("slug")


SITEMAPS: dict[str, type[Sitemap]] = {
    "releases": ReleaseSitemap,
    "news": NewsSitemap,
    "listings": ListingSitemap,
    "officials": OfficialSitemap,
    "organisations": OrganisationSitemap,
    "countries": CountrySitemap,
    "delegations": DelegationSitemap,
    "topics": TagSitemap,
    "pages": PageSitemap,
}


def _news_context(**kwargs: Any) -> dict[str, Any]:
    return {
        "sitemaps": {"news": NewsSitemap},
        "template_name": "sitemaps/news.xml",
        **kwargs,
    }


urlpatterns: list[URLPattern] = [
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap-index",
    ),
    # Before the sections: the news section has a template of its own.
    path("sitemap-news.xml", sitemap_views.sitemap, _news_context(), name="sitemap-news"),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
]
