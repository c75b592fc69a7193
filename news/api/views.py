"""The endpoints. Every release comes from Release.objects.published(); officials,
organisations, countries and visits from their objects.public(), as the site's own pages do."""

# No "from __future__ import annotations" here: django-ninja reads the parameter annotations
# of the endpoints at import time, and strings naming Query[...] and Path[...] defeat it.
import datetime
import functools
import math
import re
import uuid
from collections.abc import Callable
from typing import Annotated, Any

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Field, NinjaAPI, Path, Query, Schema
from ninja.pagination import PaginationBase, paginate
from ninja.renderers import JSONRenderer
from pydantic import field_validator

from news.api.schemas import (
    CountryOut,
    DelegationOut,
    Error,
    OfficialOut,
    OrganisationOut,
    ReleaseOut,
    ReleaseSummaryOut,
    TagOut,
)
from news.api.throttling import ApiRateThrottle
from news.models import (
    Appointment,
    Country,
    Delegation,
    Kind,
    Language,
    Official,
    Organisation,
    Release,
    ReleaseQuerySet,
)
from news.models.topics import Topic

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_PAGE = 10_000  # deep enough for every release; keeps offsets within the database's range

SLUG = r"^[-\w]+$"
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
Slug = Annotated[str, Field(min_length=1, max_length=200, pattern=SLUG)]


class Utf8JSONRenderer(JSONRenderer):
    """JSON in UTF-8 as it is: Cyrillic names readable, a third of the size of \\u escapes."""

    json_dumps_params = {"ensure_ascii": False}


# Answers besides success that any operation may give; documented so clients expect them.
ERRORS = {404: Error, 422: Error, 429: Error}
# The site refuses an address with a NUL byte before the API sees it (ministry.middleware).
BAD_REQUEST = {
    "responses": {
        "400": {
            "description": "Bad Request: the address cannot be read (a NUL byte in it).",
            "content": {"text/html": {"schema": {"type": "string"}}},
        }
    }
}

api = NinjaAPI(
    title="Ministry of Communications and Informatization: open data",
    version="1",
    description=(
        "Read-only data of the press service: published releases and the officials, "
        "organisations, countries, visits and topics they mention. Lists are paginated; "
        "every answer has an ETag (send If-None-Match to get 304), may be read from any site "
        "(CORS), and each client address may make a limited number of requests a minute (429 "
        "with Retry-After beyond it)."
    ),
    urls_namespace="api-v1",
    # Swagger UI from the static files bundled in django-ninja ("ninja" in INSTALLED_APPS): no
    # CDN, which the CSP forbids and a closed network cannot reach.
    docs_url="/docs",
    throttle=[ApiRateThrottle()],
    renderer=Utf8JSONRenderer(),
)


def _get(path: str, answer: Any, tag: str, **options: Any) -> Callable:
    """Declare GET path answering answer, or one of ERRORS; under tag in the OpenAPI schema."""
    return api.get(
        path, response={200: answer, **ERRORS}, tags=[tag], openapi_extra=BAD_REQUEST, **options
    )


@api.get("/", include_in_schema=False, url_name="index")
def index(request: HttpRequest) -> dict[str, Any]:
    """What the API offers: its addresses, the OpenAPI description and the interactive docs."""
    return {
        "title": api.title,
        "version": api.version,
        "openapi": reverse("api-v1:openapi-json"),
        "docs": reverse("api-v1:openapi-view"),
        "endpoints": api_paths(),
    }


@functools.cache
def api_paths() -> list[str]:
    return sorted(api.get_openapi_schema()["paths"])


class Page(PaginationBase):
    """Pages of page_size items; count and pages say how many there are."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE, description="From 1.")
        page_size: int = Field(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)

    class Output(Schema):
        items: list[Any]
        count: int
        page: int
        pages: int

    def paginate_queryset(
        self, queryset: QuerySet, pagination: Input, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        count = self._items_count(queryset)
        offset = (pagination.page - 1) * pagination.page_size
        return {
            "items": list(queryset[offset : offset + pagination.page_size]),
            "count": count,
            "page": pagination.page,
            "pages": math.ceil(count / pagination.page_size),
        }


# Releases ------------------------------------------------------------------------------------


class ReleaseFilters(Schema):
    kind: Kind | None = None
    language: Language | None = None
    tag: Slug | None = Field(None, description="A topic's slug.")
    official: Slug | None = Field(None, description="An official's slug.")
    organisation: Slug | None = Field(None, description="An organisation's slug.")
    country: str | None = Field(
        None, pattern=r"^[A-Za-z]{2}$", description="An ISO 3166-1 code: RS."
    )
    delegation: Slug | None = Field(None, description="A delegation's slug.")
    published_after: datetime.date | None = Field(
        None, description="Published on this day (Minsk time) or later."
    )
    published_before: datetime.date | None = Field(
        None, description="Published on this day (Minsk time) or earlier."
    )

    @field_validator("published_after", "published_before", mode="before")
    @classmethod
    def iso_day_only(cls, value: Any) -> Any:
        # Pydantic would read 0 or 1700000000 as a Unix time; a day is written 2024-08-28.
        if value is not None and not (isinstance(value, str) and ISO_DAY.fullmatch(value)):
            raise ValueError("a day is written YYYY-MM-DD")
        return value

    def apply(self, releases: ReleaseQuerySet) -> ReleaseQuerySet:
        lookups = {
            "kind": self.kind,
            "language": self.language,
            "tags__slug": self.tag,
            "officials__slug": self.official,
            "organisations__slug": self.organisation,
            "countries__code": self.country.upper() if self.country else None,
            "delegations__slug": self.delegation,
            "published_at__date__gte": self.published_after,
            "published_at__date__lte": self.published_before,
        }
        for lookup, value in lookups.items():
            if value is not None:
                releases = releases.filter(**{lookup: value})
        return releases


@_get(
    "/releases",
    list[ReleaseSummaryOut],
    "releases",
    summary="Published releases, newest first",
)
@paginate(Page)
def release_list(request: HttpRequest, filters: Query[ReleaseFilters]) -> ReleaseQuerySet:
    return filters.apply(Release.objects.published()).for_listing()


@_get(
    "/releases/{key}",
    ReleaseOut,
    "releases",
    summary="One published release, by its slug or its permanent identifier (uid)",
)
def release_detail(
    request: HttpRequest,
    key: Path[Annotated[str, Field(min_length=1, max_length=200, pattern=SLUG)]],
) -> Release:
    releases = Release.objects.published().for_detail()
    try:
        return get_object_or_404(releases, uid=uuid.UUID(key))
    except ValueError:
        return get_object_or_404(releases, slug=key)


# What releases mention -----------------------------------------------------------------------


def _officials() -> QuerySet[Official]:
    appointments = Appointment.objects.select_related("organisation")
    return (
        Official.objects.public()
        .order_by("full_name", "pk")
        .prefetch_related(Prefetch("appointments", queryset=appointments))
    )


def _organisations() -> QuerySet[Organisation]:
    return Organisation.objects.public().select_related("country").order_by("name", "pk")


def _countries() -> QuerySet[Country]:
    return Country.objects.public().order_by("code")


def _delegations() -> QuerySet[Delegation]:
    # Its head, host, sender and country are public with it: their links lead to pages.
    return (
        Delegation.objects.public()
        .select_related("country", "head", "host", "organisation")
        .order_by("-start", "pk")
    )


def _tags() -> QuerySet[Topic]:
    return Topic.objects.public().order_by("name", "pk")


@_get("/officials", list[OfficialOut], "officials")
@paginate(Page)
def official_list(request: HttpRequest) -> QuerySet[Official]:
    return _officials()


@_get("/officials/{slug}", OfficialOut, "officials")
def official_detail(request: HttpRequest, slug: Path[Slug]) -> Official:
    return get_object_or_404(_officials(), slug=slug)


@_get("/organisations", list[OrganisationOut], "organisations")
@paginate(Page)
def organisation_list(request: HttpRequest) -> QuerySet[Organisation]:
    return _organisations()


@_get("/organisations/{slug}", OrganisationOut, "organisations")
def organisation_detail(request: HttpRequest, slug: Path[Slug]) -> Organisation:
    return get_object_or_404(_organisations(), slug=slug)


@_get("/countries", list[CountryOut], "countries")
@paginate(Page)
def country_list(request: HttpRequest) -> QuerySet[Country]:
    return _countries()


@_get("/countries/{code}", CountryOut, "countries")
def country_detail(
    request: HttpRequest,
    code: Path[Annotated[str, Field(min_length=2, max_length=2, pattern=r"^[A-Za-z]{2}$")]],
) -> Country:
    return get_object_or_404(_countries(), code=code.upper())


@_get("/delegations", list[DelegationOut], "delegations")
@paginate(Page)
def delegation_list(request: HttpRequest) -> QuerySet[Delegation]:
    return _delegations()


@_get("/delegations/{slug}", DelegationOut, "delegations")
def delegation_detail(request: HttpRequest, slug: Path[Slug]) -> Delegation:
    return get_object_or_404(_delegations(), slug=slug)


@_get("/tags", list[TagOut], "tags")
@paginate(Page)
def tag_list(request: HttpRequest) -> QuerySet[Topic]:
    return _tags()


@_get("/tags/{slug}", TagOut, "tags")
def tag_detail(request: HttpRequest, slug: Path[Slug]) -> Topic:
    return get_object_or_404(_tags(), slug=slug)
