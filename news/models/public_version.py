from __future__ import annotations

import datetime
import weakref
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import F, OuterRef, Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime

# PostgreSQL's channel for "the public version moved on", with the new number (news.versionwatch).
CHANNEL = "news_public_version"


@dataclass(frozen=True)
class Version:
    """What readers see now.

    number and changed_at: the count of changes and the time of the last one; newest: the
    newest visible release's publication time; next_change: when a scheduled release appears
    next (None if none is scheduled); catalogue: the count of changes other than to releases
    alone (see site_changed): names, posts, images, contacts... that release pages show.
    """

    number: int
    changed_at: datetime.datetime | None
    newest: datetime.datetime | None
    next_change: datetime.datetime | None
    catalogue: int = 0

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
        site_changed), so a page cached under the old key is never read again. The newest
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
        # Always one row: a database emptied under a running site (tests flush it) has no
        # version row yet, and its releases still count.
        sql = (
            f"SELECT v.number, v.changed_at, v.catalogue, "
            f"(SELECT MAX(r.{published_at}) {releases} AND r.{published_at} <= %s), "
            f"(SELECT MIN(r.{published_at}) {releases} AND r.{published_at} > %s) "
            f"FROM (SELECT 1 AS one) o "
            f"LEFT JOIN {version.db_table} v ON v.{version.pk.column} = 1"
        )
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(sql, [State.PUBLISHED.value, now, State.PUBLISHED.value, now])
            number, changed_at, catalogue, newest, upcoming = cursor.fetchone()
        return Version(
            number or 0, _aware(changed_at), _aware(newest), _aware(upcoming), catalogue or 0
        )

    def advance(self, *, catalogue: bool = True) -> None:
        """Count one more change (to the catalogue too), in this transaction: call
        site_changed(), which does this.

        On PostgreSQL the transaction also notifies every process listening (news.versionwatch)
        with the new number; the notice goes out when, and only if, it commits.
        """
        counts = {"number": F("number") + 1}
        if catalogue:
            counts["catalogue"] = F("catalogue") + 1
        if not self.filter(pk=1).update(**counts, changed_at=timezone.now()):
            self.get_or_create(pk=1, defaults={"number": 1, "catalogue": int(catalogue)})
        connection = connections[self.db]
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
    # Changes other than to releases alone (site_changed()): what else release pages show.
    catalogue = models.PositiveBigIntegerField(default=0)
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


def site_changed(*, releases_only: bool = False, using: str = DEFAULT_DB_ALIAS) -> None:
    """Readers may now see something new: move the public version on in this transaction.

    releases_only: the change was to releases alone, made by the services that move each
    changed release's version on (news.workflow, news.corrections, news.bin), so the articles
    kept of other releases' pages stay valid (news.articles). Any other change (a name, post,
    image or contact; an import; rows written directly) renders every article afresh.

    Called by the service that made the change, inside its transaction. Once it commits, the
    CDN is purged (NEWS_CDN_PURGE_URL): once, however often the transaction called this.
    """
    PublicVersion.objects.using(using).advance(catalogue=not releases_only)
    connection = connections[using]
    commit = _pending.get(connection)
    if commit is None or commit.done:
        commit = _pending[connection] = _Commit(connection)
    transaction.on_commit(commit, using=using, robust=True)


class _Commit:
    """The end of one transaction that changed the public site; acts on its first call only.

    Each call of site_changed() in a transaction registers the same _Commit; a transaction
    rolled back drops its registrations, and the next transaction simply registers it again.
    """

    def __init__(self, connection: BaseDatabaseWrapper) -> None:
        self.connection = weakref.ref(connection)
        self.done = False

    def __call__(self) -> None:
        if self.done:
            return
        self.done = True
        connection = self.connection()
        if connection is not None and _pending.get(connection) is self:
            del _pending[connection]
        global changes_committed_here
        changes_committed_here += 1
        if settings.NEWS_CDN_PURGE_URL:
            from news.pagecache import purge_cdn

            purge_cdn()


# The _Commit that this connection's transaction registered, until it has run.
_pending: weakref.WeakKeyDictionary[BaseDatabaseWrapper, _Commit] = weakref.WeakKeyDictionary()


def readers_see(rows: models.QuerySet | models.Model) -> bool:
    """Do readers see any of these catalogue entries, as stored now? An official, appointment,
    organisation, country, visit, contact, image or topic is seen on the page of a published
    release or of what one mentions (their model's public())."""
    if isinstance(rows, models.Model):
        rows = type(rows)._default_manager.filter(pk=rows.pk)
    shown = _shown_rows(rows.model._meta.concrete_model._meta.label_lower)
    # A model of no known rule: assume readers see it.
    return shown is None or rows.filter(pk__in=shown.values("pk")).exists()


def _shown_rows(label: str) -> models.QuerySet | None:
    from news.models import (
        Appointment,
        Contact,
        Country,
        Delegation,
        Image,
        Official,
        Organisation,
        Release,
        Topic,
    )

    published = Release.objects.published()
    officials = Official.objects.public()
    organisations = Organisation.objects.public()

    def used_by(lookup: str) -> models.Exists:
        """Is the row in a published release's lookup (as "lead_image")?"""
        return models.Exists(published.filter(**{lookup: OuterRef("pk")}))

    match label:
        case "news.official":
            return officials
        case "news.appointment":
            return Appointment.objects.filter(official__in=officials)
        case "news.organisation":
            # An official's page names their organisations; an organisation's page its parent.
            return Organisation.objects.filter(
                Q(pk__in=organisations.values("pk"))
                | Q(appointments__official__in=officials)
                | Q(children__in=organisations)
            )
        case "news.country":
            return Country.objects.public()
        case "news.delegation":
            return Delegation.objects.public()
        case "news.contact":
            # The default contact is shown on every release that names none.
            return Contact.objects.filter(Q(is_default=True) | used_by("contact"))
        case "news.image":
            return Image.objects.filter(
                used_by("lead_image") | used_by("gallery_items__image") | Q(photo_of__in=officials)
            )
        case "taggit.tag":
            return Topic.objects.public()
    return None


def _aware(value: datetime.datetime | str | None) -> datetime.datetime | None:
    """A time as the database returned it from an expression: SQLite gives text in UTC."""
    if value is None:
        return None
    moment = value if isinstance(value, datetime.datetime) else parse_datetime(value)
    if moment is not None and timezone.is_naive(moment):
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment
