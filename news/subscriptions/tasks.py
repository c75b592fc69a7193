"""The queue's tasks for subscribers (django.tasks; run by `manage.py db_worker`).

The services enqueue inside their transaction: with the database backend the task is stored
with the change it follows, or not at all. Every task may run twice or on two workers at once
without sending anything twice: the Delivery rows it works from are claimed before sending
(news/subscriptions/sending.py).
Arguments are plain ids (JSON); a task whose work is gone (a deleted release) does nothing.

- release_published(release) -> notify_release: at the release's minute (run_after), store
  the deliveries and queue send_batch for the immediate ones; digests wait for their run.
- release_corrected(note) / release_withdrawn(release) -> notify_notice: the same for notices.
- send_batch(ids): send, record, queue a retry with back-off for a 4xx.
- schedule_digest(frequency) -> send_digest_run (once per due time, DigestRun) -> send_digest.
- send_confirmation(subscription): the double opt-in message.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.tasks import task
from django.utils import timezone

from news.models import ChangeNote, Release
from news.models.subscriptions import (
    DeliveryStatus,
    DigestRun,
    Frequency,
    Notice,
    Subscription,
)
from news.subscriptions import digests, fanout
from news.subscriptions.messages import DeliveryMessages, confirmation_message
from news.subscriptions.scopes import scope_label
from news.subscriptions.sending import Mailer, Outcome, retry_delay, send_deliveries

SEND_BATCH = 100


# Called by the services, inside their transaction ---------------------------------------------


def release_published(release: Release) -> None:
    """Queue the e-mail of a release published now or at a later minute (run_after)."""
    at = release.published_at if release.published_at > timezone.now() else None
    notify_release.using(run_after=at).enqueue(release.pk)


def release_corrected(change_note: ChangeNote) -> None:
    notify_notice.enqueue(change_note.release_id, Notice.CORRECTION, change_note.pk)


def release_withdrawn(release: Release) -> None:
    notify_notice.enqueue(release.pk, Notice.WITHDRAWAL, None)


def schedule_digest(frequency: str) -> None:
    """Make sure the next digest of frequency is queued: one DigestRun per due time."""
    due_at = digests.next_due(frequency)
    try:
        with transaction.atomic():
            run, created = DigestRun.objects.get_or_create(frequency=frequency, due_at=due_at)
    except IntegrityError:  # another process made it at the same moment
        return
    if created:
        send_digest_run.using(run_after=due_at).enqueue(run.pk)


# The tasks ----------------------------------------------------------------------------------


def _queue_sending(pks: list[int]) -> int:
    for chunk in fanout.chunks(pks, SEND_BATCH):
        send_batch.enqueue(chunk)
    return len(pks)


@task()
def notify_release(release_id: int) -> int:
    """Deliveries of a release now public; how many go out at once."""
    release = Release.objects.filter(pk=release_id).first()
    if release is None or not release.is_public:
        return 0  # unscheduled or moved meanwhile: its new publication queued its own task
    for frequency in fanout.release_deliveries(release) - {Frequency.IMMEDIATELY}:
        schedule_digest(frequency)
    return _queue_sending(fanout.pending_now(release, Notice.RELEASE, None))


@task()
def notify_notice(release_id: int, notice: str, change_note_id: int | None) -> int:
    release = Release.objects.filter(pk=release_id).first()
    note = ChangeNote.objects.filter(pk=change_note_id).first() if change_note_id else None
    if release is None or (change_note_id and note is None):
        return 0
    fanout.notice_deliveries(release, Notice(notice), note)
    return _queue_sending(fanout.pending_now(release, Notice(notice), note))


@task()
def send_batch(delivery_ids: list[int]) -> None:
    retries = send_deliveries(delivery_ids, DeliveryMessages())
    for when, pks in retries.items():
        send_batch.using(run_after=when).enqueue(pks)


@task()
def send_digest_run(run_id: int) -> int:
    """Queue each address's digest due at this run; queue the next run. Also let requests
    nobody confirmed expire."""
    run = DigestRun.objects.filter(pk=run_id, done_at__isnull=True).first()
    if run is None:
        return 0
    schedule_digest(run.frequency)
    Subscription.objects.expired().delete()
    waiting = digests.waiting(run.frequency, run.due_at)
    subscribers = list(waiting.order_by("subscriber_id").values_list("subscriber_id", flat=True))
    subscribers = list(dict.fromkeys(subscribers))
    for chunk in fanout.chunks(subscribers, SEND_BATCH):
        send_digest.enqueue(chunk, run.frequency, run.due_at.isoformat())
    DigestRun.objects.filter(pk=run.pk).update(done_at=timezone.now())
    return len(subscribers)


@task()
def send_digest(subscriber_ids: list[int], frequency: str, due_at: str) -> None:
    due = datetime.datetime.fromisoformat(due_at)
    retries = digests.send_digests(subscriber_ids, frequency, due)
    for when, pks in retries.items():
        send_digest.using(run_after=when).enqueue(pks, frequency, due_at)


@task()
def send_confirmation(subscription_id: int, attempt: int = 1) -> str:
    """The message with the confirmation link, once (a retried task finds it sent)."""
    claimed = Subscription.objects.filter(
        pk=subscription_id, confirmation_sent_at__isnull=True, confirmed_at__isnull=True
    ).update(confirmation_sent_at=timezone.now())
    if not claimed:
        return DeliveryStatus.SKIPPED
    subscription = Subscription.objects.select_related("subscriber").get(pk=subscription_id)
    if subscription.subscriber.bouncing_at is not None:
        return DeliveryStatus.SKIPPED
    mailer = Mailer()
    label = scope_label(subscription.scope, subscription.key)
    outcome, _error = mailer.send(confirmation_message(subscription, label))
    mailer.close()
    if outcome is Outcome.TEMPORARY and attempt < settings.NEWS_MAIL_ATTEMPTS:
        Subscription.objects.filter(pk=subscription_id).update(confirmation_sent_at=None)
        later = timezone.now() + retry_delay(attempt)
        send_confirmation.using(run_after=later).enqueue(subscription_id, attempt + 1)
    return outcome.value
