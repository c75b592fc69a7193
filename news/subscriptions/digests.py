"""Daily and weekly digests: due at 08:00 Minsk time (weekly on Mondays), one message per
address with the releases it awaits, grouped under the scope that brought each."""

from __future__ import annotations

import datetime

from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone

from news.models import Release
from news.models.subscriptions import (
    Delivery,
    DeliveryStatus,
    Frequency,
    Notice,
    Scope,
    Subscriber,
)
from news.subscriptions.messages import digest_message
from news.subscriptions.scopes import release_scopes, scope_label
from news.subscriptions.sending import Mailer, claim, record

DIGEST_HOUR = 8


def next_due(frequency: str, now: datetime.datetime | None = None) -> datetime.datetime:
    """The next 08:00 in the site's zone (Europe/Minsk) after now; a Monday's for weekly."""
    local = timezone.localtime(now or timezone.now())
    due = local.replace(hour=DIGEST_HOUR, minute=0, second=0, microsecond=0)
    if due <= local:
        due += datetime.timedelta(days=1)
    while frequency == Frequency.WEEKLY and due.weekday() != 0:
        due += datetime.timedelta(days=1)
    return due


def waiting(frequency: str, due_at: datetime.datetime):
    return Delivery.objects.filter(
        notice=Notice.RELEASE,
        frequency=frequency,
        status=DeliveryStatus.PENDING,
        created_at__lte=due_at,
    )


def digest_groups(subscriber: Subscriber, releases: list[Release]) -> list[tuple[str, list]]:
    """releases under the subscriber's scopes, each once: the first scope that names it, the
    most specific first (everything last)."""
    subscriptions = (
        subscriber.subscriptions.confirmed()
        .annotate(
            general=Case(
                When(scope=Scope.EVERYTHING, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        .order_by("general", "created_at", "pk")
    )
    groups: dict[tuple[str, str], list[Release]] = {}
    order = [(s.scope, s.key) for s in subscriptions]
    for release in releases:
        scopes = set(release_scopes(release))
        first = next((scope for scope in order if scope in scopes), None)
        if first is not None:
            groups.setdefault(first, []).append(release)
    return [(scope_label(*scope), groups[scope]) for scope in order if scope in groups]


def send_digests(subscriber_ids: list[int], frequency: str, due_at: datetime.datetime) -> dict:
    """Send each address its digest due then, once; the addresses to try again, by when."""
    retries: dict[datetime.datetime, list[int]] = {}
    mailer = Mailer()
    try:
        for subscriber in Subscriber.objects.receiving().filter(pk__in=subscriber_ids):
            pks = waiting(frequency, due_at).filter(subscriber=subscriber)
            owned = claim(pks.order_by("pk").values_list("pk", flat=True))
            if not owned:
                continue
            deliveries = list(
                Delivery.objects.filter(pk__in=owned)
                .select_related("release__lead_image")
                .order_by("release__published_at", "pk")
            )
            public = [d for d in deliveries if d.release.is_public]
            groups = digest_groups(subscriber, [d.release for d in public])
            sent = [d.pk for d in public] if groups else []
            Delivery.objects.filter(pk__in=set(owned) - set(sent)).update(
                status=DeliveryStatus.SKIPPED
            )
            if not sent:
                continue
            message = digest_message(
                subscriber, public[0].language, groups, frequency == Frequency.WEEKLY
            )
            outcome, error = mailer.send(message)
            attempts = max(d.attempts for d in public)
            again = record(sent, subscriber.pk, outcome, error, attempts)
            if again is not None:
                retries.setdefault(again, []).append(subscriber.pk)
    finally:
        mailer.close()
    return retries
