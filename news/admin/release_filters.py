"""The change list of releases and its filters."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from news import desk
from news.admin.translations import with_translation_status
from news.models import Release, State


class ReleaseChangeList(ChangeList):
    """The change list, with each release's translations read in the same query."""

    def get_queryset(self, request: HttpRequest, exclude_parameters: Any = None) -> QuerySet:
        return with_translation_status(super().get_queryset(request, exclude_parameters))


class StateFilter(admin.SimpleListFilter):
    """The workflow state, with scheduled releases apart from live ones."""

    title = _("state")
    parameter_name = "state"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        return [
            (State.DRAFT, State.DRAFT.label),
            (State.SUBMITTED, State.SUBMITTED.label),
            (State.APPROVED, State.APPROVED.label),
            ("scheduled", _("scheduled")),
            (State.PUBLISHED, State.PUBLISHED.label),
            ("post_review", _("awaits review after forced publication")),
            (State.WITHDRAWN, State.WITHDRAWN.label),
            (State.UNPUBLISHED, State.UNPUBLISHED.label),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Release]) -> QuerySet[Release]:
        value = self.value()
        now = timezone.now()
        if value == "scheduled":
            return queryset.filter(state=State.PUBLISHED, published_at__gt=now)
        if value == State.PUBLISHED:
            return queryset.filter(state=State.PUBLISHED, published_at__lte=now)
        if value == "post_review":
            return queryset.filter(needs_post_review=True)
        if value:
            return queryset.filter(state=value)
        return queryset


class BinFilter(admin.SimpleListFilter):
    """Releases in the bin are apart: shown only when asked for."""

    title = _("bin")
    parameter_name = "bin"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        return [("yes", _("In the bin"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Release]) -> QuerySet[Release]:
        if self.value() == "yes":
            return queryset.in_bin()
        return queryset.not_in_bin()

    def choices(self, changelist: Any) -> Any:
        choices = list(super().choices(changelist))
        choices[0]["display"] = _("Not in the bin")
        return choices


class AuthorFilter(admin.SimpleListFilter):
    """Mine or others': a filter that costs no query, unlike a list of every author."""

    title = _("author")
    parameter_name = "author"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        return [("me", _("Mine")), ("others", _("Others'"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Release]) -> QuerySet[Release]:
        if self.value() == "me":
            return queryset.filter(created_by=request.user)
        if self.value() == "others":
            return queryset.exclude(created_by=request.user)
        return queryset


class QueueFilter(admin.SimpleListFilter):
    """A queue of the desk: the list its tile opens, the same releases as its count."""

    title = _("desk queue")
    parameter_name = "queue"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        return [(queue.key, queue.title) for queue in desk.queues_for(request.user)]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Release]) -> QuerySet[Release]:
        if self.value() is None:
            return queryset
        queue = desk.QUEUES.get(self.value())
        if queue is None or not request.user.has_perm(queue.permission):
            return queryset.none()
        return desk.queue_releases(queue, request.user, queryset)
