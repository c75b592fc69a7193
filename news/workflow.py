"""States and transitions of a release: who may move it where, and what each move records.

Every function here is a whole write: it locks the release, checks the person's permission
and the release's current state, changes what it must and writes an audit entry, all in one
transaction. A refused move raises PermissionDenied (the person may never do it) or
TransitionError (not now, not in this state) and changes nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from news import revisions
from news.models import (
    Action,
    AuditEntry,
    ChangeNote,
    Country,
    Image,
    Official,
    Organisation,
    PreviewLink,
    Release,
    Revision,
    State,
    snapshot_of,
)
from news.models.site import site_changed
from news.models.workflow import PREVIEW_STATES

User = AbstractBaseUser


class TransitionError(ValidationError):
    """The move is not possible now: wrong state, a missing comment, the same pair of eyes."""


@dataclass(frozen=True)
class Transition:
    """A move the admin offers as a button, declared once in TRANSITIONS (below the services).

    Who may make it (permission), from which states, what else must hold (check), the service
    that makes it and the inputs its form asks for (needs: the service's keyword arguments).
    """

    name: str
    label: Any
    permission: str
    states: tuple[State, ...]
    service: Callable[..., Any]
    check: Callable[[Release, User], None] | None = None
    needs: tuple[str, ...] = ()
    style: str = ""


# Checks --------------------------------------------------------------------------------------


def _require_state(release: Release, *states: State) -> None:
    if release.deleted_at is not None:
        raise TransitionError(_("The release is in the bin."), code="in_bin")
    if release.state not in states:
        raise TransitionError(
            _("Not possible while the release is %(state)s.")
            % {"state": release.get_state_display()},
            code="state",
        )


def _require_other_eyes(release: Release, user: User, last_user_id: int | None) -> None:
    if last_user_id is not None and last_user_id == user.pk:
        raise TransitionError(
            _("You made the last change: another person must review it."), code="same_person"
        )


def _own_draft(release: Release, user: User) -> None:
    if not release.can_be_edited_by(user):
        raise PermissionDenied(_("You may submit only your own drafts."))


def _read_by_another(release: Release, user: User) -> None:
    _require_other_eyes(release, user, release.last_edited_by_id)


def _require_alt_text(release: Release, images: list[Image] | None = None) -> None:
    """Readers who cannot see the photos hear their descriptions: none may be missing.

    images: those of a release not stored yet (an import's lead image); else they are read.
    """
    missing = release.images_missing_alt() if images is None else _undescribed(images)
    if missing:
        raise TransitionError(
            _(
                "Describe every image before publishing. Images without a description "
                "(alt text): %(count)d. Add the descriptions in the image library."
            )
            % {"count": len(missing)},
            code="alt_text",
        )


def _undescribed(images: list[Image]) -> list[Image]:
    return [image for image in images if not image.alt.strip()]


def check_import_publish(
    *, release: Release, user: User, images: list[Image] | None = None
) -> None:
    """Refuse, as publishing in the admin would, an import's release about to be published:
    the person's right and described images (the release is not stored yet: its images are
    given). TransitionError or PermissionDenied says why."""
    if not user.has_perm(TRANSITIONS["publish"].permission):
        raise PermissionDenied(
            _("You may not do this: %(action)s.") % {"action": TRANSITIONS["publish"].label}
        )
    _require_alt_text(release, images)


def _awaits_review_by_another(release: Release, user: User) -> None:
    if not release.needs_post_review:
        raise TransitionError(_("The release does not await a review."), code="no_review")
    forced = release.audit_entries.filter(action=Action.FORCE_PUBLISH).first()
    _require_other_eyes(release, user, forced.user_id if forced else None)
    _require_other_eyes(release, user, release.last_edited_by_id)


def _scheduled(release: Release, user: User) -> None:
    if not release.is_scheduled:
        raise TransitionError(_("The release is already public."), code="public")


def _has_changes(release: Release, user: User) -> None:
    if release.pending_revision_id is None:
        raise TransitionError(_("There are no unpublished changes."), code="no_changes")


def _has_changes_by_another(release: Release, user: User) -> None:
    _has_changes(release, user)
    _require_other_eyes(release, user, release.pending_revision.user_id)


def _public(release: Release, user: User) -> None:
    if not release.is_public:
        raise TransitionError(
            _("A scheduled release is not public yet: cancel the schedule instead."),
            code="scheduled",
        )


def _check(release: Release, user: User, name: str) -> None:
    """Refuse the move unless the person has its permission and the release allows it now."""
    transition = TRANSITIONS[name]
    if not user.has_perm(transition.permission):
        raise PermissionDenied(_("You may not do this: %(action)s.") % {"action": transition.label})
    _require_state(release, *transition.states)
    if transition.check is not None:
        transition.check(release, user)


def available_transitions(*, release: Release, user: User) -> list[Transition]:
    """The moves this person may make on this release now, in the order the admin shows them."""
    allowed = []
    for transition in TRANSITIONS.values():
        try:
            _check(release, user, transition.name)
        except (PermissionDenied, ValidationError):
            continue
        allowed.append(transition)
    return allowed


# Moves ---------------------------------------------------------------------------------------


def _locked(release: Release) -> Release:
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


def import_entry_for(release: Release, user: User, comment: str) -> AuditEntry:
    """The audit entry of a release an import has just stored as a draft, unsaved."""
    return AuditEntry(
        release=release,
        user=user,
        action=Action.IMPORT,
        to_state=State.DRAFT,
        comment=comment,
    )


def revision_for(release: Release, user: User, data: dict[str, Any] | None = None) -> Revision:
    """The revision of release as user saved it, unsaved; data: its content when the caller
    has it without the queries of snapshot_of() (an import of many releases)."""
    if data is None:
        data = snapshot_of(release)
    return Revision(release=release, user=user, version=release.version, data=data)


def _audit(
    release: Release, user: User, action: Action, from_state: str, comment: str = ""
) -> AuditEntry:
    entry = audit_entry_for(release, user, action, from_state, comment)
    entry.save()
    return entry


def _move(
    release: Release, user: User, action: Action, to_state: State | str, comment: str = ""
) -> AuditEntry:
    from_state = release.state
    release.state = to_state
    release.version += 1
    release.full_clean()
    release.save()
    return _audit(release, user, action, from_state, comment)


def _required_text(value: str, field: str, message: Any) -> str:
    value = (value or "").strip()
    if not value:
        raise TransitionError({field: message}, code="required")
    return value


def _readers_see(release: Release) -> bool:
    """Can readers open its page: published and due, or withdrawn (not in the bin)?"""
    return release.is_public or (release.state == State.WITHDRAWN and release.deleted_at is None)


def release_submit(*, release: Release, user: User) -> None:
    with transaction.atomic():
        locked = _locked(release)
        _check(locked, user, "submit")
        _move(locked, user, Action.SUBMIT, State.SUBMITTED)
    release.refresh_from_db()


def release_send_back(*, release: Release, user: User, comment: str) -> None:
    """Return a release to its author as a draft, saying what to fix."""
    with transaction.atomic():
        locked = _locked(release)
        _check(locked, user, "send_back")
        comment = _required_text(comment, "comment", _("Say what the author should change."))
        _move(locked, user, Action.SEND_BACK, State.DRAFT, comment)
    release.refresh_from_db()


def release_approve(*, release: Release, user: User, comment: str = "") -> None:
    with transaction.atomic():
        locked = _locked(release)
        _check(locked, user, "approve")
        _move(locked, user, Action.APPROVE, State.APPROVED, comment.strip())
    release.refresh_from_db()


def _publication_time(at: datetime.datetime | None) -> datetime.datetime:
    now = timezone.now()
    if at is None:
        return now
    if at < now - datetime.timedelta(minutes=1):
        raise TransitionError(
            {"at": _("The publication time has passed: leave it empty to publish now.")},
            code="past",
        )
    return max(at, now)


def release_publish(*, release: Release, user: User, at: datetime.datetime | None = None) -> None:
    """Publish an approved release now, or schedule it: a future time holds it back till then."""
    with transaction.atomic():
        locked = _locked(release)
        _check(locked, user, "publish")
        _require_alt_text(locked)
        locked.published_at = _publication_time(at)
        action = Action.SCHEDULE if at and locked.published_at > timezone.now() else Action.PUBLISH
        _move(locked, user, action, State.PUBLISHED)
        # Scheduled too: pages a CDN keeps must not outlive the minute it appears.
        site_changed()
    release.refresh_from_db()


def release_force_publish(
    *, release: Release, user: User, reason: str, at: datetime.datetime | None = None
) -> None:
    """Publish without the review; the release stays flagged until another person reviews it."""
    with transaction.atomic():
        locked = _locked(release)
        _check(locked, user, "force_publish")
        _require_alt_text(locked)
        reason = _required_text(reason, "reason", _("Say why it cannot wait for a review."))
        locked.published_at = _publication_time(at)
        locked.needs_post_review = True
        _move(locked, user, Action.FORCE_PUBLISH, State.PUBLISHED, reason)
        site_changed()
    release.refresh_from_db()


def publish_action(published_at: datetime.datetime) -> Action:
    return Action.SCHEDULE if published_at > timezone.now() else Action.PUBLISH


def release_publish_import(
    *, release: Release, user: User, at: datetime.datetime, comment: str
) -> None:
    """Publish a draft an import has just stored, at the time the import gives (an archive's is
    past): checked as publishing is, with an audit entry naming the file in comment."""
    with transaction.atomic():
        locked = _locked(release)
        _require_state(locked, State.DRAFT)
        check_import_publish(release=locked, user=user)
        locked.published_at = at
        _move(locked, user, publish_action(at), State.PUBLISHED, comment)
        site_changed()
    release.refresh_from_db()


def release_post_review(*, release: Release, user: User, comment: str = "") -> None:
    with transaction.atomic():
        locked = _locked(release)
        _check(locked, user, "post_review")
        locked.needs_post_review = False
        _move(locked, user, Action.POST_REVIEW, locked.state, comment.strip())
    release.refresh_from_db()


def release_unschedule(*, release: Release, user: User) -> None:
    """Take a scheduled release back to approved, before its time comes."""
    with transaction.atomic():
        locked = _locked(release)
        _check(locked, user, "unschedule")
        locked.published_at = None
        _move(locked, user, Action.UNSCHEDULE, State.APPROVED)
    release.refresh_from_db()


def release_withdraw(*, release: Release, user: User, reason: str) -> None:
    """Keep the page with the public explanation; take the release out of listings and feeds."""
    with transaction.atomic():
        locked = _locked(release)
        _check(locked, user, "withdraw")
        locked.withdrawal_reason = _required_text(
            reason, "reason", _("Readers will see why the release was withdrawn: say why.")
        )
        locked.withdrawn_at = timezone.now()
        _move(locked, user, Action.WITHDRAW, State.WITHDRAWN, locked.withdrawal_reason)
        site_changed()
    release.refresh_from_db()


def release_unpublish(
    *, release: Release, user: User, replacement: Release | None = None, comment: str = ""
) -> None:
    """Take the page off the site: 410 Gone, or a redirect to the release that replaces it."""
    with transaction.atomic():
        locked = _locked(release)
        _check(locked, user, "unpublish")
        if replacement is not None and (replacement.pk == locked.pk or not replacement.is_public):
            raise TransitionError(
                {"replacement": _("The replacement must be another public release.")},
                code="replacement",
            )
        locked.replaced_by = replacement
        seen = _readers_see(locked)
        _move(locked, user, Action.UNPUBLISH, State.UNPUBLISHED, comment.strip())
        if seen:
            site_changed()
    release.refresh_from_db()


# Edits and revisions -------------------------------------------------------------------------


def release_record_edit(*, release: Release, user: User, created: bool) -> Revision:
    """After a saved edit of a release not yet live: keep a revision, name the editor.

    An approval is for the text that was read: an edit of an approved release sends it back
    to review.
    """
    with transaction.atomic():
        locked = _locked(release)
        if created:
            locked.created_by = user
        locked.last_edited_by = user
        revision = revision_for(locked, user)
        revision.save()
        if locked.state == State.APPROVED:
            _move(locked, user, Action.REOPEN, State.SUBMITTED)
        else:
            locked.save(update_fields=["created_by", "last_edited_by"])
    release.refresh_from_db()
    return revision


def release_stage_changes(*, release: Release, user: User, data: dict[str, Any]) -> Revision:
    """Keep an edit of a live release as its pending version; the public page stays as it is."""
    with transaction.atomic():
        locked = _locked(release)
        if not locked.is_live or not locked.can_be_edited_by(user):
            raise PermissionDenied(_("You may not edit this release."))
        locked.version += 1
        revision = Revision.objects.create(
            release=locked, user=user, version=locked.version, data=data
        )
        locked.pending_revision = revision
        locked.save(update_fields=["pending_revision", "version"])
    release.refresh_from_db()
    return revision


def release_publish_changes(
    *, release: Release, user: User, note: str = "", minor: bool = False
) -> ChangeNote | None:
    """Make the pending version live; a correction that is not minor gets a public note."""
    with transaction.atomic():
        locked = _locked(release)
        _check(locked, user, "publish_changes")
        if not minor:
            note = _required_text(
                note, "note", _("Tell readers what changed, or mark the correction as minor.")
            )
        before = Revision.objects.create(
            release=locked, user=user, version=locked.version, data=snapshot_of(locked)
        )
        after = locked.pending_revision
        locked.pending_revision = None
        locked.last_edited_by = after.user
        locked.version += 1
        after.apply_to(locked)
        change_note = None
        if not minor:
            change_note = ChangeNote.objects.create(
                release=locked, text=note, before=before, after=after
            )
        _audit(locked, user, Action.PUBLISH_CHANGES, locked.state, note.strip())
        if locked.is_public:
            site_changed()
    release.refresh_from_db()
    return change_note


def release_discard_changes(*, release: Release, user: User) -> None:
    with transaction.atomic():
        locked = _locked(release)
        _check(locked, user, "discard_changes")
        locked.pending_revision = None
        locked.version += 1
        locked.save(update_fields=["pending_revision", "version"])
        _audit(locked, user, Action.DISCARD_CHANGES, locked.state)
    release.refresh_from_db()


def revision_restore(*, revision: Revision, user: User) -> Revision:
    """Bring back an old revision as the newest draft (for a live release: as pending changes)."""
    with transaction.atomic():
        locked = _locked(revision.release)
        if not locked.can_be_edited_by(user):
            raise PermissionDenied(_("You may not edit this release."))
        locked.version += 1
        restored = Revision.objects.create(
            release=locked, user=user, version=locked.version, data=revision.data
        )
        from_state = locked.state
        if locked.is_live:
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
        _audit(locked, user, Action.RESTORE_REVISION, from_state, comment)
    revision.release.refresh_from_db()
    return restored


# The moves, as the admin offers them ---------------------------------------------------------

TRANSITIONS: dict[str, Transition] = {
    transition.name: transition
    for transition in [
        Transition(
            name="submit",
            label=_("Submit for review"),
            permission="news.submit_release",
            states=(State.DRAFT,),
            check=_own_draft,
            service=release_submit,
        ),
        Transition(
            name="send_back",
            label=_("Send back to the author"),
            permission="news.review_release",
            states=(State.SUBMITTED, State.APPROVED),
            service=release_send_back,
            needs=("comment",),
            style="danger",
        ),
        Transition(
            name="approve",
            label=_("Approve"),
            permission="news.review_release",
            states=(State.SUBMITTED,),
            check=_read_by_another,
            service=release_approve,
            needs=("comment",),
        ),
        Transition(
            name="publish",
            label=_("Publish or schedule"),
            permission="news.publish_release",
            states=(State.APPROVED,),
            service=release_publish,
            needs=("at",),
        ),
        Transition(
            name="force_publish",
            label=_("Publish without review"),
            permission="news.force_publish_release",
            states=(State.DRAFT, State.SUBMITTED),
            service=release_force_publish,
            needs=("reason", "at"),
            style="danger",
        ),
        Transition(
            name="post_review",
            label=_("Confirm review after publication"),
            permission="news.review_release",
            states=(State.PUBLISHED,),
            check=_awaits_review_by_another,
            service=release_post_review,
            needs=("comment",),
        ),
        Transition(
            name="unschedule",
            label=_("Cancel the schedule"),
            permission="news.publish_release",
            states=(State.PUBLISHED,),
            check=_scheduled,
            service=release_unschedule,
        ),
        Transition(
            name="publish_changes",
            label=_("Publish the changes"),
            permission="news.publish_release",
            states=(State.PUBLISHED,),
            check=_has_changes_by_another,
            service=release_publish_changes,
            needs=("note", "minor"),
        ),
        Transition(
            name="discard_changes",
            label=_("Discard the unpublished changes"),
            permission="news.edit_any_release",
            states=(State.PUBLISHED,),
            check=_has_changes,
            service=release_discard_changes,
            style="danger",
        ),
        Transition(
            name="withdraw",
            label=_("Withdraw"),
            permission="news.withdraw_release",
            states=(State.PUBLISHED,),
            check=_public,
            service=release_withdraw,
            needs=("reason",),
            style="danger",
        ),
        Transition(
            name="unpublish",
            label=_("Unpublish"),
            permission="news.unpublish_release",
            states=(State.PUBLISHED, State.WITHDRAWN),
            service=release_unpublish,
            needs=("replacement", "comment"),
            style="danger",
        ),
    ]
}


# Preview links and the bin -------------------------------------------------------------------


def _check_preview_link_create(release: Release, user: User) -> None:
    if not user.has_perm("news.preview_release"):
        raise PermissionDenied(_("You may not share previews."))
    _require_state(release, *PREVIEW_STATES)
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
        locked = _locked(release)
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
        _audit(locked, user, Action.PREVIEW_CREATE, locked.state, comment)
    return link


def preview_link_revoke(*, link: PreviewLink, user: User) -> None:
    with transaction.atomic():
        locked = _locked(link.release)
        locked_link = PreviewLink.objects.select_for_update().get(pk=link.pk)
        locked_link.release = locked
        if not may_revoke_preview_link(link=locked_link, user=user):
            raise PermissionDenied(_("You may not revoke this preview link."))
        if locked_link.revoked_at is None:
            locked_link.revoked_at = timezone.now()
            locked_link.save(update_fields=["revoked_at"])
            comment = _("Link %(number)s") % {"number": locked_link.pk}
            _audit(locked, user, Action.PREVIEW_REVOKE, locked.state, comment)
    link.refresh_from_db()


def release_trash(*, release: Release, user: User) -> None:
    """Move a release to the bin: gone from the site and the lists, and restorable."""
    with transaction.atomic():
        locked = _locked(release)
        if not user.has_perm("news.delete_release") and not (
            locked.state == State.DRAFT and locked.can_be_edited_by(user)
        ):
            raise PermissionDenied(_("You may not delete this release."))
        if locked.deleted_at is not None:
            raise TransitionError(_("The release is in the bin already."), code="in_bin")
        seen = _readers_see(locked)
        locked.deleted_at = timezone.now()
        locked.version += 1
        locked.save(update_fields=["deleted_at", "version"])
        _audit(locked, user, Action.TRASH, locked.state)
        if seen:
            site_changed()
    release.refresh_from_db()


def release_untrash(*, release: Release, user: User) -> None:
    with transaction.atomic():
        locked = _locked(release)
        if not user.has_perm("news.delete_release"):
            raise PermissionDenied(_("You may not restore releases from the bin."))
        if locked.deleted_at is None:
            raise TransitionError(_("The release is not in the bin."), code="not_in_bin")
        locked.deleted_at = None
        locked.version += 1
        locked.save(update_fields=["deleted_at", "version"])
        _audit(locked, user, Action.UNTRASH, locked.state)
        if _readers_see(locked):
            site_changed()
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
    if release.is_live:
        pending = release.pending_revision
        base = revisions.completed(pending.data if pending else {}, release)
        data = revisions.merged(base, {**wanted, "tags": names})
        release_stage_changes(release=release, user=user, data=data)
        return
    with transaction.atomic():
        locked = _locked(release)
        for relation, pks in wanted.items():
            getattr(locked, relation).add(*pks)
        locked.tags.add(*names)
        locked.version += 1
        locked.save(update_fields=["version"])
        release_record_edit(release=locked, user=user, created=False)
    release.refresh_from_db()
