"""The image library: upload a photo once, describe it, use it in many releases."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from news.admin.entities import PublicSiteMixin
from news.admin.listing import DateHierarchyMixin
from news.admin.locking import OptimisticLockForm, OptimisticLockMixin
from news.images import NormalisedImage, generate_renditions, normalise, store_master
from news.models import Image, Release
from news.models.images import delete_files_when_unused

THUMBNAIL_WIDTH = 320


class ImageAdminForm(OptimisticLockForm):
    """An upload is decoded and re-encoded in clean(): a refused one stores nothing."""

    upload = forms.FileField(
        label=_("photo"),
        required=False,
        help_text=_(
            "JPEG, PNG, WebP, GIF or AVIF. Location and camera data are removed on upload."
        ),
    )

    class Meta:
        model = Image
        fields = ["upload", "alt", "caption", "credit", "licence", "licence_text"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.normalised: NormalisedImage | None = None
        self.fields["upload"].required = not self.instance.pk

    def clean_upload(self) -> Any:
        upload = self.cleaned_data.get("upload")
        if upload:
            self.normalised = normalise(upload)
            same = Image.objects.filter(sha256=self.normalised.sha256).exclude(pk=self.instance.pk)
            if same.exists():
                other = same.get()
                raise forms.ValidationError(
                    _("This photo is in the library already: «%(image)s» (number %(pk)s)."),
                    code="duplicate",
                    params={"image": other, "pk": other.pk},
                )
        return upload

    def save(self, commit: bool = True) -> Image:
        image = super().save(commit=False)
        if self.normalised is not None:
            replaced = (image.file, image.sha256) if image.pk and image.file else None
            normalised = self.normalised
            image.file = normalised.name
            image.sha256 = normalised.sha256
            image.width, image.height = normalised.width, normalised.height

            def store() -> None:
                generate_renditions(store_master(normalised))

            # Files are written once the row is committed: a failed save leaves none behind.
            transaction.on_commit(store)
            if replaced and replaced[1] != image.sha256:
                delete_files_when_unused(*replaced)
        if commit:
            image.save()
        return image


@admin.register(Image)
class ImageAdmin(PublicSiteMixin, DateHierarchyMixin, OptimisticLockMixin, admin.ModelAdmin):
    form = ImageAdminForm
    list_display = ["thumbnail", "__str__", "credit", "licence", "size", "created_at"]
    list_display_links = ["thumbnail", "__str__"]
    list_filter = ["licence", "created_at"]
    search_fields = ["alt", "caption", "credit"]
    date_hierarchy = "created_at"
    readonly_fields = ["preview", "size", "sha256", "uploaded_by", "created_at", "used_in"]
    fieldsets = [
        (None, {"fields": ["preview", "upload"]}),
        (_("Description"), {"fields": ["alt", "caption", "credit", "licence", "licence_text"]}),
        (_("Use"), {"fields": ["used_in"]}),
        (
            _("File"),
            {"classes": ["collapse"], "fields": ["size", "sha256", "uploaded_by", "created_at"]},
        ),
    ]

    @admin.display(description=_("photo"))
    def thumbnail(self, image: Image) -> str:
        rendition = image.rendition(THUMBNAIL_WIDTH)
        return format_html(
            '<img class="image-thumbnail" src="{}" width="{}" height="{}" alt="">',
            default_storage.url(rendition.name),
            rendition.width,
            rendition.height,
        )

    @admin.display(description=_("preview"))
    def preview(self, image: Image) -> str:
        if not image.pk:
            return "—"
        return self.thumbnail(image)

    @admin.display(description=_("size"))
    def size(self, image: Image) -> str:
        if not image.pk:
            return "—"
        return f"{image.width} × {image.height}"

    @admin.display(description=_("used in releases"))
    def used_in(self, image: Image) -> str:
        if not image.pk:
            return "—"
        releases = (
            Release.objects.filter(Q(lead_image=image) | Q(gallery_items__image=image))
            .distinct()
            .only("pk", "title")
            .order_by("title")
        )
        if not releases:
            return "—"
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                '<li><a href="{}">{}</a></li>',
                (
                    (reverse("admin:news_release_change", args=[release.pk]), release.title)
                    for release in releases
                ),
            ),
        )

    def save_model(self, request: HttpRequest, obj: Image, form: Any, change: bool) -> None:
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)
