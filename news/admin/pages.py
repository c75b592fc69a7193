"""The press service's own pages, each in Russian with its Belarusian and English texts."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from news.admin.entities import PublicSiteMixin
from news.admin.locking import OptimisticLockMixin
from news.models import Page
from news.models.pages import footer_changed


@admin.register(Page)
class PageAdmin(PublicSiteMixin, OptimisticLockMixin, admin.ModelAdmin):
    list_display = ["title", "slug", "in_footer", "order"]
    search_fields = ["title", "body"]
    prepopulated_fields = {"slug": ["title"]}
    fieldsets = [
        (None, {"fields": ["title", "slug", "body", "in_footer", "order"]}),
        (_("Belarusian"), {"fields": ["title_be", "body_be"]}),
        (_("English"), {"fields": ["title_en", "body_en"]}),
    ]

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        super().delete_queryset(request, queryset)
        footer_changed()
