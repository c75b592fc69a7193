"""Release summaries rendered once for each content they show.

A listing page that misses the page cache (every page does once after a publication) renders
its twenty summaries again, and those take more of the page's time than the database does.
Each summary is kept under a digest of everything it is rendered from: the release's fields and
topics (read as plain rows, one query for the page), the heading level, the language, the time
zone and the build. A change to any of them makes a new key, so a kept summary is never out of
date and nothing has to be invalidated; the summaries of releases a publication did not touch
are reused as they are.

They are kept in each process's own memory (the "fragments" cache): being exact by
construction, they need no sharing, and reading twenty of them costs no round trip.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from django.core.cache import caches
from django.db.models import prefetch_related_objects
from django.template.loader import get_template
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from news.build import build_id
from news.models import Release
from news.models.release_queries import topic_rows, topics_prefetch

SUMMARY_TEMPLATE = "includes/release_summary.html"


def summary_key(
    release: Release, level: int | None, language: str, topics: list[tuple[str, ...]]
) -> str:
    """The digest of all that SUMMARY_TEMPLATE reads; it is rendered from nothing else."""
    published_at = release.published_at.isoformat() if release.published_at else ""
    parts = [
        build_id(),
        language,
        timezone.get_current_timezone_name(),
        level,
        release.pk,
        release.slug,
        release.language,
        release.kind,
        release.title,
        release.summary,
        published_at,
        release.corrected_at.isoformat() if release.corrected_at else "",
        *("\x1e".join(topic) for topic in topics),
    ]
    text = "\x1f".join(str(part) for part in parts)
    return "summary:" + hashlib.blake2b(text.encode(), digest_size=20).hexdigest()


def render_summary(release: Release, level: int | None, language: str) -> str:
    # Only these three names: anything else the template read would be missing from the key.
    context = {"release": release, "level": level, "LANGUAGE_CODE": language}
    return get_template(SUMMARY_TEMPLATE).render(context)


def release_summaries(
    releases: Iterable[Release], level: int | None, language: str
) -> list[SafeString]:
    """Each release's summary, from the fragments cache or rendered and kept there."""
    releases = list(releases)
    topics = topic_rows(releases)
    keyed = [
        (summary_key(release, level, language, topics[release.pk]), release) for release in releases
    ]
    store = caches["fragments"]
    found = store.get_many([key for key, _release in keyed])
    missing = [release for key, release in keyed if key not in found]
    # Only the summaries to render read their topics as models (no query if they have them).
    prefetch_related_objects(missing, topics_prefetch())
    rendered = {
        key: render_summary(release, level, language) for key, release in keyed if key not in found
    }
    if rendered:
        store.set_many(rendered)
    return [mark_safe(found.get(key) or rendered[key]) for key, _release in keyed]
