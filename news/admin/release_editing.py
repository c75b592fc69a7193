"""The editing screen of a release beyond its form: the rendered preview for staff, the topic
suggestions of the topics widget, and the pre-publish checklist beside the workflow buttons."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.cache import add_never_cache_headers

from news.articles import release_page_context
from news.checklist import release_checklist
from news.models import Release, State, Topic
from news.revisions import show_pending_version

SUGGESTIONS = 10
QUERY_MAX_CHARS = 100
# Where the release is still on its way to readers, or a change of it is: what to check first.
CHECKED_STATES = (State.DRAFT, State.SUBMITTED, State.APPROVED)


def matching_topics(query: str, limit: int = SUGGESTIONS) -> list[str]:
    """Existing topics whose name holds query, whatever its case; names starting with it
    first, then the most used. Without a query: the most used."""
    # SQLite folds the case of ASCII letters only: the usual spellings of a Cyrillic word are
    # asked for as well (PostgreSQL folds them all, the extra terms cost it nothing).
    spellings = {query, query.lower(), query.upper(), query.capitalize()}
    contains, starts = Q(), Q()
    for spelling in spellings:
        contains |= Q(name__icontains=spelling)
        starts |= Q(name__istartswith=spelling)
    topics = Topic.objects.annotate(uses=Count("news_taggedrelease_items"))
    if query:
        topics = topics.filter(contains)
    topics = topics.annotate(
        first=Case(When(starts, then=Value(0)), default=Value(1), output_field=IntegerField())
    ).order_by("first", "-uses", "name")
    return list(topics.values_list("name", flat=True)[:limit])


class ReleaseEditingMixin:
    """For the ModelAdmin of releases: the preview, the topic suggestions, the checklist."""

    def get_urls(self) -> list:
        wrap = self.admin_site.admin_view
        return [
            path("topics/", wrap(self.topics_view), name="news_release_topics"),
            path("<path:object_id>/preview/", wrap(self.preview_view), name="news_release_preview"),
            *super().get_urls(),
        ]

    def get_view_on_site_url(self, obj: Release | None = None) -> str | None:
        """ "View on site": the public page, or the preview while readers cannot see it (a 404)."""
        if obj is None or not obj.pk:
            return None
        if obj.is_public:
            return obj.get_absolute_url()
        return reverse("admin:news_release_preview", args=[obj.pk])

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        # The address is typed input: only ASCII digits name a release ("¹" is a digit too).
        is_id = object_id.isascii() and object_id.isdigit()
        release = Release.objects.filter(pk=object_id).first() if is_id else None
        if release is not None:
            extra_context = {**(extra_context or {}), **self._editing_context(release)}
        return super().change_view(request, object_id, form_url, extra_context)

    def _editing_context(self, release: Release) -> dict[str, Any]:
        checked = release.deleted_at is None and (
            release.state in CHECKED_STATES or release.pending_revision_id is not None
        )
        checklist = release_checklist(release) if checked else []
        return {
            "checklist": checklist,
            "checklist_warnings": sum(1 for item in checklist if not item.ok),
            # Open where there is a decision to make; a draft shows it folded, with its count.
            "checklist_open": release.state != State.DRAFT or bool(release.pending_revision_id),
            "preview_url": reverse("admin:news_release_preview", args=[release.pk]),
        }

    def topics_view(self, request: HttpRequest) -> HttpResponse:
        """Topic names for the topics widget: {"topics": [...]}, for ?q= typed so far."""
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET"])
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        query = request.GET.get("q", "").replace("\x00", "").strip()[:QUERY_MAX_CHARS]
        response = JsonResponse({"topics": matching_topics(query)})
        add_never_cache_headers(response)
        return response

    def preview_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """The release as readers will see it: its pending version when it has one."""
        found = self._release_or_404(request, object_id)
        release = Release.objects.for_detail().get(pk=found.pk)
        if release.pending_revision_id:
            show_pending_version(release)
        context = {"release": release, "is_preview": True, **release_page_context(release)}
        response = render(request, "news/release_detail.html", context)
        add_never_cache_headers(response)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response
