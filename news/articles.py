"""A release page's own part, rendered once for each version of what it shows.

After a publication every cached page goes at once (news.pagecache), and each release page is
rendered again; but the article of a release the publication did not touch (its text with the
names linked, facts, photos, documents, officials, sources, changes, contact and translations,
and what machines read of it) is the same as before. It is kept, rendered, under a key of all it
is rendered from:

- the release's row, as read: its text, state and times, and its version, which the services
  move on with every change to its links, sources, gallery and documents (news.workflow,
  news.corrections);
- the count of changes to anything else a release page shows (names, posts, images, contacts),
  moved on by every site_changed() but those of the services changing releases alone;
- its published translations, read for every page anyway;
- the language, the time zone, the day (an official's current post), the site's address and
  the build.

So a kept article is never out of date and nothing has to be deleted. The whole page is kept
too, under the article's key with the release's related news, the address and the low-vision
settings: a publication that changes none of them leaves the page as it was, and serving it
takes three queries (the row, the translations, the related news) and no rendering.

What a withdrawn release may link depends on other releases (private_mentions): its page, like
a preview, is always rendered afresh. Articles and pages are kept in each process's memory (the
"articles" cache; the least recently read go first): exact by construction, they need no
sharing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.core.cache import caches
from django.db import models
from django.db.models import prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.template.loader import get_template
from django.utils import timezone, translation

from news.body_links import link_release_text
from news.build import build_id
from news.low_vision import display_for
from news.models import Contact, Country, Delegation, Official, Organisation, Release, State
from news.models.release_queries import detail_prefetches
from news.pagecache import is_storable
from news.seo import sharing_context
from news.versionwatch import public_version

PAGE_TEMPLATE = "news/release_detail.html"


def language_versions(release: Release) -> dict[str, Any]:
    """Its published translations, and where the language switcher goes (language_versions)."""
    translations = list(release.translations().published().only("slug", "language", "title"))
    translation_urls = {}
    for item in [release, *translations]:
        with translation.override(item.language):
            translation_urls[item.language] = item.get_absolute_url()
    return {"translations": translations, "translation_urls": translation_urls}


def release_page_context(
    release: Release,
    *,
    preview: bool = False,
    languages: dict[str, Any] | None = None,
    related: list[Release] | None = None,
) -> dict[str, Any]:
    """All a release page shows, for a release read with for_detail() (or given it here);
    languages and related when read already."""
    prefetch_related_objects([release], *detail_prefetches())  # no query for what is there
    # sorted() is stable: the primary source first, the others in the order they were added.
    sources = sorted(release.sources.all(), key=lambda source: not source.is_primary)
    officials = release.officials_with_positions()
    private = private_mentions(release, [official for official, _position in officials])
    linkable = [
        *(official for official, _position in officials),
        *release.organisations.all(),
        *release.countries.all(),
    ]
    lead, body = link_release_text(
        release.summary,
        release.body,
        release.language,
        [item for item in linkable if item not in private],
    )
    if related is None:
        # A preview's links may not be stored yet; a page's list is (news.related).
        related = release.related_afresh() if preview else release.related()
    return {
        "officials": officials,
        "private_mentions": private,
        "lead": lead,
        "body": body,
        "related": related,
        "contact": release.contact or Contact.objects.default(),
        "sources": sources,
        **(languages or language_versions(release)),
    }


def private_mentions(release: Release, officials: list[Official]) -> set[models.Model]:
    """What a withdrawn release mentions that no published release does: named, not linked.

    A published release makes all it mentions public, and a preview links what readers will
    find once it is published: neither asks the database.
    """
    if release.state != State.WITHDRAWN:
        return set()
    private: set[models.Model] = set()
    for model, mentioned in [
        (Official, officials),
        (Organisation, list(release.organisations.all())),
        (Country, list(release.countries.all())),
        (Delegation, list(release.delegations.all())),
    ]:
        if mentioned:
            pks = [item.pk for item in mentioned]
            public = set(model.objects.public().filter(pk__in=pks).values_list("pk", flat=True))
            private.update(item for item in mentioned if item.pk not in public)
    return private


def article_key(request: HttpRequest, release: Release, translations: list[Release]) -> str:
    """The digest of all the article is rendered from (see the module's docstring)."""
    parts = [
        build_id(),
        translation.get_language(),
        timezone.get_current_timezone_name(),
        timezone.localdate().isoformat(),
        request.build_absolute_uri("/"),
        # The page cache read it for this request already; with that off, read it here.
        (getattr(request, "_public_version", None) or public_version()).catalogue,
        # The whole row as read (not the deferred search vector): its text, state and times.
        *(vars(release).get(field.attname, "") for field in release._meta.concrete_fields),
        *(f"{item.pk}\x1e{item.language}\x1e{item.slug}\x1e{item.title}" for item in translations),
    ]
    text = "\x1f".join(str(part) for part in parts)
    return "article:" + hashlib.blake2b(text.encode(), digest_size=20).hexdigest()


def release_page(
    request: HttpRequest, release: Release, render: Callable[[dict[str, Any]], HttpResponse]
) -> HttpResponse:
    """A release page, for a release read with for_page(); render makes the response from the
    context.

    A published release's page is kept whole under a key of its article's, its related news,
    the address and the low-vision settings, so that a publication elsewhere costs the page
    three queries; missing, it is rendered around its article (kept, or rendered and kept).
    A withdrawn release's page is rendered from all it shows, each time.
    """
    languages = language_versions(release)
    if release.state != State.PUBLISHED:
        page = release_page_context(release, languages=languages)
        return render({**page, **sharing_context(request, release, page)})
    related = release.related()
    key = article_key(request, release, languages["translations"])
    whole = page_key(request, key, related)
    store = caches["articles"]
    if (content := store.get(whole)) is not None:
        return HttpResponse(content)
    response = render(
        {**kept_article(request, release, key, languages, related), "related": related}
    )
    response.render()
    if is_storable(request, response):
        store.set(whole, response.content)
    return response


def page_key(request: HttpRequest, article: str, related: list[Release]) -> str:
    """The digest of all a release page shows: its article (by key), its related news, and
    what the chrome around them reads of the request."""
    display = display_for(request)
    parts = [
        article,
        request.build_absolute_uri(),
        display.cookie if display else "",
        *(
            f"{item.pk}\x1e{item.language}\x1e{item.slug}\x1e{item.title}\x1e{item.published_at}"
            for item in related
        ),
    ]
    text = "\x1f".join(str(part) for part in parts)
    return "release-page:" + hashlib.blake2b(text.encode(), digest_size=20).hexdigest()


def kept_article(
    request: HttpRequest,
    release: Release,
    key: str,
    languages: dict[str, Any],
    related: list[Release],
) -> dict[str, Any]:
    """The article and what machines read of it, rendered ("article", "head"), with the
    languages: kept under key, or rendered and kept."""
    store = caches["articles"]
    kept = store.get(key)
    if kept is None:
        # Read again with all it shows, in a fixed number of queries (a few more, should the
        # row have changed since: its new key will find this article missing and render it).
        release = Release.objects.for_detail().get(pk=release.pk)
        page = release_page_context(release, languages=languages, related=related)
        sharing = sharing_context(request, release, page)
        context = {"release": release, **page, **sharing}
        kept = {
            part: get_template(f"{PAGE_TEMPLATE}#{part}").render(context, request)
            for part in ("head", "article")
        }
        kept["canonical_url"] = sharing["canonical_url"]
        store.set(key, kept)
    return {**kept, **languages}
