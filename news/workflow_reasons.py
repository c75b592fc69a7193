"""Why a move's button is absent for this person: one line per reason, for the workflow panel.

Read from the same checks that hide the buttons (news.workflow), never a second copy of them.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError

from news.models import Release
from news.roles import only_roles_may
from news.workflow import TRANSITIONS, MissingPermission, _check

# A check refusing with one of these says the move has nothing to act on here, not that this
# person is in the way: the workflow panel does not explain such a move's missing button.
NOTHING_TO_DO = {"no_review", "public", "no_changes", "not_own"}


def unavailable_transitions(*, release: Release, user: User) -> list[tuple[str, list[Any]]]:
    """Why the moves the release is ready for are not this person's: (reason, labels) lines.

    The same checks as available_transitions, read for their refusals; moves that have nothing
    to act on here (no changes, no review awaited) are left out.
    """
    reasons: dict[str, list[Any]] = {}
    for transition in TRANSITIONS.values():
        if release.deleted_at is not None or release.state not in transition.states:
            continue
        try:
            if transition.check is not None:
                transition.check(release, user)
        except ValidationError as error:
            if getattr(error, "code", None) in NOTHING_TO_DO:
                continue
        except PermissionDenied:
            pass
        try:
            _check(release, user, transition.name)
        except MissingPermission:
            reason = only_roles_may(transition.permission)
        except PermissionDenied as error:
            reason = str(error)
        except ValidationError as error:
            reason = " ".join(error.messages)
        else:
            continue
        reasons.setdefault(reason, []).append(transition.label)
    return list(reasons.items())
