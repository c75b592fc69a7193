"""The feeds' addresses, and the page that lists every feed for people."""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from news.feeds import (
    ArchiveFeed,
    EntityFeed,
    KindFeed,
    LanguageFeed,
    LatestReleasesFeed,
    ReleaseFeed,
)
from news.models import Country, Delegation, Kind, Language, Official, Organisation
from news.models.topics import Topic


def _feed_paths(route: str, name: str, feed: type[ReleaseFeed], **options: Any) -> list[URLPattern]:
    rss, atom = feed(**options), feed(atom=True, **options)
    return [
        path(f"{route}rss/", rss.as_view(), name=f"{name}-feed-rss"),
        path(f"{route}atom/", atom.as_view(), name=f"{name}-feed-atom"),
    ]


class FeedListView(TemplateView):
    """Every feed of the site, for people: what each holds and where to subscribe."""

    template_name = "news/feeds.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        countries = sorted(Country.objects.public(), key=lambda c: c.name)
        return super().get_context_data(
            languages=Language.choices,
            kinds=Kind.choices,
            tags=Topic.objects.public().order_by("name"),
            officials=Official.objects.public().order_by("full_name"),
            organisations=Organisation.objects.public().order_by("name"),
            countries=countries,
            delegations=Delegation.objects.public(),
            **kwargs,
        )


MENTION = gettext_lazy("Releases that mention %(name)s.")

urlpatterns = [
    path("feeds/", FeedListView.as_view(), name="feed-list"),
    path("feeds/rss/", LatestReleasesFeed().as_view(), name="feed-rss"),
    path("feeds/atom/", LatestReleasesFeed(atom=True).as_view(), name="feed-atom"),
    *_feed_paths("feeds/language/<str:language>/", "language", LanguageFeed),
    *_feed_paths("feeds/kind/<str:kind>/", "kind", KindFeed),
    *_feed_paths(
        "feeds/topics/<str:slug>/",
        "tag",
        EntityFeed,
        entities=Topic.objects.public,
        relation="tags",
        description=gettext_lazy("Releases on the topic %(name)s."),
        # A subscription to the topic's address from before slugs were Latin.
        moved=lambda slug: Topic.objects.public().formerly_at(slug),
    ),
    *_feed_paths(
        "feeds/officials/<slug:slug>/",
        "official",
        EntityFeed,
        entities=Official.objects.public,
        relation="officials",
        description=MENTION,
    ),
    *_feed_paths(
        "feeds/organisations/<slug:slug>/",
        "organisation",
        EntityFeed,
        entities=Organisation.objects.public,
        relation="organisations",
        description=MENTION,
    ),
    *_feed_paths(
        "feeds/countries/<str:code>/",
        "country",
        EntityFeed,
        entities=Country.objects.public,
        relation="countries",
        lookup="code",
        description=gettext_lazy("Releases about %(name)s."),
    ),
    *_feed_paths(
        "feeds/delegations/<slug:slug>/",
        "delegation",
        EntityFeed,
        entities=Delegation.objects.public,
        relation="delegations",
        description=gettext_lazy("Releases about the visit: %(name)s."),
    ),
    *_feed_paths("feeds/archive/<int:year>/", "archive-year", ArchiveFeed),
    *_feed_paths("feeds/archive/<int:year>/<int:month>/", "archive-month", ArchiveFeed),
    *_feed_paths("feeds/archive/<int:year>/<int:month>/<int:day>/", "archive-day", ArchiveFeed),
]
