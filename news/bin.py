"""The bin: a release moved there is gone from the site and the lists, and can come back."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from news.models import Action, Release, State
from news.models.public_version import site_changed
from news.related import related_update
from news.release_writes import (
    TransitionError,
    User,
    audit_entry_for,
    lock_release,
    readers_see_page,
)


def release_trash(*, release: Release, user: User) -> None:
    """Move a release to the bin: gone from the site and the lists, and restorable."""
    with transaction.atomic():
        locked = lock_release(release)
        if not user.has_perm("news.delete_release") and not (
            locked.state == State.DRAFT and locked.can_be_edited_by(user)
        ):
            raise PermissionDenied(_("You may not delete this release."))
        if locked.deleted_at is not None:
            raise TransitionError(_("The release is in the bin already."), code="in_bin")
        seen = readers_see_page(locked)
        locked.deleted_at = timezone.now()
        locked.version += 1
        locked.save(update_fields=["deleted_at", "version"])
        audit_entry_for(locked, user, Action.TRASH, locked.state).save()
        related_update(locked)
        if seen:
            site_changed(releases_only=True)
    release.refresh_from_db()


def release_untrash(*, release: Release, user: User) -> None:
    with transaction.atomic():
        locked = lock_release(release)
        if not user.has_perm("news.delete_release"):
            raise PermissionDenied(_("You may not restore releases from the bin."))
        if locked.deleted_at is None:
            raise TransitionError(_("The release is not in the bin."), code="not_in_bin")
        locked.deleted_at = None
        locked.version += 1
        locked.save(update_fields=["deleted_at", "version"])
        audit_entry_for(locked, user, Action.UNTRASH, locked.state).save()
        related_update(locked)
        if readers_see_page(locked):
            site_changed(releases_only=True)
    release.refresh_from_db()


def bin_empty(*, user: User, releases: QuerySet[Release] | None = None) -> int:
    """Delete for good the releases in the bin (all, or those given); only a superuser may."""
    if not user.is_superuser:
        raise PermissionDenied(_("Only a superuser empties the bin."))
    with transaction.atomic():
        doomed = Release.objects.in_bin()
        if releases is not None:
            doomed = doomed.filter(pk__in=releases.values("pk"))
        count = doomed.count()
        doomed.delete()
    return count
