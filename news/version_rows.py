"""A release's own rows (sources, gallery, documents) as part of a version (news.revisions).

A version keeps them as a list of dicts of their columns, each with the id of the row it was
read from (None for a row a pending version adds). Applying a version updates the rows with
those ids, deletes the others and creates the new ones, so a document keeps its address.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from news.models import Attachment, Image, Release, ReleaseImage, SourceURL

Row = dict[str, Any]


def _as_json(value: Any) -> Any:
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return value


@dataclass(frozen=True)
class Rows:
    """Rows of a model whose foreign key `release` points at the release (its related_name)."""

    name: str
    model: type[models.Model]
    # The columns a version holds, in the order the admin shows them.
    columns: tuple[str, ...]
    # How a row reads in a comparison.
    describe: Callable[[list[Row]], list[str]]
    public: bool = False
    # Set on every kept row before the rows are written: a partial unique constraint
    # (one primary source) must not see two rows at once while they change.
    reset: tuple[tuple[str, Any], ...] = ()
    # Whether a preview may show a row not stored yet (a document is downloaded by its id).
    shown_unsaved: bool = True

    @property
    def label(self) -> str:
        return str(self.model._meta.verbose_name_plural)

    def text(self, value: list[str]) -> str:
        return "\n".join(value)

    def _field(self, column: str) -> models.Field:
        return self.model._meta.get_field(column)

    def attname(self, column: str) -> str:
        return self._field(column).attname

    def row_of(self, obj: models.Model) -> Row:
        """A row as a version keeps it; an uploaded file not stored yet is stored now."""
        row: Row = {"id": obj.pk}
        for column in self.columns:
            value = getattr(obj, self._field(column).attname)
            if isinstance(value, models.fields.files.FieldFile) and value and not value._committed:
                value.save(value.name, value.file, save=False)
            row[column] = _as_json(value)
        return row

    def instance(self, release: Release, row: Row) -> models.Model:
        """The row as an unsaved instance of its model (with its id, when it has one)."""
        return self._fill(self.model(pk=row.get("id"), release=release), row)

    def _fill(self, obj: models.Model, row: Row) -> models.Model:
        for column in self.columns:
            if column in row:
                field = self._field(column)
                setattr(obj, field.attname, field.to_python(row[column]))
        return obj

    def read(self, release: Release) -> list[Row]:
        return [self.row_of(obj) for obj in getattr(release, self.name).all()]

    def read_form(self, release: Release, cleaned: Any) -> list[Row]:
        """The change form holds no rows (its inlines do): those an edit starts from."""
        return self.base(release)

    def base(self, release: Release) -> list[Row]:
        """The rows an edit starts from: the pending version's, else the release's own."""
        pending = release.pending_revision.data if release.pending_revision_id else {}
        return list(pending[self.name]) if self.name in pending else self.read(release)

    def check(self, rows: list[Row]) -> None:
        """Refuse rows the table's partial unique constraints would refuse (one primary)."""
        for column, unset in self.reset:
            if sum(1 for row in rows if row.get(column) != unset) > 1:
                field = self._field(column)
                raise ValidationError(
                    _("Only one row can be marked “%(field)s”.") % {"field": field.verbose_name},
                    code="unique",
                )

    def initial(self, value: list[Row]) -> list[Row]:
        return list(value)

    def assign(self, release: Release, value: Any) -> None:
        pass

    def link(self, release: Release, value: list[Row]) -> None:
        manager = getattr(release, self.name)
        existing = {obj.pk: obj for obj in manager.all()}
        kept = {row.get("id") for row in value} & set(existing)
        # A queryset delete sends post_delete for each row: a document's file goes too.
        manager.exclude(pk__in=kept).delete()
        if self.reset:
            manager.filter(pk__in=kept).update(**dict(self.reset))
        for row in value:
            if row.get("id") in kept:
                obj = self._fill(existing[row["id"]], row)
            else:
                obj = self._fill(self.model(release=release), row)
                if self._file_gone(obj):
                    continue  # a document deleted since this version: nothing to link to
            obj.full_clean(exclude=["release"])
            obj.save()

    def _file_gone(self, obj: models.Model) -> bool:
        files = [getattr(obj, f.attname) for f in self.model._meta.fields if f.name in self.columns]
        files = [file for file in files if isinstance(file, models.fields.files.FieldFile)]
        return any(not file or not file.storage.exists(file.name) for file in files)

    def show(self, release: Release, value: list[Row]) -> None:
        rows = [row for row in value if self.shown_unsaved or row.get("id")]
        objects = [self.instance(release, row) for row in rows]
        if self.model is ReleaseImage:
            images = Image.objects.in_bulk([obj.image_id for obj in objects])
            objects = [obj for obj in objects if obj.image_id in images]
            for obj in objects:
                obj.image = images[obj.image_id]
        # As Links.show: the page reads release.<name>.all(), which answers from this cache.
        vars(release).setdefault("_prefetched_objects_cache", {})[self.name] = objects
        release.has_gallery = release.has_attachments = True

    def readable(self, value: list[Row]) -> list[str]:
        return self.describe(value)

    def merge(self, value: Any, more: Iterable[Any]) -> Any:
        raise TypeError(f"{self.name} are rows: nothing to add to them this way")


def _sources(rows: list[Row]) -> list[str]:
    return [
        " — ".join(part for part in [row.get("url", ""), row.get("title", "")] if part)
        for row in rows
    ]


def _gallery(rows: list[Row]) -> list[str]:
    images = Image.objects.in_bulk([row.get("image") for row in rows])
    return [
        f"{row.get('position')}. {images.get(row.get('image')) or row.get('image')}" for row in rows
    ]


def _attachments(rows: list[Row]) -> list[str]:
    return [f"{row.get('position')}. {row.get('title')} ({row.get('filename')})" for row in rows]


SOURCES = Rows(
    "sources",
    SourceURL,
    ("url", "title", "publisher", "is_primary", "checked_at"),
    _sources,
    public=True,
    reset=(("is_primary", False),),
)
GALLERY = Rows("gallery_items", ReleaseImage, ("position", "image"), _gallery)
ATTACHMENTS = Rows(
    "attachments",
    Attachment,
    ("position", "title", "file", "filename", "content_type", "size"),
    _attachments,
    shown_unsaved=False,
)
