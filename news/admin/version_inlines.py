"""The inlines of a live release: its sources, gallery and documents edited as a version.

A live release's rows stay as readers see them until its pending version is published. Its
inlines show the rows of that version (or the live ones) as forms of new rows, each carrying
its place in that list (`row`); a save reads them back into the version (news.version_rows).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.formsets import TOTAL_FORM_COUNT

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
        self._management_posted = False
        self.in_version = bool(instance is not None and instance.pk and instance.is_published)
        self.version_field: Rows | None = None
        self.base_rows: list[Row] = []
        if self.in_version:
            self.version_field = revisions.ROWS[self.fk.remote_field.get_accessor_name()]
            self.base_rows = self.version_field.base(instance)
            kwargs["queryset"] = self.model._default_manager.none()
            initial = [
                {**self._initial(instance, row), "row": index}
                for index, row in enumerate(self.base_rows)
            ]
            kwargs["initial"] = initial
        super().__init__(data, files, instance=instance, **kwargs)
        self._management_posted = data is not None and self.add_prefix(TOTAL_FORM_COUNT) in data
        if self.in_version and self.is_bound:
            # A browser's script renumbers the forms when a row is taken off the page: each
            # form is compared with the row it names, not with the row at its number.
            self.initial_extra = [
                initial[index] if (index := self._place_posted(i)) is not None else {}
                for i in range(self.total_form_count())
            ]
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
        index = self._place(form) if form.is_bound else i
        if self.in_version and index is not None and index < len(self.base_rows):
            # What the inline shows but does not edit (a document's type and size).
            shown = self.version_field.instance(self.instance, self.base_rows[index])
            for column in self.version_field.columns:
                setattr(form.instance, column, getattr(shown, column))
        return form

    def version_rows(self) -> list[Row]:
        """The rows of the version after this save; call once the formset is valid."""
        return self._merged(lambda form: self.version_field.row_of(form.instance))

    def clean(self) -> None:
        super().clean()
        if self.in_version and not any(self.errors):
            try:
                # As posted, without storing an uploaded file: a refused save stores nothing.
                self.version_field.check(self._merged(self._posted_values))
            except ValidationError as error:
                raise ValidationError(error.messages) from None

    def _posted_values(self, form: forms.Form) -> Row:
        columns = self.version_field.columns
        return {
            column: form.cleaned_data[column] for column in columns if column in form.cleaned_data
        }

    def _place(self, form: forms.Form) -> int | None:
        """The place in the version's rows a form was shown for; None for a new row."""
        return self._place_posted(int(form.prefix.rsplit("-", 1)[1]))

    def _place_posted(self, i: int) -> int | None:
        """The place in the version's rows that the i-th posted form names, if any."""
        try:
            index = int(str(self.data.get(f"{self.add_prefix(i)}-row", "")).strip())
        except ValueError:
            return None
        return index if 0 <= index < len(self.base_rows) else None

    def _merged(self, read: Any) -> list[Row]:
        """The version's rows with the forms' changes, each changed row made by read(form).

        A row whose form was not posted is kept when the inline was left out of the post, and
        removed when it was there (a browser leaves out a row the editor took off the page).
        """
        rows: dict[int, Row | None] = {}
        if not self._management_posted:
            rows = dict(enumerate(self.base_rows))
        added = []
        for form in self.forms:
            index = self._place(form)
            if self._should_delete_form(form):
                if index is not None:
                    rows[index] = None
                continue
            if index is not None and index not in rows:
                rows[index] = self.base_rows[index]
            if not form.has_changed():
                continue
            row = read(form)
            if index is not None and rows[index] is not None:
                rows[index] = {**row, "id": self.base_rows[index].get("id")}
            else:
                added.append({**row, "id": None})
        kept = [rows[index] for index in sorted(rows) if rows[index] is not None]
        return kept + added
