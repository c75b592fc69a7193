"""Public releases as JSON Lines, in the format news.importing.jsonl reads back.

Each line carries every field a version of a release holds (news.revisions.VERSION_FIELDS: the
same list the importer reads) and the permanent identifier, publication time, sources, lead image
(its library entry: file name, digest, description; the file itself travels with the media
folder) and the translation it belongs to (translation_of: the uuid of the group's first release
in the file). Values are written as the importer stores them (names with single spaces, a body
that is HTML), so importing into an empty database gives the same releases with the same ids,
feed items and pages, and exporting again gives the same lines.

What stays behind: galleries, documents, change notes and the editorial record; of officials
and organisations their names (slugs are made anew), of visits their slug, title, country, dates
and purpose. Positions come back undated, so an official whose position changed between
releases comes back with the latest one for all of them.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from typing import IO, Any

from django.db.models import Count, Prefetch
from django.utils import timezone

from news.html import sanitize
from news.importing.records import (
    CONTACT_FIELDS,
    DELEGATION_FIELDS,
    HTML_TAG,
    IMAGE_FIELDS,
    STAYS_BEHIND,
)
from news.models import Appointment, Delegation, Official, Release
from news.revisions import VERSION_FIELDS

CHUNK_SIZE = 500


def public_releases() -> Any:
    """Every published release, oldest first, with what a line needs prefetched."""
    appointments = Appointment.objects.select_related(None)
    return (
        Release.objects.published()
        .order_by("published_at", "pk")
        .select_related("contact", "lead_image")
        .prefetch_related(
            "tags",
            "sources",
            "organisations",
            "countries",
            Prefetch("delegations", queryset=Delegation.objects.select_related("country")),
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
    if body and not HTML_TAG.search(body):
        body = sanitize(f"<p>{body}</p>")
    return body


def _officials(release: Release) -> list[dict[str, str]]:
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
    return officials


def _sources(release: Release) -> list[dict[str, str]]:
    sources = []
    urls = set()
    for source in sorted(release.sources.all(), key=lambda s: (not s.is_primary, s.pk)):
        url = source.url.strip()
        if url not in urls:
            urls.add(url)
            sources.append(
                {"url": url, "title": source.title.strip(), "publisher": source.publisher}
            )
    return sources


def _contact(release: Release) -> dict[str, str] | None:
    contact = release.contact
    return {name: getattr(contact, name) for name in CONTACT_FIELDS} if contact else None


def _delegations(release: Release) -> list[dict[str, Any]]:
    lines = []
    for delegation in sorted(release.delegations.all(), key=lambda d: d.slug):
        values = {name: getattr(delegation, name) for name in DELEGATION_FIELDS}
        values["country"] = delegation.country.code
        values["start"], values["end"] = delegation.start.isoformat(), delegation.end.isoformat()
        lines.append(values)
    return lines


def _lead_image(release: Release) -> dict[str, Any] | None:
    image = release.lead_image
    return {name: getattr(image, name) for name in IMAGE_FIELDS} if image else None


# How a version's field is written when it is not its plain column value (Value.read).
WRITERS: dict[str, Callable[[Release], Any]] = {
    "title": lambda release: release.title.strip(),
    "summary": lambda release: release.summary.strip(),
    "body": _body,
    "contact": _contact,
    "officials": _officials,
    "organisations": lambda release: _unique([o.name for o in release.organisations.all()]),
    "countries": lambda release: sorted(country.code for country in release.countries.all()),
    "delegations": _delegations,
    "tags": lambda release: _unique([tag.name for tag in release.tags.all()]),
    "sources": _sources,
    "lead_image": _lead_image,
}


def release_line(release: Release, translation_of: uuid.UUID | None = None) -> dict[str, Any]:
    """One release as the importer reads it. Uses the prefetches of public_releases()."""
    line: dict[str, Any] = {"uuid": str(release.uid)}
    for field in VERSION_FIELDS:
        if field.name not in STAYS_BEHIND:
            write = WRITERS.get(field.name, field.read)
            line[field.name] = write(release)
    line["published_at"] = timezone.localtime(release.published_at).isoformat()
    line["translation_of"] = str(translation_of) if translation_of else None
    return line


def translation_firsts() -> dict[uuid.UUID, uuid.UUID]:
    """The uuid of the first public release (in the export's order) of each translation group
    with more than one: the one the others name as translation_of. One query."""
    groups = (
        Release.objects.published()
        .order_by()
        .values("translation_key")
        .annotate(members=Count("pk"))
        .filter(members__gt=1)
        .values("translation_key")
    )
    firsts: dict[uuid.UUID, uuid.UUID] = {}
    members = (
        Release.objects.published()
        .filter(translation_key__in=groups)
        .order_by("published_at", "pk")
        .values_list("translation_key", "uid")
    )
    for key, uid in members:
        firsts.setdefault(key, uid)
    return firsts


def export_lines() -> Iterator[str]:
    """The JSON Lines of every public release, one string (with its newline) each."""
    firsts = translation_firsts()
    for release in public_releases().iterator(chunk_size=CHUNK_SIZE):
        first = firsts.get(release.translation_key)
        line = release_line(release, first if first != release.uid else None)
        yield json.dumps(line, ensure_ascii=False, sort_keys=False) + "\n"


def export_jsonl(output: IO[str]) -> int:
    """Write every public release to output; return how many."""
    count = 0
    for line in export_lines():
        output.write(line)
        count += 1
    return count
