"""The editors' desk, the admin's first page: the queues each person works from, declared once.

A queue's tile on the desk and the change list it links to (?queue=<key>, read by
news.admin.release_filters.QueueFilter) are the same queryset: the count on the tile is the
length of the list it opens.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from news.admin.translations import translations_to_do
from news.importing.fields import IMPORT_USERNAME
from news.models import Release, ReleaseQuerySet, State

QUEUE_LENGTH = 8


@dataclass(frozen=True)
class DeskQueue:
    """A queue: who sees it (permission), which releases are in it, the newest first on the
    desk (newest: the ordering), and what to do while it is empty (hint)."""

    key: str
    title: Any
    permission: str
    releases: Callable[[ReleaseQuerySet, Any], ReleaseQuerySet]
    newest: str
    hint: Any


def _published_this_week(releases: ReleaseQuerySet, user: Any) -> ReleaseQuerySet:
    week_ago = timezone.now() - datetime.timedelta(days=7)
    return releases.published().filter(published_at__gte=week_ago)


QUEUES: dict[str, DeskQueue] = {
    queue.key: queue
    for queue in [
        DeskQueue(
            "my-drafts",
            _("My drafts"),
            "news.add_release",
            lambda releases, user: releases.filter(state=State.DRAFT, created_by=user),
            "-updated_at",
            _("Write a release: it waits here as a draft until you submit it for review."),
        ),
        DeskQueue(
            "review",
            _("Waiting for my review"),
            "news.review_release",
            lambda releases, user: releases.filter(state=State.SUBMITTED).exclude(
                last_edited_by=user
            ),
            "-updated_at",
            _("Releases authors submit for review appear here."),
        ),
        DeskQueue(
            "post-review",
            _("Published without review"),
            "news.review_release",
            lambda releases, user: releases.filter(needs_post_review=True),
            "-published_at",
            _("Releases published without review wait here until someone else reads them."),
        ),
        DeskQueue(
            "approved",
            _("Approved, to publish"),
            "news.publish_release",
            lambda releases, user: releases.filter(state=State.APPROVED),
            "-updated_at",
            _("Releases an editor approves wait here to be published."),
        ),
        DeskQueue(
            "pending",
            _("Unpublished changes to live releases"),
            "news.publish_release",
            lambda releases, user: releases.filter(pending_revision__isnull=False),
            "-updated_at",
            _("Corrections of live releases wait here until someone publishes them."),
        ),
        DeskQueue(
            "imported",
            _("Imported drafts without an author"),
            "news.edit_any_release",
            lambda releases, user: releases.filter(
                state=State.DRAFT, created_by__username=IMPORT_USERNAME
            ),
            "-created_at",
            _(
                "Drafts imported without naming a person appear here; an import that names "
                "one puts them among that person's drafts."
            ),
        ),
        DeskQueue(
            "translations",
            _("Translations missing or out of date"),
            "news.add_release",
            lambda releases, user: translations_to_do(releases),
            "-published_at",
            _("Public releases that lack a language or whose translation is older than the "
              "original's last change appear here."),
        ),
        DeskQueue(
            "scheduled",
            _("Scheduled"),
            "news.view_release",
            lambda releases, user: releases.scheduled(),
            "published_at",
            _("Releases with a publication time still to come wait here."),
        ),
        DeskQueue(
            "published",
            _("Published this week"),
            "news.view_release",
            _published_this_week,
            "-published_at",
            _("Releases published in the last seven days appear here."),
        ),
        DeskQueue(
            "withdrawn",
            _("Withdrawn"),
            "news.view_release",
            lambda releases, user: releases.filter(state=State.WITHDRAWN),
            "-withdrawn_at",
            _("Releases withdrawn with a notice to readers appear here."),
        ),
    ]
}  # fmt: skip


@dataclass
class Tile:
    queue: DeskQueue
    releases: list[Release]
    count: int
    url: str


def queues_for(user: Any) -> list[DeskQueue]:
    return [queue for queue in QUEUES.values() if user.has_perm(queue.permission)]


def queue_releases(queue: DeskQueue, user: Any, releases: ReleaseQuerySet) -> ReleaseQuerySet:
    """The releases of the queue among releases (the change list's, or the desk's)."""
    return queue.releases(releases.not_in_bin(), user)


def desk_tiles(user: Any) -> list[Tile]:
    """The tiles of this person's queues: count, newest releases, the list the tile opens."""
    releases = Release.objects.defer("body").select_related("created_by")
    tiles = []
    for queue in queues_for(user):
        rows = queue_releases(queue, user, releases)
        url = reverse("admin:news_release_changelist") + f"?queue={queue.key}"
        newest = list(rows.order_by(queue.newest, "-pk")[:QUEUE_LENGTH])
        count = len(newest) if len(newest) < QUEUE_LENGTH else rows.count()
        tiles.append(Tile(queue, newest, count, url))
    return tiles
