"""Optimistic locking for the admin's change forms: a save over a change stored since the form
was opened is refused, and nothing of it (inline rows included) is stored."""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib.admin.models import LogEntry
from django.contrib.admin.options import InlineModelAdmin
from django.contrib.admin.utils import display_for_value, flatten_fieldsets
from django.contrib.contenttypes.models import ContentType
from django.core import checks, signing
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models, transaction
from django.forms.models import model_to_dict
from django.http import HttpRequest
from django.utils import formats, timezone
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

LOCK_FIELD = "lock_token"
SALT = "news.admin.locking"
SHOWN_CHARS = 300


def digest(values: Any) -> str:
    text = json.dumps(values, default=str, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def stored_values(obj: models.Model) -> list[list[Any]]:
    """Every concrete field of obj, and the ids its many-to-many fields link."""
    meta = obj._meta
    values = [[field.attname, field.value_from_object(obj)] for field in meta.concrete_fields]
    for field in meta.many_to_many:
        if isinstance(field, models.ManyToManyField):
            pks = getattr(obj, field.attname).values_list("pk", flat=True)
            values.append([field.name, sorted(pks)])
    return values


def shown(obj: models.Model, field: models.Field) -> str:
    """The stored value of field, as a person reads it."""
    if field.many_to_many:
        value: Any = [str(item) for item in getattr(obj, field.name).all()]
    elif field.choices:
        value = getattr(obj, f"get_{field.name}_display")()
    else:
        value = getattr(obj, field.name)
    if isinstance(value, bool):
        text = gettext("Yes") if value else gettext("No")
    else:
        text = str(display_for_value(value, "—"))
    return Truncator(text).chars(SHOWN_CHARS) or "—"


@dataclass
class Related:
    """The rows one inline of the change form edits."""

    label: str
    rows: list[models.Model]
    fields: list[str]

    def describe(self) -> str:
        described = []
        for row in self.rows:
            values = []
            for name in self.fields:
                try:
                    values.append(shown(row, row._meta.get_field(name)))
                except FieldDoesNotExist:
                    continue
            described.append(", ".join(values) or str(row))
        return "; ".join(described) or "—"


@dataclass
class StoredState:
    """An object as stored, with the rows its change form's inlines edit."""

    obj: models.Model
    related: list[Related]

    @property
    def row_digest(self) -> str:
        return digest(stored_values(self.obj))

    @property
    def related_digest(self) -> str:
        return digest(
            [
                [related.label, [stored_values(row) for row in related.rows]]
                for related in self.related
            ]
        )

    def token(self) -> str:
        return signing.dumps(
            {
                "row": self.row_digest,
                "related": self.related_digest,
                "at": timezone.now().timestamp(),
            },
            salt=SALT,
        )


def read_stored_state(
    model: type[models.Model], pk: Any, *, lock: bool = False
) -> StoredState | None:
    """Read the object from the database, locking its row when asked and in a transaction."""
    rows = model._base_manager.filter(pk=pk)
    if lock and not transaction.get_autocommit(using=rows.db):
        rows = rows.select_for_update()
    obj = rows.first()
    return None if obj is None else StoredState(obj=obj, related=[])


def related_rows(
    request: HttpRequest | None, obj: models.Model, inlines: list[InlineModelAdmin]
) -> list[Related]:
    related = []
    for inline in inlines:
        # The inline's own formset finds the rows it edits, whatever its kind of foreign key.
        formset = inline.get_formset(request, obj)(
            instance=obj, queryset=inline.get_queryset(request), prefix="lock"
        )
        related.append(
            Related(
                label=capfirst(inline.verbose_name_plural),
                rows=list(formset.get_queryset()),
                fields=flatten_fieldsets(inline.get_fieldsets(request, obj)),
            )
        )
    return related


def last_logged_change(obj: models.Model, since: datetime.datetime) -> LogEntry | None:
    return (
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
            object_id=str(obj.pk),
            action_time__gte=since,
        )
        .select_related("user")
        .order_by("-action_time", "-pk")
        .first()
    )


class OptimisticLockForm(forms.ModelForm):
    """A change form that keeps, in a hidden field, a signed digest of the stored state it was
    opened at, and refuses to save once that state has changed."""

    lock_token = forms.CharField(widget=forms.HiddenInput, required=False)

    # Set by OptimisticLockMixin.get_form: the admin's inlines count as part of the state.
    lock_admin: OptimisticLockMixin | None = None
    lock_request: HttpRequest | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound and not self.instance._state.adding:
            state = self.read_stored_state()
            if state is not None:
                self.initial[LOCK_FIELD] = state.token()

    def read_stored_state(self, *, lock: bool = False) -> StoredState | None:
        model, pk = type(self.instance), self.instance.pk
        if self.lock_admin is None:
            return read_stored_state(model, pk, lock=lock)
        return self.lock_admin.read_stored_state(self.lock_request, pk, lock=lock)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.instance._state.adding:
            return cleaned
        state = self.read_stored_state(lock=True)
        if state is None:
            raise ValidationError(
                _("This entry was deleted while you were editing it. Nothing has been saved."),
                code="deleted",
            )
        opened = self.opened()
        if (
            opened is not None
            and opened["row"] == state.row_digest
            and opened["related"] == state.related_digest
        ):
            return cleaned
        errors = self.conflict_errors(state, opened)
        # Saving again after reading what is stored now is a deliberate choice.
        self.data = self.data.copy()
        self.data[self.add_prefix(LOCK_FIELD)] = state.token()
        raise ValidationError(errors)

    def opened(self) -> dict[str, Any] | None:
        """What the form was opened at; None when the token is missing or not ours."""
        token = self.data.get(self.add_prefix(LOCK_FIELD)) or ""
        try:
            opened = signing.loads(token, salt=SALT)
        except signing.BadSignature:
            return None
        if not (
            isinstance(opened, dict)
            and isinstance(opened.get("row"), str)
            and isinstance(opened.get("related"), str)
            and isinstance(opened.get("at"), int | float)
        ):
            return None
        return opened

    def conflict_errors(
        self, state: StoredState, opened: dict[str, Any] | None
    ) -> list[ValidationError]:
        if opened is None:
            errors = [
                ValidationError(
                    _(
                        "Nothing has been saved: this form does not show which version of the "
                        "entry it was opened at."
                    ),
                    code="stale",
                )
            ]
        else:
            since = datetime.datetime.fromtimestamp(opened["at"], tz=datetime.UTC)
            entry = last_logged_change(state.obj, since)
            if entry is not None and entry.user is not None:
                errors = [
                    ValidationError(
                        _(
                            "%(user)s saved this entry at %(time)s while you were editing it. "
                            "Nothing of yours has been saved."
                        ),
                        code="conflict",
                        params={
                            "user": entry.user.get_username(),
                            "time": formats.date_format(
                                timezone.localtime(entry.action_time), "DATETIME_FORMAT"
                            ),
                        },
                    )
                ]
            else:
                errors = [
                    ValidationError(
                        _(
                            "Someone else changed this entry while you were editing it. "
                            "Nothing of yours has been saved."
                        ),
                        code="conflict",
                    )
                ]
        if opened is None or opened["row"] != state.row_digest:
            for label, value in self.stored_differences(state.obj):
                errors.append(self.stored_now(label, value))
        if opened is None or opened["related"] != state.related_digest:
            for related in state.related:
                errors.append(self.stored_now(related.label, related.describe()))
        errors.append(
            ValidationError(
                _(
                    "Your values are still in the form. Compare them with what is stored now, "
                    "change what you need and save again."
                ),
                code="conflict",
            )
        )
        return errors

    def stored_differences(self, obj: models.Model) -> list[tuple[str, str]]:
        """The fields of this form whose stored value is not the one submitted."""
        differences = []
        for name, field in self.fields.items():
            if name == LOCK_FIELD or field.disabled:
                continue
            try:
                model_field = obj._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            stored = model_to_dict(obj, fields=[name]).get(name)
            if field.has_changed(stored, self[name].data):
                differences.append((str(field.label or name), shown(obj, model_field)))
        return differences

    @staticmethod
    def stored_now(label: str, value: str) -> ValidationError:
        return ValidationError(
            _("Stored now, %(field)s: %(value)s"),
            code="stored",
            params={"field": label, "value": value},
        )


class OptimisticLockMixin:
    """For a ModelAdmin: its change form (and the inlines on it) refuses to save over a change
    stored since the form was opened. The form must derive from OptimisticLockForm."""

    form = OptimisticLockForm

    def get_form(
        self, request: HttpRequest, obj: models.Model | None = None, change: bool = False, **kwargs
    ) -> type[OptimisticLockForm]:
        form = super().get_form(request, obj, change=change, **kwargs)
        # A class made for this request: safe to tell it the request and admin.
        form.lock_admin, form.lock_request = self, request
        return form

    def get_fieldsets(self, request: HttpRequest, obj: models.Model | None = None) -> list:
        fieldsets = list(super().get_fieldsets(request, obj))
        if not fieldsets or LOCK_FIELD in flatten_fieldsets(fieldsets):
            return fieldsets
        name, options = fieldsets[0]
        fieldsets[0] = (name, {**options, "fields": [*options["fields"], LOCK_FIELD]})
        return fieldsets

    def read_stored_state(
        self, request: HttpRequest | None, pk: Any, *, lock: bool = False
    ) -> StoredState | None:
        state = read_stored_state(self.model, pk, lock=lock)
        if state is not None:
            inlines = self.get_inline_instances(request, state.obj)
            state.related = related_rows(request, state.obj, inlines)
        return state

    def check(self, **kwargs: Any) -> list[checks.CheckMessage]:
        errors = super().check(**kwargs)
        if not issubclass(self.form, OptimisticLockForm):
            errors.append(
                checks.Error(
                    "The form of an admin with optimistic locking must derive from "
                    "OptimisticLockForm.",
                    obj=type(self),
                    id="news.E101",
                )
            )
        if self.list_editable:
            errors.append(
                checks.Error(
                    "list_editable saves without the optimistic lock: edit in the change form.",
                    obj=type(self),
                    id="news.E102",
                )
            )
        return errors
