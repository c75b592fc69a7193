"""Imported releases go through the workflow: an audit entry naming the file, and publishing
checked as it is in the admin (news.importing calls these, with news.release_writes'
revision_for and audit_entry_for for imports of many releases at once)."""

from __future__ import annotations

import datetime

from django.db import transaction

from news.models import Action, AuditEntry, Image, Release, State
from news.models.public_version import site_changed
from news.release_writes import User, lock_release, move_release, require_alt_text, require_state
from news.workflow import TRANSITIONS, publish_action, require_permission


def import_entry_for(release: Release, user: User, comment: str) -> AuditEntry:
    """The audit entry of a release an import has just stored as a draft, unsaved."""
    return AuditEntry(
        release=release,
        user=user,
        action=Action.IMPORT,
        to_state=State.DRAFT,
        comment=comment,
    )


def check_import_publish(
    *, release: Release, user: User, images: list[Image] | None = None
) -> None:
    """Refuse, as publishing in the admin would, an import's release about to be published:
    the person's right and described images (the release is not stored yet: its images are
    given). TransitionError or PermissionDenied says why."""
    require_permission(user, TRANSITIONS["publish"])
    require_alt_text(release, images)


def release_publish_import(
    *, release: Release, user: User, at: datetime.datetime, comment: str
) -> None:
    """Publish a draft an import has just stored, at the time the import gives (an archive's is
    past): checked as publishing is, with an audit entry naming the file in comment."""
    with transaction.atomic():
        locked = lock_release(release)
        require_state(locked, State.DRAFT)
        check_import_publish(release=locked, user=user)
        locked.published_at = at
        move_release(locked, user, publish_action(at), State.PUBLISHED, comment)
        site_changed()
    release.refresh_from_db()
