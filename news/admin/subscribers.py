"""What editors see of the subscribers: counts per scope, the queue's state, a release's
delivery progress. Never the addresses themselves."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult

from news.models import Delivery, Release, Subscriber, Subscription
from news.models.subscriptions import DeliveryStatus, Notice, Scope
from news.subscriptions.scopes import scope_label

SCOPES_SHOWN = 200


def delivery_progress(release: Release) -> dict[str, int] | None:
    """How the e-mail of a release goes: sent of all, waiting, failed; None before any."""
    counts = Delivery.objects.filter(release=release, notice=Notice.RELEASE).aggregate(
        total=Count("pk"),
        sent=Count("pk", filter=Q(status=DeliveryStatus.SENT)),
        failed=Count("pk", filter=Q(status=DeliveryStatus.FAILED)),
        waiting=Count("pk", filter=Q(status__in=[DeliveryStatus.PENDING, DeliveryStatus.SENDING])),
    )
    return counts if counts["total"] else None


def scope_counts() -> list[dict[str, Any]]:
    """Confirmed subscriptions per scope and key, the most followed first."""
    rows = (
        Subscription.objects.confirmed()
        .values("scope", "key")
        .annotate(count=Count("pk"))
        .order_by("-count", "scope", "key")[:SCOPES_SHOWN]
    )
    return [
        {**row, "label": scope_label(row["scope"], row["key"]), "kind": Scope(row["scope"]).label}
        for row in rows
    ]


def queue_state() -> dict[str, int]:
    deliveries = Delivery.objects.aggregate(
        pending=Count("pk", filter=Q(status__in=[DeliveryStatus.PENDING, DeliveryStatus.SENDING])),
        sent=Count("pk", filter=Q(status=DeliveryStatus.SENT)),
        failed=Count("pk", filter=Q(status=DeliveryStatus.FAILED)),
    )
    tasks = DBTaskResult.objects.aggregate(
        tasks_waiting=Count("pk", filter=Q(status="READY")),
        tasks_failed=Count("pk", filter=Q(status="FAILED")),
    )
    return {
        **deliveries,
        **tasks,
        "bouncing": Subscriber.objects.filter(bouncing_at__isnull=False).count(),
        "subscribers": Subscriber.objects.count(),
    }


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    """One page of figures in place of the list: editors see no address."""

    change_list_template = "admin/news/subscriber/overview.html"
    list_display = ["created_at"]

    def get_urls(self) -> list:
        view = self.admin_site.admin_view(self.changelist_view)
        info = self.opts.app_label, self.opts.model_name
        return [path("", view, name="{}_{}_changelist".format(*info))]

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        # Django's change list (its permission check and parameters), but a template of figures.
        figures = {
            "title": _("Subscribers and the queue"),
            "scopes": scope_counts(),
            "queue": queue_state(),
        }
        return super().changelist_view(request, {**(extra_context or {}), **figures})

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
