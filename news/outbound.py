"""What a change readers can see sends out of the site, queued in the service's transaction.

The workflow's services call these; each channel queues its own tasks (django.tasks, run by
`manage.py db_worker`): e-mail to subscribers (news.subscriptions.tasks), the Telegram channel
(news.telegram) and WebSub pings for the feeds (news.websub). A new channel adds its call to
each function it needs, and nothing else changes in the services.
"""

from __future__ import annotations

from news import telegram, websub
from news.models import ChangeNote, Release
from news.subscriptions import tasks as mail


def release_published(release: Release) -> None:
    """Published now, or scheduled: the tasks run at its minute (run_after). A publisher may
    hold the e-mail (publish silently): the channel and the hub still hear of it."""
    if not release.mail_held:
        mail.release_published(release)
    telegram.release_published(release)
    websub.release_changed(release)


def release_corrected(change_note: ChangeNote) -> None:
    """A live release's changes published with a public note."""
    mail.release_corrected(change_note)
    telegram.release_corrected(change_note)
    websub.release_changed(change_note.release)


def release_withdrawn(release: Release) -> None:
    mail.release_withdrawn(release)
    telegram.release_changed(release)
    websub.release_changed(release)
