"""Telling people what a move of a release asks of them: by e-mail, and on the desk.

Who is told what: the reviewers (everyone with the review right) when a release is submitted;
its author when it is sent back or published. The workflow services call release_moved();
the e-mail leaves once their transaction has committed, through Django's mail settings.
"""

from __future__ import annotations

import datetime
import logging
import smtplib
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.db.models import F, OuterRef, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from news.models import Action, AuditEntry, Release

logger = logging.getLogger("ministry.notifications")

# The moves an author hears of, and how long the desk keeps saying so.
TOLD_TO_AUTHOR = (Action.SEND_BACK, Action.PUBLISH, Action.SCHEDULE, Action.FORCE_PUBLISH)
NOTICE_DAYS = 14

SUBJECTS = {
    Action.SUBMIT: _("Waits for your review: %(title)s"),
    Action.REOPEN: _("Waits for your review: %(title)s"),
    Action.SEND_BACK: _("Sent back to you: %(title)s"),
    Action.PUBLISH: _("Published: %(title)s"),
    Action.SCHEDULE: _("Scheduled: %(title)s"),
    Action.FORCE_PUBLISH: _("Published: %(title)s"),
}


def reviewers() -> QuerySet:
    """The people with the review right by their role (not every superuser), who can be told."""
    return (
        get_user_model()
        .objects.with_perm(
            "news.review_release",
            include_superusers=False,
            backend="django.contrib.auth.backends.ModelBackend",  # where roles give rights
        )
        .filter(is_active=True)
        .exclude(email="")
    )


def recipients(release: Release, user: Any, action: str) -> list[str]:
    """The addresses a move of release by user is told to: never to the person who made it."""
    if action in (Action.SUBMIT, Action.REOPEN):
        return list(reviewers().exclude(pk=user.pk).values_list("email", flat=True))
    author = release.created_by
    if action in TOLD_TO_AUTHOR and author and author.pk != user.pk:
        if author.is_active and author.email:
            return [author.email]
    return []


def release_moved(*, release: Release, user: Any, action: str, comment: str = "") -> None:
    """Once the transaction commits, e-mail whoever the move concerns."""
    if action in SUBJECTS:
        transaction.on_commit(lambda: _send(release.pk, user, action, comment))


def _send(release_pk: int, user: Any, action: str, comment: str) -> None:
    release = Release.objects.select_related("created_by").filter(pk=release_pk).first()
    if release is None:
        return
    addresses = recipients(release, user, action)
    if not addresses:
        return
    with translation.override(settings.LANGUAGE_CODE):
        subject = SUBJECTS[action] % {"title": release.title[:150]}
        body = _body(release, user, action, comment)
    messages = [
        EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [address]) for address in addresses
    ]
    try:
        mailers.default.send_messages(messages)
    except (smtplib.SMTPException, OSError):
        # The move is made and recorded; the desk still shows it. Say so to the operators.
        logger.exception("could not send %s notices for release %s", action, release_pk)


def _body(release: Release, user: Any, action: str, comment: str) -> str:
    url = settings.SITE_URL + reverse("admin:news_release_change", args=[release.pk])
    lines = [
        gettext("%(who)s: %(what)s.") % {"who": user.get_username(), "what": Action(action).label},
        release.title,
    ]
    if comment:
        lines += ["", gettext("Comment:"), comment]
    lines += ["", gettext("Open the release: %(url)s") % {"url": url}]
    return "\n".join(lines) + "\n"


# On the desk ---------------------------------------------------------------------------------


def desk_notices(user: Any) -> list[AuditEntry]:
    """What others did lately to this author's releases, where it is still the last word:
    a release sent back (until it is submitted again), published or scheduled."""
    since = timezone.now() - datetime.timedelta(days=NOTICE_DAYS)
    last = AuditEntry.objects.filter(release=OuterRef("release")).order_by("-created_at", "-pk")
    entries = (
        AuditEntry.objects.filter(
            release__created_by=user,
            release__deleted_at__isnull=True,
            action__in=TOLD_TO_AUTHOR,
            created_at__gte=since,
        )
        .exclude(user=user)
        .annotate(last=Subquery(last.values("pk")[:1]))
        .filter(pk=F("last"))
        .select_related("release", "user")
        .defer("release__body")
        .order_by("-created_at", "-pk")
    )
    return list(entries[:5])
