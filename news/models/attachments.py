"""Documents attached to a release: PDF and office files, their type checked by content.

The type comes from the bytes, never from the name or the browser's word: a PDF starts
with %PDF-, an OOXML file is a ZIP holding [Content_Types].xml, an ODF file a ZIP whose
first member "mimetype" names its type, a legacy Office file an OLE compound document.
"""

from __future__ import annotations

import io
import posixpath
import uuid
import zipfile
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OOXML_TYPES = {
    "word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt/": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
ODF_TYPES = {
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.presentation",
}
OLE_TYPES = {
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "ppt": "application/vnd.ms-powerpoint",
}
EXTENSIONS = {
    "application/pdf": "pdf",
    OOXML_TYPES["word/"]: "docx",
    OOXML_TYPES["xl/"]: "xlsx",
    OOXML_TYPES["ppt/"]: "pptx",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
    **{content_type: ext for ext, content_type in OLE_TYPES.items()},
}
LABELS = {content_type: ext.upper() for content_type, ext in EXTENSIONS.items()}
MAX_BYTES = 50 * 1024 * 1024
ACCEPTED = _("Attach a PDF, Word, Excel, PowerPoint or OpenDocument file.")


def max_bytes() -> int:
    return getattr(settings, "NEWS_ATTACHMENT_MAX_BYTES", MAX_BYTES)


def document_type(file: IO[bytes]) -> str:
    """The MIME type of a document judged by its content; raises ValidationError if refused."""
    if (getattr(file, "size", None) or 0) > max_bytes():
        raise ValidationError(_("The file is too large."), code="too_large")
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head == OLE_SIGNATURE:
        name = str(getattr(file, "name", "")).rsplit(".", 1)[-1].lower()
        # The OLE container is the same for all three; the name picks the program to open it.
        return OLE_TYPES.get(name, OLE_TYPES["doc"])
    if head.startswith(b"PK\x03\x04"):
        content_type = _zip_document_type(file)
        file.seek(0)
        if content_type:
            return content_type
    raise ValidationError(
        _("This file is not a document we accept. %(accepted)s"),
        code="document_type",
        params={"accepted": ACCEPTED},
    )


def _zip_document_type(file: IO[bytes]) -> str | None:
    try:
        with zipfile.ZipFile(file) as archive:
            names = archive.namelist()
            if names and names[0] == "mimetype":
                mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
                return mimetype if mimetype in ODF_TYPES else None
            if "[Content_Types].xml" in names:
                for prefix, content_type in OOXML_TYPES.items():
                    if any(name.startswith(prefix) for name in names):
                        return content_type
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, io.UnsupportedOperation):
        return None
    return None


def attachment_path(instance: Attachment, filename: str) -> str:
    """A random name on disk: the reader's file name lives in the row, never in a path."""
    return f"attachments/{uuid.uuid4().hex}.{EXTENSIONS.get(instance.content_type, 'bin')}"


class Attachment(models.Model):
    """A document readers can download from the release page."""

    release = models.ForeignKey(
        "news.Release",
        verbose_name=_("release"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=255)
    title = models.CharField(_("title"), max_length=300)
    filename = models.CharField(
        _("download name"),
        max_length=255,
        blank=True,
        help_text=_("The name the file downloads under; the uploaded name when left empty."),
    )
    size = models.PositiveBigIntegerField(_("size"), default=0, editable=False)
    content_type = models.CharField(_("type"), max_length=100, editable=False)
    position = models.PositiveIntegerField(pgettext_lazy("order in a list", "position"), default=0)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("news:attachment-download", kwargs={"pk": self.pk})

    @property
    def type_label(self) -> str:
        return LABELS.get(self.content_type, self.content_type)

    @property
    def download_name(self) -> str:
        name = self.filename or self.title
        ext = EXTENSIONS.get(self.content_type, "")
        if ext and not name.lower().endswith(f".{ext}"):
            name = f"{name}.{ext}"
        return name

    def clean(self) -> None:
        upload = self.file.file if self.file and not self.file._committed else None
        if upload is None:
            return
        try:
            self.content_type = document_type(upload)
        except ValidationError as error:
            raise ValidationError({"file": error.error_list}) from None
        self.size = upload.size
        if not self.filename:
            self.filename = posixpath.basename(str(getattr(upload, "name", "")))[:255]


@receiver(post_delete, sender=Attachment, dispatch_uid="news_attachment_file")
def _attachment_deleted(sender: type[Attachment], instance: Attachment, **kwargs: object) -> None:
    # Each attachment owns its randomly named file; cascades from a release come here too.
    name, storage = instance.file.name, instance.file.storage
    if name:
        transaction.on_commit(lambda: storage.delete(name))
