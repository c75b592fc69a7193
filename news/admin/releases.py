"""The admin of releases: editing with revisions and no lost edits, and the workflow's buttons.

The buttons post to the views here, which call news.workflow and nothing else: the rules live
there, so a forged request is refused the same way a hidden button would have been.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import ActionLocation
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import QuerySet
from django.forms.formsets import INITIAL_FORM_COUNT, TOTAL_FORM_COUNT
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from news import revisions, workflow
from news.admin.listing import DateHierarchyMixin, EstimatedCountPaginator, search_releases
from news.admin.translations import (
    is_out_of_date,
    translation_statuses,
    with_translation_status,
)
from news.admin.widgets import ReleaseBodyWidget
from news.mentions import EntityType, Mention, find_mentions, recognise, release_text
from news.models import (
    Action,
    Attachment,
    AuditEntry,
    PreviewLink,
    Release,
    ReleaseImage,
    Revision,
    SourceURL,
    State,
    snapshot_of,
)
from news.models.limits import SHORT_TEXT_MAX_CHARS
from news.slugs import unique_slug


class SourceURLInline(admin.TabularInline):
    model = SourceURL
    extra = 1
    fields = ["url", "title", "publisher", "is_primary", "checked_at"]


class OptionalInlineFormSet(forms.BaseInlineFormSet):
    """A post that leaves this inline out (a script, an older form) leaves its rows as they are.

    Rows change only through the forms posted; without a management form there are none.
    """

    def __init__(self, data: Any = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(data, *args, **kwargs)
        total = self.add_prefix(TOTAL_FORM_COUNT)
        if self.is_bound and total not in self.data:
            self.data = self.data.copy()
            self.data[total] = "0"
            self.data[self.add_prefix(INITIAL_FORM_COUNT)] = "0"


class ReleaseImageInline(admin.TabularInline):
    """The gallery, ordered by a number: no dragging, works with a keyboard and on a phone."""

    model = ReleaseImage
    formset = OptionalInlineFormSet
    extra = 1
    autocomplete_fields = ["image"]
    fields = ["position", "image"]


class AttachmentInline(admin.TabularInline):
    model = Attachment
    formset = OptionalInlineFormSet
    extra = 1
    fields = ["position", "title", "file", "filename", "content_type", "size"]
    readonly_fields = ["content_type", "size"]


class ReleaseAdminForm(forms.ModelForm):
    """The change form, with the version it was opened at, so a stale save is caught."""

    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Release
        fields = [*revisions.FIELD_NAMES, "lead_image"]
        widgets = {"body": ReleaseBodyWidget}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.conflict: dict[str, Any] | None = None
        release = self.instance
        if release.pk:
            self.initial["seen_version"] = release.version
            if release.pending_revision_id:
                # Editors go on from the pending version, not from what is live.
                pending = release.pending_revision.form_initial()
                self.initial.update({k: v for k, v in pending.items() if k in self.fields})

    def clean_slug(self) -> str:
        """A slug another release has becomes a new unique one: never an error to fix."""
        slug = self.cleaned_data.get("slug", "")
        others = Release.objects.exclude(pk=self.instance.pk)
        if slug and others.filter(slug=slug).exists():
            slug = unique_slug(slug, lambda s: others.filter(slug=s).exists())
        return slug

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.instance.pk:
            current = Release.objects.select_for_update().get(pk=self.instance.pk)
            seen = cleaned.get("seen_version")
            if seen != current.version:
                self.conflict = self._describe_conflict(current, seen)
                # Saving again after reading the other change is a deliberate merge.
                self.data = self.data.copy()
                self.data[self.add_prefix("seen_version")] = current.version
                raise ValidationError(
                    _(
                        "%(user)s saved this release at %(time)s while you were editing it. "
                        "Nothing of yours has been saved. Their change is shown above the form; "
                        "bring it into your text and save again."
                    ),
                    code="conflict",
                    params=self.conflict,
                )
        return cleaned

    def _describe_conflict(self, current: Release, seen: int | None) -> dict[str, Any]:
        base = current.revisions.filter(version__lte=seen or 0).order_by("-version", "-pk").first()
        latest = current.revisions.order_by("-version", "-pk").first()
        now_data = (
            current.pending_revision.data if current.pending_revision_id else snapshot_of(current)
        )
        # Without a revision of what this person started from, the change cannot be shown.
        changes = revisions.compare(base.data, now_data) if base else None
        # Sharing a preview changes nothing in the release: it is not the change to name.
        previews = [Action.PREVIEW_CREATE, Action.PREVIEW_REVOKE]
        entry = current.audit_entries.exclude(action__in=previews).select_related("user").first()
        by = latest if latest and (not entry or latest.created_at >= entry.created_at) else entry
        user = by.user if by and by.user else None
        return {
            "user": user.get_username() if user else gettext("Someone"),
            "time": timezone.localtime(by.created_at if by else current.updated_at).strftime(
                "%H:%M:%S"
            ),
            "changes": changes,
            "state": current.get_state_display(),
            "base": base,
            "latest": latest,
        }


def out_of_date_badge() -> str:
    return format_html(
        '<span class="state-badge state-badge--review" title="{}">{}</span>',
        _("Older than the original's last published change"),
        _("out of date"),
    )


class ReleaseChangeList(ChangeList):
    """The change list, with each release's translations read in the same query."""

    def get_queryset(self, request: HttpRequest, exclude_parameters: Any = None) -> QuerySet:
        return with_translation_status(super().get_queryset(request, exclude_parameters))


class StateFilter(admin.SimpleListFilter):
    """The workflow state, with scheduled releases apart from live ones."""

    title = _("state")
    parameter_name = "state"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        return [
            (State.DRAFT, State.DRAFT.label),
            (State.SUBMITTED, State.SUBMITTED.label),
            (State.APPROVED, State.APPROVED.label),
            ("scheduled", _("scheduled")),
            (State.PUBLISHED, State.PUBLISHED.label),
            ("post_review", _("awaits review after forced publication")),
            (State.WITHDRAWN, State.WITHDRAWN.label),
            (State.UNPUBLISHED, State.UNPUBLISHED.label),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Release]) -> QuerySet[Release]:
        value = self.value()
        now = timezone.now()
        if value == "scheduled":
            return queryset.filter(state=State.PUBLISHED, published_at__gt=now)
        if value == State.PUBLISHED:
            return queryset.filter(state=State.PUBLISHED, published_at__lte=now)
        if value == "post_review":
            return queryset.filter(needs_post_review=True)
        if value:
            return queryset.filter(state=value)
        return queryset


class BinFilter(admin.SimpleListFilter):
    """Releases in the bin are apart: shown only when asked for."""

    title = _("bin")
    parameter_name = "bin"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        return [("yes", _("In the bin"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Release]) -> QuerySet[Release]:
        if self.value() == "yes":
            return queryset.in_bin()
        return queryset.not_in_bin()

    def choices(self, changelist: Any) -> Any:
        choices = list(super().choices(changelist))
        choices[0]["display"] = _("Not in the bin")
        return choices


class AuthorFilter(admin.SimpleListFilter):
    """Mine or others': a filter that costs no query, unlike a list of every author."""

    title = _("author")
    parameter_name = "author"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        return [("me", _("Mine")), ("others", _("Others'"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Release]) -> QuerySet[Release]:
        if self.value() == "me":
            return queryset.filter(created_by=request.user)
        if self.value() == "others":
            return queryset.exclude(created_by=request.user)
        return queryset


class TransitionForm(forms.Form):
    """Whatever a move may ask for; each service checks what it needs."""

    # Comments and reasons are kept in the audit log (and a withdrawal's shown to readers).
    comment = forms.CharField(required=False, max_length=SHORT_TEXT_MAX_CHARS)
    reason = forms.CharField(required=False, max_length=SHORT_TEXT_MAX_CHARS)
    note = forms.CharField(required=False, max_length=300)
    minor = forms.BooleanField(required=False)
    at = forms.DateTimeField(required=False)
    replacement = forms.ModelChoiceField(Release.objects.published(), required=False)
    version = forms.IntegerField(required=False)


@admin.register(Release)
class ReleaseAdmin(admin.ModelAdmin):
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
        if len(statuses) < 2:
            return gettext("No translations yet.")
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
        return format_html("<ul>{}</ul>", format_html_join("", "{}", ((row,) for row in rows)))

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
        if obj is not None and obj.is_live:
            # A live release changes through a pending version: text only. Image and sources
            # stay as published, and so does the address readers have.
            fields += ["lead_image", "slug"]
        return fields

    def get_inlines(self, request: HttpRequest, obj: Release | None) -> list:
        if obj is not None and obj.is_live:
            return []
        return super().get_inlines(request, obj)

    # Saving: revisions, pending versions of live releases --------------------------------------

    def save_model(self, request: HttpRequest, obj: Release, form: Any, change: bool) -> None:
        if change and obj.is_live:
            return  # staged in save_related, the live row stays as it is
        if change:
            obj.version += 1
        obj.save()

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        release: Release = form.instance
        if change and release.is_live:
            workflow.release_stage_changes(
                release=release, user=request.user, data=revisions.snapshot_of_form(form)
            )
            messages.info(
                request,
                _(
                    "The changes are kept as a new version. The public page stays as it is "
                    "until they are published."
                ),
            )
            return
        super().save_related(request, form, formsets, change)
        workflow.release_record_edit(release=release, user=request.user, created=not change)

    def delete_model(self, request: HttpRequest, obj: Release) -> None:
        workflow.release_trash(release=obj, user=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Release]) -> None:
        for release in queryset:
            workflow.release_trash(release=release, user=request.user)

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
                text = "; ".join(getattr(error, "messages", [str(error)]))
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
        self._bulk(request, queryset, workflow.release_trash)

    @admin.action(description=_("Restore selected from the bin"), permissions=["delete"])
    def restore_from_bin(self, request: HttpRequest, queryset: QuerySet[Release]) -> None:
        self._bulk(request, queryset, workflow.release_untrash)

    @admin.action(description=_("Delete selected from the bin for good"))
    def delete_for_good(self, request: HttpRequest, queryset: QuerySet[Release]) -> None:
        count = workflow.bin_empty(user=request.user, releases=queryset)
        messages.success(request, _("Deleted for good: %(count)d.") % {"count": count})

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

    # The change page: workflow panel, revisions, audit log -------------------------------------

    def get_urls(self) -> list:
        wrap = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/transition/<str:name>/",
                wrap(self.transition_view),
                name="news_release_transition",
            ),
            path(
                "<path:object_id>/revisions/",
                wrap(self.revisions_view),
                name="news_release_revisions",
            ),
            path(
                "<path:object_id>/revisions/<int:revision_id>/restore/",
                wrap(self.restore_view),
                name="news_release_restore",
            ),
            path(
                "<path:object_id>/preview-links/",
                wrap(self.preview_link_view),
                name="news_release_preview_link",
            ),
            path(
                "<path:object_id>/preview-links/<int:link_id>/revoke/",
                wrap(self.preview_revoke_view),
                name="news_release_preview_revoke",
            ),
            path(
                "<path:object_id>/mentions/",
                wrap(self.mentions_view),
                name="news_release_mentions",
            ),
            path(
                "<path:object_id>/untrash/",
                wrap(self.untrash_view),
                name="news_release_untrash",
            ),
            *super().get_urls(),
        ]

    def _release_or_404(self, request: HttpRequest, object_id: str) -> Release:
        try:
            release = Release.objects.get(pk=unquote(object_id))
        except (Release.DoesNotExist, ValueError, ValidationError) as error:
            # The address is typed input: an id that is no number names no release.
            raise Http404 from error
        if not self.has_view_permission(request, release):
            raise PermissionDenied
        return release

    def _back(self, release: Release) -> HttpResponseRedirect:
        return HttpResponseRedirect(reverse("admin:news_release_change", args=[release.pk]))

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        release = Release.objects.filter(pk=unquote(object_id)).first()
        if release is not None:
            extra_context = {**(extra_context or {}), **self._workflow_context(request, release)}
        return super().change_view(request, object_id, form_url, extra_context)

    def _workflow_context(self, request: HttpRequest, release: Release) -> dict[str, Any]:
        user = request.user
        links = release.preview_links.active().select_related("release")
        last_send_back = release.audit_entries.filter(action="send_back").first()
        return {
            "transitions": workflow.available_transitions(release=release, user=user),
            "audit_entries": release.audit_entries.select_related("user")[:50],
            "revisions": release.revisions.select_related("user")[:20],
            "pending_revision": release.pending_revision,
            "send_back": last_send_back if release.state == State.DRAFT else None,
            # The address lets anyone read the release: shown only to who may revoke it.
            "preview_links": [
                link for link in links if workflow.may_revoke_preview_link(link=link, user=user)
            ],
            "may_preview": workflow.may_create_preview_link(release=release, user=user),
            "may_untrash": release.deleted_at is not None and user.has_perm("news.delete_release"),
            "publishable_releases": Release.objects.published().exclude(pk=release.pk)[:50],
            **self._mentions_context(request, release),
        }

    def _mentions_context(self, request: HttpRequest, release: Release) -> dict[str, Any]:
        """What the text mentions, which of it is linked, and what may be linked with a click."""
        report = find_mentions(release_text(release), release.language)
        linked = _linked_keys(release)
        rows = [
            {
                "key": mention_key(m),
                "mention": m,
                "type_label": MENTION_TYPE_LABELS[m.type],
                "linked": mention_key(m) in linked,
                "words": sorted({span.text for span in m.spans}),
            }
            for m in sorted(
                report.mentions, key=lambda m: (list(EntityType).index(m.type), str(m.entity))
            )
        ]
        return {
            "mention_rows": rows,
            "mention_report": report,
            "mentions_to_link": sum(
                1 for r in rows if not r["linked"] and r["mention"].is_confident
            ),
            "may_link_mentions": release.can_be_edited_by(request.user),
            "mentions_read_chars": number_format(recognise.TEXT_MAX_CHARS, force_grouping=True),
        }

    def render_change_form(self, request: HttpRequest, context: dict[str, Any], **kwargs: Any):
        form = context["adminform"].form
        context["conflict"] = getattr(form, "conflict", None)
        return super().render_change_form(request, context, **kwargs)

    def transition_view(self, request: HttpRequest, object_id: str, name: str) -> HttpResponse:
        if request.method != "POST":
            return HttpResponse(status=405, headers={"Allow": "POST"})
        release = self._release_or_404(request, object_id)
        transition = workflow.TRANSITIONS.get(name)
        if transition is None:
            raise Http404
        form = TransitionForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                messages.error(request, " ".join(errors))
            return self._back(release)
        data = form.cleaned_data
        try:
            with transaction.atomic():
                current = Release.objects.select_for_update().get(pk=release.pk)
                if data["version"] is not None and data["version"] != current.version:
                    # The page was opened before someone else changed the release.
                    raise ValidationError(
                        _(
                            "The release changed after you opened it. Look at it again "
                            "before you decide."
                        ),
                        code="stale",
                    )
                transition.service(
                    release=release,
                    user=request.user,
                    **{need: data[need] for need in transition.needs},
                )
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
        else:
            entry = release.audit_entries.first()
            messages.success(
                request,
                format_html("«{}»: {}", release.title, entry.get_action_display() if entry else ""),
            )
        return self._back(release)

    def revisions_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Two revisions side by side (or one and the release as it is now)."""
        release = self._release_or_404(request, object_id)
        stored = release.revisions.select_related("user")
        current = {"label": _("as it is now"), "data": snapshot_of(release)}
        if release.pending_revision_id:
            current = {"label": _("unpublished changes"), "data": release.pending_revision.data}
        a_id, b_id = request.GET.get("a", ""), request.GET.get("b") or "current"
        # Ids in ASCII digits: "abc", "1.5" or "¹" would fail in the lookup itself (a 500).
        if not re.fullmatch("[0-9]{1,18}", a_id) or not re.fullmatch("current|[0-9]{1,18}", b_id):
            raise Http404
        a = get_object_or_404(stored, pk=a_id)
        b = get_object_or_404(stored, pk=b_id) if b_id != "current" else None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Compare revisions"),
            "release": release,
            "a": a,
            "b": b,
            "current_label": current["label"],
            "changes": revisions.compare(a.data, b.data if b else current["data"]),
            "may_restore": release.can_be_edited_by(request.user),
        }
        return TemplateResponse(request, "admin/news/release/revisions.html", context)

    @staticmethod
    def _post_only(request: HttpRequest) -> None:
        if request.method != "POST":
            raise PermissionDenied

    def restore_view(self, request: HttpRequest, object_id: str, revision_id: int):
        self._post_only(request)
        release = self._release_or_404(request, object_id)
        revision = get_object_or_404(Revision, pk=revision_id, release=release)
        try:
            workflow.revision_restore(revision=revision, user=request.user)
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
        else:
            messages.success(request, _("The revision is restored as the newest version."))
        return self._back(release)

    def preview_link_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        self._post_only(request)
        release = self._release_or_404(request, object_id)
        try:
            days = int(request.POST.get("days", 7))
        except ValueError:
            days = 0
        try:
            link = workflow.preview_link_create(
                release=release,
                user=request.user,
                days=days,
                pending=bool(request.POST.get("pending")),
            )
        except PermissionDenied as error:
            messages.error(request, str(error) or _("You may not share previews."))
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
        else:
            url = request.build_absolute_uri(link.get_absolute_url())
            messages.success(request, format_html("{} {}", _("Preview link:"), url))
        return self._back(release)

    def preview_revoke_view(self, request: HttpRequest, object_id: str, link_id: int):
        self._post_only(request)
        release = self._release_or_404(request, object_id)
        link = get_object_or_404(PreviewLink, pk=link_id, release=release)
        try:
            workflow.preview_link_revoke(link=link, user=request.user)
        except PermissionDenied as error:
            messages.error(request, str(error) or _("You may not revoke this preview link."))
        else:
            messages.success(request, _("The preview link no longer works."))
        return self._back(release)

    def mentions_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Link the mentions the editor ticked, or every confident one not linked yet."""
        self._post_only(request)
        release = self._release_or_404(request, object_id)
        report = find_mentions(release_text(release), release.language)
        chosen = set(request.POST.getlist("mention"))
        if "link_confident" in request.POST:
            chosen |= {mention_key(m) for m in report.confident}
        # Only what the text really mentions can be linked this way, whatever was posted.
        picked = [m for m in report.mentions if mention_key(m) in chosen]
        if not picked:
            messages.warning(request, _("Nothing was chosen to link."))
            return self._back(release)
        entities = {t: [m.entity for m in picked if m.type == t] for t in EntityType}
        workflow.release_link_entities(
            release=release,
            user=request.user,
            officials=entities[EntityType.OFFICIAL],
            organisations=entities[EntityType.ORGANISATION],
            countries=entities[EntityType.COUNTRY],
            topics=entities[EntityType.TOPIC],
        )
        names = ", ".join(str(m.entity) for m in picked)
        messages.success(request, format_html("{} {}", _("Linked:"), names))
        return self._back(release)

    def untrash_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        self._post_only(request)
        release = self._release_or_404(request, object_id)
        try:
            workflow.release_untrash(release=release, user=request.user)
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
        else:
            messages.success(request, _("The release is back from the bin."))
        return self._back(release)


MENTION_TYPE_LABELS = {
    EntityType.OFFICIAL: _("official"),
    EntityType.ORGANISATION: _("organisation"),
    EntityType.COUNTRY: _("country"),
    EntityType.TOPIC: _("topic"),
}


def mention_key(mention: Mention) -> str:
    return f"{mention.type}:{mention.pk}"


def _linked_keys(release: Release) -> set[str]:
    """Keys of what the release links now: its pending version's links when it has one."""
    if release.pending_revision_id:
        data = revisions.completed(release.pending_revision.data, release)
        tags = {t.pk for t in Tag.objects.filter(name__in=data["tags"])}
    else:
        relations = ["officials", "organisations", "countries"]
        data = {name: getattr(release, name).values_list("pk", flat=True) for name in relations}
        tags = set(release.tags.values_list("pk", flat=True))
    keys = {f"{EntityType.TOPIC}:{pk}" for pk in tags}
    for type, relation in [
        (EntityType.OFFICIAL, "officials"),
        (EntityType.ORGANISATION, "organisations"),
        (EntityType.COUNTRY, "countries"),
    ]:
        keys |= {f"{type}:{pk}" for pk in data[relation]}
    return keys


@admin.register(AuditEntry)
class AuditEntryAdmin(DateHierarchyMixin, admin.ModelAdmin):
    """The audit log across releases: read-only, filterable."""

    list_display = ["created_at", "release_link", "action", "from_state", "to_state", "user"]
    list_filter = [
        "action",
        "to_state",
        ("user", admin.RelatedOnlyFieldListFilter),
        "created_at",
    ]
    list_select_related = ["release", "user"]
    search_fields = ["release__title", "comment"]
    date_hierarchy = "created_at"
    fields = ["created_at", "release", "user", "action", "from_state", "to_state", "comment"]
    readonly_fields = fields

    @admin.display(description=_("release"), ordering="release__title")
    def release_link(self, entry: AuditEntry) -> str:
        url = reverse("admin:news_release_change", args=[entry.release_id])
        return format_html('<a href="{}">{}</a>', url, entry.release.title)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False
