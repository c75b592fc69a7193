"""Preview links: who may share a release before it is published, and who may take it back.

The signed pages the links open are in news.previews.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from news.models import Action, PreviewLink, Release
from news.models.workflow import PREVIEW_STATES
from news.release_writes import (
    TransitionError,
    User,
    audit_entry_for,
    lock_release,
    require_state,
)


def _check_preview_link_create(release: Release, user: User) -> None:
    if not user.has_perm("news.preview_release"):
        raise PermissionDenied(_("You may not share previews."))
    require_state(release, *PREVIEW_STATES)
    # A link lets a stranger read the release: only who may edit it decides to share it.
    if not release.can_be_edited_by(user):
        raise PermissionDenied(_("You may share previews only of releases you may edit."))


def may_create_preview_link(*, release: Release, user: User) -> bool:
    try:
        _check_preview_link_create(release, user)
    except (PermissionDenied, ValidationError):
        return False
    return True


def may_revoke_preview_link(*, link: PreviewLink, user: User) -> bool:
    """Who made the link, who may edit its release, and editors of any release."""
    if not user.has_perm("news.preview_release"):
        return False
    # Revoking only takes access away: also allowed once the release is off the record.
    return (
        link.created_by_id == user.pk
        or user.has_perm("news.edit_any_release")
        or link.release.can_be_edited_by(user)
    )


def preview_link_create(
    *, release: Release, user: User, days: int = 7, pending: bool = False
) -> PreviewLink:
    """A link to the release as it will be published; with pending, to its unpublished changes.

    A link to a live release shows its published version, unless the editor explicitly shares
    the pending one: then the link shows that version while it is the one pending (once it is
    published, discarded or edited again, the published version).
    """
    with transaction.atomic():
        locked = lock_release(release)
        _check_preview_link_create(locked, user)
        if not 1 <= days <= 30:
            raise TransitionError({"days": _("A link lives from 1 to 30 days.")}, code="days")
        if pending and locked.pending_revision_id is None:
            raise TransitionError(_("There are no unpublished changes."), code="no_changes")
        link = PreviewLink.objects.create(
            release=locked,
            created_by=user,
            expires_at=timezone.now() + datetime.timedelta(days=days),
            pending_revision=locked.pending_revision if pending else None,
        )
        comment = _("Link %(number)s, works until %(time)s") % {
            "number": link.pk,
            "time": timezone.localtime(link.expires_at).strftime("%Y-%m-%d %H:%M"),
        }
        if pending:
            comment = f"{comment}; {_('shows the unpublished changes')}"
        audit_entry_for(locked, user, Action.PREVIEW_CREATE, locked.state, comment).save()
    return link


def preview_link_revoke(*, link: PreviewLink, user: User) -> None:
    with transaction.atomic():
        locked = lock_release(link.release)
        locked_link = PreviewLink.objects.select_for_update().get(pk=link.pk)
        locked_link.release = locked
        if not may_revoke_preview_link(link=locked_link, user=user):
            raise PermissionDenied(_("You may not revoke this preview link."))
        if locked_link.revoked_at is None:
            locked_link.revoked_at = timezone.now()
            locked_link.save(update_fields=["revoked_at"])
            comment = _("Link %(number)s") % {"number": locked_link.pk}
            audit_entry_for(locked, user, Action.PREVIEW_REVOKE, locked.state, comment).save()
    link.refresh_from_db()
