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

So a kept article is never out of date and nothing has to be deleted. What a withdrawn release
may link depends on other releases (private_mentions): its page, like a preview, is always
rendered afresh. Articles are kept in each process's memory (the "articles" cache; the least
recently read go first): exact by construction, they need no sharing.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.cache import caches
from django.db import models
from django.db.models import prefetch_related_objects
from django.http import HttpRequest
from django.template.loader import get_template
from django.utils import timezone, translation

from news.body_links import link_release_text
from news.build import build_id
from news.models import Contact, Country, Delegation, Official, Organisation, Release, State
from news.models.release_queries import detail_prefetches
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
    release: Release, *, preview: bool = False, languages: dict[str, Any] | None = None
) -> dict[str, Any]:
    """All a release page shows, for a release read with for_detail() (or given it here)."""
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
    return {
        "officials": officials,
        "private_mentions": private,
        "lead": lead,
        "body": body,
        # A preview's links may not be stored yet; a page's list is (news.related).
        "related": release.related_afresh() if preview else release.related(),
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


def release_page(request: HttpRequest, release: Release) -> dict[str, Any]:
    """A release page's context, for a release read with for_page(): its article and what
    machines read of it rendered (kept, or rendered and kept) as "article" and "head", or all
    the template renders them from."""
    languages = language_versions(release)
    if release.state != State.PUBLISHED:
        page = release_page_context(release, languages=languages)
        return {**page, **sharing_context(request, release, page)}
    store = caches["articles"]
    key = article_key(request, release, languages["translations"])
    kept = store.get(key)
    if kept is None:
        # Read again with all it shows, in a fixed number of queries (a few more, should the
        # row have changed since: its new key will find this article missing and render it).
        release = Release.objects.for_detail().get(pk=release.pk)
        page = release_page_context(release, languages=languages)
        sharing = sharing_context(request, release, page)
        context = {"release": release, **page, **sharing}
        kept = {
            part: get_template(f"{PAGE_TEMPLATE}#{part}").render(context, request)
            for part in ("head", "article")
        }
        kept["canonical_url"] = sharing["canonical_url"]
        store.set(key, kept)
        return {**kept, **languages, "related": page["related"]}
    return {**kept, **languages, "related": release.related()}
