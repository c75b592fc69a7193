"""What keeps the releases' change list fast at 100,000 releases: no exact count of a large list,
and a search that neither joins the link tables nor scans every text."""

from __future__ import annotations

import json

from django.core.paginator import Page, Paginator
from django.db import connections
from django.db.models import Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Concat
from django.db.models.lookups import Contains
from django.utils.functional import cached_property

from news import search
from news.models import Release, TaggedRelease

# Lists the planner expects to be longer than this are not counted row by row.
EXACT_COUNT_UP_TO = 10_000
# Pages starting this far down are read ids first.
DEFERRED_JOIN_FROM = 1_000


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
            sql, params = queryset.order_by().values("pk").query.sql_with_params()
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
    if words and search.is_postgresql():
        matches |= Q(search_vector=search.words_query(words))
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
