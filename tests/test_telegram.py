"""The Telegram channel: each publication posted, corrections and withdrawals edited in, through
the queue, with Telegram's rate limit respected. A real local Bot-API-compatible server answers."""

from __future__ import annotations

import datetime
import itertools

import pytest
import time_machine
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from news import corrections, workflow
from news.editing import release_stage_changes
from news.models import Release, State, TelegramPost, snapshot_of
from news.telegram import post_release
from tests.factories import ImageFactory, ReleaseFactory, UserFactory
from tests.http_recorder import RecordingServer
from tests.smtp import run_worker

# The worker closes a connection it finds inside a transaction (close_old_connections): on
# PostgreSQL the tests commit, as the worker does (as in test_subscriptions).
pytestmark = pytest.mark.django_db(transaction=connection.vendor != "sqlite")

TOKEN = "123456:TEST-token"
CHANNEL = "@ministry_press"


class BotApi:
    """The Bot API methods the site uses; failures can be planned per method."""

    def __init__(self) -> None:
        self.ids = itertools.count(101)
        self.messages: dict[int, dict] = {}
        self.planned: dict[str, list[tuple[int, dict]]] = {}
        self.server = RecordingServer(self.answer)

    def fail(self, method: str, status: int, **reply) -> None:
        self.planned.setdefault(method, []).append((status, reply))

    def answer(self, path: str, fields: dict) -> tuple[int, dict]:
        token, method = path.strip("/").split("/")
        if token != f"bot{TOKEN}":
            return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
        if self.planned.get(method):
            status, reply = self.planned[method].pop(0)
            return status, {"ok": False, "error_code": status, **reply}
        if method in ("sendMessage", "sendPhoto"):
            message_id = next(self.ids)
            self.messages[message_id] = dict(fields)
            return 200, {"ok": True, "result": {"message_id": message_id, "chat": {"id": -100}}}
        if method in ("editMessageText", "editMessageCaption"):
            message = self.messages.get(fields["message_id"])
            if message is None:
                return 400, {"ok": False, "error_code": 400, "description": "message not found"}
            message.update(fields)
            return 200, {"ok": True, "result": {"message_id": fields["message_id"]}}
        return 404, {"ok": False, "error_code": 404, "description": "Not Found"}

    def methods(self) -> list[str]:
        return [path.rsplit("/", 1)[1] for path, _fields in self.server.calls]

    def calls(self, method: str) -> list[dict]:
        return [fields for path, fields in self.server.calls if path.endswith("/" + method)]


@pytest.fixture
def bot(settings):
    api = BotApi()
    settings.TELEGRAM_BOT_TOKEN = TOKEN
    settings.TELEGRAM_CHANNEL = CHANNEL
    settings.TELEGRAM_API_URL = api.server.url
    settings.TELEGRAM_LANGUAGE = "ru"
    yield api
    api.server.stop()


def publish(publisher, author, at=None, **fields) -> Release:
    release = ReleaseFactory(
        state=State.APPROVED, created_by=author, last_edited_by=author, **fields
    )
    workflow.release_publish(release=release, user=publisher, at=at)
    return release


def correct(release: Release, publisher, note: str) -> None:
    editor = UserFactory(username="corrector", roles=["Editor"])
    data = {**snapshot_of(release), "title": release.title + " (уточнено)"}
    release_stage_changes(release=release, user=editor, data=data)
    corrections.release_publish_changes(release=release, user=publisher, note=note)


# Posting ---------------------------------------------------------------------------------------


def test_a_publication_is_posted_with_its_title_lead_and_link(bot, publisher, author):
    release = publish(publisher, author, title="Визит в Белград", summary="Стороны & партнёры.")
    assert bot.methods() == []  # the queue does it, not the publishing request

    run_worker()

    (sent,) = bot.calls("sendMessage")
    assert sent["chat_id"] == CHANNEL
    assert sent["parse_mode"] == "HTML"
    assert sent["text"].startswith("<b>Визит в Белград</b>\n\nСтороны &amp; партнёры.")
    assert f"/news/{release.slug}/" in sent["text"]
    post = TelegramPost.objects.get()
    assert (post.release, post.chat, post.message_id, post.kind) == (release, CHANNEL, 101, "text")


def test_a_lead_image_is_posted_as_a_photo_with_its_credit(bot, publisher, author):
    image = ImageFactory(credit="БЕЛТА")
    publish(publisher, author, lead_image=image)
    run_worker()

    assert bot.methods() == ["sendPhoto"]
    (sent,) = bot.calls("sendPhoto")
    assert sent["photo"].startswith("http://") and "/media/" in sent["photo"]
    assert sent["caption"].endswith("\n\nФото: БЕЛТА")
    assert len(sent["caption"]) <= 1024
    assert TelegramPost.objects.get().kind == "photo"


def test_a_long_lead_is_shortened_to_fit_a_caption(bot, publisher, author):
    publish(publisher, author, lead_image=ImageFactory(), summary="Очень длинно. " * 200)
    run_worker()

    (sent,) = bot.calls("sendPhoto")
    assert len(sent["caption"]) <= 1024
    assert "…" in sent["caption"] and "/news/" in sent["caption"]


def test_the_channel_gets_the_translation_in_its_language_and_one_post_for_both(
    bot, settings, publisher, author
):
    settings.TELEGRAM_LANGUAGE = "en"
    original = publish(publisher, author, title="Визит в Белград")
    ReleaseFactory(
        title="A visit to Belgrade",
        language="en",
        translation_key=original.translation_key,
        state=State.PUBLISHED,
        published_at=timezone.now(),
    )
    run_worker()
    post_release.enqueue(Release.objects.get(language="en").pk)  # as the translation's own
    run_worker()

    (sent,) = bot.calls("sendMessage")
    assert sent["text"].startswith("<b>A visit to Belgrade</b>")
    assert TelegramPost.objects.get().language == "en"


def test_a_task_run_twice_posts_once(bot, publisher, author):
    release = publish(publisher, author)
    post_release.enqueue(release.pk)
    post_release.enqueue(release.pk)
    run_worker()

    assert bot.methods() == ["sendMessage"]


def test_a_scheduled_release_is_posted_at_its_minute(bot, publisher, author):
    at = timezone.now() + datetime.timedelta(hours=2)
    publish(publisher, author, at=at)
    run_worker()
    assert bot.methods() == []

    with time_machine.travel(at + datetime.timedelta(seconds=1)):
        run_worker()
    assert bot.methods() == ["sendMessage"]


def test_nothing_is_posted_without_a_token(bot, settings, publisher, author):
    settings.TELEGRAM_BOT_TOKEN = ""
    publish(publisher, author)
    run_worker()

    assert bot.methods() == []
    assert not DBTaskResult.objects.filter(task_path__startswith="news.telegram").exists()


# Corrections and withdrawals -------------------------------------------------------------------


def test_a_correction_edits_the_post_and_adds_its_note(bot, publisher, author):
    release = publish(publisher, author, title="Визит в Белград")
    run_worker()

    correct(release, publisher, "Уточнена дата визита")
    run_worker()

    (edit,) = bot.calls("editMessageText")
    assert (edit["chat_id"], edit["message_id"]) == (CHANNEL, 101)
    assert edit["text"].startswith("<b>Визит в Белград (уточнено)</b>")
    assert "<i>Уточнено: Уточнена дата визита</i>" in edit["text"]
    assert f"/news/{release.slug}/changes/" in edit["text"]
    assert bot.messages[101]["text"] == edit["text"]
    assert TelegramPost.objects.get().edited_at is not None


def test_a_correction_of_a_photo_post_edits_its_caption(bot, publisher, author):
    release = publish(publisher, author, lead_image=ImageFactory())
    run_worker()

    correct(release, publisher, "Исправлена подпись")
    run_worker()

    assert bot.methods() == ["sendPhoto", "editMessageCaption"]
    (edit,) = bot.calls("editMessageCaption")
    assert "Уточнено: Исправлена подпись" in edit["caption"]


def test_a_withdrawal_edits_the_post_to_say_so(bot, publisher, author):
    release = publish(publisher, author, title="Визит в Белград")
    run_worker()

    workflow.release_withdraw(release=release, user=publisher, reason="Визит перенесён")
    run_worker()

    (edit,) = bot.calls("editMessageText")
    assert edit["text"].startswith("<b>Отозвано: Визит в Белград</b>")
    assert "Визит перенесён" in edit["text"]


def test_a_correction_of_a_release_never_posted_posts_nothing(bot, settings, publisher, author):
    settings.TELEGRAM_BOT_TOKEN = ""
    release = publish(publisher, author)
    run_worker()
    settings.TELEGRAM_BOT_TOKEN = TOKEN

    correct(release, publisher, "Уточнено")
    run_worker()

    assert bot.methods() == []


# Rate limits and failures ----------------------------------------------------------------------


def test_a_429_is_tried_again_no_sooner_than_retry_after(bot, publisher, author):
    bot.fail("sendMessage", 429, description="Too Many Requests", parameters={"retry_after": 30})
    start = timezone.now()
    publish(publisher, author)
    run_worker()

    assert bot.methods() == ["sendMessage"]
    assert not TelegramPost.objects.exists()
    (retry,) = DBTaskResult.objects.filter(task_path="news.telegram.post_release", status="READY")
    assert retry.run_after >= start + datetime.timedelta(seconds=30)

    with time_machine.travel(start + datetime.timedelta(seconds=25)):
        run_worker()
    assert bot.methods() == ["sendMessage"]

    with time_machine.travel(retry.run_after + datetime.timedelta(seconds=1)):
        run_worker()
    assert bot.methods() == ["sendMessage", "sendMessage"]
    assert TelegramPost.objects.get().message_id == 101


def test_a_server_error_is_retried_with_back_off(bot, settings, publisher, author):
    settings.NEWS_MAIL_RETRY_SECONDS = 60
    bot.fail("sendMessage", 502, description="Bad Gateway")
    bot.fail("sendMessage", 502, description="Bad Gateway")
    start = timezone.now()
    publish(publisher, author)
    run_worker()
    with time_machine.travel(start + datetime.timedelta(seconds=61)):
        run_worker()
        (retry,) = DBTaskResult.objects.filter(
            task_path="news.telegram.post_release", status="READY"
        )
    assert retry.run_after >= start + datetime.timedelta(seconds=60 + 240)
    with time_machine.travel(retry.run_after + datetime.timedelta(seconds=1)):
        run_worker()

    assert bot.methods() == ["sendMessage"] * 3
    assert TelegramPost.objects.count() == 1


def test_a_refused_post_is_not_tried_again(bot, publisher, author):
    bot.fail("sendMessage", 400, description="Bad Request: chat not found")
    publish(publisher, author)
    run_worker()

    assert bot.methods() == ["sendMessage"]
    assert not DBTaskResult.objects.filter(
        task_path="news.telegram.post_release", status="READY"
    ).exists()


def test_a_wrong_token_is_refused_and_nothing_is_stored(bot, settings, publisher, author):
    settings.TELEGRAM_BOT_TOKEN = "999:wrong"
    publish(publisher, author)
    run_worker()

    assert len(bot.server.calls) == 1
    assert not TelegramPost.objects.exists()
