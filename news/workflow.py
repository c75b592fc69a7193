"""States and transitions of a release: who may move it where, and what each move records.

Each move is declared once, in TRANSITIONS, and made by its service: one transaction that locks
the release, checks the person's permission and the release's current state, changes what it
must and writes an audit entry (the steps are in news.release_writes). The services of a live
release's corrections are in news.corrections. The release's other writes: edits and revisions
in news.editing, preview links in news.preview_links, the bin in news.bin, imports in
news.import_workflow.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from news import outbound
from news.corrections import (
    release_discard_changes,
    release_publish_changes,
    release_publish_correction,
)
from news.models import Action, Release, State
from news.models.public_version import site_changed
from news.notifications import release_moved
from news.release_writes import (
    TransitionError,
    User,
    lock_release,
    move_release,
    readers_see_page,
    require_alt_text,
    require_state,
    required_text,
)
from news.roles import ask_another


@dataclass(frozen=True)
class Transition:
    """A move the admin offers as a button, declared once in TRANSITIONS (below the services).

    Who may make it (permission), from which states, what else must hold (check), the service
    that makes it and the inputs its form asks for (needs: the service's keyword arguments).
    A move with confirm asks first on a page of its own, saying what readers will see after it.
    """

    name: str
    label: Any
    permission: str
    states: tuple[State, ...]
    service: Callable[..., Any]
    check: Callable[[Release, User], None] | None = None
    needs: tuple[str, ...] = ()
    style: str = ""
    confirm: Any = ""


class MissingPermission(PermissionDenied):
    """The person's roles do not hold the move's permission."""


When = datetime.datetime | None  # a publication time; None: now


# Checks --------------------------------------------------------------------------------------


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


def _has_own_changes(release: Release, user: User) -> None:
    _has_changes(release, user)
    if release.pending_revision.user_id != user.pk:
        raise TransitionError(
            _("The unpublished changes are another person's: publish them as a second person."),
            code="not_own",
        )


def _public(release: Release, user: User) -> None:
    if not release.is_public:
        raise TransitionError(
            _("A scheduled release is not public yet: cancel the schedule instead."),
            code="scheduled",
        )


def require_permission(user: User, transition: Transition) -> None:
    if not user.has_perm(transition.permission):
        raise MissingPermission(
            _("You may not do this: %(action)s.") % {"action": transition.label}
        )


def _check(release: Release, user: User, name: str) -> None:
    """Refuse the move unless the person has its permission and the release allows it now."""
    transition = TRANSITIONS[name]
    require_permission(user, transition)
    require_state(release, *transition.states)
    if transition.check is None:
        return
    try:
        transition.check(release, user)
    except TransitionError as error:
        if getattr(error, "code", None) != "same_person":
            raise
        # Whom to ask follows from the move's permission and the table of roles.
        raise TransitionError(ask_another(transition.permission), code="same_person") from error


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


def require_transition(*, release: Release, user: User, name: str) -> None:
    """Refuse, as the move's service would, unless this person may make it on the release now."""
    _check(release, user, name)


def lock_and_check(release: Release, user: User, name: str) -> Release:
    """Lock the release; refuse the move unless this person may make it on the release now."""
    locked = lock_release(release)
    _check(locked, user, name)
    return locked


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


def publish_action(published_at: datetime.datetime) -> Action:
    return Action.SCHEDULE if published_at > timezone.now() else Action.PUBLISH


# The moves -----------------------------------------------------------------------------------


def release_submit(*, release: Release, user: User) -> None:
    with transaction.atomic():
        locked = lock_and_check(release, user, "submit")
        move_release(locked, user, Action.SUBMIT, State.SUBMITTED)
        release_moved(release=locked, user=user, action=Action.SUBMIT)
    release.refresh_from_db()


def release_send_back(*, release: Release, user: User, comment: str) -> None:
    """Return a release to its author as a draft, saying what to fix."""
    with transaction.atomic():
        locked = lock_and_check(release, user, "send_back")
        comment = required_text(comment, "comment", _("Say what the author should change."))
        move_release(locked, user, Action.SEND_BACK, State.DRAFT, comment)
        release_moved(release=locked, user=user, action=Action.SEND_BACK, comment=comment)
    release.refresh_from_db()


def release_approve(*, release: Release, user: User, comment: str = "") -> None:
    with transaction.atomic():
        locked = lock_and_check(release, user, "approve")
        move_release(locked, user, Action.APPROVE, State.APPROVED, comment.strip())
    release.refresh_from_db()


def release_publish(*, release: Release, user: User, at: When = None, silent: bool = False) -> None:
    """Publish an approved release now, or schedule it: a future time holds it back till then."""
    with transaction.atomic():
        locked = lock_and_check(release, user, "publish")
        require_alt_text(locked)
        locked.published_at, locked.mail_held = _publication_time(at), silent
        action = publish_action(locked.published_at)
        move_release(locked, user, action, State.PUBLISHED)
        release_moved(release=locked, user=user, action=action)
        # Scheduled too: pages a CDN keeps must not outlive the minute it appears.
        site_changed(releases_only=True)
        outbound.release_published(locked)
    release.refresh_from_db()


def release_force_publish(
    *, release: Release, user: User, reason: str, at: When = None, silent: bool = False
) -> None:
    """Publish without the review; the release stays flagged until another person reviews it."""
    with transaction.atomic():
        locked = lock_and_check(release, user, "force_publish")
        require_alt_text(locked)
        reason = required_text(reason, "reason", _("Say why it cannot wait for a review."))
        locked.published_at, locked.mail_held = _publication_time(at), silent
        locked.needs_post_review = True
        move_release(locked, user, Action.FORCE_PUBLISH, State.PUBLISHED, reason)
        release_moved(release=locked, user=user, action=Action.FORCE_PUBLISH)
        site_changed(releases_only=True)
        outbound.release_published(locked)
    release.refresh_from_db()


def release_post_review(*, release: Release, user: User, comment: str = "") -> None:
    with transaction.atomic():
        locked = lock_and_check(release, user, "post_review")
        locked.needs_post_review = False
        move_release(locked, user, Action.POST_REVIEW, locked.state, comment.strip())
    release.refresh_from_db()


def release_unschedule(*, release: Release, user: User) -> None:
    """Take a scheduled release back to approved, before its time comes."""
    with transaction.atomic():
        locked = lock_and_check(release, user, "unschedule")
        locked.published_at = None
        move_release(locked, user, Action.UNSCHEDULE, State.APPROVED)
    release.refresh_from_db()


def release_withdraw(*, release: Release, user: User, reason: str) -> None:
    """Keep the page with the public explanation; take the release out of listings and feeds."""
    with transaction.atomic():
        locked = lock_and_check(release, user, "withdraw")
        locked.withdrawal_reason = required_text(
            reason, "reason", _("Readers will see why the release was withdrawn: say why.")
        )
        locked.withdrawn_at = timezone.now()
        move_release(locked, user, Action.WITHDRAW, State.WITHDRAWN, locked.withdrawal_reason)
        site_changed(releases_only=True)
        outbound.release_withdrawn(locked)
    release.refresh_from_db()


def release_unpublish(
    *, release: Release, user: User, reason: str, replacement: Release | None = None
) -> None:
    """Take the page off the site: 410 Gone, or a redirect to the release that replaces it."""
    with transaction.atomic():
        locked = lock_and_check(release, user, "unpublish")
        reason = required_text(reason, "reason", _("Say why the page is taken off the site."))
        if replacement is not None and (replacement.pk == locked.pk or not replacement.is_public):
            raise TransitionError(
                {"replacement": _("The replacement must be another public release.")},
                code="replacement",
            )
        locked.replaced_by = replacement
        seen = readers_see_page(locked)
        move_release(locked, user, Action.UNPUBLISH, State.UNPUBLISHED, reason)
        if seen:
            site_changed(releases_only=True)
    release.refresh_from_db()


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
            needs=("at", "silent"),
        ),
        Transition(
            name="force_publish",
            label=_("Publish without review"),
            permission="news.force_publish_release",
            states=(State.DRAFT, State.SUBMITTED),
            service=release_force_publish,
            needs=("reason", "at", "silent"),
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
            name="publish_correction",
            label=_("Publish my correction alone"),
            permission="news.force_publish_release",
            states=(State.PUBLISHED,),
            check=_has_own_changes,
            service=release_publish_correction,
            needs=("reason", "note", "minor"),
        ),
        Transition(
            name="discard_changes",
            label=_("Discard the unpublished changes"),
            permission="news.edit_any_release",
            states=(State.PUBLISHED,),
            check=_has_changes,
            service=release_discard_changes,
            style="danger",
            confirm=_(
                "The unpublished changes are dropped (their version stays in the revisions). "
                "Readers keep seeing the published version: the public page stays as it is."
            ),
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
            confirm=_(
                "The page stays at its address with your explanation at the top; the release "
                "is gone from the lists, the feeds, the search and the sitemap."
            ),
        ),
        Transition(
            name="unpublish",
            label=_("Unpublish"),
            permission="news.unpublish_release",
            states=(State.PUBLISHED, State.WITHDRAWN),
            service=release_unpublish,
            needs=("replacement", "reason"),
            style="danger",
            confirm=_(
                "The page is taken off the site: its address answers “410 Gone”, or redirects "
                "for good to the release you choose below. The release is gone from the lists, "
                "the feeds, the search and the sitemap."
            ),
        ),
    ]
}
