from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import connections, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.dateparse import parse_datetime

# PostgreSQL's channel for "the public version moved on", with the new number (news.versionwatch).
CHANNEL = "news_public_version"


@dataclass(frozen=True)
class Version:
    """What readers see now.

    number and changed_at: the count of changes and the time of the last one; newest: the
    newest visible release's publication time; next_change: when a scheduled release appears
    next (None if none is scheduled).
    """

    number: int
    changed_at: datetime.datetime | None
    newest: datetime.datetime | None
    next_change: datetime.datetime | None

    @property
    def key(self) -> str:
        """What cached pages are filed under. The time too: a count restored from a backup
        may repeat, the time of the change not."""
        return f"{self.number}|{self.changed_at}|{self.newest}"

    @property
    def last_modified(self) -> datetime.datetime | None:
        """No public page changed after this: the last change, or the newest release's time."""
        times = [time for time in (self.changed_at, self.newest) if time]
        return max(times) if times else None


class PublicVersionQuerySet(models.QuerySet):
    def current(self) -> Version:
        """The version of the public site, in one query.

        The key is the edit count and time, and the newest visible release's time. The count
        moves on in the same transaction as every change to what readers may see (see
        news.pagecache), so a page cached under the old key is never read again. The newest
        visible publication time moves on by itself when a scheduled release's minute comes:
        no process has to notice the time and write anything.

        Every public request asks this first, so it is one plain SQL statement (what
        Release.objects.published() and scheduled() select, as their index serves them) rather
        than an ORM query, whose building costs more than the database's answer.
        """
        from news.models.releases import Release, State

        connection = connections[self.db]
        version, release = self.model._meta, Release._meta
        state, published_at, deleted_at = (
            release.get_field(name).column for name in ("state", "published_at", "deleted_at")
        )
        releases = f"FROM {release.db_table} r WHERE r.{state} = %s AND r.{deleted_at} IS NULL"
        sql = (
            f"SELECT v.number, v.changed_at, "
            f"(SELECT MAX(r.{published_at}) {releases} AND r.{published_at} <= %s), "
            f"(SELECT MIN(r.{published_at}) {releases} AND r.{published_at} > %s) "
            f"FROM {version.db_table} v WHERE v.{version.pk.column} = 1"
        )
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(sql, [State.PUBLISHED.value, now, State.PUBLISHED.value, now])
            row = cursor.fetchone()
        if row is None:
            # A database emptied under a running site (tests flush it): it starts afresh.
            return Version(0, None, None, None)
        number, changed_at, newest, upcoming = row
        return Version(number, _aware(changed_at), _aware(newest), _aware(upcoming))

    def advance(self) -> None:
        """Every cached page is stale: called in the transaction that changed the content.

        On PostgreSQL the transaction also notifies every process listening (news.versionwatch)
        with the new number; the notice goes out when, and only if, it commits.
        """
        if not self.filter(pk=1).update(number=F("number") + 1, changed_at=timezone.now()):
            self.get_or_create(pk=1, defaults={"number": 1})
        connection = connections[self.db]
        if not any(func is _committed_here for _ids, func, _robust in connection.run_on_commit):
            transaction.on_commit(_committed_here, using=self.db)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT pg_notify(%s, number::text) FROM {self.model._meta.db_table} "
                    "WHERE id = 1",
                    [CHANNEL],
                )


class PublicVersion(models.Model):
    """One row counting changes to the public site, to key cached pages by."""

    number = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField(auto_now=True)

    objects = PublicVersionQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=1), name="public_version_single_row"),
        ]

    def __str__(self) -> str:
        return f"{self.number} ({timezone.localtime(self.changed_at):%Y-%m-%d %H:%M:%S})"


# How many changes this process has committed: it sees its own at once, without waiting for
# PostgreSQL's notice (news.versionwatch).
changes_committed_here = 0


def _committed_here() -> None:
    global changes_committed_here
    changes_committed_here += 1


def _aware(value: datetime.datetime | str | None) -> datetime.datetime | None:
    """A time as the database returned it from an expression: SQLite gives text in UTC."""
    if value is None:
        return None
    moment = value if isinstance(value, datetime.datetime) else parse_datetime(value)
    if moment is not None and timezone.is_naive(moment):
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment
