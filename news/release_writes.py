"""The steps every write of a release shares: lock it, check it, move it, record it.

The services (news.workflow, news.corrections, news.editing, news.preview_links, news.bin,
news.import_workflow) are each one transaction made of these. A refused write raises
PermissionDenied (the person may never do it) or TransitionError (not now, not in this state)
and changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from news.models import Action, AuditEntry, Image, Release, Revision, State, snapshot_of
from news.related import related_update

User = AbstractBaseUser


class TransitionError(ValidationError):
    """The move is not possible now: wrong state, a missing comment, the same pair of eyes."""


def require_state(release: Release, *states: State) -> None:
    if release.deleted_at is not None:
        raise TransitionError(_("The release is in the bin."), code="in_bin")
    if release.state not in states:
        raise TransitionError(
            _("Not possible while the release is %(state)s.")
            % {"state": release.get_state_display()},
            code="state",
        )


def require_alt_text(release: Release, images: list[Image] | None = None) -> None:
    """Readers who cannot see the photos hear their descriptions: none may be missing.

    images: those of a release not stored yet (an import's lead image); else they are read.
    """
    if images is None:
        missing = release.images_missing_alt()
    else:
        missing = [image for image in images if not image.alt.strip()]
    if missing:
        raise TransitionError(
            _(
                "Describe every image before publishing. Images without a description "
                "(alt text): %(count)d. Add the descriptions in the image library."
            )
            % {"count": len(missing)},
            code="alt_text",
        )


def required_text(value: str, field: str, message: Any) -> str:
    """value stripped; TransitionError with message on field when nothing is left."""
    value = (value or "").strip()
    if not value:
        raise TransitionError({field: message}, code="required")
    return value


def lock_release(release: Release) -> Release:
    """The release read again, its row locked until the transaction ends."""
    return (
        Release.objects.select_for_update(of=("self",))
        .select_related("pending_revision")
        .get(pk=release.pk)
    )


def audit_entry_for(
    release: Release, user: User, action: Action, from_state: str, comment: str = ""
) -> AuditEntry:
    """The audit entry of a move, unsaved: services save it, an import creates many at once."""
    return AuditEntry(
        release=release,
        user=user,
        action=action,
        from_state=from_state,
        to_state=release.state,
        comment=comment,
    )


def revision_for(release: Release, user: User, data: dict[str, Any] | None = None) -> Revision:
    """The revision of release as user saved it, unsaved; data: its content when the caller
    has it without the queries of snapshot_of() (an import of many releases)."""
    if data is None:
        data = snapshot_of(release)
    return Revision(release=release, user=user, version=release.version, data=data)


def move_release(
    release: Release, user: User, action: Action, to_state: State | str, comment: str = ""
) -> None:
    """Save the locked release in to_state as its next version, with the move's audit entry;
    a move into or out of publication puts it where related lists must now have it."""
    from_state = release.state
    release.state = to_state
    release.version += 1
    release.full_clean()
    release.save()
    audit_entry_for(release, user, action, from_state, comment).save()
    if from_state != to_state and State.PUBLISHED in (from_state, to_state):
        related_update(release)


def readers_see_page(release: Release) -> bool:
    """Can readers open its page: published and due, or withdrawn (not in the bin)?"""
    return release.is_public or (release.state == State.WITHDRAWN and release.deleted_at is None)
