"""Who gets what: one delivery per address and release, whatever number of its scopes match;
notices of a correction or withdrawal to those who received the release."""

from __future__ import annotations

from collections.abc import Iterator

from news.models import ChangeNote, Release
from news.models.subscriptions import (
    FREQUENCY_ORDER,
    Delivery,
    DeliveryStatus,
    Frequency,
    Notice,
    Subscription,
)
from news.subscriptions.scopes import matching, release_scopes

BATCH = 1000


def chunks(items: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def release_deliveries(release: Release) -> set[str]:
    """Store a pending delivery for each address following a scope of release that has not
    had this story (the release or a translation of it); return the frequencies used."""
    had_story = Delivery.objects.filter(
        notice=Notice.RELEASE, release__translation_key=release.translation_key
    ).values("subscriber_id")
    rows = (
        Subscription.objects.confirmed()
        .filter(matching(release_scopes(release)), subscriber__bouncing_at__isnull=True)
        .exclude(subscriber_id__in=had_story)
        .values_list("subscriber_id", "frequency", "language")
        .iterator(chunk_size=BATCH)
    )
    best: dict[int, tuple[int, str, str]] = {}
    for subscriber_id, frequency, language in rows:
        rank = FREQUENCY_ORDER.index(frequency)
        if subscriber_id not in best or rank < best[subscriber_id][0]:
            best[subscriber_id] = (rank, frequency, language)
    deliveries = [
        Delivery(subscriber_id=pk, release=release, frequency=frequency, language=language)
        for pk, (_rank, frequency, language) in best.items()
    ]
    Delivery.objects.bulk_create(deliveries, batch_size=BATCH, ignore_conflicts=True)
    return {frequency for _rank, frequency, _language in best.values()}


def notice_deliveries(release: Release, notice: Notice, change_note: ChangeNote | None) -> None:
    """Store a pending notice for each address that received release and wants notices."""
    received = Delivery.objects.filter(
        release=release,
        notice=Notice.RELEASE,
        status=DeliveryStatus.SENT,
        subscriber__corrections=True,
        subscriber__bouncing_at__isnull=True,
    ).values_list("subscriber_id", "language")
    Delivery.objects.bulk_create(
        [
            Delivery(
                subscriber_id=subscriber_id,
                release=release,
                notice=notice,
                change_note=change_note,
                frequency=Frequency.IMMEDIATELY,
                language=language,
            )
            for subscriber_id, language in received.iterator(chunk_size=BATCH)
        ],
        batch_size=BATCH,
        ignore_conflicts=True,
    )
    if notice == Notice.WITHDRAWAL:
        # Those still waiting for it in a digest will not get it at all.
        Delivery.objects.filter(
            release=release, notice=Notice.RELEASE, status=DeliveryStatus.PENDING
        ).update(status=DeliveryStatus.SKIPPED)


def pending_now(release: Release, notice: Notice, change_note: ChangeNote | None) -> list[int]:
    """The deliveries of release to send at once (not those waiting for a digest)."""
    return list(
        Delivery.objects.filter(
            release=release,
            notice=notice,
            change_note=change_note,
            status=DeliveryStatus.PENDING,
            frequency=Frequency.IMMEDIATELY,
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
