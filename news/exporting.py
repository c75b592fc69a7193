"""Public releases as JSON Lines, in the format news.importing.jsonl reads back.

Each line carries what that format knows: text, time, language, kind, topics, sources, officials
with their position on the release's day, organisations and event dates. Values are written as
the importer stores them (names with single spaces, a body that is HTML), so exporting, importing
into an empty database and exporting again gives the same lines.

What the format has no field for stays behind: the permanent identifier, slug, place, lead image,
countries and delegations. Positions come back undated, so an official whose position changed
between releases comes back with the latest one for all of them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import IO, Any

from django.db.models import Prefetch
from django.utils import timezone

from news.html import sanitize
from news.importing.jsonl import _TAG  # the importer's own test for HTML
from news.models import Appointment, Official, Release

CHUNK_SIZE = 500


def public_releases() -> Any:
    """Every published release, oldest first, with what a line needs prefetched."""
    appointments = Appointment.objects.select_related(None)
    return (
        Release.objects.published()
        .order_by("published_at", "pk")
        .prefetch_related(
            "tags",
            "sources",
            "organisations",
            Prefetch(
                "officials",
                queryset=Official.objects.prefetch_related(
                    Prefetch("appointments", queryset=appointments)
                ),
            ),
        )
    )


def _tidy(name: str) -> str:
    return " ".join(name.split())


def _unique(names: list[str]) -> list[str]:
    """Names once each, as the importer counts them: case and spacing aside; sorted."""
    seen: dict[str, str] = {}
    for name in names:
        if _tidy(name):
            seen.setdefault(_tidy(name).casefold(), _tidy(name))
    return sorted(seen.values(), key=lambda name: (name.casefold(), name))


def _body(release: Release) -> str:
    body = release.body.strip()
    # The importer reads a body without any tag as plain paragraphs: keep HTML recognisable.
    if body and not _TAG.search(body):
        body = sanitize(f"<p>{body}</p>")
    return body


def release_line(release: Release) -> dict[str, Any]:
    """One release as the importer reads it. Uses the prefetches of public_releases()."""
    officials = []
    seen = set()
    for official, appointment in sorted(
        release.officials_with_positions(), key=lambda pair: (pair[0].full_name, pair[0].pk)
    ):
        name = _tidy(official.full_name)
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            officials.append(
                {"name": name, "position": _tidy(appointment.title) if appointment else ""}
            )
    sources = []
    urls = set()
    for source in sorted(release.sources.all(), key=lambda s: (not s.is_primary, s.pk)):
        url = source.url.strip()
        if url not in urls:
            urls.add(url)
            sources.append({"url": url, "title": source.title.strip()})
    return {
        "title": release.title.strip(),
        "summary": release.summary.strip(),
        "body": _body(release),
        "published_at": timezone.localtime(release.published_at).isoformat(),
        "language": release.language,
        "kind": release.kind,
        "tags": _unique([tag.name for tag in release.tags.all()]),
        "sources": sources,
        "officials": officials,
        "organisations": _unique([o.name for o in release.organisations.all()]),
        "event_start": release.event_start.isoformat() if release.event_start else None,
        "event_end": release.event_end.isoformat() if release.event_end else None,
    }


def export_lines() -> Iterator[str]:
    """The JSON Lines of every public release, one string (with its newline) each."""
    for release in public_releases().iterator(chunk_size=CHUNK_SIZE):
        yield json.dumps(release_line(release), ensure_ascii=False, sort_keys=False) + "\n"


def export_jsonl(output: IO[str]) -> int:
    """Write every public release to output; return how many."""
    count = 0
    for line in export_lines():
        output.write(line)
        count += 1
    return count
