"""The inlines of a live release: its sources, gallery and documents edited as a version.

A live release's rows stay as readers see them until its pending version is published. Its
inlines show the rows of that version (or the live ones) as forms of new rows, each carrying
its place in that list (`row`); a save reads them back into the version (news.version_rows).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from news import revisions
from news.admin.release_forms import OptionalInlineFormSet
from news.version_rows import Row, Rows


class VersionRowForm(forms.ModelForm):
    """A row's form, with its place among the version's rows (empty for a row added now)."""

    row = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if getattr(self, "in_version", False):
            # The rows in the database are the live ones, not those of the version: only the
            # formset, which sees every row of the version, can tell a repeated value.
            self._validate_unique = self._validate_constraints = False
        return cleaned


class VersionRowsFormSet(OptionalInlineFormSet):
    """On a live release, the forms of its version's rows; otherwise the rows themselves."""

    def __init__(self, data: Any = None, files: Any = None, instance: Any = None, **kwargs: Any):
        self.in_version = bool(instance is not None and instance.pk and instance.is_published)
        self.version_field: Rows | None = None
        self.base_rows: list[Row] = []
        if self.in_version:
            self.version_field = revisions.ROWS[self.fk.remote_field.get_accessor_name()]
            self.base_rows = self.version_field.base(instance)
            kwargs["queryset"] = self.model._default_manager.none()
            kwargs["initial"] = [
                {**self._initial(instance, row), "row": index}
                for index, row in enumerate(self.base_rows)
            ]
        super().__init__(data, files, instance=instance, **kwargs)
        if self.in_version:
            self.extra = len(self.base_rows) + 1
            # Nothing is saved here (the version is): the admin's change message names nothing.
            self.new_objects, self.changed_objects, self.deleted_objects = [], [], []

    def _initial(self, release: Any, row: Row) -> dict[str, Any]:
        field, obj = self.version_field, self.version_field.instance(release, row)
        return {column: getattr(obj, field.attname(column)) for column in field.columns}

    def _construct_form(self, i: int, **kwargs: Any) -> forms.Form:
        form = super()._construct_form(i, **kwargs)
        form.in_version = self.in_version
        if self.in_version and i < len(self.base_rows):
            # What the inline shows but does not edit (a document's type and size).
            shown = self.version_field.instance(self.instance, self.base_rows[i])
            for column in self.version_field.columns:
                setattr(form.instance, column, getattr(shown, column))
        return form

    def version_rows(self) -> list[Row]:
        """The rows of the version after this save; call once the formset is valid."""
        rows: list[Row | None] = list(self.base_rows)
        added = []
        for form in self.forms:
            index = form.cleaned_data.get("row")
            known = index is not None and index < len(rows)
            if self._should_delete_form(form):
                if known:
                    rows[index] = None
                continue
            if not form.has_changed():
                continue
            row = self.version_field.row_of(form.instance)
            if known and rows[index] is not None:
                rows[index] = {**row, "id": rows[index].get("id")}
            else:
                added.append({**row, "id": None})
        return [row for row in rows if row is not None] + added

    def clean(self) -> None:
        super().clean()
        if self.in_version and not any(self.errors):
            try:
                self.version_field.check(self._rows_as_posted())
            except ValidationError as error:
                raise ValidationError(error.messages) from None

    def _rows_as_posted(self) -> list[Row]:
        """The rows after this save, without storing an uploaded file (for the checks)."""
        rows = dict(enumerate(self.base_rows))
        for form in self.forms:
            index = form.cleaned_data.get("row")
            if self._should_delete_form(form):
                rows.pop(index, None)
            elif form.has_changed():
                columns = [c for c in self.version_field.columns if c in form.cleaned_data]
                values = {c: form.cleaned_data[c] for c in columns}
                rows[index if index in rows else f"new{len(rows)}"] = values
        return list(rows.values())
