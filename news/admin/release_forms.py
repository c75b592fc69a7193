"""The forms of a release's admin: the change form that catches a stale save, the inlines'
formset, and what a workflow button may post."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.forms.formsets import INITIAL_FORM_COUNT, TOTAL_FORM_COUNT
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from taggit.utils import parse_tags

from news import revisions
from news.admin.widgets import ReleaseBodyWidget, TopicsWidget
from news.models import Action, Release, Topic, snapshot_of
from news.models.limits import SHORT_TEXT_MAX_CHARS
from news.slugs import unique_slug


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


TOPIC_NAME_MAX_CHARS = Topic._meta.get_field("name").max_length


def parse_topics(text: str) -> list[str]:
    """Topic names from the topics box: one a line, or separated by commas on a line.

    A name with a comma in it is written in double quotes, as taggit wrote them before.
    """
    names: list[str] = []
    for line in text.splitlines():
        parts = parse_tags(line) if '"' in line else line.split(",")
        for name in (" ".join(part.split()) for part in parts):
            if name and name not in names:
                names.append(name)
    return names


class TopicsField(forms.Field):
    widget = TopicsWidget

    def to_python(self, value: Any) -> list[str]:
        if isinstance(value, list | tuple):
            return [str(name) for name in value]
        text = str(value or "")
        ProhibitNullCharactersValidator()(text)
        names = parse_topics(text)
        if too_long := [name for name in names if len(name) > TOPIC_NAME_MAX_CHARS]:
            raise ValidationError(
                _("A topic is at most %(max)d characters long: %(name)s…"),
                code="topic_too_long",
                params={"max": TOPIC_NAME_MAX_CHARS, "name": too_long[0][:40]},
            )
        return names

    def has_changed(self, initial: Any, data: Any) -> bool:
        before = sorted(getattr(topic, "name", topic) for topic in initial or [])
        try:
            return before != sorted(self.to_python(data))
        except ValidationError:
            return True


class ReleaseAdminForm(forms.ModelForm):
    """The change form, with the version it was opened at, so a stale save is caught."""

    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    tags = TopicsField(
        label=_("Topics"),
        required=False,
        help_text=_("One topic per line. Existing topics are suggested as you type."),
    )

    class Meta:
        model = Release
        fields = revisions.FORM_FIELD_NAMES
        widgets = {
            "body": ReleaseBodyWidget,
            # Two lines that wrap: a long title is read whole, not cut at the box's edge.
            "title": forms.Textarea(attrs={"rows": 2, "class": "release-title"}),
        }

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
                if isinstance(self.initial.get("tags"), str):
                    self.initial["tags"] = parse_tags(self.initial["tags"])

    def clean_title(self) -> str:
        """One line, whatever line breaks the box let in."""
        return " ".join(self.cleaned_data.get("title", "").split())

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


class TransitionForm(forms.Form):
    """Whatever a move may ask for; each service checks what it needs."""

    # Comments and reasons are kept in the audit log (and a withdrawal's shown to readers).
    comment = forms.CharField(required=False, max_length=SHORT_TEXT_MAX_CHARS)
    reason = forms.CharField(required=False, max_length=SHORT_TEXT_MAX_CHARS)
    note = forms.CharField(required=False, max_length=300)
    minor = forms.BooleanField(required=False)
    at = forms.DateTimeField(required=False)
    silent = forms.BooleanField(required=False)
    replacement = forms.ModelChoiceField(Release.objects.published(), required=False)
    version = forms.IntegerField(required=False)
