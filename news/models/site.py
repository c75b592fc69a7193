from __future__ import annotations

from django.db import connections, models
from django.db.models import F
from django.utils import timezone


class PublicVersionQuerySet(models.QuerySet):
    def current(self) -> tuple[int, str, str]:
        """What readers see now, in one query: the edit count and time, the newest release's.

        The count moves on in the same transaction as every change to what readers may see
        (see news.pagecache), so a page cached under the old values is never read again. The
        newest visible publication time moves on by itself when a scheduled release's minute
        comes: no process has to notice the time and write anything.

        Every public request asks this first, so it is one plain SQL statement (what
        Release.objects.published() selects, as its index serves it) rather than an ORM query,
        whose building costs more than the database's answer.
        """
        from news.models.releases import Release, State

        connection = connections[self.db]
        version, release = self.model._meta, Release._meta
        column = {name: release.get_field(name).column for name in ("state", "published_at")}
        sql = (
            f"SELECT v.number, v.changed_at, (SELECT MAX(r.{column['published_at']}) "
            f"FROM {release.db_table} r WHERE r.{column['state']} = %s "
            f"AND r.{column['published_at']} <= %s "
            f"AND r.{release.get_field('deleted_at').column} IS NULL) "
            f"FROM {version.db_table} v WHERE v.{version.pk.column} = 1"
        )
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(sql, [State.PUBLISHED.value, now])
            row = cursor.fetchone()
        if row is None:
            # A database emptied under a running site (tests flush it): it starts afresh.
            return 0, "", ""
        # The time too: a count restored from a backup may repeat, the time of the change not.
        number, changed_at, newest = row
        return number, str(changed_at), str(newest or "")

    def advance(self) -> None:
        """Every cached page is stale: called in the transaction that changed the content."""
        if not self.filter(pk=1).update(number=F("number") + 1, changed_at=timezone.now()):
            self.get_or_create(pk=1, defaults={"number": 1})


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
