"""The admin of releases: columns, filters, rights, saving with revisions, bulk actions.

Its forms are in release_forms, its change list and filters in release_filters, and its change
page's workflow panel with the views of its buttons in release_workflow.
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib import admin, messages
from django.contrib.admin import ActionLocation
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from news import revisions, workflow
from news.admin.duplicates import warn_of_duplicates
from news.admin.listing import EstimatedCountPaginator, search_releases
from news.admin.release_editing import ReleaseEditingMixin
from news.admin.release_filters import (
    AuthorFilter,
    BinFilter,
    QueueFilter,
    ReleaseChangeList,
    StateFilter,
)
from news.admin.release_forms import ReleaseAdminForm
from news.admin.release_translations import ReleaseTranslationMixin, create_translation_links
from news.admin.release_workflow import ReleaseWorkflowMixin, refusal_messages
from news.admin.translations import is_out_of_date, translation_statuses
from news.admin.version_inlines import VersionRowForm, VersionRowsFormSet
from news.bin import bin_empty, release_trash, release_untrash
from news.editing import release_record_edit, release_stage_changes
from news.models import Attachment, Release, ReleaseImage, SourceURL, State


class SourceURLInline(admin.TabularInline):
    model = SourceURL
    form = VersionRowForm
    formset = VersionRowsFormSet
    extra = 1
    fields = ["row", "url", "title", "publisher", "is_primary", "checked_at"]


class ReleaseImageInline(admin.TabularInline):
    """The gallery, ordered by a number: no dragging, works with a keyboard and on a phone."""

    model = ReleaseImage
    form = VersionRowForm
    formset = VersionRowsFormSet
    extra = 1
    autocomplete_fields = ["image"]
    fields = ["row", "position", "image"]


class AttachmentInline(admin.TabularInline):
    model = Attachment
    form = VersionRowForm
    formset = VersionRowsFormSet
    extra = 1
    fields = ["row", "position", "title", "file", "filename", "content_type", "size"]
    readonly_fields = ["content_type", "size"]


def out_of_date_badge() -> str:
    return format_html(
        '<span class="state-badge state-badge--review" title="{}">{}</span>',
        _("Older than the original's last published change"),
        _("out of date"),
    )


@admin.register(Release)
class ReleaseAdmin(
    ReleaseEditingMixin, ReleaseTranslationMixin, ReleaseWorkflowMixin, admin.ModelAdmin
):
    form = ReleaseAdminForm
    change_form_template = "admin/news/release/change_form.html"
    list_display = [
        "title",
        "state_badge",
        "kind",
        "language",
        "translations_column",
        "created_by",
        "published_at",
        "updated_at",
    ]
    list_select_related = ["created_by"]
    list_filter = [
        StateFilter,
        "kind",
        "language",
        AuthorFilter,
        "published_at",
        BinFilter,
        QueueFilter,
    ]
    # Topics, officials and authors are too many for filter lists (and each list would cost a
    # query on every page): the search finds releases by their names (get_search_results).
    search_fields = [
        "title",
        "summary",
        "slug",
        "tags__name",
        "officials__full_name",
        "created_by__username",
    ]
    # No date_hierarchy: its list of years reads every release on each page load; the
    # "published" filter offers the recent periods, the search the rest.
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    autocomplete_fields = ["officials", "organisations", "delegations", "lead_image", "contact"]
    filter_horizontal = ["countries"]
    readonly_fields = [
        "state_badge",
        "published_at",
        "public_link",
        "created_by",
        "last_edited_by",
        "withdrawn_at",
        "withdrawal_reason",
        "replaced_by",
        "uid",
        "translation_key",
        "created_at",
        "updated_at",
        "translations_panel",
    ]
    inlines = [SourceURLInline, ReleaseImageInline, AttachmentInline]
    actions = [
        "submit_selected",
        "approve_selected",
        "publish_selected",
        "move_to_bin",
        "restore_from_bin",
    ]
    fieldsets = [
        (None, {"fields": ["title", "kind", "language", "summary", "body", "tags"]}),
        (_("Event"), {"fields": ["event_start", "event_end", "place"]}),
        (
            _("Publication"),
            {
                "fields": [
                    "state_badge",
                    "published_at",
                    "public_link",
                    "created_by",
                    "last_edited_by",
                    "seen_version",
                ]
            },
        ),
        (_("Lead image"), {"fields": ["lead_image"]}),
        (_("Press contact"), {"fields": ["contact"]}),
        (
            _("Who and what it is about"),
            {"fields": ["officials", "organisations", "countries", "delegations"]},
        ),
        (_("Translations"), {"fields": ["translations_panel"]}),
        (
            _("Address and identifiers"),
            {
                "classes": ["collapse"],
                "fields": ["slug", "uid", "translation_key", "created_at", "updated_at"],
            },
        ),
    ]

    # Columns -----------------------------------------------------------------------------------

    @admin.display(description=_("state"), ordering="state")
    def state_badge(self, release: Release) -> str:
        key, label = release.state, release.get_state_display()
        if release.is_scheduled:
            key = "scheduled"
            when = timezone.localtime(release.published_at).strftime("%d.%m.%Y %H:%M")
            label = format_html("{} {}", _("scheduled for"), when)
        badge = format_html('<span class="state-badge state-badge--{}">{}</span>', key, label)
        if release.needs_post_review:
            badge = format_html(
                '{} <span class="state-badge state-badge--review">{}</span>',
                badge,
                _("awaits review"),
            )
        if release.pending_revision_id:
            badge = format_html(
                '{} <span class="state-badge state-badge--pending">{}</span>',
                badge,
                _("unpublished changes"),
            )
        if release.deleted_at:
            badge = format_html(
                '{} <span class="state-badge state-badge--bin">{}</span>', badge, _("in the bin")
            )
        return badge

    @admin.display(description=_("translations"))
    def translations_column(self, release: Release) -> str:
        """The languages of the other translations, and whether this one is out of date.

        Reads what ReleaseChangeList annotated: no query of its own.
        """
        languages = sorted(filter(None, (getattr(release, "other_languages", "") or "").split(",")))
        text = ", ".join(language.upper() for language in languages) or "—"
        if getattr(release, "original_pk", None) is not None and is_out_of_date(release):
            return format_html("{} {}", text, out_of_date_badge())
        return text

    @admin.display(description=_("translations"))
    def translations_panel(self, release: Release) -> str:
        """Every release of the translation group: language, links, state, whether out of date."""
        if not release.pk:
            return "—"
        statuses = translation_statuses([release])[release.pk]
        create = create_translation_links(release)
        if len(statuses) < 2:
            return format_html("<p>{}</p>{}", gettext("No translations yet."), create)
        rows = []
        for status in statuses:
            member = status.release
            notes = []
            if status.is_original:
                notes.append(gettext("original"))
            if member.pk == release.pk:
                notes.append(gettext("this release"))
            link = format_html(
                '<a href="{}" lang="{}">{}</a>',
                reverse("admin:news_release_change", args=[member.pk]),
                member.language,
                member.title,
            )
            if member.is_public:
                link = format_html(
                    '{} (<a href="{}">{}</a>)',
                    link,
                    member.get_absolute_url(),
                    gettext("on the site"),
                )
            rows.append(
                format_html(
                    '<li class="translation-status">{}: {} {}{}{}</li>',
                    member.get_language_display(),
                    link,
                    format_html(
                        '<span class="state-badge state-badge--{}">{}</span>',
                        member.state,
                        member.get_state_display(),
                    ),
                    format_html(" {}", out_of_date_badge()) if status.is_out_of_date else "",
                    format_html(" <em>({})</em>", ", ".join(notes)) if notes else "",
                )
            )
        rows_html = format_html_join("", "{}", ((row,) for row in rows))
        return format_html("<ul>{}</ul>{}", rows_html, create)

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return ReleaseChangeList

    @admin.display(description=_("on the site"))
    def public_link(self, release: Release) -> str:
        if not release.pk or not release.is_public:
            return "—"
        url = release.get_absolute_url()
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', url, url)

    # Who may do what ---------------------------------------------------------------------------

    def get_queryset(self, request: HttpRequest) -> QuerySet[Release]:
        return super().get_queryset(request).defer("body")

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Release], search_term: str
    ) -> tuple[QuerySet[Release], bool]:
        return search_releases(queryset, search_term), False

    def has_change_permission(self, request: HttpRequest, obj: Release | None = None) -> bool:
        allowed = super().has_change_permission(request, obj)
        if obj is None or not allowed:
            return allowed
        return obj.can_be_edited_by(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Release | None = None) -> bool:
        if obj is not None and obj.deleted_at is not None:
            return False
        if obj is not None and obj.state == State.DRAFT and obj.can_be_edited_by(request.user):
            return True
        return super().has_delete_permission(request, obj)

    def _may(self, request: HttpRequest, move: str) -> bool:
        return request.user.has_perm(workflow.TRANSITIONS[move].permission)

    def has_submit_permission(self, request: HttpRequest) -> bool:
        return self._may(request, "submit")

    def has_approve_permission(self, request: HttpRequest) -> bool:
        return self._may(request, "approve")

    def has_publish_permission(self, request: HttpRequest) -> bool:
        return self._may(request, "publish")

    def get_readonly_fields(self, request: HttpRequest, obj: Release | None = None) -> list[str]:
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.is_published:
            # A live release changes through a pending version (its rows too, see
            # version_inlines); the address readers have stays as it is.
            fields += ["slug"]
        return fields

    # Saving: revisions, pending versions of live releases --------------------------------------

    def save_model(self, request: HttpRequest, obj: Release, form: Any, change: bool) -> None:
        if change and obj.is_published:
            return  # staged in save_related, the live row stays as it is
        if change:
            obj.version += 1
        obj.save()

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        release: Release = form.instance
        if change and release.is_published:
            rows = {
                formset.version_field.name: formset.version_rows()
                for formset in formsets
                if getattr(formset, "in_version", False)
            }
            data = {**revisions.snapshot_of_form(form), **rows}
            release_stage_changes(release=release, user=request.user, data=data)
            messages.info(
                request,
                _(
                    "The changes are kept as a new version. The public page stays as it is "
                    "until they are published."
                ),
            )
            return
        super().save_related(request, form, formsets, change)
        release_record_edit(release=release, user=request.user, created=not change)
        warn_of_duplicates(request, release, form)

    def delete_model(self, request: HttpRequest, obj: Release) -> None:
        release_trash(release=obj, user=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Release]) -> None:
        for release in queryset:
            release_trash(release=release, user=request.user)

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> tuple:
        # Nothing is deleted: releases go to the bin with everything attached to them.
        return [str(obj) for obj in objs], {}, set(), []

    # Bulk actions: each release through its service, refusals reported --------------------------

    def _bulk(self, request: HttpRequest, queryset: QuerySet[Release], service: Any) -> None:
        done = 0
        for release in queryset:
            try:
                service(release=release, user=request.user)
            except (PermissionDenied, ValidationError) as error:
                text = "; ".join(refusal_messages(error))
                messages.error(request, format_html("«{}»: {}", release.title, text))
            else:
                done += 1
        if done:
            messages.success(request, _("Done for %(count)d release(s).") % {"count": done})

    @admin.action(description=_("Submit selected for review"), permissions=["submit"])
    def submit_selected(self, request: HttpRequest, queryset: QuerySet[Release]) -> None:
        self._bulk(request, queryset, workflow.TRANSITIONS["submit"].service)

    @admin.action(description=_("Approve selected"), permissions=["approve"])
    def approve_selected(self, request: HttpRequest, queryset: QuerySet[Release]) -> None:
        self._bulk(request, queryset, workflow.TRANSITIONS["approve"].service)

    @admin.action(description=_("Publish selected now"), permissions=["publish"])
    def publish_selected(self, request: HttpRequest, queryset: QuerySet[Release]) -> None:
        self._bulk(request, queryset, workflow.TRANSITIONS["publish"].service)

    @admin.action(description=_("Move selected to the bin"), permissions=["delete"])
    def move_to_bin(self, request: HttpRequest, queryset: QuerySet[Release]) -> None:
        self._bulk(request, queryset, release_trash)

    @admin.action(description=_("Restore selected from the bin"), permissions=["delete"])
    def restore_from_bin(self, request: HttpRequest, queryset: QuerySet[Release]) -> None:
        self._bulk(request, queryset, release_untrash)

    @admin.action(description=_("Delete selected from the bin for good"))
    def delete_for_good(self, request: HttpRequest, queryset: QuerySet[Release]) -> Any:
        if request.POST.get("post") != "yes":
            # Asked first, on a page of its own: nothing of these releases can come back.
            context = {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": _("Delete from the bin for good?"),
                "releases": queryset,
            }
            return TemplateResponse(
                request, "admin/news/release/empty_bin_confirmation.html", context
            )
        count = bin_empty(user=request.user, releases=queryset)
        messages.success(request, _("Deleted for good: %(count)d.") % {"count": count})

    def response_action(
        self, request: HttpRequest, queryset: QuerySet[Release], **kwargs: Any
    ) -> Any:
        # The ticked ids are typed input: one that is no number names no release (the lookup
        # itself would fail with a 500), so it is left out.
        post = request.POST.copy()
        ticked = post.getlist(ACTION_CHECKBOX_NAME)
        post.setlist(ACTION_CHECKBOX_NAME, [pk for pk in ticked if re.fullmatch("[0-9]{1,18}", pk)])
        request.POST = post
        return super().response_action(request, queryset, **kwargs)

    def get_actions(
        self, request: HttpRequest, action_location: Any = ActionLocation.CHANGE_LIST
    ) -> dict:
        actions = super().get_actions(request, action_location)
        # Deleting means the bin here: move_to_bin says so, without a confirmation page.
        actions.pop("delete_selected", None)
        if (
            action_location == ActionLocation.CHANGE_LIST
            and request.user.is_superuser
            and request.GET.get("bin") == "yes"
        ):
            func = type(self).delete_for_good
            actions["delete_for_good"] = (func, "delete_for_good", func.short_description)
        return actions
