"""What keeps the releases' change list fast at 100,000 releases: no exact count of a large list,
and a search that neither joins the link tables nor scans every text."""

from __future__ import annotations

import datetime
import json
import re
from typing import Any

from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page, Paginator
from django.db import connections
from django.db.models import Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Concat
from django.db.models.lookups import Contains
from django.http import HttpRequest
from django.utils.functional import cached_property

from news import search
from news.models import Release, TaggedRelease

# Lists the planner expects to be longer than this are not counted row by row.
EXACT_COUNT_UP_TO = 10_000
# Pages starting this far down are read ids first.
DEFERRED_JOIN_FROM = 1_000
# A year, month or day of a date hierarchy: ASCII digits, as the admin's own links write them.
_DATE_PART = re.compile(r"\A[0-9]{1,4}\Z")


class EstimatedCountPaginator(Paginator):
    """Counts a long list from PostgreSQL's planner estimate instead of reading every row, and
    finds a deep page's rows by their ids first.

    The estimate (from the table's statistics) is close for the large lists it is used for;
    a short list, or any list on another database, is counted exactly.
    """

    def page(self, number: int | str) -> Page:
        """A page far down reads the ids it skips from the index, then only its own rows."""
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        if bottom < DEFERRED_JOIN_FROM:
            return super().page(number)
        top = min(bottom + self.per_page, self.count)
        ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        return self._get_page(list(self.object_list.filter(pk__in=ids)), number, self)

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        connection = connections[queryset.db]
        if connection.vendor == "postgresql":
            try:
                sql, params = queryset.order_by().values("pk").query.sql_with_params()
            except EmptyResultSet:  # a filter that can match nothing: none()
                return 0
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
                plan = cursor.fetchone()[0]
            plan = json.loads(plan) if isinstance(plan, str) else plan
            estimate = int(plan[0]["Plan"]["Plan Rows"])
            if estimate > EXACT_COUNT_UP_TO:
                return estimate
        return super().count


def search_releases(queryset: QuerySet[Release], term: str) -> QuerySet[Release]:
    """Releases whose words (full text on PostgreSQL), topic, official, slug or author match.

    Topics and officials are looked up with EXISTS, not joined: no DISTINCT over the product
    of a release's links.
    """
    term = term.strip()
    if not term:
        return queryset
    words = search.query_words(term)
    matches = Q(slug=term) | Q(created_by__username=term)
    if search.is_postgresql() and words:
        matches |= Q(search_vector=search.words_query(words))
    elif search.is_postgresql():
        # A query of no words ("!!", ":*", "😀") makes no tsquery: the title, as typed.
        matches |= Q(title__icontains=term)
    else:
        # SQLite's own case folding knows only ASCII: fold Cyrillic here, as the site's search.
        search.register_casefold()
        text = search.Casefold(Concat("title", Value(" "), "summary"))
        matches |= Q(Contains(text, term.casefold()))
    matches |= Exists(
        TaggedRelease.objects.filter(content_object=OuterRef("pk"), tag__name__icontains=term)
    )
    matches |= Exists(
        Release.officials.through.objects.filter(
            release=OuterRef("pk"), official__full_name__icontains=term
        )
    )
    return queryset.filter(matches)


class DateHierarchyChangeList(ChangeList):
    """Django's change list, refusing a date hierarchy year that it cannot turn into a range.

    Django catches a month 13 but not a year of thirty digits, nor the year 9999 (the range
    ends in 10000), nor the year 1 (SQLite cannot convert its start to UTC from Minsk): each
    was a 500. Such a year is now a bad lookup, as an unknown field is.
    """

    def get_filters(self, request: HttpRequest) -> Any:
        if self.date_hierarchy:
            for part in ("year", "month", "day"):
                for value in self.filter_params.get(f"{self.date_hierarchy}__{part}", []):
                    if not _DATE_PART.match(value):
                        raise IncorrectLookupParameters(f"{part} {value[:20]!r}")
            for year in self.filter_params.get(f"{self.date_hierarchy}__year", []):
                if not datetime.MINYEAR < int(year) < datetime.MAXYEAR:
                    raise IncorrectLookupParameters(f"year {year}")
        return super().get_filters(request)


class DateHierarchyMixin:
    """For a ModelAdmin with a date_hierarchy: a change list that refuses years out of range."""

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return DateHierarchyChangeList
