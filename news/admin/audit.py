"""The audit log across releases."""

from __future__ import annotations

from django.contrib import admin
from django.db import models
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from news.admin.listing import DateHierarchyMixin
from news.models import AuditEntry


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
