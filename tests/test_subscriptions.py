"""E-mail subscriptions, as a reader and the press service live them: subscribe from a page,
confirm from the mail, get each release once, digests, corrections, unsubscribe, own data.

Mail goes to a real SMTP server (tests/smtp.py) through the real queue worker (db_worker).
"""

from __future__ import annotations

import datetime
import json
import re

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from news import corrections, workflow
from news.editing import release_stage_changes
from news.models import Delivery, Language, Release, State, Subscriber, Subscription, snapshot_of
from news.models.release_choices import Kind
from news.models.subscriptions import DeliveryStatus
from tests import smtp
from tests.factories import (
    ImageFactory,
    OfficialFactory,
    PublishedReleaseFactory,
    ReleaseFactory,
    SourceURLFactory,
    UserFactory,
)
from tests.smtp import run_worker, text_of

# The worker closes a connection it finds inside a transaction (close_old_connections), as it
# should between tasks; on PostgreSQL the test's own transaction would go with it, so there the
# tests commit (and the tables are emptied after each). SQLite's memory database stays open.
pytestmark = pytest.mark.django_db(transaction=connection.vendor != "sqlite")
smtp_server = smtp.smtp_server  # the fixture

LINK = re.compile(r"https?://\S+")


@pytest.fixture
def author(db):
    return UserFactory(username="author", roles=["Author"])


@pytest.fixture
def publisher(db):
    return UserFactory(username="publisher", roles=["Publisher"])


def link_in(message, path: str) -> str:
    """The path of the first link in the plain text that goes to path."""
    for url in LINK.findall(text_of(message)):
        if path in url:
            return url.split("://", 1)[1].split("/", 1)[1].join(["/", ""])
    raise AssertionError(f"no link to {path} in {text_of(message)}")


def subscribe(client: Client, smtp, email: str, confirm: bool = True, **fields) -> None:
    """Ask for a subscription with the page's form; follow the mailed confirmation link."""
    data = {"email": email, "scope": "everything", "key": "", "language": "ru"}
    data |= {"frequency": "immediately", **fields}
    response = client.post(reverse("subscriptions:subscribe"), data)
    assert response.status_code == 302, getattr(response, "context", None)
    run_worker()
    if confirm:
        url = link_in(smtp.to(email)[-1], "/subscribe/confirm/")
        assert client.post(url).status_code == 302


def publish(publisher, author, officials=(), **fields) -> Release:
    """A release approved by review, with its officials, published through the workflow."""
    release = ReleaseFactory(
        state=State.APPROVED, created_by=author, last_edited_by=author, **fields
    )
    release.officials.add(*officials)
    workflow.release_publish(release=release, user=publisher)
    return release


def release_mail(smtp, release: Release) -> list:
    return [m for m in smtp.messages if m["Subject"] == release.title]


# Double opt-in ---------------------------------------------------------------------------------


def test_nothing_but_the_confirmation_is_sent_before_the_link_is_followed(
    client, smtp_server, publisher, author
):
    subscribe(client, smtp_server, "reader@example.org", confirm=False)
    publish(publisher, author)
    run_worker()

    assert [m["Subject"] for m in smtp_server.messages] == [
        "Подтвердите подписку на публикации министерства"
    ]
    assert not Subscription.objects.confirmed().exists()


def test_a_confirmed_address_gets_the_next_release(client, smtp_server, publisher, author):
    subscribe(client, smtp_server, "reader@example.org")
    release = publish(publisher, author)
    run_worker()

    assert len(release_mail(smtp_server, release)) == 1


def test_the_confirmation_link_asks_before_it_confirms(client, smtp_server):
    subscribe(client, smtp_server, "reader@example.org", confirm=False)
    url = link_in(smtp_server.messages[0], "/subscribe/confirm/")

    assert client.get(url).status_code == 200
    assert not Subscription.objects.confirmed().exists()


def test_an_unconfirmed_request_expires_after_7_days(client, smtp_server):
    subscribe(client, smtp_server, "reader@example.org", confirm=False)
    url = link_in(smtp_server.messages[0], "/subscribe/confirm/")

    with time_machine.travel(timezone.now() + datetime.timedelta(days=7, minutes=1)):
        response = client.post(url)
        assert Subscription.objects.expired().count() == 1

    assert response.status_code == 404
    assert not Subscription.objects.confirmed().exists()


# What each address gets ------------------------------------------------------------------------


def test_a_scope_gets_only_its_releases(client, smtp_server, publisher, author):
    official = OfficialFactory()
    PublishedReleaseFactory().officials.add(official)  # the official's page is public
    subscribe(client, smtp_server, "o@example.org", scope="official", key=str(official.pk))
    subscribe(client, smtp_server, "k@example.org", scope="kind", key=Kind.VISIT)

    about_official = publish(publisher, author, kind=Kind.NEWS, officials=[official])
    visit = publish(publisher, author, kind=Kind.VISIT)
    run_worker()

    assert [m["Subject"] for m in smtp_server.to("o@example.org")[1:]] == [about_official.title]
    assert [m["Subject"] for m in smtp_server.to("k@example.org")[1:]] == [visit.title]


def test_one_message_per_address_and_release_whatever_number_of_its_scopes_match(
    client, smtp_server, publisher, author
):
    official = OfficialFactory()
    PublishedReleaseFactory().officials.add(official)
    subscribe(client, smtp_server, "r@example.org")
    subscribe(client, smtp_server, "r@example.org", scope="official", key=str(official.pk))
    subscribe(client, smtp_server, "r@example.org", scope="kind", key=Kind.PRESS_RELEASE)
    release = publish(publisher, author, officials=[official])

    run_worker()
    deliveries = Delivery.objects.filter(release=release).count()
    run_worker()

    assert len(release_mail(smtp_server, release)) == 1
    assert deliveries == 1


def test_the_message_carries_title_lead_image_link_source_and_officials(
    client, smtp_server, publisher, author, settings
):
    settings.SITE_URL = "http://127.0.0.1:8000"
    official = OfficialFactory(full_name="Константин Шульган")
    subscribe(client, smtp_server, "reader@example.org")
    release = ReleaseFactory(
        state=State.APPROVED,
        created_by=author,
        last_edited_by=author,
        summary="Стороны обсудили связь.",
        lead_image=ImageFactory(alt="Переговоры"),
    )
    release.officials.add(official)
    SourceURLFactory(release=release, url="https://www.mpt.gov.by/ru/news/1")
    workflow.release_publish(release=release, user=publisher)
    run_worker()

    (message,) = release_mail(smtp_server, release)
    text, html = text_of(message), text_of(message, "html")
    assert "Стороны обсудили связь." in text and "Стороны обсудили связь." in html
    assert "Константин Шульган" in text and "Константин Шульган" in html
    assert "https://www.mpt.gov.by/ru/news/1" in text
    assert f"http://127.0.0.1:8000{release.get_absolute_url()}" in text
    assert re.search(r'<img src="http://127.0.0.1:8000/media/[^"]+\.(jpg|png)"', html)
    assert 'alt="Переговоры"' in html
    assert message["List-Unsubscribe"].startswith("<http://127.0.0.1:8000/subscribe/unsubscribe/")
    # As sent: the link itself on one line, not folded into encoded words (=?utf-8?q?...).
    sent = dict(message.raw_items())["List-Unsubscribe"]
    assert re.fullmatch(r"<http://127\.0\.0\.1:8000/subscribe/unsubscribe/\S+/>", sent)
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/subscribe/manage/" in text


def test_a_scheduled_release_is_sent_at_its_minute(client, smtp_server, publisher, author):
    subscribe(client, smtp_server, "reader@example.org")
    release = ReleaseFactory(state=State.APPROVED, created_by=author, last_edited_by=author)
    at = timezone.now() + datetime.timedelta(hours=2)
    workflow.release_publish(release=release, user=publisher, at=at)

    run_worker()
    before = len(release_mail(smtp_server, release))
    with time_machine.travel(at + datetime.timedelta(seconds=1)):
        run_worker()

    assert before == 0
    assert len(release_mail(smtp_server, release)) == 1


def test_an_unscheduled_release_is_never_sent(client, smtp_server, publisher, author):
    subscribe(client, smtp_server, "reader@example.org")
    release = ReleaseFactory(state=State.APPROVED, created_by=author, last_edited_by=author)
    at = timezone.now() + datetime.timedelta(hours=2)
    workflow.release_publish(release=release, user=publisher, at=at)
    workflow.release_unschedule(release=release, user=publisher)

    with time_machine.travel(at + datetime.timedelta(seconds=1)):
        run_worker()

    assert release_mail(smtp_server, release) == []


def test_a_digest_groups_the_days_releases_by_scope(client, smtp_server, publisher, author):
    official = OfficialFactory(full_name="Иван Петров")
    PublishedReleaseFactory().officials.add(official)
    subscribe(client, smtp_server, "d@example.org", frequency="daily")
    subscribe(
        client, smtp_server, "d@example.org", frequency="daily", scope="official", key=official.pk
    )
    with_official = publish(publisher, author, officials=[official])
    other = publish(publisher, author)
    run_worker()
    immediately = len(smtp_server.messages)

    due = (timezone.localtime() + datetime.timedelta(days=1)).replace(hour=8, minute=0)
    with time_machine.travel(due + datetime.timedelta(minutes=1)):
        run_worker()
        run_worker()  # the digest run queues each address's digest

    assert immediately == 2  # the two confirmations
    (digest,) = smtp_server.messages[2:]
    text = text_of(digest)
    assert digest["Subject"] == "Ежедневная подборка публикаций"
    assert text.index("Должностное лицо: Иван Петров") < text.index(with_official.title)
    assert text.index(with_official.title) < text.index("Все публикации")
    assert text.index("Все публикации") < text.index(other.title)
    assert text.count(with_official.title) == 1


# Unsubscribe, the management page, own data --------------------------------------------------


def test_the_unsubscribe_link_asks_then_stops_everything(client, smtp_server, publisher, author):
    subscribe(client, smtp_server, "reader@example.org")
    first = publish(publisher, author)
    run_worker()
    url = link_in(release_mail(smtp_server, first)[0], "/subscribe/unsubscribe/")

    assert client.get(url).status_code == 200
    assert Subscription.objects.count() == 1
    assert client.post(url).status_code == 200
    second = publish(publisher, author)
    run_worker()

    assert Subscription.objects.count() == 0
    assert release_mail(smtp_server, second) == []


def test_an_rfc_8058_one_click_post_unsubscribes_without_a_csrf_token(
    client, smtp_server, publisher, author
):
    subscribe(client, smtp_server, "reader@example.org")
    release = publish(publisher, author)
    run_worker()
    header = release_mail(smtp_server, release)[0]["List-Unsubscribe"].strip("<>")
    path = "/" + header.split("://", 1)[1].split("/", 1)[1]

    mail_program = Client(enforce_csrf_checks=True)
    response = mail_program.post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 200
    assert Subscription.objects.count() == 0


def manage_url(smtp, email: str) -> str:
    return link_in(smtp.to(email)[-1], "/subscribe/manage/")


def test_the_management_page_lists_changes_and_drops_subscriptions(
    client, smtp_server, publisher, author
):
    subscribe(client, smtp_server, "reader@example.org")
    subscribe(client, smtp_server, "reader@example.org", scope="kind", key=Kind.VISIT)
    publish(publisher, author)
    run_worker()
    url = manage_url(smtp_server, "reader@example.org")
    everything, visits = Subscription.objects.order_by("pk")

    page = client.get(url).content.decode()
    assert "Все публикации" in page and "Визит" in page
    client.post(
        url,
        {
            "action": "change",
            "subscription": everything.pk,
            "language": "en",
            "frequency": "weekly",
        },
    )
    client.post(url, {"action": "drop", "subscription": visits.pk})
    client.post(url, {"action": "corrections"})

    everything.refresh_from_db()
    assert (everything.language, everything.frequency) == ("en", "weekly")
    assert list(Subscription.objects.all()) == [everything]
    assert Subscriber.objects.get().corrections is False


def test_the_address_exports_and_deletes_its_data(client, smtp_server, publisher, author):
    subscribe(client, smtp_server, "reader@example.org")
    release = publish(publisher, author)
    run_worker()
    url = manage_url(smtp_server, "reader@example.org")

    exported = json.loads(client.get(url + "export.json").content)
    assert exported["email"] == "reader@example.org"
    assert exported["subscriptions"][0]["scope"] == "everything"
    assert exported["messages"] == [
        {
            "release": release.title,
            "notice": "release",
            "status": "sent",
            "sent_at": exported["messages"][0]["sent_at"],
        }
    ]

    assert client.post(url, {"action": "delete"}).status_code == 200
    assert not Subscriber.objects.exists() and not Delivery.objects.exists()
    assert client.get(url).status_code == 404


def test_a_forged_management_link_opens_nothing(client, smtp_server):
    subscribe(client, smtp_server, "reader@example.org", confirm=False)
    confirm = link_in(smtp_server.messages[0], "/subscribe/confirm/")
    url = client.post(confirm).url

    assert client.get(url).status_code == 200

    assert client.get(url[:-3] + "xx/").status_code == 404


# Corrections and withdrawals -------------------------------------------------------------------


def correct(release: Release, publisher, note: str) -> None:
    editor = UserFactory(username="corrector", roles=["Editor"])
    data = {**snapshot_of(release), "title": release.title + " (уточнено)"}
    release_stage_changes(release=release, user=editor, data=data)
    corrections.release_publish_changes(release=release, user=publisher, note=note)


def test_a_correction_goes_to_those_who_received_the_release(
    client, smtp_server, publisher, author
):
    subscribe(client, smtp_server, "got-it@example.org")
    subscribe(client, smtp_server, "no-notices@example.org")
    release = publish(publisher, author)
    run_worker()
    Subscriber.objects.filter(email="no-notices@example.org").update(corrections=False)
    subscribe(client, smtp_server, "later@example.org")

    correct(release, publisher, "Уточнена дата визита")
    run_worker()

    corrections = [m for m in smtp_server.messages if m["Subject"].startswith("Уточнено")]
    assert [m["To"] for m in corrections] == ["got-it@example.org"]
    text = text_of(corrections[0])
    assert "Уточнено: Уточнена дата визита" in text
    assert f"/news/{release.slug}/changes/" in text


def test_a_withdrawal_goes_to_those_who_received_the_release(
    client, smtp_server, publisher, author
):
    subscribe(client, smtp_server, "reader@example.org")
    subscribe(client, smtp_server, "weekly@example.org", frequency="weekly")
    release = publish(publisher, author)
    run_worker()

    workflow.release_withdraw(release=release, user=publisher, reason="Ошибка в дате")
    run_worker()

    (notice,) = [m for m in smtp_server.messages if m["Subject"].startswith("Отозвано")]
    assert notice["To"] == "reader@example.org"
    assert "Ошибка в дате" in text_of(notice)
    assert Delivery.objects.get(subscriber__email="weekly@example.org").status == "skipped"


# Languages -------------------------------------------------------------------------------------


def test_the_subscriber_reads_the_translation_in_their_language_where_one_exists(
    client, smtp_server, publisher, author
):
    subscribe(client, smtp_server, "en@example.org", language="en")
    subscribe(client, smtp_server, "be@example.org", language="be")
    original = ReleaseFactory(state=State.APPROVED, created_by=author, last_edited_by=author)
    PublishedReleaseFactory(
        title="Talks on cooperation", language=Language.EN, translation_key=original.translation_key
    )
    workflow.release_publish(release=original, user=publisher)
    run_worker()

    (english,) = smtp_server.to("en@example.org")[1:]
    (belarusian,) = smtp_server.to("be@example.org")[1:]
    assert english["Subject"] == "Talks on cooperation"
    assert "Unsubscribe" in text_of(english)
    assert belarusian["Subject"] == original.title  # no Belarusian translation
    assert "Адпісацца" in text_of(belarusian)


def test_a_translation_published_later_is_not_sent_again(client, smtp_server, publisher, author):
    subscribe(client, smtp_server, "en@example.org", language="en")
    original = publish(publisher, author)
    run_worker()
    translation = publish(
        publisher, author, language=Language.EN, translation_key=original.translation_key
    )
    run_worker()

    assert release_mail(smtp_server, translation) == []
    assert len(smtp_server.to("en@example.org")) == 2


# Failures and the queue ----------------------------------------------------------------------


def test_a_temporary_failure_is_tried_again_later_and_sent_once(
    client, smtp_server, publisher, author, settings
):
    subscribe(client, smtp_server, "busy@example.org")
    smtp_server.refuse("busy@example.org", "451 4.3.0 Try again later", times=2)
    release = publish(publisher, author)
    run_worker()
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 1)

    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=61)):
        run_worker()
    assert Delivery.objects.get().attempts == 2
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=61 + 241)):
        run_worker()
        run_worker()

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SENT, 3)
    assert len(release_mail(smtp_server, release)) == 1


def test_three_permanent_failures_mark_the_address_bouncing_and_stop_sending(
    client, smtp_server, publisher, author
):
    subscribe(client, smtp_server, "gone@example.org")
    smtp_server.refuse("gone@example.org", "550 5.1.1 No such user", times=10)
    for _ in range(3):
        publish(publisher, author)
    run_worker()
    subscriber = Subscriber.objects.get()
    assert subscriber.bouncing_at is not None and subscriber.bounces == 3

    publish(publisher, author)
    run_worker()

    assert Delivery.objects.count() == 3
    assert len(smtp_server.replies["gone@example.org"]) == 7  # no fourth attempt
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.FAILED}


def test_a_task_run_again_never_sends_twice(client, smtp_server, publisher, author):
    from news.subscriptions.tasks import notify_release, send_batch

    subscribe(client, smtp_server, "reader@example.org")
    release = publish(publisher, author)
    run_worker()
    pks = list(Delivery.objects.values_list("pk", flat=True))

    notify_release.enqueue(release.pk)
    send_batch.enqueue(pks)
    run_worker()

    assert len(release_mail(smtp_server, release)) == 1


def test_a_refused_publication_queues_nothing(publisher, author):
    from django_tasks_db.models import DBTaskResult

    release = ReleaseFactory(
        state=State.APPROVED,
        created_by=author,
        last_edited_by=author,
        lead_image=ImageFactory(alt=""),
    )

    with pytest.raises(ValidationError):
        workflow.release_publish(release=release, user=publisher)

    assert not DBTaskResult.objects.exists()


def test_publishing_queues_the_mail_in_the_same_transaction(publisher, author):
    from django_tasks_db.models import DBTaskResult

    release = publish(publisher, author)

    (task,) = DBTaskResult.objects.all()
    assert task.task_path == "news.subscriptions.tasks.notify_release"
    assert task.args_kwargs == {"args": [release.pk], "kwargs": {}}


def test_a_confirmation_refused_for_now_is_sent_again_later(client, smtp_server):
    smtp_server.refuse("busy@example.org", "421 4.7.0 Try again later")
    subscribe(client, smtp_server, "busy@example.org", confirm=False)
    assert smtp_server.messages == []

    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=61)):
        run_worker()

    assert len(smtp_server.to("busy@example.org")) == 1
