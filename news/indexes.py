"""The indexes of what releases speak of: officials, organisations, topics, countries and visits.

Each lists only what readers may see (the models' public() querysets) and links to its page.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView, TemplateView

from news.models import Appointment, Country, Delegation, Official, Organisation, Release
from news.models.topics import Topic
from news.names import name_for
from news.paging import NumberedPaginationMixin


def _count(queryset: QuerySet, field: str) -> Coalesce:
    """The number of rows of queryset pointing at the outer row through field, as a subquery."""
    counted = (
        queryset.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(n=Count("pk", distinct=True))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


class OfficialIndexView(TemplateView):
    """Officials in office first, grouped by their organisation; then those no longer in post."""

    template_name = "news/official_index.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        officials = (
            Official.objects.public()
            .order_by("full_name", "pk")
            .only("full_name", "full_name_be", "full_name_en", "slug")
            .prefetch_related(
                Prefetch(
                    "appointments",
                    Appointment.objects.select_related("organisation").order_by("-start", "pk"),
                )
            )
        )
        by_organisation: dict[str, list[tuple[Official, Appointment]]] = defaultdict(list)
        former: list[tuple[Official, Appointment | None]] = []
        for official in officials:
            appointments = list(official.appointments.all())
            current = next((a for a in appointments if a.end is None), None)
            if current is None:
                former.append((official, appointments[0] if appointments else None))
                continue
            place = (
                name_for(current.organisation, get_language()).text
                if current.organisation
                else _("Other posts")
            )
            by_organisation[str(place)].append((official, current))
        return super().get_context_data(
            groups=sorted(by_organisation.items()),
            former=former,
            public_organisations=set(Organisation.objects.public().values_list("pk", flat=True)),
            **kwargs,
        )


class OrganisationIndexView(ListView):
    template_name = "news/organisation_index.html"
    context_object_name = "organisations"

    def get_queryset(self) -> QuerySet[Organisation]:
        return (
            Organisation.objects.public()
            .select_related("country")
            .annotate(release_count=_count(Release.objects.published(), "organisations"))
            .order_by("name")
        )


class TopicIndexView(ListView):
    template_name = "news/topic_index.html"
    context_object_name = "topics"

    def get_queryset(self) -> QuerySet[Topic]:
        return (
            Topic.objects.public()
            .select_related("translation")
            .annotate(release_count=_count(Release.objects.published(), "tags"))
            .order_by("name")
        )


class CountryIndexView(TemplateView):
    """Countries by name in the reader's language, with the number of their visits."""

    template_name = "news/country_index.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        countries = Country.objects.public().annotate(
            visits=_count(Delegation.objects.public(), "country")
        )
        return super().get_context_data(
            countries=sorted(countries, key=lambda country: country.name), **kwargs
        )


class DelegationIndexView(NumberedPaginationMixin, ListView):
    """Visits: those to come first (soonest first), then the past ones, latest first, by page."""

    template_name = "news/delegation_index.html"
    context_object_name = "visits"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[Delegation]:
        return (
            Delegation.objects.public()
            .filter(end__lt=self.today)
            .select_related("country")
            .order_by("-start", "-pk")
        )

    @property
    def today(self) -> datetime.date:
        return timezone.localdate()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        upcoming = (
            Delegation.objects.public()
            .filter(end__gte=self.today)
            .select_related("country")
            .order_by("start", "pk")
        )
        return super().get_context_data(upcoming=upcoming, **kwargs)
