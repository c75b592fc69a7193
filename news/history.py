"""The one history of a release: its revisions and audit entries in one list, each revision
named for what it is (the published version, the unpublished changes, an earlier one)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from news import revisions
from news.models import AuditEntry, Release, Revision

LIVE = "live"
PENDING = "pending"
LATEST = "latest"
EARLIER = "earlier"
LABELS = {
    LIVE: _("published version"),
    PENDING: _("unpublished changes"),
    LATEST: _("as it is now"),
    EARLIER: _("earlier version"),
}


def _without_row_ids(data: revisions.Data) -> dict[str, Any]:
    """A version's content without the ids of its rows: a row a pending version adds has none
    until it is published."""
    return {
        name: [{k: v for k, v in row.items() if k != "id"} for row in value]
        if name in revisions.ROWS
        else value
        for name, value in data.items()
    }


def live_revision(release: Release, candidates: list[Revision] | None = None) -> Revision | None:
    """The newest revision holding what readers see of a live release; None if none holds it.

    candidates: the release's revisions, newest first, when the caller has them. Costs the
    queries of a snapshot, and one to read the revisions when they are not given.
    """
    if not release.is_published:
        return None
    if candidates is None:
        candidates = list(release.revisions.exclude(pk=release.pending_revision_id)[:50])
    live = _without_row_ids(revisions.snapshot(release))
    for revision in candidates:
        if revision.pk == release.pending_revision_id:
            continue
        if _without_row_ids(revisions.completed(revision.data, release)) == live:
            return revision
    return None


def revision_kinds(release: Release, stored: list[Revision]) -> dict[int, str]:
    """What each of the release's revisions (newest first) is: LIVE, PENDING, LATEST, EARLIER."""
    kinds = {revision.pk: EARLIER for revision in stored}
    if release.pending_revision_id in kinds:
        kinds[release.pending_revision_id] = PENDING
    live = live_revision(release, stored)
    if live is not None:
        kinds[live.pk] = LIVE
    elif not release.is_published and stored:
        kinds[stored[0].pk] = LATEST
    return kinds


def revision_label(release: Release, revision: Revision) -> Any:
    """What one revision is, for the page comparing two."""
    stored = list(release.revisions.all()[:50])
    if revision not in stored:
        stored.append(revision)
    return LABELS[revision_kinds(release, stored)[revision.pk]]


@dataclass(frozen=True)
class HistoryItem:
    """A revision or an audit entry, at its time."""

    revision: Revision | None = None
    entry: AuditEntry | None = None
    kind: str = ""

    @property
    def time(self) -> Any:
        return (self.revision or self.entry).created_at

    @property
    def user(self) -> Any:
        return (self.revision or self.entry).user

    @property
    def label(self) -> Any:
        return LABELS.get(self.kind, "")


def release_history(release: Release, limit: int = 50) -> list[HistoryItem]:
    """The newest revisions and audit entries of a release in one list, newest first."""
    stored = list(release.revisions.select_related("user")[:limit])
    kinds = revision_kinds(release, stored)
    items = [HistoryItem(revision=revision, kind=kinds[revision.pk]) for revision in stored]
    entries = release.audit_entries.select_related("user")[:limit]
    items += [HistoryItem(entry=entry) for entry in entries]
    # A revision and the move it came with share a moment: the revision (the content) first.
    return sorted(items, key=lambda item: (item.time, item.revision is not None), reverse=True)
