"""What the API shows of each thing: public fields only, links absolute."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.db.models import Model
from ninja import Field, Schema

from news.html import sanitize
from news.models import Kind, Language, Official, Release


class OnSite(Schema):
    """Something with a page on the site: its url field is that page's absolute address."""

    @staticmethod
    def resolve_url(obj: Model, context: dict[str, Any]) -> str:
        return context["request"].build_absolute_uri(obj.get_absolute_url())


class TagOut(OnSite):
    slug: str
    name: str
    url: str


class CountryOut(OnSite):
    code: str
    name: str
    url: str


class OrganisationRef(OnSite):
    slug: str
    name: str
    url: str


class OrganisationOut(OrganisationRef):
    short_name: str
    kind: str
    website: str
    country: str | None

    @staticmethod
    def resolve_country(obj: Any) -> str | None:
        return obj.country.code if obj.country_id else None


class AppointmentOut(Schema):
    title: str
    organisation: str | None
    start: datetime.date | None
    end: datetime.date | None

    @staticmethod
    def resolve_organisation(obj: Any) -> str | None:
        return obj.organisation.name if obj.organisation_id else None


class OfficialRef(OnSite):
    slug: str
    name: str
    url: str

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return obj.full_name


class OfficialOut(OfficialRef):
    bio: str
    position: str | None
    appointments: list[AppointmentOut]

    @staticmethod
    def resolve_position(obj: Official) -> str | None:
        appointment = obj.current_appointment
        return appointment.title if appointment else None

    @staticmethod
    def resolve_appointments(obj: Official) -> list[Any]:
        return sorted(
            obj.appointments.all(),
            key=lambda a: (a.start is not None, a.start or datetime.date.min),
            reverse=True,
        )


class OfficialInRelease(OfficialRef):
    position: str | None = Field(None, description="As of the release's day.")

    @staticmethod
    def resolve_position(obj: Any) -> str | None:
        return getattr(obj, "position_in_release", None)


class DelegationRef(OnSite):
    slug: str
    title: str
    url: str


class DelegationOut(DelegationRef):
    country: str
    start: datetime.date
    end: datetime.date
    purpose: str
    head: OfficialRef | None
    host: OrganisationRef | None
    organisation: OrganisationRef | None

    @staticmethod
    def resolve_country(obj: Any) -> str:
        return obj.country.code


class ImageOut(Schema):
    url: str
    width: int
    height: int
    alt: str


class SourceOut(Schema):
    url: str
    title: str
    publisher: str
    is_primary: bool


class ChangeNoteOut(Schema):
    text: str
    created_at: datetime.datetime


class ReleaseSummaryOut(OnSite):
    uid: uuid.UUID
    guid: str
    slug: str
    url: str
    title: str
    summary: str
    language: Language
    kind: Kind
    published_at: datetime.datetime
    updated_at: datetime.datetime
    event_start: datetime.date | None
    event_end: datetime.date | None
    tags: list[TagOut]
    lead_image: ImageOut | None

    @staticmethod
    def resolve_tags(obj: Release) -> list[Any]:
        return obj.topics

    @staticmethod
    def resolve_lead_image(obj: Release, context: dict[str, Any]) -> dict[str, Any] | None:
        image = obj.lead_image  # selected with the release by for_listing() and for_detail()
        if image is None:
            return None
        return {
            "url": context["request"].build_absolute_uri(image.url),
            "width": image.width,
            "height": image.height,
            "alt": image.alt,
        }


class ReleaseOut(ReleaseSummaryOut):
    body: str
    place: str
    officials: list[OfficialInRelease]
    organisations: list[OrganisationRef]
    countries: list[CountryOut]
    delegations: list[DelegationRef]
    sources: list[SourceOut]
    change_notes: list[ChangeNoteOut]

    @staticmethod
    def resolve_body(obj: Release) -> str:
        # Sanitised again: bodies stored before a rule (no images from other sites) was made.
        return sanitize(obj.body)

    @staticmethod
    def resolve_officials(obj: Release) -> list[Official]:
        officials = []
        for official, appointment in obj.officials_with_positions():
            official.position_in_release = appointment.title if appointment else None
            officials.append(official)
        return officials

    @staticmethod
    def resolve_sources(obj: Release) -> list[Any]:
        return sorted(obj.sources.all(), key=lambda source: not source.is_primary)


class Error(Schema):
    detail: Any
