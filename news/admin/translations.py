"""Which translations of a release exist, and which are out of date, for the editors.

A translation is out of date when its own last published change is older than the original's:
the original is the earliest created release of the translation group. A published change is
the publication itself or a later public correction (a ChangeNote); minor corrections do not
count, as they do not give translators anything to do.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import (
    Case,
    Count,
    DateTimeField,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    StringAgg,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from news.models import ChangeNote, Language, Release, State

# How far back the desk looks for releases still to translate.
TRANSLATION_DAYS = 30


@dataclass(frozen=True)
class TranslationStatus:
    release: Release
    is_original: bool
    is_out_of_date: bool


def last_published_change(release: Release) -> datetime.datetime | None:
    """When readers last saw the release change; None while it is not public.

    Reads the last_note annotation that translation_statuses() adds.
    """
    if release.state != State.PUBLISHED or not release.published_at:
        return None
    if release.published_at > timezone.now():
        return None
    last_note = getattr(release, "last_note", None)
    return max(release.published_at, last_note) if last_note else release.published_at


def translation_statuses(releases: Iterable[Release]) -> dict[int, list[TranslationStatus]]:
    """For each release, every release of its translation group (itself included), the
    original first, then by language. One query, however many releases."""
    releases = list(releases)
    keys = {release.translation_key for release in releases}
    if not keys:
        return {}
    members = (
        Release.objects.not_in_bin()
        .filter(translation_key__in=keys)
        .annotate(last_note=Max("change_notes__created_at"))
        .only("title", "slug", "language", "state", "published_at", "created_at", "translation_key")
        .order_by("translation_key", "created_at", "pk")
    )
    groups: dict[object, list[Release]] = defaultdict(list)
    for member in members:
        groups[member.translation_key].append(member)
    statuses: dict[object, list[TranslationStatus]] = {}
    for key, group in groups.items():
        original = group[0]
        original_change = last_published_change(original)
        rows = []
        for member in group:
            own_change = last_published_change(member)
            out_of_date = (
                member is not original
                and original_change is not None
                and own_change is not None
                and own_change < original_change
            )
            rows.append(TranslationStatus(member, member is original, out_of_date))
        statuses[key] = [rows[0], *sorted(rows[1:], key=lambda row: row.release.language)]
    return {release.pk: statuses.get(release.translation_key, []) for release in releases}


def _last_change_expression() -> Case:
    """last_published_change() in SQL, for the row OuterRef("pk") points to from inside."""
    note = ChangeNote.objects.filter(release=OuterRef("pk")).order_by("-created_at", "-pk")
    return Case(
        When(
            state=State.PUBLISHED,
            published_at__lte=timezone.now(),
            then=Greatest(
                F("published_at"),
                Coalesce(Subquery(note.values("created_at")[:1]), F("published_at")),
            ),
        ),
        default=Value(None),
        output_field=DateTimeField(),
    )


def with_translation_status(queryset: QuerySet[Release]) -> QuerySet[Release]:
    """Annotate each release with the languages of its translations (other_languages) and
    whether it is out of date (is_out_of_date): in the same query, for the change list."""
    group = Release.objects.not_in_bin().filter(translation_key=OuterRef("translation_key"))
    original = group.order_by("created_at", "pk")
    others = (
        group.exclude(pk=OuterRef("pk"))
        .order_by()
        .values("translation_key")
        .annotate(languages=StringAgg("language", Value(",")))
        .values("languages")
    )
    return queryset.annotate(
        original_pk=Subquery(original.values("pk")[:1]),
        original_change=Subquery(
            original.annotate(change=_last_change_expression()).values("change")[:1]
        ),
        own_change=_last_change_expression(),
        other_languages=Subquery(others),
    )


def is_out_of_date(release: Release) -> bool:
    """Reads what with_translation_status() annotated."""
    return (
        release.pk != release.original_pk
        and release.own_change is not None
        and release.original_change is not None
        and release.own_change < release.original_change
    )


def translations_to_do(releases: QuerySet[Release]) -> QuerySet[Release]:
    """Public releases with translation work: an original of the last TRANSLATION_DAYS with no
    release in some language (a draft of it counts as begun), or a translation out of date.

    Only those can be: the rows annotated are the recent ones and the groups with a public
    correction, so the desk stays quick however large the archive.
    """
    languages = (
        Release.objects.not_in_bin()
        .filter(translation_key=OuterRef("translation_key"))
        .order_by()
        .values("translation_key")
        .annotate(count=Count("language", distinct=True))
        .values("count")
    )
    recent = timezone.now() - datetime.timedelta(days=TRANSLATION_DAYS)
    corrected = ChangeNote.objects.values("release__translation_key")
    candidates = Release.objects.published().filter(
        Q(published_at__gte=recent) | Q(translation_key__in=corrected)
    )
    annotated = with_translation_status(candidates).annotate(languages=Subquery(languages))
    to_do = annotated.filter(
        Q(pk=F("original_pk"), published_at__gte=recent, languages__lt=len(Language))
        | Q(own_change__lt=F("original_change"))
    )
    return releases.filter(pk__in=to_do.values("pk"))
