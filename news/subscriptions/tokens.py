"""Signed links instead of passwords: confirm a request, manage an address, unsubscribe."""

from __future__ import annotations

import datetime

from django.core import signing

from news.models.subscriptions import CONFIRMATION_DAYS, Subscriber, Subscription

CONFIRM = "news.subscriptions.confirm"
MANAGE = "news.subscriptions.manage"
UNSUBSCRIBE = "news.subscriptions.unsubscribe"


def confirm_token(subscription: Subscription) -> str:
    return signing.dumps(subscription.pk, salt=CONFIRM, compress=True)


def subscriber_token(subscriber: Subscriber, salt: str = MANAGE) -> str:
    """Bound to the address as well as the row: a deleted and re-created one needs a new link."""
    return signing.dumps([subscriber.pk, subscriber.email], salt=salt, compress=True)


def confirmed_request(token: str) -> Subscription | None:
    """The request a confirmation link names, unless it is forged or over CONFIRMATION_DAYS old."""
    try:
        pk = signing.loads(token, salt=CONFIRM, max_age=datetime.timedelta(days=CONFIRMATION_DAYS))
    except signing.BadSignature:
        return None
    if not isinstance(pk, int):
        return None
    return Subscription.objects.select_related("subscriber").filter(pk=pk).first()


def token_subscriber(token: str, salt: str = MANAGE) -> Subscriber | None:
    """The address a management or unsubscribe link names, or None (forged, or deleted)."""
    try:
        value = signing.loads(token, salt=salt)
    except signing.BadSignature:
        return None
    if not (isinstance(value, list) and len(value) == 2 and isinstance(value[0], int)):
        return None
    return Subscriber.objects.filter(pk=value[0], email=value[1]).first()
