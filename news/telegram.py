"""The ministry's Telegram channel: each publication posted, corrections and withdrawals edited in.

On when TELEGRAM_BOT_TOKEN and TELEGRAM_CHANNEL are set. The tasks run on the same queue as the
e-mail (django.tasks); a release and its translations make one post, in TELEGRAM_LANGUAGE where
a translation exists. A task retries with back-off, and after Telegram's retry_after on a 429.
"""

from __future__ import annotations

import datetime
import json
import logging
import urllib.error
import urllib.request
from typing import Any

from django.conf import settings
from django.db import transaction
from django.tasks import task
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext as _

from news.models import ChangeNote, Release, State, TelegramPost
from news.models.telegram import PostKind
from news.subscriptions.messages import absolute, in_language, release_context

log = logging.getLogger(__name__)

ATTEMPTS = 5
TIMEOUT = 20
TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024


class TelegramError(Exception):
    def __init__(self, description: str, *, temporary: bool, retry_after: int = 0) -> None:
        super().__init__(description)
        self.temporary = temporary
        self.retry_after = retry_after


def enabled() -> bool:
    return bool(settings.TELEGRAM_BOT_TOKEN and settings.TELEGRAM_CHANNEL)


def _number(value: Any) -> int:
    return value if isinstance(value, int) and 0 <= value < 86400 else 0


def call(method: str, **params: Any) -> dict[str, Any]:
    """One Bot API method; its result, or TelegramError saying whether to try again."""
    url = f"{settings.TELEGRAM_API_URL}/bot{settings.TELEGRAM_BOT_TOKEN}/{method}"
    request = urllib.request.Request(
        url, data=json.dumps(params).encode(), headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
            answer = json.load(response)
    except urllib.error.HTTPError as error:
        try:
            answer = json.load(error)
        except ValueError:
            answer = {"ok": False, "error_code": error.code, "description": str(error)}
    except (OSError, ValueError) as error:
        raise TelegramError(str(error), temporary=True) from error
    if not isinstance(answer, dict):
        raise TelegramError("not a Bot API answer", temporary=True)
    if answer.get("ok"):
        return answer.get("result") if isinstance(answer.get("result"), dict) else {}
    code = _number(answer.get("error_code")) or 500
    parameters = answer.get("parameters")
    retry_after = _number(parameters.get("retry_after")) if isinstance(parameters, dict) else 0
    description = str(answer.get("description", ""))
    raise TelegramError(description, temporary=code == 429 or code >= 500, retry_after=retry_after)


# What the channel shows ---------------------------------------------------------------------


def _fit(parts: list[str], lead: str, limit: int) -> str:
    """The parts around the lead, the lead shortened so that the whole fits in limit."""
    room = limit - sum(len(p) + 2 for p in parts) - 2
    if len(lead) > room:
        lead = lead[: max(room - 1, 0)].rstrip() + "…"
    return "\n\n".join([parts[0], escape(lead), *parts[1:]]) if lead else "\n\n".join(parts)


def post_text(release: Release, *, photo: bool) -> str:
    """Title, lead, link (and the photo's credit); a correction's note; or the withdrawal."""
    context = release_context(release)
    title = f"<b>{escape(release.title)}</b>"
    if release.state == State.WITHDRAWN:
        withdrawn = _("Withdrawn: %(title)s") % {"title": release.title}
        title = f"<b>{escape(withdrawn)}</b>"
        return _fit([title, context["url"]], release.withdrawal_reason, CAPTION_LIMIT)
    tail = [context["url"]]
    note = release.change_notes.order_by("-created_at").first()
    if note is not None:
        corrected = _("Corrected: %(note)s") % {"note": note.text}
        tail.append(f"<i>{escape(corrected)}</i>\n{absolute(note.get_absolute_url())}")
    if photo and release.lead_image.credit:
        tail.append(escape(_("Photo: %(credit)s") % {"credit": release.lead_image.credit}))
    return _fit([title, *tail], release.summary, CAPTION_LIMIT if photo else TEXT_LIMIT)


def _in_channel_language(release: Release) -> Release:
    return in_language(release, settings.TELEGRAM_LANGUAGE)


# The tasks ----------------------------------------------------------------------------------


def _again(retry: Any, release_id: int, attempt: int, error: TelegramError) -> None:
    if error.retry_after:  # Telegram says when: not before, and it is no failure of ours
        later = timezone.now() + datetime.timedelta(seconds=error.retry_after)
        retry.using(run_after=later).enqueue(release_id, attempt)
    elif error.temporary and attempt < ATTEMPTS:
        later = timezone.now() + datetime.timedelta(
            seconds=settings.NEWS_MAIL_RETRY_SECONDS * 4 ** (attempt - 1)
        )
        retry.using(run_after=later).enqueue(release_id, attempt + 1)
    else:
        log.warning("Telegram refused release %s: %s", release_id, error)


@task()
def post_release(release_id: int, attempt: int = 1) -> int | None:
    """Post a release now public, once for it and its translations; the message id."""
    if not enabled():
        return None
    chat = settings.TELEGRAM_CHANNEL
    with transaction.atomic():
        # The lock keeps a second worker with the same task waiting till the post is stored.
        release = Release.objects.select_for_update().filter(pk=release_id).first()
        if release is None or not release.is_public:
            return None
        group = TelegramPost.objects.filter(
            release__translation_key=release.translation_key, chat=chat
        )
        if group.exists():
            return None
        shown = _in_channel_language(release)
        with translation.override(settings.TELEGRAM_LANGUAGE):
            photo = bool(shown.lead_image_id)
            text = post_text(shown, photo=photo)
            try:
                if photo:
                    result = call(
                        "sendPhoto",
                        chat_id=chat,
                        photo=release_context(shown)["image"]["url"],
                        caption=text,
                        parse_mode="HTML",
                    )
                else:
                    result = call("sendMessage", chat_id=chat, text=text, parse_mode="HTML")
            except TelegramError as error:
                _again(post_release, release_id, attempt, error)
                return None
        if not isinstance(result.get("message_id"), int):
            log.warning("Telegram posted release %s without a message id", release_id)
            return None
        TelegramPost.objects.create(
            release=shown,
            chat=chat,
            language=shown.language,
            message_id=result["message_id"],
            kind=PostKind.PHOTO if photo else PostKind.TEXT,
        )
    return result["message_id"]


@task()
def update_post(release_id: int, attempt: int = 1) -> bool:
    """Edit the channel's post of a release to what it now says (a correction, a withdrawal)."""
    if not enabled():
        return False
    release = Release.objects.filter(pk=release_id).first()
    if release is None:
        return False
    post = TelegramPost.objects.filter(
        release__translation_key=release.translation_key, chat=settings.TELEGRAM_CHANNEL
    ).first()
    if post is None:
        return False
    shown = post.release
    if release.state == State.WITHDRAWN and shown.state != State.WITHDRAWN:
        shown = release
    photo = post.kind == PostKind.PHOTO
    with translation.override(settings.TELEGRAM_LANGUAGE):
        text = post_text(shown, photo=photo and bool(shown.lead_image_id))
    fields = {"caption": text} if photo else {"text": text}
    try:
        call(
            "editMessageCaption" if photo else "editMessageText",
            chat_id=post.chat,
            message_id=post.message_id,
            parse_mode="HTML",
            **fields,
        )
    except TelegramError as error:
        if "not modified" not in str(error):  # a retried edit that had already been made
            _again(update_post, release_id, attempt, error)
            return False
    TelegramPost.objects.filter(pk=post.pk).update(edited_at=timezone.now())
    return True


# Called by news.outbound, inside the services' transaction -----------------------------------


def release_published(release: Release) -> None:
    if enabled():
        at = release.published_at if release.published_at > timezone.now() else None
        post_release.using(run_after=at).enqueue(release.pk)


def release_changed(release: Release) -> None:
    if enabled():
        update_post.enqueue(release.pk)


def release_corrected(change_note: ChangeNote) -> None:
    release_changed(change_note.release)
