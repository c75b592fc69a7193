"""RSS 2.0 and Atom 1.0 feeds of published releases: all of them, or those of one scope.

A scope is a language, a kind, a topic, an official, an organisation, a country, a delegation
or a year, month or day of the archive.
Every feed starts from Release.objects.published(), answers conditional requests from the
public version alone (ReleaseFeed.as_view()), and costs a fixed number of queries however many
items it holds.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.files.storage import default_storage
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Enclosure, SyndicationFeed
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.html import escape
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import condition

from news.build import build_id
from news.feed_formats import ReleaseAtomFeed, ReleaseRssFeed
from news.html import sanitize
from news.models import (
    Kind,
    Language,
    Release,
    ReleaseQuerySet,
)
from news.models.public_version import Version
from news.models.release_queries import topic_rows
from news.templatetags.news_tags import month_name
from news.versionwatch import public_version

# Readers poll every minute; a proxy may answer for that long without asking the site.
FEED_MAX_AGE = 60
# The width of the lead image's rendition a feed gives as its enclosure.
FEED_IMAGE_WIDTH = 960


@dataclass
class Scope:
    """Which releases a feed holds, and what it calls itself."""

    releases: ReleaseQuerySet
    title: str
    description: str
    link: str
    base_url: str
    language: str | None = None


class ReleaseFeed(Feed):
    """The latest published releases of a scope; subclasses say which (scope())."""

    feed_type: type[SyndicationFeed] = ReleaseRssFeed

    def __init__(self, *, atom: bool = False) -> None:
        super().__init__()
        if atom:
            self.feed_type = ReleaseAtomFeed

    def scope(self, request: HttpRequest, **kwargs: Any) -> Scope:
        raise NotImplementedError

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # Feed.__call__ dates the response from its items and writes it in thousands of small
        # chunks; the validators come from the public version (as_view()), the body in one string.
        feedgen = self.get_feed(self.get_object(request, *args, **kwargs), request)
        return HttpResponse(feedgen.writeString("utf-8"), content_type=feedgen.content_type)

    def as_view(self) -> Callable[..., HttpResponse]:
        """The feed answering If-None-Match and If-Modified-Since from the public version alone."""
        view = condition(etag_func=self.etag, last_modified_func=self.last_modified)(self)
        return cache_control(public=True, max_age=FEED_MAX_AGE)(view)

    def etag(self, request: HttpRequest, *args: Any, **kwargs: Any) -> str:
        # Weak: an empty feed's lastBuildDate is the time of the request, the rest is the same.
        parts = (
            build_id(),
            self.feed_type.__name__,
            get_language(),
            settings.NEWS_FEED_SIZE,
            request.path,
            _version(request).key,
        )
        return f'W/"{hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:32]}"'

    def last_modified(
        self, request: HttpRequest, *args: Any, **kwargs: Any
    ) -> datetime.datetime | None:
        return _version(request).last_modified

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Scope:
        return self.scope(request, **kwargs)

    def get_feed(self, obj: Scope, request: HttpRequest) -> SyndicationFeed:
        feedgen = super().get_feed(obj, request)
        if obj.language:
            feedgen.feed["language"] = obj.language
        if settings.WEBSUB_HUB_URL:  # rel="self" must be the address the hub is told of
            feedgen.feed["feed_url"] = settings.SITE_URL + request.path
        return feedgen

    def title(self, scope: Scope) -> str:
        return scope.title

    def description(self, scope: Scope) -> str:
        # RSS readers take the channel's description as HTML (Atom's subtitle is text): a name
        # in it like "A & B <i>x</i>" must arrive escaped to be shown as written.
        return escape(scope.description)

    def subtitle(self, scope: Scope) -> str:
        return scope.description

    def link(self, scope: Scope) -> str:
        return scope.link

    def items(self, scope: Scope) -> list[Release]:
        releases = list(scope.releases.for_feed()[: settings.NEWS_FEED_SIZE])
        topics = topic_rows(releases)
        # Item methods see only the item; the enclosure URL needs the site's address.
        for release in releases:
            release.feed_image = _lead_image(release, scope.base_url)
            release.feed_topics = [name for _slug, name, *_other_names in topics[release.pk]]
        return releases

    def item_title(self, item: Release) -> str:
        return item.title

    def item_description(self, item: Release) -> str:
        # The lead is plain text and feed descriptions are HTML: escape it once.
        description = escape(item.summary)
        notes = list(item.change_notes.all())
        if notes:
            note = _("Updated: %(note)s") % {"note": notes[-1].text}
            description = f"{description} ({escape(note)})" if description else escape(note)
        return description

    def item_guid(self, item: Release) -> str:
        return item.guid

    def item_guid_is_permalink(self, item: Release) -> bool:
        return False

    def item_pubdate(self, item: Release) -> datetime.datetime | None:
        return item.published_at

    def item_updateddate(self, item: Release) -> datetime.datetime:
        return item.modified_for_readers

    def item_author_name(self, item: Release) -> str:
        return settings.NEWS_PUBLISHER

    def item_categories(self, item: Release) -> list[str]:
        return item.feed_topics

    def item_enclosures(self, item: Release) -> list[Enclosure]:
        image = item.feed_image
        if image is None:
            return []
        return [Enclosure(image["url"], str(image["fileSize"]), image["type"])]

    def item_extra_kwargs(self, item: Release) -> dict[str, Any]:
        return {
            **super().item_extra_kwargs(item),
            # Sanitised again: bodies stored before a rule (no images from other sites) was made.
            "content": sanitize(item.body) + _change_notes_html(item),
            "image": item.feed_image,
        }


def _version(request: HttpRequest) -> Version:
    """The public version, read once a request (the page cache may have read it already)."""
    if getattr(request, "_public_version", None) is None:
        request._public_version = public_version()
    return request._public_version


def _lead_image(item: Release, base_url: str) -> dict[str, Any] | None:
    """The lead image's rendition for feeds: address, size in bytes, type; None when unreadable.

    A rendition FEED_IMAGE_WIDTH wide (about 100-200 KB), not the master of several megabytes:
    agencies fetch the enclosure of every item they poll. Reads item.lead_image (for_feed()
    selects it) and stats one file: no query.
    """
    image = item.lead_image
    if image is None:
        return None
    shared = image.shared(FEED_IMAGE_WIDTH, lambda path: urljoin(base_url, path))
    try:
        size = default_storage.size(shared["name"])
    except OSError:
        return None
    return {**shared, "fileSize": size}


def _change_notes_html(item: Release) -> str:
    parts = [
        "<p><em>{}</em></p>".format(
            escape(
                _("Updated %(time)s: %(note)s")
                % {
                    "time": date_format(timezone.localtime(note.created_at), "DATETIME_FORMAT"),
                    "note": note.text,
                }
            )
        )
        for note in item.change_notes.all()
    ]
    return "\n<hr>\n" + "\n".join(parts) if parts else ""


MINISTRY = gettext_lazy("Ministry of Communications and Informatization")


def _scope(
    request: HttpRequest,
    releases: ReleaseQuerySet,
    *,
    name: str,
    description: str,
    link: str,
    language: str | None = None,
) -> Scope:
    return Scope(
        releases=releases,
        title=f"{MINISTRY}: {name}",
        description=description,
        link=link,
        base_url=request.build_absolute_uri("/"),
        language=language,
    )


class LatestReleasesFeed(ReleaseFeed):
    """Every published release."""

    def scope(self, request: HttpRequest, **kwargs: Any) -> Scope:
        return Scope(
            releases=Release.objects.published(),
            title=_("Ministry of Communications and Informatization: news"),
            description=_(
                "News and press releases of the Ministry of Communications and Informatization "
                "of the Republic of Belarus."
            ),
            link=reverse("news:release-list"),
            base_url=request.build_absolute_uri("/"),
        )


class LanguageFeed(ReleaseFeed):
    def scope(self, request: HttpRequest, *, language: str) -> Scope:
        if language not in Language.values:
            raise Http404
        name = Language(language).label
        return _scope(
            request,
            Release.objects.published().filter(language=language),
            name=_("news in %(language)s") % {"language": name},
            description=_("Releases written in %(language)s.") % {"language": name},
            link=reverse("news:release-list"),
            language=language,
        )


class KindFeed(ReleaseFeed):
    def scope(self, request: HttpRequest, *, kind: str) -> Scope:
        if kind not in Kind.values:
            raise Http404
        name = Kind(kind).label
        return _scope(
            request,
            Release.objects.published().filter(kind=kind),
            name=name,
            description=_("Published releases of the kind: %(kind)s.") % {"kind": name},
            link=reverse("news:release-list"),
        )


class EntityFeed(ReleaseFeed):
    """The releases that mention one public topic, official, organisation, country or visit.

    entities: the public ones (Official.objects.public); lookup: the field the address names;
    relation: the Release field that links them; description: with %(name)s for the entity;
    moved: where an address that finds nothing has moved to, if anywhere.
    """

    def __init__(
        self,
        *,
        entities: Callable[[], QuerySet],
        relation: str,
        description: str | Promise,
        lookup: str = "slug",
        moved: Callable[[str], Model | None] | None = None,
        atom: bool = False,
    ) -> None:
        super().__init__(atom=atom)
        self.entities = entities
        self.relation = relation
        self.description_text = description
        self.lookup = lookup
        self.moved = moved

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return super().__call__(request, *args, **kwargs)
        except Http404:
            moved = self.moved(kwargs[self.lookup]) if self.moved else None
            if moved is None:
                raise
            view = request.resolver_match.view_name
            return HttpResponsePermanentRedirect(reverse(view, args=[moved.slug]))

    def scope(self, request: HttpRequest, **kwargs: str) -> Scope:
        value = kwargs[self.lookup]
        # Country codes are stored upper-case; addresses have them lower-case.
        value = value.upper() if self.lookup == "code" else value
        entity = get_object_or_404(self.entities(), **{self.lookup: value})
        return _scope(
            request,
            Release.objects.published().filter(**{self.relation: entity}),
            name=str(entity),
            description=self.description_text % {"name": entity},
            link=entity.get_absolute_url(),
        )


class ArchiveFeed(ReleaseFeed):
    """The releases of a year, a month or a day of the date archive, in the site's zone.

    Filters as the archive page does; a date that is not one, or a period with nothing
    published, is 404 like the page.
    """

    def scope(
        self, request: HttpRequest, *, year: int, month: int | None = None, day: int | None = None
    ) -> Scope:
        try:
            date = datetime.date(year, 1 if month is None else month, 1 if day is None else day)
            releases = Release.objects.published().published_in(year, month, day)
        except (ValueError, OverflowError) as error:
            raise Http404(_("No such date.")) from error
        if not releases.exists():
            raise Http404(_("Nothing was published then."))
        if day is not None:
            period = date_format(date, "j E Y")
            link = reverse("news:archive-day", args=[year, f"{month:02d}", f"{day:02d}"])
        elif month is not None:
            period = f"{month_name(date)} {year}"
            link = reverse("news:archive-month", args=[year, f"{month:02d}"])
        else:
            period = str(year)
            link = reverse("news:archive-year", args=[year])
        return _scope(
            request,
            releases,
            name=_("archive, %(period)s") % {"period": period},
            description=_("Published releases of the period: %(period)s.") % {"period": period},
            link=link,
        )
