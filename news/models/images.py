"""The image library: press photos stored once, described once, used by many releases.

The files (a master and its renditions, see news.images) are named by the content's sha256,
so an Image row owns its folder. Its files are deleted only after the row's deletion is
committed, and only if no other row names the same content.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from news.images import Picture, Rendition, delete_image_files, picture, renditions


class Licence(models.TextChoices):
    ALL_RIGHTS = "all_rights", _("all rights reserved")
    CC_BY = "cc_by", _("CC BY 4.0")
    CC_BY_SA = "cc_by_sa", _("CC BY-SA 4.0")
    CC0 = "cc0", _("CC0 (public domain)")
    PRESS_FREE = "press_free", _("free for press use with credit")
    OTHER = "other", _("other (see licence text)")


class Image(models.Model):
    """A press photo: a master re-encoded without metadata, with its description and credit."""

    file = models.CharField(_("master file"), max_length=255, editable=False)
    width = models.PositiveIntegerField(_("width"), editable=False)
    height = models.PositiveIntegerField(_("height"), editable=False)
    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True, editable=False)
    alt = models.CharField(
        _("description (alt text)"),
        max_length=300,
        blank=True,
        help_text=_("What the photo shows, for readers who cannot see it. Required to publish."),
    )
    caption = models.CharField(_("caption"), max_length=500, blank=True)
    credit = models.CharField(
        _("credit"),
        max_length=200,
        blank=True,
        help_text=_("Photographer, press service or agency."),
    )
    licence = models.CharField(
        _("licence"), max_length=20, choices=Licence, default=Licence.ALL_RIGHTS
    )
    licence_text = models.CharField(
        _("licence text"),
        max_length=300,
        blank=True,
        help_text=_("Terms in words, when the licence is not one of the list."),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("image")
        verbose_name_plural = _("images")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.alt or self.caption or self.sha256[:12]

    @property
    def url(self) -> str:
        return default_storage.url(self.file)

    @property
    def content_type(self) -> str:
        return "image/png" if self.file.endswith(".png") else "image/jpeg"

    @property
    def licence_label(self) -> str:
        """What readers see of the licence: the free text when there is one."""
        if self.licence_text:
            return self.licence_text
        return "" if self.licence == Licence.OTHER else str(self.get_licence_display())

    def picture(self) -> Picture:
        """The <picture> description; no query and no storage access but url()."""
        return picture(self.file, width=self.width, height=self.height)

    def shared(self, width: int, absolute: Callable[[str], str]) -> dict[str, Any]:
        """The rendition nearest to width as pages, feeds and e-mails hand it on: its full
        address (absolute() makes it), size in pixels, type, and this image's description."""
        rendition = self.rendition(width)
        return {
            "url": absolute(default_storage.url(rendition.name)),
            "name": rendition.name,
            "width": rendition.width,
            "height": rendition.height,
            "type": "image/png" if rendition.format == "png" else "image/jpeg",
            "alt": self.alt,
        }

    def rendition(self, width: int) -> Rendition:
        """The fallback (JPEG or PNG) rendition nearest to width."""
        fallback = [
            r
            for r in renditions(self.file, width=self.width, height=self.height)
            if r.format in ("jpg", "png")
        ]
        return min(fallback, key=lambda r: abs(r.width - width))


def delete_files_when_unused(name: str, sha256: str) -> None:
    """After the commit, delete a master and its renditions unless another row still uses them."""

    def delete() -> None:
        if not Image.objects.filter(sha256=sha256).exists():
            delete_image_files(name)

    transaction.on_commit(delete)


@receiver(post_delete, sender=Image, dispatch_uid="news_image_files")
def _image_deleted(sender: type[Image], instance: Image, **kwargs: object) -> None:
    # A signal, not delete(): queryset and cascade deletes never call Model.delete().
    delete_files_when_unused(instance.file, instance.sha256)


class ReleaseImage(models.Model):
    """A photo in a release's gallery, at its place in the order."""

    release = models.ForeignKey(
        "news.Release",
        verbose_name=_("release"),
        on_delete=models.CASCADE,
        related_name="gallery_items",
    )
    image = models.ForeignKey(
        Image, verbose_name=_("image"), on_delete=models.PROTECT, related_name="gallery_items"
    )
    position = models.PositiveIntegerField(
        pgettext_lazy("order in a list", "position"),
        default=0,
        help_text=_("Smaller numbers come first."),
    )

    class Meta:
        verbose_name = _("gallery image")
        verbose_name_plural = _("gallery")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["release", "image"], name="release_image_once_per_gallery"
            ),
        ]

    def __str__(self) -> str:
        return str(self.image)
