"""Corrections of a live release: its pending version published, or discarded.

These are moves of the workflow, declared with the others in news.workflow.TRANSITIONS (which
names these services) and made the same way: one transaction that locks the release, checks
the move and writes an audit entry.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from news import outbound
from news.history import live_revision
from news.models import Action, ChangeNote, Release
from news.models.public_version import site_changed
from news.related import related_update
from news.release_writes import (
    User,
    audit_entry_for,
    require_alt_text,
    required_text,
    revision_for,
)


def _lock_and_check(release: Release, user: User, name: str) -> Release:
    # Imported here: news.workflow imports this module, its table of moves names these services.
    from news.workflow import lock_and_check

    return lock_and_check(release, user, name)


def release_publish_changes(
    *, release: Release, user: User, note: str = "", minor: bool = False
) -> ChangeNote | None:
    """Make a live release's pending version live; a correction not minor gets a public note."""
    with transaction.atomic():
        locked = _lock_and_check(release, user, "publish_changes")
        change_note = _make_changes_live(locked, user, note, minor)
        audit_entry_for(locked, user, Action.PUBLISH_CHANGES, locked.state, note.strip()).save()
    release.refresh_from_db()
    return change_note


def release_publish_correction(
    *, release: Release, user: User, reason: str, note: str = "", minor: bool = False
) -> ChangeNote | None:
    """Publish one's own changes of a live release alone, saying why; another person reviews
    them later, as after a publication without review."""
    with transaction.atomic():
        locked = _lock_and_check(release, user, "publish_correction")
        reason = required_text(reason, "reason", _("Say why it cannot wait for a second person."))
        locked.needs_post_review = True
        change_note = _make_changes_live(locked, user, note, minor)
        audit_entry_for(locked, user, Action.FORCE_PUBLISH, locked.state, reason).save()
    release.refresh_from_db()
    return change_note


def _make_changes_live(locked: Release, user: User, note: str, minor: bool) -> ChangeNote | None:
    """The pending version becomes the release, the version before it kept as a revision."""
    if not minor:
        note = required_text(
            note, "note", _("Tell readers what changed, or mark the correction as minor.")
        )
    # The version readers had, credited to who wrote it, not to who publishes the next.
    before = live_revision(locked)
    if before is None:
        before = revision_for(locked, locked.last_edited_by)
        before.save()
    after = locked.pending_revision
    locked.pending_revision = None
    locked.last_edited_by = after.user
    locked.version += 1
    if not minor:
        locked.corrected_at = timezone.now()
    after.apply_to(locked)  # saves the release
    require_alt_text(locked)
    related_update(locked)  # its visits, officials or topics may have changed
    change_note = None
    if not minor:
        change_note = ChangeNote.objects.create(
            release=locked, text=note, before=before, after=after, created_at=locked.corrected_at
        )
        outbound.release_corrected(change_note)
    if locked.is_public:
        site_changed(releases_only=True)
    return change_note


def release_discard_changes(*, release: Release, user: User) -> None:
    """Drop a live release's pending version; the public page stays as it is."""
    with transaction.atomic():
        locked = _lock_and_check(release, user, "discard_changes")
        locked.pending_revision = None
        locked.version += 1
        locked.save(update_fields=["pending_revision", "version"])
        audit_entry_for(locked, user, Action.DISCARD_CHANGES, locked.state).save()
    release.refresh_from_db()
