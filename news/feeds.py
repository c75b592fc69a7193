"""RSS 2.0 and Atom 1.0 feeds of published releases: all of them, or those of one scope.

A scope is a language, a kind, a topic, an official, an organisation, a country, a delegation
or a year, month or day of the archive.
Every feed starts from Release.objects.published(), answers conditional requests from one
aggregate query, and costs a fixed number of queries however many items it holds.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from calendar import timegm
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.files.storage import default_storage
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed, SyndicationFeed
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.http import http_date
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from ministry.build import build_id
from news.html import sanitize
from news.models import (
    Country,
    Delegation,
    Kind,
    Language,
    Official,
    Organisation,
    Release,
    ReleaseQuerySet,
)
from news.models.topics import Topic
from news.templatetags.news_tags import month_name
from news.versionwatch import public_version

# Everything XML 1.0 forbids: C0 controls but tab, newline and carriage return; lone
# surrogates; U+FFFE and U+FFFF. Text pasted from Word brings \x0b and friends along.
_NOT_XML_CHAR = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

# Readers poll every minute; a proxy may answer for that long without asking the site.
FEED_MAX_AGE = 60
MEDIA_NS = "http://search.yahoo.com/mrss/"


def xml_safe(text: str) -> str:
    """Remove the characters XML 1.0 does not allow, so the feed stays well-formed."""
    return _NOT_XML_CHAR.sub("", text)


def _xml_safe_value(value: Any) -> Any:
    if isinstance(value, str):
        return xml_safe(value)
    if isinstance(value, list | tuple):
        return type(value)(_xml_safe_value(v) for v in value)
    if isinstance(value, dict):
        return {key: _xml_safe_value(v) for key, v in value.items()}
    return value


class XmlSafeFeedMixin:
    """Clean every string of the feed and its items: whatever the content, the XML is valid."""

    feed: dict[str, Any]
    items: list[dict[str, Any]]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.feed = {key: _xml_safe_value(value) for key, value in self.feed.items()}

    def add_item(self, *args: Any, **kwargs: Any) -> None:
        super().add_item(*args, **kwargs)
        self.items[-1] = {key: _xml_safe_value(value) for key, value in self.items[-1].items()}


def _add_media_elements(handler: Any, item: dict[str, Any]) -> None:
    image = item.get("image")
    if image:
        attrs = {"url": image["url"], "medium": "image", "type": image["type"]}
        attrs.update({k: str(image[k]) for k in ("fileSize", "width", "height") if image.get(k)})
        handler.startElement("media:content", attrs)
        if image.get("alt"):
            handler.addQuickElement("media:description", image["alt"], {"type": "plain"})
        handler.endElement("media:content")


class ReleaseRssFeed(XmlSafeFeedMixin, Rss201rev2Feed):
    """RSS 2.0 with the full body in content:encoded, the update time and the lead image."""

    def rss_attributes(self) -> dict[str, str]:
        return {
            **super().rss_attributes(),
            "xmlns:content": "http://purl.org/rss/1.0/modules/content/",
            "xmlns:media": MEDIA_NS,
        }

    def add_item_elements(self, handler: Any, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        if item.get("updateddate"):
            handler.addQuickElement("atom:updated", item["updateddate"].isoformat())
        if item.get("content"):
            handler.addQuickElement("content:encoded", item["content"])
        _add_media_elements(handler, item)


class ReleaseAtomFeed(XmlSafeFeedMixin, Atom1Feed):
    """Atom 1.0 with the full body as the entry's HTML content and the lead image."""

    def root_attributes(self) -> dict[str, str]:
        return {**super().root_attributes(), "xmlns:media": MEDIA_NS}

    def add_item_elements(self, handler: Any, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        if item.get("content"):
            handler.addQuickElement("content", item["content"], {"type": "html"})
        _add_media_elements(handler, item)


@dataclass
class Scope:
    """Which releases a feed holds, and what it calls itself."""

    releases: ReleaseQuerySet
    title: str
    description: str
    link: str
    base_url: str
    entity: Model | None = None
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
        scope = self.get_object(request, *args, **kwargs)
        etag, last_modified = self._validators(request, scope)
        headers = HttpResponse()
        headers["ETag"] = etag
        if last_modified is not None:
            headers["Last-Modified"] = _http_date(last_modified)
        patch_cache_control(headers, public=True, max_age=FEED_MAX_AGE)
        not_modified = get_conditional_response(
            request,
            etag=etag,
            last_modified=timegm(last_modified.utctimetuple()) if last_modified else None,
            response=headers,
        )
        if not_modified is not headers:
            return not_modified
        feedgen = self.get_feed(scope, request)
        if scope.language:
            feedgen.feed["language"] = scope.language
        # One string, not the thousands of small writes feedgen.write() would make: the server
        # sends a response's chunks one by one, and the page cache would keep them so.
        response = HttpResponse(feedgen.writeString("utf-8"), content_type=feedgen.content_type)
        for header in ("ETag", "Last-Modified", "Cache-Control"):
            if header in headers:
                response[header] = headers[header]
        return response

    def _validators(
        self, request: HttpRequest, scope: Scope
    ) -> tuple[str, datetime.datetime | None]:
        """The ETag and Last-Modified of the feed, from the public version (news.pagecache).

        The version moves with every change readers could see and when a scheduled release's
        time comes, so a feed that has not changed keeps its validators. Reading it is one
        indexed query (or none: the page cache has read it for this request), where counting
        the scope's releases was a scan of all of them.
        """
        version = getattr(request, "_public_version", None) or public_version()
        fingerprint = "|".join(
            str(part)
            for part in (
                build_id(),
                self.feed_type.__name__,
                get_language(),
                settings.NEWS_FEED_SIZE,
                scope.title,
                version.key,
            )
        )
        # Weak: an empty feed's lastBuildDate is the time of the request, the rest is the same.
        etag = f'W/"{hashlib.sha256(fingerprint.encode()).hexdigest()[:32]}"'
        return etag, version.last_modified

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Scope:
        return self.scope(request, **kwargs)

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
        releases = list(
            scope.releases.for_listing().prefetch_related("change_notes")[: settings.NEWS_FEED_SIZE]
        )
        # Item methods see only the item; the enclosure URL needs the site's address.
        for release in releases:
            release.feed_image = _lead_image(release, scope.base_url)
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
        return item.updated_at

    def item_author_name(self, item: Release) -> str:
        return settings.NEWS_PUBLISHER

    def item_categories(self, item: Release) -> list[str]:
        return [tag.name for tag in item.topics]

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


def _lead_image(item: Release, base_url: str) -> dict[str, Any] | None:
    """The lead image's address, size in bytes and type; None when there is none to read.

    Reads item.lead_image (for_listing() selects it) and stats its file: no query.
    """
    image = item.lead_image
    if image is None:
        return None
    try:
        size = default_storage.size(image.file)
    except OSError:
        return None
    return {
        "url": urljoin(base_url, image.url),
        "fileSize": size,
        "type": image.content_type,
        "width": image.width,
        "height": image.height,
        "alt": image.alt,
    }


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


def _http_date(value: datetime.datetime) -> str:
    return http_date(value.timestamp())


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


MINISTRY = gettext_lazy("Ministry of Communications and Informatization")


def _scope(
    request: HttpRequest,
    releases: ReleaseQuerySet,
    *,
    name: str,
    description: str,
    link: str,
    entity: Model | None = None,
    language: str | None = None,
) -> Scope:
    return Scope(
        releases=releases,
        title=f"{MINISTRY}: {name}",
        description=description,
        link=link,
        base_url=_base_url(request),
        entity=entity,
        language=language,
    )


class LatestReleasesRss(ReleaseFeed):
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
            base_url=_base_url(request),
        )


class LatestReleasesAtom(LatestReleasesRss):
    feed_type = ReleaseAtomFeed


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


class TagFeed(ReleaseFeed):
    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return super().__call__(request, *args, **kwargs)
        except Http404:
            # A subscription to the topic's address from before slugs were Latin.
            moved = Topic.objects.public().formerly_at(kwargs["slug"])
            if moved is None:
                raise
            view = request.resolver_match.view_name
            return HttpResponsePermanentRedirect(reverse(view, kwargs={"slug": moved.slug}))

    def scope(self, request: HttpRequest, *, slug: str) -> Scope:
        tag = get_object_or_404(Topic.objects.public(), slug=slug)
        return _scope(
            request,
            Release.objects.published().filter(tags=tag),
            name=tag.name,
            description=_("Releases on the topic %(name)s.") % {"name": tag.name},
            link=reverse("news:tag-detail", kwargs={"slug": tag.slug}),
            entity=tag,
        )


class OfficialFeed(ReleaseFeed):
    def scope(self, request: HttpRequest, *, slug: str) -> Scope:
        official = get_object_or_404(Official.objects.public(), slug=slug)
        return _scope(
            request,
            Release.objects.published().filter(officials=official),
            name=official.full_name,
            description=_("Releases that mention %(name)s.") % {"name": official.full_name},
            link=official.get_absolute_url(),
            entity=official,
        )


class OrganisationFeed(ReleaseFeed):
    def scope(self, request: HttpRequest, *, slug: str) -> Scope:
        organisation = get_object_or_404(Organisation.objects.public(), slug=slug)
        return _scope(
            request,
            Release.objects.published().filter(organisations=organisation),
            name=organisation.name,
            description=_("Releases that mention %(name)s.") % {"name": organisation.name},
            link=organisation.get_absolute_url(),
            entity=organisation,
        )


class CountryFeed(ReleaseFeed):
    def scope(self, request: HttpRequest, *, code: str) -> Scope:
        country = get_object_or_404(Country.objects.public(), code=code.upper())
        return _scope(
            request,
            Release.objects.published().filter(countries=country),
            name=country.name,
            description=_("Releases about %(name)s.") % {"name": country.name},
            link=country.get_absolute_url(),
            entity=country,
        )


class DelegationFeed(ReleaseFeed):
    def scope(self, request: HttpRequest, *, slug: str) -> Scope:
        delegation = get_object_or_404(Delegation.objects.public(), slug=slug)
        return _scope(
            request,
            Release.objects.published().filter(delegations=delegation),
            name=delegation.title,
            description=_("Releases about the visit: %(title)s.") % {"title": delegation.title},
            link=delegation.get_absolute_url(),
            entity=delegation,
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


def _feed_paths(route: str, name: str, feed: type[ReleaseFeed]) -> list[URLPattern]:
    return [
        path(f"{route}rss/", feed(), name=f"{name}-feed-rss"),
        path(f"{route}atom/", feed(atom=True), name=f"{name}-feed-atom"),
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


urlpatterns = [
    path("feeds/", FeedListView.as_view(), name="feed-list"),
    path("feeds/rss/", LatestReleasesRss(), name="feed-rss"),
    path("feeds/atom/", LatestReleasesAtom(), name="feed-atom"),
    *_feed_paths("feeds/language/<str:language>/", "language", LanguageFeed),
    *_feed_paths("feeds/kind/<str:kind>/", "kind", KindFeed),
    *_feed_paths("feeds/topics/<str:slug>/", "tag", TagFeed),
    *_feed_paths("feeds/officials/<slug:slug>/", "official", OfficialFeed),
    *_feed_paths("feeds/organisations/<slug:slug>/", "organisation", OrganisationFeed),
    *_feed_paths("feeds/countries/<str:code>/", "country", CountryFeed),
    *_feed_paths("feeds/delegations/<slug:slug>/", "delegation", DelegationFeed),
    *_feed_paths("feeds/archive/<int:year>/", "archive-year", ArchiveFeed),
    *_feed_paths("feeds/archive/<int:year>/<int:month>/", "archive-month", ArchiveFeed),
    *_feed_paths("feeds/archive/<int:year>/<int:month>/<int:day>/", "archive-day", ArchiveFeed),
]
