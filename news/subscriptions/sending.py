"""Sending owed messages once: claim the delivery, send, record; retry a 4xx later, count a
5xx against the address (BOUNCES_TO_STOP in a row and it gets nothing more)."""

from __future__ import annotations

import datetime
import enum
import logging
import smtplib
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from news.models.subscriptions import (
    BOUNCES_TO_STOP,
    Delivery,
    DeliveryStatus,
    Notice,
    Subscriber,
)

logger = logging.getLogger(__name__)


class Outcome(enum.Enum):
    SENT = "sent"
    TEMPORARY = "temporary"
    PERMANENT = "permanent"


def smtp_outcome(error: Exception) -> Outcome:
    """What a failure to send means: the recipient's server refused for good (5xx to the
    recipient or the message), or for now (4xx, a dropped connection, our own server's 5xx)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _text in error.recipients.values()]
        return Outcome.PERMANENT if codes and min(codes) >= 500 else Outcome.TEMPORARY
    if isinstance(error, smtplib.SMTPDataError) and error.smtp_code >= 500:
        return Outcome.PERMANENT
    return Outcome.TEMPORARY


class Mailer:
    """One SMTP connection for a batch, opened again after a failure broke it."""

    def __init__(self) -> None:
        self.connection = None

    def send(self, message: EmailMessage) -> tuple[Outcome, str]:
        try:
            if self.connection is None:
                self.connection = mailers.default
                self.connection.open()  # kept open for the batch, closed by close()
            self.connection.send_messages([message])
        except (smtplib.SMTPException, OSError) as error:
            self.close()
            return smtp_outcome(error), str(error)[:500]
        return Outcome.SENT, ""

    def close(self) -> None:
        if self.connection is not None:
            try:
                self.connection.close()
            except (smtplib.SMTPException, OSError):
                pass
            self.connection = None


def claim(pks: Iterable[int]) -> list[int]:
    """The deliveries among pks this worker now owns, moved PENDING -> SENDING in one
    transaction, so two workers (or a task run twice) never both get one: PostgreSQL locks the
    rows (another worker skips them, then finds them SENDING); SQLite runs one writing
    transaction at a time (settings: transaction_mode IMMEDIATE)."""
    with transaction.atomic():
        owned = list(
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(pk__in=list(pks), status=DeliveryStatus.PENDING)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        Delivery.objects.filter(pk__in=owned, status=DeliveryStatus.PENDING).update(
            status=DeliveryStatus.SENDING, attempts=F("attempts") + 1
        )
    return owned


def retry_delay(attempts: int) -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.NEWS_MAIL_RETRY_SECONDS * 4 ** (attempts - 1))


def record_sent(pks: list[int], subscriber_ids: Iterable[int]) -> None:
    """Deliveries pks went out: sent, and their addresses no longer count as bouncing."""
    Delivery.objects.filter(pk__in=pks).update(
        status=DeliveryStatus.SENT, sent_at=timezone.now(), error=""
    )
    Subscriber.objects.filter(pk__in=set(subscriber_ids), bounces__gt=0).update(bounces=0)


def record(
    pks: list[int], subscriber_id: int, outcome: Outcome, error: str, attempts: int
) -> datetime.datetime | None:
    """Store the outcome of sending deliveries pks; the time to try again after a 4xx, if any."""
    if outcome is Outcome.SENT:
        record_sent(pks, [subscriber_id])
        return None
    deliveries = Delivery.objects.filter(pk__in=pks)
    now = timezone.now()
    if outcome is Outcome.TEMPORARY and attempts < settings.NEWS_MAIL_ATTEMPTS:
        deliveries.update(status=DeliveryStatus.PENDING, error=error)
        return now + retry_delay(attempts)
    deliveries.update(status=DeliveryStatus.FAILED, error=error)
    if outcome is Outcome.PERMANENT:
        Subscriber.objects.filter(pk=subscriber_id).update(bounces=F("bounces") + 1)
        Subscriber.objects.filter(
            pk=subscriber_id, bounces__gte=BOUNCES_TO_STOP, bouncing_at__isnull=True
        ).update(bouncing_at=now)
        logger.warning("Permanent failure to %s: %s", subscriber_id, error)
    return None


def still_wanted(delivery: Delivery) -> bool:
    """Not to a bouncing address, nor a notice to one that turned notices off, nor a release
    no longer public (withdrawn or unscheduled since)."""
    if delivery.subscriber.bouncing_at is not None:
        return False
    if delivery.notice != Notice.RELEASE:
        return delivery.subscriber.corrections
    return delivery.release.is_public


def send_deliveries(
    pks: Iterable[int], build: Callable[[Delivery], EmailMessage]
) -> dict[datetime.datetime, list[int]]:
    """Send each delivery pks names that is still pending, once; the ones to try again, by when.

    The batch is claimed and read in a few queries; the sent are recorded together at the end,
    even when sending stops half-way (the rest stay SENDING: never sent twice)."""
    retries: dict[datetime.datetime, list[int]] = {}
    deliveries = (
        Delivery.objects.filter(pk__in=claim(pks))
        .select_related("subscriber", "release__lead_image", "change_note")
        .order_by("pk")
    )
    sent: list[Delivery] = []
    unwanted: list[int] = []
    mailer = Mailer()
    try:
        for delivery in deliveries:
            if not still_wanted(delivery):
                unwanted.append(delivery.pk)
                continue
            outcome, error = mailer.send(build(delivery))
            if outcome is Outcome.SENT:
                sent.append(delivery)
                continue
            again = record([delivery.pk], delivery.subscriber_id, outcome, error, delivery.attempts)
            if again is not None:
                retries.setdefault(again, []).append(delivery.pk)
    finally:
        mailer.close()
        record_sent([d.pk for d in sent], [d.subscriber_id for d in sent])
        Delivery.objects.filter(pk__in=unwanted).update(status=DeliveryStatus.SKIPPED)
    return retries
