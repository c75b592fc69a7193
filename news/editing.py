"""Edits of a release: each saved edit kept as a revision, a live release's edit staged.

Publishing or discarding a live release's staged changes are moves of the workflow
(news.corrections: release_publish_changes, release_discard_changes).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from news import revisions
from news.models import Action, Country, Official, Organisation, Release, Revision, State
from news.notifications import release_moved
from news.release_writes import (
    User,
    audit_entry_for,
    lock_release,
    move_release,
    revision_for,
)


def release_record_edit(*, release: Release, user: User, created: bool) -> Revision:
    """After a saved edit of a release not yet live: keep a revision, name the editor.

    An approval is for the text that was read: an edit of an approved release sends it back
    to review.
    """
    with transaction.atomic():
        locked = lock_release(release)
        if created:
            locked.created_by = user
        locked.last_edited_by = user
        revision = revision_for(locked, user)
        revision.save()
        if locked.state == State.APPROVED:
            move_release(locked, user, Action.REOPEN, State.SUBMITTED)
            release_moved(release=locked, user=user, action=Action.REOPEN)
        else:
            locked.save(update_fields=["created_by", "last_edited_by"])
    release.refresh_from_db()
    return revision


def release_stage_changes(*, release: Release, user: User, data: dict[str, Any]) -> Revision:
    """Keep an edit of a live release as its pending version; the public page stays as it is."""
    with transaction.atomic():
        locked = lock_release(release)
        if not locked.is_published or not locked.can_be_edited_by(user):
            raise PermissionDenied(_("You may not edit this release."))
        locked.version += 1
        revision = revision_for(locked, user, data)
        revision.save()
        locked.pending_revision = revision
        locked.save(update_fields=["pending_revision", "version"])
    release.refresh_from_db()
    return revision


def revision_restore(*, revision: Revision, user: User) -> Revision:
    """Bring back an old revision as the newest draft (for a live release: as pending changes)."""
    with transaction.atomic():
        locked = lock_release(revision.release)
        if not locked.can_be_edited_by(user):
            raise PermissionDenied(_("You may not edit this release."))
        locked.version += 1
        restored = revision_for(locked, user, revision.data)
        restored.save()
        from_state = locked.state
        if locked.is_published:
            locked.pending_revision = restored
            locked.save(update_fields=["pending_revision", "version"])
        else:
            locked.last_edited_by = user
            locked.state = State.DRAFT
            restored.apply_to(locked)
        comment = _("Revision %(number)s of %(time)s") % {
            "number": revision.pk,
            "time": timezone.localtime(revision.created_at).strftime("%Y-%m-%d %H:%M"),
        }
        audit_entry_for(locked, user, Action.RESTORE_REVISION, from_state, comment).save()
    revision.release.refresh_from_db()
    return restored


def release_link_entities(
    *,
    release: Release,
    user: User,
    officials: Iterable[Official] = (),
    organisations: Iterable[Organisation] = (),
    countries: Iterable[Country] = (),
    topics: Iterable[Tag] = (),
) -> None:
    """Link entities a release mentions, as an edit of it: a revision of a draft, or a pending
    version of a live release (its public page changes only when that is published)."""
    if not release.can_be_edited_by(user):
        raise PermissionDenied(_("You may not edit this release."))
    wanted = {
        "officials": {o.pk for o in officials},
        "organisations": {o.pk for o in organisations},
        "countries": {c.pk for c in countries},
    }
    names = {t.name for t in topics}
    if release.is_published:
        pending = release.pending_revision
        base = revisions.completed(pending.data if pending else {}, release)
        data = revisions.merged(base, {**wanted, "tags": names})
        release_stage_changes(release=release, user=user, data=data)
        return
    with transaction.atomic():
        locked = lock_release(release)
        for relation, pks in wanted.items():
            getattr(locked, relation).add(*pks)
        locked.tags.add(*names)
        locked.version += 1
        locked.save(update_fields=["version"])
        release_record_edit(release=locked, user=user, created=False)
    release.refresh_from_db()
