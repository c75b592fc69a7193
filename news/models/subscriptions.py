"""E-mail subscribers, what each follows, and every message the queue owes or sent them."""

from __future__ import annotations

import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from news.models.release_choices import Language
from news.models.releases import Release
from news.models.workflow import ChangeNote

CONFIRMATION_DAYS = 7
BOUNCES_TO_STOP = 3


class Scope(models.TextChoices):
    EVERYTHING = "everything", _("everything")
    TOPIC = "topic", _("topic")
    OFFICIAL = "official", _("official")
    ORGANISATION = "organisation", _("organisation")
    COUNTRY = "country", _("country")
    DELEGATION = "delegation", _("visit")
    KIND = "kind", _("kind")


class Frequency(models.TextChoices):
    IMMEDIATELY = "immediately", _("immediately")
    DAILY = "daily", _("daily digest")
    WEEKLY = "weekly", _("weekly digest")


# The fastest wins when several subscriptions of one address match a release.
FREQUENCY_ORDER = [Frequency.IMMEDIATELY, Frequency.DAILY, Frequency.WEEKLY]


class SubscriberQuerySet(models.QuerySet):
    def receiving(self) -> SubscriberQuerySet:
        """Addresses the queue may still write to: not bouncing."""
        return self.filter(bouncing_at__isnull=True)


class Subscriber(models.Model):
    """One e-mail address; it has no account and no password, only signed links."""

    email = models.EmailField(_("e-mail"), max_length=254, unique=True)
    corrections = models.BooleanField(
        _("corrections and withdrawals"),
        default=True,
        help_text=_("Send a notice when a release I received is corrected or withdrawn."),
    )
    bounces = models.PositiveSmallIntegerField(_("permanent failures in a row"), default=0)
    bouncing_at = models.DateTimeField(_("bouncing since"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")

    def __str__(self) -> str:
        return self.email


class SubscriptionQuerySet(models.QuerySet):
    def confirmed(self) -> SubscriptionQuerySet:
        return self.filter(confirmed_at__isnull=False)

    def expired(self) -> SubscriptionQuerySet:
        """Requests nobody confirmed within CONFIRMATION_DAYS."""
        since = timezone.now() - datetime.timedelta(days=CONFIRMATION_DAYS)
        return self.filter(confirmed_at__isnull=True, created_at__lt=since)


class Subscription(models.Model):
    """What one address follows (a scope, or everything), in which language, how often.

    A request stays unconfirmed (confirmed_at empty) until the link mailed to the address is
    followed; nothing but that message is sent before.
    """

    subscriber = models.ForeignKey(
        Subscriber,
        verbose_name=_("subscriber"),
        on_delete=models.CASCADE,
        related_name="subscriptions",
    )
    scope = models.CharField(_("scope"), max_length=20, choices=Scope)
    key = models.CharField(_("scope key"), max_length=40, blank=True)
    language = models.CharField(_("language"), max_length=2, choices=Language)
    frequency = models.CharField(_("frequency"), max_length=20, choices=Frequency)
    created_at = models.DateTimeField(_("requested"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "scope", "key"],
                condition=models.Q(confirmed_at__isnull=False),
                name="subscription_unique_confirmed_scope",
            ),
        ]
        indexes = [models.Index(fields=["scope", "key"], name="subscription_scope_key_idx")]

    def __str__(self) -> str:
        return f"{self.subscriber_id}: {self.scope} {self.key}".strip()


class Notice(models.TextChoices):
    RELEASE = "release", _("release")
    CORRECTION = "correction", _("correction")
    WITHDRAWAL = "withdrawal", _("withdrawal")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    SENDING = "sending", _("sending")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")
    SKIPPED = "skipped", _("skipped")


class Delivery(models.Model):
    """One message owed to one address about one release: the record that makes sending
    idempotent (a worker claims it PENDING -> SENDING before it sends, so nobody sends twice)."""

    subscriber = models.ForeignKey(
        Subscriber, verbose_name=_("subscriber"), on_delete=models.CASCADE, related_name="+"
    )
    release = models.ForeignKey(
        Release, verbose_name=_("release"), on_delete=models.CASCADE, related_name="+"
    )
    notice = models.CharField(_("notice"), max_length=20, choices=Notice, default=Notice.RELEASE)
    change_note = models.ForeignKey(
        ChangeNote, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    frequency = models.CharField(_("frequency"), max_length=20, choices=Frequency)
    language = models.CharField(_("language"), max_length=2, choices=Language)
    status = models.CharField(
        _("status"), max_length=20, choices=DeliveryStatus, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.CharField(_("last error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "release", "notice"],
                condition=models.Q(change_note__isnull=True),
                name="delivery_once_per_release_notice",
            ),
            models.UniqueConstraint(
                fields=["subscriber", "change_note"],
                condition=models.Q(change_note__isnull=False),
                name="delivery_once_per_change_note",
            ),
        ]
        indexes = [
            models.Index(fields=["release", "notice", "status"], name="delivery_release_idx"),
            models.Index(fields=["status", "frequency"], name="delivery_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.notice} {self.release_id} -> {self.subscriber_id}: {self.status}"


class DigestRun(models.Model):
    """One digest of a frequency due at a time: made once, whatever number of tasks ask."""

    frequency = models.CharField(_("frequency"), max_length=20, choices=Frequency)
    due_at = models.DateTimeField(_("due"))
    done_at = models.DateTimeField(_("done"), null=True, blank=True)

    class Meta:
        verbose_name = _("digest run")
        verbose_name_plural = _("digest runs")
        constraints = [
            models.UniqueConstraint(fields=["frequency", "due_at"], name="digest_run_unique_due"),
        ]

    def __str__(self) -> str:
        return f"{self.frequency} {self.due_at:%Y-%m-%d %H:%M}"
