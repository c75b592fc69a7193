"""Related releases, stored: each published release's list of the releases it shares most with.

The rule is related_releases()'s (a shared visit counts 3, a shared official 2, a shared topic
1; ties go to the newest), computed when a release is published or its links change while it
is (related_update, called by the services) instead of on every view, which at 100,000
releases summed some 24,000 topic links per page. A list keeps KEPT entries, of which a page
shows the first SHOWN that are public (a scheduled entry waits for its time). Every list with
fewer than SHOWN entries is complete: nothing else shares anything with its release.

A release that becomes public is offered to the lists of the OFFERED releases it relates to
most: it takes its place where it ranks above the weakest entry. A release that stops being
public leaves every list at once; a list left shorter than SHOWN is computed again.
`manage.py rebuild_related` recomputes every list (after a bulk import).
"""

from __future__ import annotations

import datetime
import heapq
import itertools
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Count

from news.models import Release, State
from news.models.related import RelatedRelease

KEPT = 10
SHOWN = 5
OFFERED = 200


@dataclass(frozen=True)
class Candidate:
    pk: int
    score: int
    published_at: datetime.datetime

    @property
    def order(self) -> tuple[int, datetime.datetime, int]:
        """Higher is better: score, then the newest."""
        return (self.score, self.published_at, self.pk)


def _links_sql() -> str:
    """The releases sharing a link with release %s, one row (release_id, weight) per link."""
    parts = []
    for through, release_field, key_field, weight in [
        (Release.delegations.through, "release", "delegation", 3),
        (Release.officials.through, "release", "official", 2),
        (Release.tags.through, "content_object", "tag", 1),
    ]:
        meta = through._meta
        release, key = meta.get_field(release_field).column, meta.get_field(key_field).column
        parts.append(
            f"SELECT o.{release} AS release_id, {weight} AS weight FROM {meta.db_table} o "
            f"JOIN {meta.db_table} m ON m.{key} = o.{key} WHERE m.{release} = %s"
        )
    return " UNION ALL ".join(parts)


def ranked(pk: int, limit: int) -> list[tuple[int, int]]:
    """(release id, score) of the published or scheduled releases (not in the bin, not its
    translations) sharing most with release pk, best first; one query on the stored links.

    It sums every link of every release sharing a topic (some 12,000 releases at 100,000):
    about 100 ms on PostgreSQL, paid when a release is published, not when it is read.
    """
    meta = Release._meta
    column = {f.name: f.column for f in meta.concrete_fields}
    group = (
        f"SELECT t.{column['translation_key']} FROM {meta.db_table} t WHERE t.{column['id']} = %s"
    )
    sql = (
        f"SELECT r.{column['id']}, c.score "
        f"FROM (SELECT s.release_id, SUM(s.weight) AS score FROM ({_links_sql()}) s "
        f"GROUP BY s.release_id) c "
        f"JOIN {meta.db_table} r ON r.{column['id']} = c.release_id "
        f"WHERE r.{column['state']} = %s AND r.{column['deleted_at']} IS NULL "
        f"AND r.{column['translation_key']} <> ({group}) "
        f"ORDER BY c.score DESC, r.{column['published_at']} DESC, r.{column['id']} DESC LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [pk, pk, pk, State.PUBLISHED.value, pk, limit])
        return [(related, score) for related, score in cursor.fetchall()]


def _entries(pk: int, ranking: Iterable[tuple[int, int]]) -> list[RelatedRelease]:
    return [
        RelatedRelease(release_id=pk, related_id=related, score=score, rank=rank)
        for rank, (related, score) in enumerate(ranking, start=1)
    ]


def store_list(pk: int) -> None:
    """Compute release pk's list afresh and store it."""
    RelatedRelease.objects.filter(release_id=pk).delete()
    RelatedRelease.objects.bulk_create(_entries(pk, ranked(pk, KEPT)))


def is_candidate(release: Release) -> bool:
    """May it stand in related lists: published (or scheduled) and not in the bin?"""
    return release.state == State.PUBLISHED and release.deleted_at is None


@transaction.atomic
def related_update(release: Release) -> None:
    """Put the release where the lists should have it now that its state or links changed:
    out of every list, then, if it is published, its own list computed and itself offered to
    the lists of the releases it relates to most. Call it in the service's transaction."""
    holders = set(
        RelatedRelease.objects.filter(related_id=release.pk).values_list("release_id", flat=True)
    )
    RelatedRelease.objects.filter(related_id=release.pk).delete()
    if is_candidate(release):
        store_list(release.pk)
    elif release.state != State.WITHDRAWN or release.deleted_at is not None:
        # A withdrawn page still shows its list; no other page that is gone does.
        RelatedRelease.objects.filter(release_id=release.pk).delete()
    _refill(holders)
    if is_candidate(release):
        _offer(release)


def _refill(pks: Iterable[int]) -> None:
    """Compute again the lists of pks left with fewer than SHOWN entries (see the module)."""
    pks = list(pks)
    full = set(
        RelatedRelease.objects.filter(release_id__in=pks)
        .values("release_id")
        .annotate(n=Count("pk"))
        .filter(n__gte=SHOWN)
        .values_list("release_id", flat=True)
    )
    for pk in pks:
        if pk not in full:
            store_list(pk)


def _offer(release: Release) -> None:
    """Give the release its place in the lists of the OFFERED releases it relates to most."""
    offered = dict(ranked(release.pk, OFFERED))
    if not offered:
        return
    stored: dict[int, list[Candidate]] = {pk: [] for pk in offered}
    rows = (
        RelatedRelease.objects.filter(release_id__in=offered)
        .order_by("release_id", "rank")
        .values_list("release_id", "related_id", "score", "related__published_at")
    )
    for pk, related_id, score, published_at in rows:
        stored[pk].append(Candidate(related_id, score, published_at))
    changed = {}
    for pk, entries in stored.items():
        if not entries:
            # Nothing shared with it before (or never computed: rebuild_related after 0021).
            store_list(pk)
            continue
        if any(entry.pk == release.pk for entry in entries):
            continue
        newcomer = Candidate(release.pk, offered[pk], release.published_at)
        if len(entries) < SHOWN or newcomer.order > entries[-1].order:
            entries = sorted([*entries, newcomer], key=lambda c: c.order, reverse=True)
            changed[pk] = [(entry.pk, entry.score) for entry in entries[:KEPT]]
    if changed:
        RelatedRelease.objects.filter(release_id__in=changed).delete()
        RelatedRelease.objects.bulk_create(
            entry for pk, entries in changed.items() for entry in _entries(pk, entries)
        )


class _Links:
    """Every published release's links, in memory, to rank all lists at once (rebuild).

    Ranks without summing every topic link: a release sharing only topics with another scores
    1 for each, so those sharing two topics or more are found by intersecting the topics'
    sets, and of those sharing one, only the newest of each topic can make the list.
    """

    def __init__(self) -> None:
        candidates = Release.objects.filter(state=State.PUBLISHED, deleted_at__isnull=True)
        # Newer is larger: the order ties are broken in.
        order = candidates.order_by("published_at", "pk").values_list("pk", "translation_key")
        self.recency: dict[int, int] = {}
        self.group: dict[int, int] = {}  # translation groups, numbered
        numbers: dict[object, int] = {}
        for position, (pk, group) in enumerate(order.iterator(chunk_size=10_000)):
            self.recency[pk] = position
            self.group[pk] = numbers.setdefault(group, len(numbers))
        self.span = len(self.recency) + 1
        # (weight, visit or official) -> releases, and each release's such links.
        self.members: dict[tuple[int, int], list[int]] = defaultdict(list)
        self.strong: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for weight, through, field in [
            (3, Release.delegations.through, "delegation_id"),
            (2, Release.officials.through, "official_id"),
        ]:
            rows = through.objects.filter(release_id__in=candidates.values("pk"))
            for pk, key in rows.values_list("release_id", field).iterator(chunk_size=10_000):
                self.members[weight, key].append(pk)
                self.strong[pk].append((weight, key))
        self.topic: dict[int, set[int]] = defaultdict(set)
        self.topics: dict[int, set[int]] = defaultdict(set)
        rows = Release.tags.through.objects.filter(content_object_id__in=candidates.values("pk"))
        for pk, tag in rows.values_list("content_object_id", "tag_id").iterator(chunk_size=10_000):
            self.topic[tag].add(pk)
            self.topics[pk].add(tag)
        self.newest = {
            tag: sorted(pks, key=self.recency.__getitem__, reverse=True)
            for tag, pks in self.topic.items()
        }

    def ranked(self, pk: int, limit: int) -> list[tuple[int, int]]:
        """ranked(pk, limit), from memory."""
        tags, group = self.topics.get(pk, set()), self.group[pk]
        scores: Counter[int] = Counter()
        for weight, key in self.strong.get(pk, ()):
            for _ in range(weight):
                scores.update(self.members[weight, key])
        for other in scores:
            scores[other] += len(tags & self.topics.get(other, set()))
        # A release sharing only topics scores at most len(tags): it may not be needed.
        kept = heapq.nlargest(limit, (n for o, n in scores.items() if self.group[o] != group))
        least = kept[-1] if len(kept) == limit else 0
        # Those in `least` topics or more (two at least: the others are found below).
        for some in itertools.combinations(sorted(tags), max(least, 2)):
            for other in set.intersection(*(self.topic[tag] for tag in some)) - scores.keys():
                scores[other] = sum(other in self.topic[tag] for tag in tags)
        if least <= 1:
            for tag in tags:
                taken = 0
                for other in self.newest[tag]:
                    if taken == limit:
                        break
                    if other not in scores and self.group[other] != group:
                        scores[other] = 1  # not in two topics, nor sharing a visit or official
                        taken += 1
        span, recency = self.span, self.recency
        best = heapq.nlargest(
            limit,
            (
                (score * span + recency[other], other)
                for other, score in scores.items()
                if score >= least and self.group[other] != group
            ),
        )
        return [(other, scores[other]) for _key, other in best]


def rebuild_related(progress: Callable[[int, int], None] | None = None) -> int:
    """Compute every published release's list again; returns how many were computed.

    The links of all published releases are read once and the lists ranked in memory: a
    query for each release would take hours at 100,000 releases.
    """
    with transaction.atomic():
        RelatedRelease.objects.exclude(release_id__in=Release.objects.on_record()).delete()
    links = _Links()
    pks = sorted(links.recency)
    done = 0
    for start in range(0, len(pks), 1000):
        chunk = pks[start : start + 1000]
        with transaction.atomic():
            RelatedRelease.objects.filter(release_id__in=chunk).delete()
            RelatedRelease.objects.bulk_create(
                entry for pk in chunk for entry in _entries(pk, links.ranked(pk, KEPT))
            )
        done += len(chunk)
        if progress:
            progress(done, len(pks))
    return done
