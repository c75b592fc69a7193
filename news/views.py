"""The readers' pages: listings start from Release.objects.published(), a release page also
shows withdrawn ones (marked so), and entity pages, search, kinds and the date archive.

What machines read of a page is in news.seo; previews, the low-vision switch and attachments
have their own modules.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Count, DateField, Exists, OuterRef
from django.db.models.functions import Trunc
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView
from django.views.generic.detail import SingleObjectMixin

from news import revisions, search
from news.articles import release_page
from news.models import (
    Appointment,
    ChangeNote,
    Country,
    Delegation,
    Kind,
    Official,
    Organisation,
    Release,
    ReleaseQuerySet,
    State,
)
from news.models.topics import Topic
from news.paging import KeysetPaginationMixin, NumberedPaginationMixin, WindowCountPaginator
from news.programmes import programme_days


class PublishedReleaseMixin:
    """Readers see releases only through published(): not drafts, scheduled or withdrawn ones."""

    def get_queryset(self) -> ReleaseQuerySet:
        return Release.objects.published()


def for_reader(releases: ReleaseQuerySet) -> ReleaseQuerySet:
    """The listing's releases in the reader's language, or the marked Russian ones."""
    return releases.for_reader(translation.get_language())


class ReleaseListView(PublishedReleaseMixin, KeysetPaginationMixin, ListView):
    template_name = "news/release_list.html"

    def get_queryset(self) -> ReleaseQuerySet:
        return for_reader(super().get_queryset()).for_summaries()

    def get_paginate_by(self, queryset: ReleaseQuerySet) -> int:
        return settings.NEWS_PAGE_SIZE


class ReleaseDetailView(DetailView):
    """A published release; a withdrawn one keeps its page with the explanation.

    An unpublished release is gone: 410, or a permanent redirect to the release replacing it.
    """

    template_name = "news/release_detail.html"
    context_object_name = "release"

    def get_queryset(self) -> ReleaseQuerySet:
        return Release.objects.on_record().for_page()

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            self.object = self.get_object()
        except Http404:
            gone = (
                Release.objects.not_in_bin()
                .filter(slug=kwargs["slug"], state=State.UNPUBLISHED)
                .select_related("replaced_by")
                .first()
            )
            if gone is None:
                raise
            if gone.replaced_by and gone.replaced_by.is_public:
                return HttpResponsePermanentRedirect(gone.replaced_by.get_absolute_url())
            return render(request, "news/release_gone.html", {"release": gone}, status=410)
        return release_page(request, self.object, self.render_page)

    def render_page(self, page: dict[str, Any]) -> HttpResponse:
        return self.render_to_response(self.get_context_data(**page))


def release_change(request: HttpRequest, slug: str, note: int) -> HttpResponse:
    """What one public correction changed in the release, word by word."""
    change = get_object_or_404(
        ChangeNote.objects.select_related("release", "before", "after").filter(
            release__in=Release.objects.on_record()
        ),
        release__slug=slug,
        pk=note,
    )
    changes = revisions.public_changes(change.before.data, change.after.data)
    return render(
        request,
        "news/release_change.html",
        {"release": change.release, "change": change, "changes": changes},
    )


class EntityReleasesView(PublishedReleaseMixin, SingleObjectMixin, KeysetPaginationMixin, ListView):
    """A page about one thing, with the published releases that mention it, paginated.

    self.object is the thing (found with get_entity_queryset()); the list is of releases.
    """

    release_lookup: str

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object(queryset=self.get_entity_queryset())
        return super().get(request, *args, **kwargs)

    def get_entity_queryset(self) -> models.QuerySet:
        raise NotImplementedError

    def get_queryset(self) -> ReleaseQuerySet:
        releases = super().get_queryset().filter(**{self.release_lookup: self.object})
        return for_reader(releases).for_summaries()

    def get_paginate_by(self, queryset: ReleaseQuerySet) -> int:
        return settings.NEWS_PAGE_SIZE


def points_to_public(model: type[models.Model], field: str) -> Exists:
    """Whether field (a foreign key to model) leads to a public page: to link it or only name it."""
    return Exists(model.objects.public().filter(pk=OuterRef(field)))


class OfficialDetailView(EntityReleasesView):
    template_name = "news/official_detail.html"
    context_object_name = "official"
    release_lookup = "officials"

    def get_entity_queryset(self) -> models.QuerySet[Official]:
        appointments = Appointment.objects.select_related("organisation").annotate(
            organisation_is_public=points_to_public(Organisation, "organisation")
        )
        return (
            Official.objects.public()
            .select_related("photo")
            .prefetch_related(models.Prefetch("appointments", appointments))
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        official: Official = self.object
        history = sorted(
            official.appointments.all(),
            key=lambda appointment: (appointment.start is not None, appointment.start),
            reverse=True,
        )
        return super().get_context_data(
            current_appointment=official.current_appointment, appointments=history, **kwargs
        )


class OrganisationDetailView(EntityReleasesView):
    template_name = "news/organisation_detail.html"
    context_object_name = "organisation"
    release_lookup = "organisations"

    def get_entity_queryset(self) -> models.QuerySet[Organisation]:
        # Its country is public with it (Country.objects.public()); its parent may not be.
        return (
            Organisation.objects.public()
            .select_related("country", "parent")
            .annotate(parent_is_public=points_to_public(Organisation, "parent"))
        )


class CountryDetailView(EntityReleasesView):
    template_name = "news/country_detail.html"
    context_object_name = "country"
    release_lookup = "countries"

    def get_entity_queryset(self) -> models.QuerySet[Country]:
        return Country.objects.public()

    def get_object(self, queryset: models.QuerySet | None = None) -> Country:
        queryset = self.get_entity_queryset() if queryset is None else queryset
        # Codes are stored upper-case; the URL has them lower-case, readers may type either.
        return get_object_or_404(queryset, code=self.kwargs["code"].upper())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        delegations = self.object.delegations.public()
        return super().get_context_data(delegations=delegations, **kwargs)


class DelegationDetailView(EntityReleasesView):
    """A visit; its page appears with its first published release, so plans stay private.

    Its country, organisations and people are public with it (see each model's public()).
    """

    template_name = "news/delegation_detail.html"
    context_object_name = "delegation"
    release_lookup = "delegations"

    def get_entity_queryset(self) -> models.QuerySet[Delegation]:
        appointments = Appointment.objects.select_related("organisation")
        return (
            Delegation.objects.public()
            .select_related("country", "organisation", "head", "host")
            .prefetch_related(
                models.Prefetch("head__appointments", appointments),
                models.Prefetch("members", Official.objects.order_by("full_name")),
                models.Prefetch("members__appointments", appointments),
            )
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        delegation: Delegation = self.object
        head = delegation.head
        members = [
            (member, member.appointment_on(delegation.start))
            for member in delegation.members.all()
            if member != head
        ]
        return super().get_context_data(
            head_appointment=head.appointment_on(delegation.start) if head else None,
            members=members,
            programme=programme_days(delegation),
            **kwargs,
        )


class TagDetailView(EntityReleasesView):
    """A topic; only topics of published releases have a page, so drafts' tags stay private."""

    template_name = "news/tag_detail.html"
    context_object_name = "tag"
    release_lookup = "tags"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            moved = self.get_entity_queryset().formerly_at(kwargs["slug"])
            if moved is None:
                raise
            return HttpResponsePermanentRedirect(moved.get_absolute_url())

    def get_entity_queryset(self) -> models.QuerySet[Topic]:
        return Topic.objects.public().select_related("translation")


class SearchView(NumberedPaginationMixin, ListView):
    """Search published releases by words (any Russian form) and filters; never an error page.

    Whatever the reader sends, the page answers 200: bad filters are ignored and named.
    """

    template_name = "news/search.html"
    context_object_name = "results"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.form = search.SearchForm(request.GET or None)
        self.form.is_valid()
        data = getattr(self.form, "cleaned_data", {})
        self.query = data.get("q", "")
        self.filters = search.Filters(
            kind=data.get("kind", ""),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            tag=data.get("tag", ""),
        )
        self.searched = bool(search.query_words(self.query)) or self.form.has_filters
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> ReleaseQuerySet:
        if not self.searched:
            return Release.objects.none()
        return for_reader(search.search_releases(self.query, self.filters))

    def get_paginator(self, queryset: ReleaseQuerySet, per_page: int, **kwargs: Any) -> Paginator:
        return WindowCountPaginator(queryset, per_page, **kwargs)

    def get_paginate_by(self, queryset: ReleaseQuerySet) -> int:
        return settings.NEWS_PAGE_SIZE

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        results = list(context["object_list"])
        search.add_snippets(results, self.query)
        suggestions = []
        if self.searched and not results:
            suggestions = search.similar_topics(self.query)
        return {
            **context,
            "results": results,
            "form": self.form,
            "query": self.query,
            "searched": self.searched,
            "has_filters": self.form.has_filters,
            "suggested_topics": suggestions,
        }


class KindReleasesView(PublishedReleaseMixin, KeysetPaginationMixin, ListView):
    """The published releases of one kind: all visits, all statements..."""

    template_name = "news/kind_list.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if kwargs["kind"] not in Kind.values:
            raise Http404(_("No such kind of release."))
        self.kind = Kind(kwargs["kind"])
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> ReleaseQuerySet:
        return for_reader(super().get_queryset().filter(kind=self.kind)).for_summaries()

    def get_paginate_by(self, queryset: ReleaseQuerySet) -> int:
        return settings.NEWS_PAGE_SIZE

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(kind=self.kind, kinds=Kind.choices, **kwargs)


def archive_periods(releases: ReleaseQuerySet, kind: str) -> list[tuple[datetime.date, int]]:
    """Years, months or days (kind) with how many releases each holds, newest first.

    Periods are counted in the site's zone: a release of 00:30 in Minsk is of that Minsk day.
    """
    rows = (
        releases.order_by()
        .annotate(period=Trunc("published_at", kind, output_field=DateField()))
        .values("period")
        .annotate(count=Count("pk"))
        .order_by("-period")
    )
    return [(row["period"], row["count"]) for row in rows]


class ArchiveView(PublishedReleaseMixin, KeysetPaginationMixin, ListView):
    """The date archive: every year; a year's months; a month's days and releases; a day's.

    A date that is not one, or a period with no release, is 404.
    """

    template_name = "news/archive.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        year, month, day = kwargs.get("year"), kwargs.get("month"), kwargs.get("day")
        self.releases = Release.objects.published()
        try:
            self.date = datetime.date(
                2000 if year is None else year,
                1 if month is None else month,
                1 if day is None else day,
            )
            if year is not None:
                self.releases = self.releases.published_in(year, month, day)
        except (ValueError, OverflowError) as error:
            raise Http404(_("No such date.")) from error
        self.releases = for_reader(self.releases)
        self.level = next(
            (name for name, value in (("day", day), ("month", month), ("year", year)) if value),
            "index",
        )
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> ReleaseQuerySet:
        return self.releases.for_summaries()

    def get_paginate_by(self, queryset: ReleaseQuerySet) -> int | None:
        return settings.NEWS_PAGE_SIZE if self.level in ("month", "day") else None

    def paginate_queryset(self, queryset: ReleaseQuerySet, page_size: int) -> Any:
        result = super().paginate_queryset(queryset, page_size)
        if not result[2]:
            raise Http404(_("Nothing was published then."))
        return result

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        periods: list[tuple[datetime.date, int]] = []
        releases = self.releases
        if self.level in ("index", "year", "month"):
            unit = {"index": "year", "year": "month", "month": "day"}[self.level]
            periods = archive_periods(releases, unit)
            if self.level != "index" and not periods:
                raise Http404(_("Nothing was published then."))
        if self.level in ("index", "year"):
            kwargs["object_list"] = []
        return super().get_context_data(level=self.level, date=self.date, periods=periods, **kwargs)
