"""Listings of releases, newest first, paged by where the reader stopped, not by page number.

"Older" carries the last release shown (?before=<cursor>), "Newer" the first (?after=<cursor>):
a page five thousand pages deep costs one indexed range query, like the first page, where
OFFSET would read and throw away everything before it. Nothing is counted.

A cursor is the release's publication time in microseconds and its id: releases published at
the same instant keep their order.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass
from typing import Any

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import Count, Q, Window
from django.http import Http404, QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from news.models import Release, ReleaseQuerySet

# Microseconds in a year 10,000 (datetime's limit), to refuse cursors no release can have.
MAX_TIMESTAMP = 253402300799 * 10**6
# ASCII digits only: str.isdigit() and int() also take "¹", "٣" or "０", and not alike.
_CURSOR = re.compile(r"\A([0-9]{1,16})\.([0-9]{1,19})\Z")
_PAGE_NUMBER = re.compile(r"\A[0-9]{1,9}\Z")


@dataclass(frozen=True)
class Cursor:
    published_at: datetime.datetime
    pk: int

    @classmethod
    def of(cls, release: Release) -> Cursor:
        return cls(release.published_at, release.pk)

    @classmethod
    def parse(cls, text: str) -> Cursor:
        """The cursor in text; Http404 for anything that is not one (as for a bad page)."""
        match = _CURSOR.match(text)
        if not match or int(match[1]) > MAX_TIMESTAMP:
            raise Http404(_("No such page."))
        published_at = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC) + datetime.timedelta(
            microseconds=int(match[1])
        )
        return cls(published_at, int(match[2]))

    def __str__(self) -> str:
        moment = self.published_at.astimezone(datetime.UTC)
        micro = calendar.timegm(moment.timetuple()) * 10**6 + moment.microsecond
        return f"{micro}.{self.pk}"

    def older(self) -> Q:
        return Q(published_at__lt=self.published_at) | Q(
            published_at=self.published_at, pk__lt=self.pk
        )

    def newer(self) -> Q:
        return Q(published_at__gt=self.published_at) | Q(
            published_at=self.published_at, pk__gt=self.pk
        )


class KeysetPage:
    """One page of a listing, with the cursors of the pages either side ("" at either end)."""

    # Templates tell a page of this kind from a numbered one (search) by its missing number.
    number = None

    def __init__(
        self, rows: list[Release], *, older: Cursor | None, newer: Cursor | None, first: bool
    ) -> None:
        self.object_list = rows
        self.older = str(older) if older else ""
        self.newer = str(newer) if newer else ""
        self.is_first = first

    def __iter__(self) -> Any:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    def has_other_pages(self) -> bool:
        return bool(self.older or self.newer)

    @property
    def newest_date(self) -> datetime.date | None:
        """The day of the page's newest release, to name a page other than the first."""
        if self.is_first or not self.object_list:
            return None
        return timezone.localdate(self.object_list[0].published_at)


class KeysetPaginationMixin:
    """For a ListView of releases: pages by cursor (keyset_page) instead of by number."""

    def paginate_queryset(self, queryset: ReleaseQuerySet, page_size: int) -> Any:
        page = keyset_page(queryset, self.request.GET, page_size)
        return None, page, page.object_list, page.has_other_pages()


def keyset_page(releases: ReleaseQuerySet, query: QueryDict, size: int) -> KeysetPage:
    """The page of releases (ordered newest first) that the query's cursor names.

    ?before= gives the releases older than the cursor; ?after= those newer, and the first page
    when fewer than a page of them are left. A cursor past either end is 404.
    """
    releases = releases.order_by("-published_at", "-pk")
    if after := query.get("after"):
        cursor = Cursor.parse(after)
        newer = list(releases.filter(cursor.newer()).reverse()[: size + 1])
        if not newer:
            raise Http404(_("No such page."))
        if len(newer) > size:
            rows = newer[:size][::-1]
            return KeysetPage(
                rows, older=Cursor.of(rows[-1]), newer=Cursor.of(rows[0]), first=False
            )
        # No more than a page is newer: that is the first page.
        return _first_page(releases, size)
    if before := query.get("before"):
        cursor = Cursor.parse(before)
        rows = list(releases.filter(cursor.older())[: size + 1])
        if not rows:
            raise Http404(_("No such page."))
        older = Cursor.of(rows[size - 1]) if len(rows) > size else None
        rows = rows[:size]
        return KeysetPage(rows, older=older, newer=Cursor.of(rows[0]), first=False)
    return _first_page(releases, size)


def _first_page(releases: ReleaseQuerySet, size: int) -> KeysetPage:
    rows = list(releases[: size + 1])
    older = Cursor.of(rows[size - 1]) if len(rows) > size else None
    return KeysetPage(rows[:size], older=older, newer=None, first=True)


class NumberedPaginationMixin:
    """For a ListView paged by number: ?page= is ASCII digits, or the page is 404.

    Django's own int() would read "٣" or "０" as a page number, and any length of digits.
    """

    def paginate_queryset(self, queryset: ReleaseQuerySet, page_size: int) -> Any:
        if not _PAGE_NUMBER.match(self.request.GET.get(self.page_kwarg) or "1"):
            raise Http404(_("No such page."))
        return super().paginate_queryset(queryset, page_size)


class WindowCountPaginator(Paginator):
    """Numbered pages (search results) whose own query also counts the whole list.

    Each row carries COUNT(*) OVER () as .found: the database counts while it ranks, and the
    page costs one query instead of a COUNT and a SELECT that read the same rows twice.
    """

    def __init__(self, object_list: ReleaseQuerySet, per_page: int, **kwargs: Any) -> None:
        super().__init__(object_list.annotate(found=Window(Count("pk"))), per_page, **kwargs)

    def page(self, number: int | str) -> Page:
        try:
            number = int(number)
        except (TypeError, ValueError) as error:
            raise PageNotAnInteger(_("That page number is not an integer")) from error
        if number < 1:
            raise EmptyPage(_("That page number is less than 1"))
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page])
        if not rows and number > 1:
            raise EmptyPage(_("That page contains no results"))
        # What the count property would have asked the database for.
        self.__dict__["count"] = rows[0].found if rows else 0
        return self._get_page(rows, number, self)
