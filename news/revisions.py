"""The versions of a release, declared once: what a version holds and how each part moves.

A version is JSON (Revision.data). Taking one, applying one, a change form's initial data, a
preview of a pending one and the comparisons editors and readers see all read VERSION_FIELDS.
A version stored before a field was added lacks its key: that field then keeps what it has.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import models
from taggit.utils import edit_string_for_tags

from news.diff import FieldChange, as_text, plain_text, word_diff
from news.html import sanitize
from news.models import Appointment, Release
from news.models.topics import Topic, topic_slug
from news.version_rows import ATTACHMENTS, GALLERY, SOURCES, Rows

Data = Mapping[str, Any]


@dataclass(frozen=True)
class Value:
    """A column of the release; a foreign key is kept as the id."""

    name: str
    # Shown to readers on the page of a public correction ("what changed").
    public: bool = False
    # What a save would make of an edited value (the body is sanitised), for a staged version.
    normalise: Callable[[Any], Any] | None = None
    # How the value reads as text for a word diff.
    text: Callable[[Any], str] = as_text

    @property
    def field(self) -> Any:
        return Release._meta.get_field(self.name)

    @property
    def label(self) -> str:
        return str(self.field.verbose_name)

    def read(self, release: Release) -> Any:
        value = release.serializable_value(self.name)
        return value.isoformat() if isinstance(value, datetime.date) else value

    def read_form(self, release: Release, cleaned: Data) -> Any:
        """The value a valid change form gives (its instance holds the form's columns)."""
        value = self.read(release)
        return self.normalise(value) if self.normalise and value is not None else value

    def initial(self, value: Any) -> Any:
        return self.field.to_python(value)

    def assign(self, release: Release, value: Any) -> None:
        """Set the value in memory, before the release is saved."""
        setattr(release, self.field.attname, self.field.to_python(value))

    def link(self, release: Release, value: Any) -> None:
        """Write what needs the saved release (links): nothing for a column."""

    def show(self, release: Release, value: Any) -> None:
        self.assign(release, value)

    def readable(self, value: Any) -> Any:
        related = self.field.related_model
        if related is None or value is None:
            return value
        found = related._default_manager.filter(pk=value).first()
        return str(found) if found else value

    def merge(self, value: Any, more: Iterable[Any]) -> Any:
        raise TypeError(f"{self.name} holds one value: nothing to add to it")


@dataclass(frozen=True)
class Links(Value):
    """A many-to-many link, kept as the sorted ids of the linked rows."""

    # The queryset a page of the release reads them through (what for_detail() prefetches).
    display: Callable[[models.QuerySet], models.QuerySet] = lambda queryset: queryset

    def read(self, release: Release) -> list[int]:
        return sorted(getattr(release, self.name).values_list("pk", flat=True))

    def read_form(self, release: Release, cleaned: Data) -> list[int]:
        if self.name not in cleaned:
            return self.read(release)
        return sorted(obj.pk for obj in cleaned[self.name])

    def initial(self, value: list[int]) -> list[int]:
        return list(value)

    def assign(self, release: Release, value: Any) -> None:
        pass

    def link(self, release: Release, value: list[int]) -> None:
        getattr(release, self.name).set(value)

    def show(self, release: Release, value: list[int]) -> None:
        # Django has no public way to give an instance links it has not in the database;
        # the page reads release.<name>.all(), which answers from this cache.
        queryset = self.display(self.field.related_model._default_manager.filter(pk__in=value))
        vars(release).setdefault("_prefetched_objects_cache", {})[self.name] = queryset

    def readable(self, value: list[int]) -> list[str]:
        objects = self.field.related_model._default_manager.in_bulk(value)
        return sorted(str(objects[pk]) for pk in value if pk in objects)

    def merge(self, value: list[int], more: Iterable[Any]) -> list[int]:
        return sorted(set(value) | {getattr(item, "pk", item) for item in more})


@dataclass(frozen=True)
class Topics(Value):
    """The topics (django-taggit tags), kept as their sorted names: a new one has no row yet."""

    def read(self, release: Release) -> list[str]:
        return sorted(release.tags.names())

    def read_form(self, release: Release, cleaned: Data) -> list[str]:
        if self.name not in cleaned:
            return self.read(release)
        return sorted(cleaned[self.name])

    def initial(self, value: list[str]) -> str:
        # Quoted as taggit writes them, so a name with a comma or a space stays one topic.
        return edit_string_for_tags([Topic(name=name) for name in value])

    def assign(self, release: Release, value: Any) -> None:
        pass

    def link(self, release: Release, value: list[str]) -> None:
        release.tags.set(value)

    def show(self, release: Release, value: list[str]) -> None:
        existing = {tag.name: tag for tag in Topic.objects.filter(name__in=value)}
        topics = [existing.get(name) or Topic(name=name, slug=topic_slug(name)) for name in value]
        release.topics = sorted(topics, key=lambda topic: topic.name)

    def readable(self, value: list[str]) -> list[str]:
        return sorted(value)

    def merge(self, value: list[str], more: Iterable[Any]) -> list[str]:
        return sorted(set(value) | {getattr(item, "name", item) for item in more})


def _with_positions(officials: models.QuerySet) -> models.QuerySet:
    appointments = Appointment.objects.select_related("organisation")
    return officials.prefetch_related(models.Prefetch("appointments", queryset=appointments))


# Everything a version of a release holds, in the order editors and readers see the changes.
VERSION_FIELDS: list[Value | Rows] = [
    Value("title", public=True),
    Value("slug"),
    Value("kind"),
    Value("language"),
    Value("summary", public=True),
    Value("body", public=True, normalise=sanitize, text=plain_text),
    Value("event_start", public=True),
    Value("event_end", public=True),
    Value("place", public=True),
    Value("contact"),
    Links("officials", display=_with_positions),
    Links("organisations"),
    Links("countries"),
    Links("delegations", display=lambda delegations: delegations.select_related("country")),
    Topics("tags"),
    Value("lead_image"),
    SOURCES,
    GALLERY,
    ATTACHMENTS,
]

# Everything else of a release, and why a version does not hold it.
EXCLUDED: dict[str, str] = {
    "id": "the row itself",
    "uid": "the permanent identifier: the same in every version",
    "translation_key": "the translation group: set once, not edited",
    "state": "the workflow's, not the text's",
    "published_at": "set by publishing and scheduling, not by an edit",
    "created_at": "a timestamp of the row",
    "updated_at": "a timestamp of the row",
    "corrected_at": "set by publishing a correction with a public note",
    "created_by": "who made the release, recorded by the workflow",
    "last_edited_by": "recorded by the workflow from the revision's user",
    "version": "the edit counter; each revision stores it in its own column",
    "needs_post_review": "the workflow's",
    "withdrawn_at": "the workflow's: set by a withdrawal",
    "withdrawal_reason": "the workflow's: set by a withdrawal",
    "replaced_by": "the workflow's: set by unpublishing",
    "pending_revision": "the version waiting to be published, not part of one",
    "deleted_at": "the bin's",
    "search_vector": "derived from the text by a database trigger",
    "gallery": "the images of gallery_items, which a version holds as rows",
    "taggedrelease": "the rows behind tags, which a version holds by name",
    "audit_entries": "the editorial record of the release",
    "related_entries": "its related releases: computed from its links when published",
    "related_to": "the related-release lists it stands in: computed from links",
    "revisions": "the versions themselves",
    "change_notes": "the public record of corrections",
    "preview_links": "the editorial record of the release",
    "telegram_posts": "what the Telegram channel showed of it",
    "mail_held": "the publisher's choice when publishing: no e-mail to subscribers",
}

FIELD_NAMES = [field.name for field in VERSION_FIELDS]
# The fields of the change form itself; a release's rows are edited in its inlines.
FORM_FIELD_NAMES = [field.name for field in VERSION_FIELDS if not isinstance(field, Rows)]
ROWS = {field.name: field for field in VERSION_FIELDS if isinstance(field, Rows)}
PUBLIC_FIELDS = [field for field in VERSION_FIELDS if field.public]


def snapshot(release: Release) -> dict[str, Any]:
    """The release's content as JSON. Costs a query per link and one for the topics."""
    return {field.name: field.read(release) for field in VERSION_FIELDS}


def snapshot_of_form(form: Any) -> dict[str, Any]:
    """The content a valid change form would give its release, as JSON; nothing is saved."""
    return {
        field.name: field.read_form(form.instance, form.cleaned_data) for field in VERSION_FIELDS
    }


def completed(data: Data, release: Release) -> dict[str, Any]:
    """A version with what it lacks (stored before a field was added) read from the release."""
    missing = {
        field.name: field.read(release) for field in VERSION_FIELDS if field.name not in data
    }
    return {**data, **missing}


def form_initial(data: Data) -> dict[str, Any]:
    """A version as a change form's initial data; what it lacks, the form reads from the row."""
    return {
        field.name: field.initial(data[field.name])
        for field in VERSION_FIELDS
        if field.name in data
    }


def apply(release: Release, data: Data) -> None:
    """Give release a version's content and save it, links and topics included."""
    present = [field for field in VERSION_FIELDS if field.name in data]
    for field in present:
        field.assign(release, data[field.name])
    release.full_clean()
    release.save()
    for field in present:
        field.link(release, data[field.name])


def show(release: Release, data: Data) -> None:
    """Make release, in memory only, look as a version will: for a preview of it."""
    for field in VERSION_FIELDS:
        if field.name in data:
            field.show(release, data[field.name])


def show_pending_version(release: Release) -> None:
    """Make release, in memory only, look as its pending version will."""
    show(release, release.pending_revision.data)


def merged(data: Data, additions: Mapping[str, Iterable[Any]]) -> dict[str, Any]:
    """A complete version with more links or topics added to those it holds."""
    result = dict(data)
    for field in VERSION_FIELDS:
        if field.name in additions:
            result[field.name] = field.merge(data[field.name], additions[field.name])
    return result


def compare(before: Data, after: Data, fields: Iterable[Value] = VERSION_FIELDS) -> list:
    """Each field whose value differs between two versions, by name, with a word diff.

    A field one of them lacks (stored before it was added) is not compared: its value is not known.
    """
    changes = []
    for field in fields:
        if field.name not in before or field.name not in after:
            continue
        if before[field.name] == after[field.name]:
            continue
        old, new = field.readable(before[field.name]), field.readable(after[field.name])
        if old == new:
            continue
        diff = word_diff(field.text(old), field.text(new))
        changes.append(FieldChange(field.name, field.label, old, new, diff))
    return changes


def public_changes(before: Data, after: Data) -> list[FieldChange]:
    """What a public correction changed, in the fields readers are shown."""
    return compare(before, after, PUBLIC_FIELDS)
