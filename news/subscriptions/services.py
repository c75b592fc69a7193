"""What a reader does with subscriptions: request, confirm, change, drop, export, delete."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from news.models import ApiRateWindow
from news.models.subscriptions import (
    Delivery,
    DeliveryStatus,
    Frequency,
    Subscriber,
    Subscription,
)
from news.subscriptions import tasks
from news.subscriptions.scopes import scope_label


def request_allowed(*, client: str, email: str) -> bool:
    """Within the limits: requests per client address a minute (counted in the database, so
    across workers) and per e-mail address a day (its requests are the count)."""
    now = timezone.now()
    window = now.replace(second=0, microsecond=0)
    per_client, per_email = settings.NEWS_SUBSCRIBE_RATE
    if ApiRateWindow.objects.hit(ident=f"subscribe:{client}"[:100], window_start=window) > (
        per_client
    ):
        return False
    day_ago = now - datetime.timedelta(days=1)
    recent = Subscription.objects.filter(
        subscriber__email=email.lower(), created_at__gte=day_ago
    ).count()
    return recent < per_email


def subscription_request(
    *, email: str, scope: str, key: str, language: str, frequency: str
) -> Subscription:
    """Store an unconfirmed request and queue the message with its confirmation link."""
    with transaction.atomic():
        subscriber, _created = Subscriber.objects.get_or_create(email=email.lower())
        Subscription.objects.expired().filter(subscriber=subscriber).delete()
        subscription = Subscription.objects.create(
            subscriber=subscriber, scope=scope, key=key, language=language, frequency=frequency
        )
        tasks.send_confirmation.enqueue(subscription.pk)
    return subscription


def subscription_confirm(*, subscription: Subscription) -> Subscription:
    """Confirm a request; one already confirmed for the same scope takes its settings instead."""
    with transaction.atomic():
        existing = (
            Subscription.objects.confirmed()
            .select_for_update()
            .filter(subscriber=subscription.subscriber, scope=subscription.scope)
            .filter(key=subscription.key)
            .exclude(pk=subscription.pk)
            .first()
        )
        if existing is not None:
            existing.language = subscription.language
            existing.frequency = subscription.frequency
            existing.save(update_fields=["language", "frequency"])
            subscription.delete()
            subscription = existing
        elif subscription.confirmed_at is None:
            subscription.confirmed_at = timezone.now()
            subscription.save(update_fields=["confirmed_at"])
        if subscription.frequency != Frequency.IMMEDIATELY:
            tasks.schedule_digest(subscription.frequency)
    return subscription


def subscription_change(*, subscription: Subscription, language: str, frequency: str) -> None:
    subscription.language = language
    subscription.frequency = frequency
    subscription.save(update_fields=["language", "frequency"])
    if frequency != Frequency.IMMEDIATELY:
        tasks.schedule_digest(frequency)


def subscriber_unsubscribe(*, subscriber: Subscriber) -> int:
    """Drop every subscription of the address and what it still awaits; return how many."""
    with transaction.atomic():
        Delivery.objects.filter(subscriber=subscriber, status=DeliveryStatus.PENDING).update(
            status=DeliveryStatus.SKIPPED
        )
        count, _ = subscriber.subscriptions.all().delete()
    return count


def subscriber_export(*, subscriber: Subscriber) -> dict[str, Any]:
    """Everything stored about the address, as JSON for its owner."""
    subscriptions = subscriber.subscriptions.order_by("created_at", "pk")
    deliveries = Delivery.objects.filter(subscriber=subscriber).select_related("release")
    return {
        "email": subscriber.email,
        "created_at": subscriber.created_at.isoformat(),
        "corrections": subscriber.corrections,
        "bouncing_since": subscriber.bouncing_at.isoformat() if subscriber.bouncing_at else None,
        "subscriptions": [
            {
                "scope": s.scope,
                "key": s.key,
                "name": scope_label(s.scope, s.key),
                "language": s.language,
                "frequency": s.frequency,
                "requested_at": s.created_at.isoformat(),
                "confirmed_at": s.confirmed_at.isoformat() if s.confirmed_at else None,
            }
            for s in subscriptions
        ],
        "messages": [
            {
                "release": d.release.title,
                "notice": d.notice,
                "status": d.status,
                "sent_at": d.sent_at.isoformat() if d.sent_at else None,
            }
            for d in deliveries.order_by("created_at", "pk")
        ],
    }


def subscriber_delete(*, subscriber: Subscriber) -> None:
    """Forget the address: its subscriptions and the record of every message sent to it."""
    subscriber.delete()
