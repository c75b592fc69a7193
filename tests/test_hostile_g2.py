"""Hostile input for the Telegram channel, WebSub and the editors' view of subscribers: no 5xx,
nothing half-stored, nothing unpublished leaks."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from news import workflow
from news.models import Release, State, Subscriber, Subscription, TelegramPost
from news.models.topics import Topic
from news.telegram import post_release, update_post
from news.websub import ping_hub
from tests.factories import PublishedReleaseFactory, ReleaseFactory
from tests.http_recorder import RecordingServer
from tests.smtp import run_worker

# The worker closes a connection it finds inside a transaction (close_old_connections): on
# PostgreSQL the tests commit, as the worker does (as in test_subscriptions).
pytestmark = pytest.mark.django_db(transaction=connection.vendor != "sqlite")

TOKEN = "1:hostile"


def approved(author, **fields) -> Release:
    return ReleaseFactory(state=State.APPROVED, created_by=author, last_edited_by=author, **fields)


@pytest.fixture
def bot(settings):
    """A Bot API that answers what each test plans: (status, JSON or raw bytes)."""
    plan: list[tuple[int, object]] = []
    ok = (200, {"ok": True, "result": {"message_id": 7}})
    server = RecordingServer(lambda path, fields: plan.pop(0) if plan else ok)
    settings.TELEGRAM_BOT_TOKEN = TOKEN
    settings.TELEGRAM_CHANNEL = "@hostile"
    settings.TELEGRAM_API_URL = server.url
    server.plan = plan
    yield server
    server.stop()


@pytest.mark.parametrize(
    "answer",
    [
        (200, b"<html>not json</html>"),
        (502, b"<html>Bad Gateway</html>"),
        (200, {"ok": False}),
        (200, {"ok": True, "result": {}}),
        (429, {"ok": False, "error_code": 429, "parameters": {"retry_after": "soon"}}),
        (200, b""),
    ],
)
def test_a_strange_bot_api_answer_stores_no_post_and_fails_no_task(bot, publisher, author, answer):
    bot.plan.append(answer)
    workflow.release_publish(release=approved(author), user=publisher)
    run_worker()

    assert not DBTaskResult.objects.filter(status="FAILED").exists()
    assert TelegramPost.objects.count() <= 1
    assert not TelegramPost.objects.filter(message_id=0).exists()


def test_markup_in_a_title_reaches_telegram_escaped(bot, publisher, author):
    title = '<script>alert(1)</script> & <a href="x">'
    workflow.release_publish(release=approved(author, title=title), user=publisher)
    run_worker()

    (_path, fields) = bot.calls[0]
    assert "<script>" not in fields["text"] and "&lt;script&gt;" in fields["text"]
    assert '<a href="x">' not in fields["text"]


@pytest.mark.parametrize("state", [State.DRAFT, State.SUBMITTED, State.APPROVED, State.WITHDRAWN])
def test_a_release_not_public_is_never_posted_even_if_its_task_is_queued(bot, state):
    release = ReleaseFactory(state=state)
    post_release.enqueue(release.pk)
    update_post.enqueue(release.pk)
    post_release.enqueue(10**9)  # a release that does not exist
    run_worker()

    assert bot.calls == []
    assert not TelegramPost.objects.exists()


def test_a_scheduled_release_is_not_posted_before_its_minute(bot):
    release = PublishedReleaseFactory(published_at=timezone.now() + datetime.timedelta(days=1))
    post_release.enqueue(release.pk)
    run_worker()

    assert bot.calls == []


def test_a_hub_that_answers_nonsense_or_is_gone_breaks_no_worker(settings):
    server = RecordingServer(lambda path, fields: (302, b""))
    settings.WEBSUB_HUB_URL = server.url
    ping_hub.enqueue(["https://press.example/feeds/rss/"])
    run_worker()
    assert not DBTaskResult.objects.filter(status="FAILED").exists()
    server.stop()

    settings.WEBSUB_HUB_URL = "http://127.0.0.1:9/"  # nothing listens
    ping_hub.enqueue(["https://press.example/feeds/rss/"])
    run_worker()
    assert not DBTaskResult.objects.filter(status="FAILED").exists()


@pytest.mark.parametrize("value", ["", "0", "false", "on", "<script>", "x" * 5000, "\x00"])
def test_any_silent_value_publishes_or_refuses_cleanly(client, publisher, author, value):
    release = approved(author)
    client.force_login(publisher)
    url = reverse("admin:news_release_transition", args=[release.pk, "publish"])

    response = client.post(url, {"version": release.version, "silent": value})

    assert response.status_code == 302
    release.refresh_from_db()
    # A checkbox's value: only empty and "false" are unchecked (Django's CheckboxInput).
    assert release.is_public
    assert release.mail_held is (value not in ("", "false"))


def test_the_overview_names_no_unpublished_topic_and_survives_odd_keys(client, editor):
    secret = Topic.objects.create(name="Секретная тема", slug="sekretnaia-tema")
    person = Subscriber.objects.create(email="x@example.org")
    for scope, key in [("topic", str(secret.pk)), ("topic", "x" * 40), ("country", "ZZ")]:
        Subscription.objects.create(
            subscriber=person,
            scope=scope,
            key=key,
            language="ru",
            frequency="immediately",
            confirmed_at=timezone.now(),
        )
    client.force_login(editor)

    response = client.get("/admin/news/subscriber/?q=<script>&o=9")

    assert response.status_code == 200
    assert "Секретная тема" not in response.content.decode()
