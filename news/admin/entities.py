"""The admin of the things releases speak of: officials, organisations, countries, delegations,
contacts and topics; each change form refuses to save over another editor's change."""

from __future__ import annotations

import re
from typing import Any

from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from taggit.admin import TagAdmin as TaggitTagAdmin
from taggit.models import Tag

from news.admin.listing import DateHierarchyMixin
from news.admin.locking import OptimisticLockMixin
from news.models import (
    Appointment,
    Contact,
    Country,
    Delegation,
    Official,
    Organisation,
    ProgrammeItem,
    TopicTranslation,
)
from news.models.public_version import readers_see, site_changed
from news.programmes import programme_draft


class PublicSiteMixin:
    """For a ModelAdmin of the catalogue: saving or deleting an entry readers see (as it was,
    or as it is now) moves the public site's version on, in the admin's transaction."""

    def save_model(self, request: HttpRequest, obj: Model, form: Any, change: bool) -> None:
        seen = change and readers_see(obj)
        super().save_model(request, obj, form, change)
        if seen:
            site_changed()

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        if readers_see(form.instance):
            site_changed()

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        seen = readers_see(obj)
        super().delete_model(request, obj)
        if seen:
            site_changed()

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        with transaction.atomic(using=queryset.db):
            seen = readers_see(queryset)
            super().delete_queryset(request, queryset)
            if seen:
                site_changed(using=queryset.db)


class AppointmentInline(admin.TabularInline):
    model = Appointment
    extra = 1
    autocomplete_fields = ["organisation"]
    fields = ["title", "title_be", "title_en", "organisation", "start", "end"]


@admin.register(Official)
class OfficialAdmin(PublicSiteMixin, OptimisticLockMixin, admin.ModelAdmin):
    list_display = ["full_name", "current_position", "release_count"]
    search_fields = ["full_name", "full_name_be", "full_name_en", "appointments__title"]
    inlines = [AppointmentInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Official]:
        return (
            super()
            .get_queryset(request)
            .prefetch_related("appointments")
            .annotate(release_count=Count("releases", distinct=True))
        )

    @admin.display(description=_("current position"))
    def current_position(self, official: Official) -> str:
        appointment = official.current_appointment
        return appointment.title if appointment else "—"

    @admin.display(description=_("releases"), ordering="release_count")
    def release_count(self, official: Official) -> int:
        return official.release_count


@admin.register(Organisation)
class OrganisationAdmin(PublicSiteMixin, OptimisticLockMixin, admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "country", "parent"]
    list_filter = ["kind", "country"]
    list_select_related = ["country", "parent"]
    search_fields = ["name", "name_be", "name_en", "short_name"]
    autocomplete_fields = ["parent"]


@admin.register(Country)
class CountryAdmin(PublicSiteMixin, OptimisticLockMixin, admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code"]

    @admin.display(description=_("name"))
    def name(self, country: Country) -> str:
        return country.name


class ProgrammeInline(admin.TabularInline):
    model = ProgrammeItem
    extra = 0
    fields = ["date", "time", "place", "organisation", "description"]
    autocomplete_fields = ["organisation"]


@admin.register(Delegation)
class DelegationAdmin(PublicSiteMixin, DateHierarchyMixin, OptimisticLockMixin, admin.ModelAdmin):
    list_display = ["title", "country", "head", "start", "end"]
    list_filter = ["country"]
    list_select_related = ["country", "head"]
    search_fields = ["title", "purpose", "head__full_name"]
    date_hierarchy = "start"
    autocomplete_fields = ["organisation", "head", "members", "host"]
    inlines = [ProgrammeInline]
    actions = ["draft_programme"]

    def response_action(self, request: HttpRequest, queryset: QuerySet, **kwargs: Any) -> Any:
        # Ticked ids are typed input: one that is no number names no visit (else a 500).
        post = request.POST.copy()
        ticked = post.getlist(ACTION_CHECKBOX_NAME)
        post.setlist(ACTION_CHECKBOX_NAME, [pk for pk in ticked if re.fullmatch("[0-9]{1,18}", pk)])
        request.POST = post
        return super().response_action(request, queryset, **kwargs)

    @admin.action(
        description=_("Draft the programme from the visits' releases"), permissions=["change"]
    )
    def draft_programme(self, request: HttpRequest, queryset: QuerySet) -> None:
        created = 0
        for delegation in queryset:
            items = programme_draft(delegation=delegation)
            created += len(items)
            if items and readers_see(delegation):
                site_changed()
        self.message_user(
            request,
            ngettext(
                "%(count)d programme item drafted: check its day and time.",
                "%(count)d programme items drafted: check their days and times.",
                created,
            )
            % {"count": created},
        )


@admin.register(Contact)
class ContactAdmin(PublicSiteMixin, OptimisticLockMixin, admin.ModelAdmin):
    """The press service's contacts; releases name one, or show the site default."""

    list_display = ["name", "phone", "email", "is_default"]
    list_filter = ["is_default"]
    search_fields = ["name", "phone", "email"]
    fields = ["name", "phone", "email", "is_default"]


# taggit registers its own admin of topics; this one is the same, with the lock.
admin.site.unregister(Tag)


class TopicTranslationInline(admin.StackedInline):
    model = TopicTranslation
    can_delete = False


@admin.register(Tag)
class TagAdmin(PublicSiteMixin, OptimisticLockMixin, TaggitTagAdmin):
    """Topics, as taggit's admin edits them, with their Belarusian and English names.

    Editors and publishers name topics (news.roles); merging them is taggit's own English
    screen, which rewrites releases' topics without their history: a superuser's alone.
    """

    inlines = [*TaggitTagAdmin.inlines, TopicTranslationInline]
    list_display = ["name", "name_be", "name_en"]
    list_select_related = ["translation"]

    @admin.display(description=_("name in Belarusian"))
    def name_be(self, tag: Tag) -> str:
        return getattr(getattr(tag, "translation", None), "name_be", "")

    @admin.display(description=_("name in English"))
    def name_en(self, tag: Tag) -> str:
        name = getattr(getattr(tag, "translation", None), "name_en", "")
        return format_html('<span lang="en">{}</span>', name) if name else ""

    @admin.action(description="Merge selected tags", permissions=["merge"])
    def render_tag_form(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse:
        return super().render_tag_form(request, queryset)

    def has_merge_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def merge_tags_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_merge_permission(request):
            raise PermissionDenied
        return super().merge_tags_view(request)
