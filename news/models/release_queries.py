"""Which releases to read: the public ones, a day's, a listing's, a page's, the related ones."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import connections, models
from django.utils import timezone

from news.models.attachments import Attachment
from news.models.delegations import Delegation
from news.models.images import ReleaseImage
from news.models.organisations import Organisation
from news.models.people import Appointment, Official
from news.models.release_choices import State

if TYPE_CHECKING:
    from news.models.releases import Release


def duplicate_key(title: str, event_start: datetime.date | None) -> tuple[str, Any]:
    """What ReleaseQuerySet.same_as() compares, for an import that holds it in memory."""
    return " ".join(title.split()).casefold(), event_start


class ReleaseQuerySet(models.QuerySet):
    def published(self) -> ReleaseQuerySet:
        """Releases readers may see listed: published, and their time has come."""
        return self.filter(
            state=State.PUBLISHED, published_at__lte=timezone.now(), deleted_at__isnull=True
        )

    def on_record(self) -> ReleaseQuerySet:
        """Releases whose page readers may open: the published and the withdrawn ones."""
        return self.filter(
            models.Q(state=State.PUBLISHED, published_at__lte=timezone.now())
            | models.Q(state=State.WITHDRAWN),
            deleted_at__isnull=True,
        )

    def scheduled(self) -> ReleaseQuerySet:
        return self.filter(
            state=State.PUBLISHED, published_at__gt=timezone.now(), deleted_at__isnull=True
        )

    def published_in(
        self, year: int, month: int | None = None, day: int | None = None
    ) -> ReleaseQuerySet:
        """Releases published in a year, a month or a day, as the site's time zone counts them
        (a release of 00:30 in Minsk is of that Minsk day): a range the index serves.

        ValueError for a date that is not one (30 February, month 13), or of a year 1 or 9999 or
        beyond: moved to UTC from some zone, their days leave datetime's years, which SQLite's
        adapter cannot convert (PostgreSQL would simply find nothing).
        """
        if not datetime.MINYEAR < year < datetime.MAXYEAR:
            raise ValueError(f"year {year} is out of range")
        start = datetime.date(year, month or 1, day or 1)
        if day is not None:
            end = start + datetime.timedelta(days=1)
        elif month is not None:
            end = (start + datetime.timedelta(days=31)).replace(day=1)
        else:
            end = start.replace(year=year + 1)
        zone = timezone.get_current_timezone()
        return self.filter(
            published_at__gte=datetime.datetime.combine(start, datetime.time(), zone),
            published_at__lt=datetime.datetime.combine(end, datetime.time(), zone),
        )

    def same_as(self, *, title: str, event_start: datetime.date | None) -> ReleaseQuerySet:
        """Releases (not in the bin) an editor would take for one with this title and event
        date: a duplicate, as when the same text is imported twice."""
        return self.filter(
            title__iexact=" ".join(title.split()), event_start=event_start, deleted_at__isnull=True
        )

    def for_reader(self, language: str) -> ReleaseQuerySet:
        """The releases a reader of language is shown: those in it; where there are none, the
        Russian ones (the site's first language), which the page marks as such.

        Costs a query for a language other than Russian (whether it has any release here).
        """
        own = self.filter(language=language)
        if language == settings.LANGUAGE_CODE or own.exists():
            return own
        return self.filter(language=settings.LANGUAGE_CODE)

    def in_bin(self) -> ReleaseQuerySet:
        return self.filter(deleted_at__isnull=False)

    def not_in_bin(self) -> ReleaseQuerySet:
        return self.filter(deleted_at__isnull=True)

    def with_topics(self) -> ReleaseQuerySet:
        """Each release's topics (release.topics) from one query for all of them."""
        return self.prefetch_related(topics_prefetch())

    def for_listing(self) -> ReleaseQuerySet:
        """What a listing or feed row shows, in a fixed number of queries."""
        return (
            self.select_related(None)
            .select_related("lead_image")
            .with_topics()
            .defer("search_vector")
            .order_by("-published_at", "-pk")
        )

    def for_summaries(self) -> ReleaseQuerySet:
        """A listing's rows: what a summary shows, not the text or images; their topics are
        read by the summaries (news.fragments)."""
        return self.select_related(None).only(*SUMMARY_COLUMNS).order_by("-published_at", "-pk")

    def for_feed(self) -> ReleaseQuerySet:
        """A feed's items: the whole release with its lead image and change notes; the topics
        are read as plain rows (topic_rows())."""
        return (
            self.select_related(None)
            .select_related("lead_image")
            .defer("search_vector")
            .prefetch_related("change_notes")
            .order_by("-published_at", "-pk")
        )

    def for_page(self) -> ReleaseQuerySet:
        """A release page's row alone: its article is usually kept rendered (news.articles),
        and what that is rendered from is read only when it is not (for_detail())."""
        return self.defer("search_vector")

    def for_detail(self) -> ReleaseQuerySet:
        """A release page's row and all it shows besides, in a fixed number of queries."""
        return (
            self.for_page()
            .select_related("contact", "lead_image")
            # Most releases have no gallery and no documents: ask in this query, not two more.
            .annotate(
                has_gallery=models.Exists(
                    ReleaseImage.objects.filter(release=models.OuterRef("pk"))
                ),
                has_attachments=models.Exists(
                    Attachment.objects.filter(release=models.OuterRef("pk"))
                ),
            )
            .prefetch_related(*detail_prefetches())
        )


def topics_prefetch() -> models.Prefetch:
    """Each release's topics (release.topics), with their names, from one query for all.

    taggit's own prefetch_related("tags") builds a queryset for each release to hold its
    cache, which costs more than the query itself (4 ms for a page of 20).
    """
    from news.models.releases import Release

    tagged = Release.tags.through  # TaggedRelease, which lives beside Release
    links = tagged.objects.select_related("tag", "tag__translation").order_by("tag__name", "tag_id")
    return models.Prefetch("taggedrelease_set", queryset=links, to_attr="topic_links")


def topic_rows(releases: list[Release]) -> dict[int, list[tuple[str, ...]]]:
    """Each release's topics as its key reads them: slug and every name, in one query of plain
    rows (no model instances: the summaries that are kept need none)."""
    from news.models.releases import Release

    tagged = Release.tags.through
    rows = (
        tagged.objects.filter(content_object_id__in=[release.pk for release in releases])
        .order_by("tag__name", "tag_id")
        .values_list(
            "content_object_id",
            "tag__slug",
            "tag__name",
            "tag__translation__name_be",
            "tag__translation__name_en",
        )
    )
    topics: dict[int, list[tuple[str, ...]]] = {release.pk: [] for release in releases}
    for release_id, *names in rows:
        topics[release_id].append(tuple(name or "" for name in names))
    return topics


def detail_prefetches() -> list[models.Prefetch | str]:
    """What a release page shows besides its row: topics, changes, sources, and what it names."""
    appointments = Appointment.objects.select_related("organisation")
    return [
        topics_prefetch(),
        "change_notes",
        "sources",
        # Body links read each organisation's country (news.body_links).
        models.Prefetch("organisations", queryset=Organisation.objects.select_related("country")),
        "countries",
        models.Prefetch("delegations", queryset=Delegation.objects.select_related("country")),
        models.Prefetch(
            "officials",
            queryset=Official.objects.prefetch_related(
                models.Prefetch("appointments", queryset=appointments)
            ),
        ),
    ]


# What a release's summary in a listing shows (templates/includes/release_summary.html).
SUMMARY_COLUMNS = [
    "id",
    "slug",
    "language",
    "kind",
    "title",
    "summary",
    "published_at",
    "corrected_at",
]

# How many of the best-scored releases are read to pick the related ones from.
RELATED_CANDIDATES = 200
# What a related release shows: its title and link, kind, language and date.
RELATED_COLUMNS = [
    "id",
    "title",
    "slug",
    "kind",
    "language",
    "published_at",
    "state",
    "translation_key",
]


def related_releases(release: Release, limit: int) -> list[Release]:
    """Published releases sharing the most visits, officials and topics; one query.

    A shared visit counts 3, a shared official 2, a shared topic 1; ties go to the newest.
    Reads the prefetched officials, delegations and tags (see for_detail()).

    In SQL of its own: the ORM would join the three link tables at once and count distinct
    rows, whose number is the product of the matches (a popular topic has thousands). Here
    each link table is read once through its index, the scores are summed per release,
    and only the best RELATED_CANDIDATES are joined to the release table (among equal
    scores at that cut, the newest ids: ids grow with time as publication does).
    """
    model = type(release)  # Release, whose module imports this one
    links = [
        (model.delegations.through, "release", "delegation", 3, release.delegations.all()),
        (model.officials.through, "release", "official", 2, release.officials.all()),
        (model.tags.through, "content_object", "tag", 1, release.topics),
    ]
    parts, params = [], []
    for through, release_field, key_field, weight, items in links:
        keys = [item.pk for item in items if item.pk]
        if not keys:
            continue
        meta = through._meta
        release_column = meta.get_field(release_field).column
        key_column = meta.get_field(key_field).column
        parts.append(
            f"SELECT {release_column} AS release_id, {weight} AS weight "
            f"FROM {meta.db_table} WHERE {key_column} IN ({', '.join(['%s'] * len(keys))})"
        )
        params += keys
    if not parts:
        return []
    meta = model._meta
    column = {name: meta.get_field(name).column for name in RELATED_COLUMNS}
    connection = connections[model.objects.db]
    sql = (
        f"SELECT {', '.join(f'r.{column[name]}' for name in RELATED_COLUMNS)}, c.score "
        f"FROM (SELECT s.release_id, SUM(s.weight) AS score "
        f"FROM ({' UNION ALL '.join(parts)}) s GROUP BY s.release_id "
        f"ORDER BY score DESC, s.release_id DESC LIMIT %s) c "
        f"JOIN {meta.db_table} r ON r.{column['id']} = c.release_id "
        f"WHERE r.{column['state']} = %s AND r.{column['published_at']} <= %s "
        f"AND r.{meta.get_field('deleted_at').column} IS NULL "
        f"AND r.{column['translation_key']} <> %s "
        f"ORDER BY c.score DESC, r.{column['published_at']} DESC, r.{column['id']} DESC "
        f"LIMIT %s"
    )
    params += [
        RELATED_CANDIDATES,
        State.PUBLISHED.value,
        meta.get_field("published_at").get_db_prep_value(timezone.now(), connection),
        meta.get_field("translation_key").get_db_prep_value(release.translation_key, connection),
        limit,
    ]
    return list(model.objects.raw(sql, params))
