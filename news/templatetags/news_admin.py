"""The editors' desk on the admin's first page: what waits for whom."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from news.models import Release, ReleaseQuerySet, State

register = template.Library()

QUEUE_LENGTH = 8


@dataclass
class Queue:
    key: str
    title: Any
    releases: list[Release]
    count: int
    url: str


def _queue(key: str, title: Any, queryset: ReleaseQuerySet, query: str = "") -> Queue:
    url = reverse("admin:news_release_changelist") + (f"?{query}" if query else "")
    return Queue(key, title, list(queryset[:QUEUE_LENGTH]), queryset.count(), url)


def desk_queues(user: Any) -> list[Queue]:
    """The queues this person works from, by their role."""
    releases = Release.objects.not_in_bin().defer("body").select_related("created_by")
    queues = []
    if user.has_perm("news.add_release"):
        mine = releases.filter(state=State.DRAFT, created_by=user).order_by("-updated_at")
        queues.append(_queue("my-drafts", _("My drafts"), mine, "state=draft&author=me"))
    if user.has_perm("news.review_release"):
        waiting = (
            releases.filter(state=State.SUBMITTED)
            .exclude(last_edited_by=user)
            .order_by("updated_at")
        )
        queues.append(_queue("review", _("Waiting for my review"), waiting, "state=submitted"))
        forced = releases.filter(needs_post_review=True).order_by("published_at")
        queues.append(
            _queue("post-review", _("Published without review"), forced, "state=post_review")
        )
    if user.has_perm("news.publish_release"):
        approved = releases.filter(state=State.APPROVED).order_by("updated_at")
        queues.append(_queue("approved", _("Approved, to publish"), approved, "state=approved"))
        pending = releases.filter(pending_revision__isnull=False).order_by("updated_at")
        queues.append(_queue("pending", _("Unpublished changes to live releases"), pending))
    scheduled = releases.scheduled().order_by("published_at")
    queues.append(_queue("scheduled", _("Scheduled"), scheduled, "state=scheduled"))
    week_ago = timezone.now() - datetime.timedelta(days=7)
    recent = releases.published().filter(published_at__gte=week_ago).order_by("-published_at")
    queues.append(_queue("published", _("Published this week"), recent, "state=published"))
    withdrawn = releases.filter(state=State.WITHDRAWN).order_by("-withdrawn_at")
    queues.append(_queue("withdrawn", _("Withdrawn"), withdrawn, "state=withdrawn"))
    return queues


@register.inclusion_tag("admin/news/desk.html", takes_context=True)
def editors_desk(context: template.Context) -> dict[str, Any]:
    user = context["request"].user
    if not user.has_perm("news.view_release"):
        return {"queues": []}
    return {"queues": desk_queues(user)}
