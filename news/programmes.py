"""A visit's programme: drafted from what its releases say, shown day by day."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.db import transaction

from news.body_links import catalogue_of
from news.mentions.linking import release_text
from news.mentions.recognise import find_mentions
from news.models import Delegation, Organisation, ProgrammeItem, Release

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


@dataclass
class ProgrammeDay:
    date: datetime.date
    items: list[ProgrammeItem]
    releases: list[Release] = field(default_factory=list)


@transaction.atomic
def programme_draft(*, delegation: Delegation) -> list[ProgrammeItem]:
    """Add a programme item for each organisation the visit's releases name and it lacks.

    Each is dated by its release's event (the visit's first day if the release has none) and
    described by the sentence that names it; an editor then corrects days and times.
    """
    present = set(delegation.programme.values_list("organisation_id", flat=True))
    present.add(delegation.organisation_id)  # the delegation's own ministry is not visited
    created = []
    releases = delegation.releases.not_in_bin().order_by("event_start", "pk")
    for release in releases.prefetch_related("organisations__country"):
        organisations = [o for o in release.organisations.all() if o.pk not in present]
        if not organisations:
            continue
        text = release_text(release)
        report = find_mentions(
            text, release.language, catalogue=catalogue_of(organisations, release.language)
        )
        day = release.event_start or delegation.start
        day = min(max(day, delegation.start), delegation.end)
        for mention in sorted(report.mentions, key=lambda m: m.spans[0].start):
            organisation = mention.entity
            item = ProgrammeItem(
                delegation=delegation,
                date=day,
                place=organisation.short_name or organisation.name,
                organisation=organisation,
                description=_sentence(text, mention.spans[0].start),
            )
            item.full_clean()
            item.save()
            created.append(item)
            present.add(organisation.pk)
    return created


def programme_days(delegation: Delegation) -> list[ProgrammeDay]:
    """The programme by day, each day with the published releases about it (their event covers
    it); an organisation readers may not see yet is named, not linked (item.public)."""
    items = list(delegation.programme.select_related("organisation"))
    if not items:
        return []
    public = set(
        Organisation.objects.public()
        .filter(pk__in=[item.organisation_id for item in items if item.organisation_id])
        .values_list("pk", flat=True)
    )
    releases = list(
        Release.objects.published()
        .filter(delegations=delegation, event_start__isnull=False)
        .order_by("event_start", "pk")
        .only("slug", "title", "language", "event_start", "event_end")
    )
    days: dict[datetime.date, ProgrammeDay] = {}
    for item in items:
        item.public = item.organisation_id in public
        days.setdefault(item.date, ProgrammeDay(item.date, [])).items.append(item)
    for day in days.values():
        day.releases = [
            release
            for release in releases
            if release.event_start <= day.date <= (release.event_end or release.event_start)
        ]
    return list(days.values())


def _sentence(text: str, at: int) -> str:
    starts = [0, *(m.end() for m in _SENTENCE_END.finditer(text, 0, at))]
    end = _SENTENCE_END.search(text, at)
    return text[starts[-1] : end.start() if end else len(text)].strip()
