"""Releases in bulk from JSON Lines: one release per line, a whole file or nothing.

Each line is an object with these fields; only title is required::

    {"title": "...", "summary": "...", "body": "<p>...</p>",
     "published_at": "2024-08-28T10:00", "language": "ru", "kind": "press_release",
     "tags": ["связь"], "sources": [{"url": "https://...", "title": "..."}],
     "officials": [{"name": "Константин Шульган", "position": "Министр связи и информатизации"}],
     "organisations": ["Парк высоких технологий"],
     "event_start": "2024-08-28", "event_end": "2024-08-30"}

Times and dates are ISO 8601; a time without an offset is Minsk time. A release with published_at
is published then (a future time schedules it); without one it is a draft, unless the caller
publishes the whole file. A body without any HTML tag is plain text: paragraphs separated by
blank lines. Officials, organisations and tags are found by name (ignoring case) or created; an
official gets an appointment with the given position unless they already hold one so named.

Lines are checked, then stored in batches with bulk_create: Release.save() is not called, so the
slug and the sanitised body are made here, the same way it makes them.
"""

from __future__ import annotations

import datetime
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, reset_queries, transaction
from django.db.models import Model, QuerySet
from taggit.models import Tag

from news.html import paragraphs_to_html, sanitize
from news.importing.errors import ImportFailed, describe_os_error, describe_validation_error
from news.importing.fields import parse_date, parse_site_time, publisher_of, site_time
from news.models import (
    Appointment,
    Kind,
    Language,
    Official,
    Organisation,
    Release,
    SourceURL,
    State,
    TaggedRelease,
)
from news.models.limits import text_limit
from news.models.site import site_changed
from news.models.topics import topic_slug
from news.text import SLUG_MAX_LENGTH, latin_slug

BATCH_SIZE = 1000
FIELDS = {
    "title", "summary", "body", "published_at", "language", "kind", "tags", "sources",
    "officials", "organisations", "event_start", "event_end",
}  # fmt: skip
_TAG = re.compile(r"<[a-zA-Z/!]")
# A NUL no database text column takes; a lone surrogate no UTF-8 encoder writes.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
# What a line may hold besides its body: the other fields, with JSON's escapes.
LINE_MARGIN = 1024 * 1024


def jsonl_line_limit() -> int:
    """The longest line, in bytes, that can hold a release: a body \\u-escaped, and the rest."""
    return 6 * text_limit(Release, "body") + LINE_MARGIN


@dataclass
class JsonlSummary:
    """What importing one file stored."""

    releases: int = 0
    officials: int = 0
    organisations: int = 0
    tags: int = 0
    appointments: int = 0


@dataclass
class _Record:
    """One line, checked and ready to store."""

    release: Release
    sources: list[SourceURL]
    tags: list[str]
    officials: list[tuple[str, str]]  # (name, position); the position may be empty
    organisations: list[str]


class _BadLine(ValueError):
    pass


def import_jsonl_file(
    path: str | os.PathLike[str],
    *,
    language: str = Language.RU,
    publish_at: datetime.datetime | None = None,
    progress: Callable[[int], object] | None = None,
    batch_size: int = BATCH_SIZE,
) -> JsonlSummary:
    """Store every release in a JSON Lines file, or none of them: raise ImportFailed("FILE:LINE").

    language is the default for lines without one; publish_at publishes the lines without a
    published_at of their own. progress, if given, is called with the bytes read after each line.
    """
    path = Path(path)
    if language not in Language.values:
        raise ImportFailed(path, f"unknown language {language!r}")
    publish_at = site_time(publish_at) if publish_at else None
    try:
        handle = path.open("rb")
    except OSError as error:
        raise ImportFailed(path, describe_os_error(error)) from None
    try:
        with handle, transaction.atomic():
            store = _Store()
            batch: list[_Record] = []
            for number, raw in _lines(handle, path):
                if progress:
                    progress(len(raw))
                if not raw.strip():
                    continue
                try:
                    batch.append(_read_record(raw, language=language, publish_at=publish_at))
                except _BadLine as error:
                    raise ImportFailed(path, str(error), line=number) from None
                if len(batch) >= batch_size:
                    store.add(batch)
                    batch = []
            store.add(batch)
            if not store.summary.releases:
                raise ImportFailed(path, "contains no releases")
            if store.shows_readers:
                site_changed()
    except OSError as error:
        raise ImportFailed(path, describe_os_error(error)) from None
    except DatabaseError as error:
        raise ImportFailed(path, f"the database refused the file: {error}") from None
    return store.summary


def _lines(handle: BinaryIO, path: Path) -> Iterator[tuple[int, bytes]]:
    """The numbered lines of handle; ImportFailed for one too long to be a release, unread."""
    limit = jsonl_line_limit()
    number = 0
    while raw := handle.readline(limit + 1):
        number += 1
        if len(raw) > limit:
            raise ImportFailed(
                path,
                f"the line is longer than {limit:,} bytes, more than any release can hold",
                line=number,
            )
        yield number, raw


def _read_record(raw: bytes, *, language: str, publish_at: datetime.datetime | None) -> _Record:
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        raise _BadLine(f"is not UTF-8 text (byte {error.start + 1} of the line)") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise _BadLine(f"invalid JSON: {error.msg} (column {error.colno})") from None
    except RecursionError:
        raise _BadLine("invalid JSON: nested too deeply") from None
    except ValueError as error:  # a number of more than 4300 digits
        raise _BadLine(f"invalid JSON: {str(error).split(':')[0]}") from None
    if not isinstance(data, dict):
        raise _BadLine(f"expected a JSON object, found {_json_type(data)}")
    _check_strings(data)
    unknown = sorted(set(data) - FIELDS)
    if unknown:
        raise _BadLine(f"unknown field {unknown[0]!r} (known: {', '.join(sorted(FIELDS))})")

    title = _string(data, "title").strip()
    if not title:
        raise _BadLine("title is missing")
    language = _string(data, "language") or language
    if language not in Language.values:
        raise _BadLine(f"unknown language {language!r} (expected {', '.join(Language.values)})")
    kind = _string(data, "kind") or Kind.PRESS_RELEASE
    if kind not in Kind.values:
        raise _BadLine(f"unknown kind {kind!r} (expected {', '.join(Kind.values)})")
    published_at = _value(data, "published_at", parse_site_time) or publish_at
    body = _string(data, "body")
    if len(body) > text_limit(Release, "body"):
        # Refused before the work of converting and sanitising it; full_clean() says why.
        _check(Release(title=title, body=body), exclude=["slug"])
    if body and not _TAG.search(body):
        body = paragraphs_to_html([p.strip() for p in body.split("\n\n") if p.strip()])

    release = Release(
        title=title,
        summary=_string(data, "summary").strip(),
        body=body,
        language=language,
        kind=kind,
        event_start=_value(data, "event_start", parse_date),
        event_end=_value(data, "event_end", parse_date),
        state=State.PUBLISHED if published_at else State.DRAFT,
        published_at=published_at,
    )
    _check(release, exclude=["slug"])
    release.body = sanitize(body)  # after the check: it refuses what sanitize() would drop
    return _Record(
        release=release,
        sources=_sources(data),
        tags=_names(data, "tags", max_length=Tag._meta.get_field("name").max_length),
        officials=_officials(data),
        organisations=_names(
            data, "organisations", max_length=Organisation._meta.get_field("name").max_length
        ),
    )


def _string(data: dict[str, Any], name: str, where: str = "") -> str:
    value = data.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _BadLine(f"{where}{name} must be a string, not {_json_type(value)}")
    return value


def _json_type(value: Any) -> str:
    """What a JSON value is, in JSON's words."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "a list" if isinstance(value, list) else "an object"


def _check_strings(data: dict[str, Any]) -> None:
    """Refuse a NUL or a lone surrogate anywhere in data, naming where: no database stores them."""
    pending: list[tuple[str, Any]] = [("", data)]
    while pending:
        where, value = pending.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                if _UNSTORABLE.search(key):
                    raise _BadLine(f"a field name in {where or 'the line'} is not plain text")
                pending.append((f"{where}.{key}" if where else key, item))
        elif isinstance(value, list):
            pending.extend((f"{where}[{index}]", item) for index, item in enumerate(value))
        elif isinstance(value, str) and (match := _UNSTORABLE.search(value)):
            problem = (
                "a NUL character"
                if match[0] == "\x00"
                else "a broken character (a lone UTF-16 surrogate)"
            )
            raise _BadLine(f"{where} contains {problem}")


def _value(data: dict[str, Any], name: str, parse: Callable[[str], Any]) -> Any:
    text = _string(data, name)
    if not text:
        return None
    try:
        return parse(text)
    except ValueError as error:
        raise _BadLine(f"{name}: {error}") from None


def _list(data: dict[str, Any], name: str) -> list[Any]:
    value = data.get(name)
    if value is None:
        return []
    if not isinstance(value, list):
        raise _BadLine(f"{name} must be a list, not {type(value).__name__}")
    return value


def _check(instance: Release | SourceURL, *, exclude: list[str], where: str = "") -> None:
    try:
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        raise _BadLine(where + describe_validation_error(error)) from None


def _sources(data: dict[str, Any]) -> list[SourceURL]:
    sources: list[SourceURL] = []
    seen = set()
    for position, item in enumerate(_list(data, "sources")):
        where = f"sources[{position}]"
        if isinstance(item, str):
            item = {"url": item}
        if not isinstance(item, dict) or not set(item) <= {"url", "title"}:
            raise _BadLine(f"{where} must be a URL or an object with url and title")
        url = _string(item, "url", f"{where}.").strip()
        if not url:
            raise _BadLine(f"{where}.url is missing")
        if url in seen:
            continue
        seen.add(url)
        source = SourceURL(
            url=url,
            title=_string(item, "title", f"{where}.").strip(),
            publisher=publisher_of(url),
            is_primary=not sources,
        )
        _check(source, exclude=["release"], where=f"{where} {url[:80]!r}: ")
        sources.append(source)
    return sources


def _officials(data: dict[str, Any]) -> list[tuple[str, str]]:
    name_length = Official._meta.get_field("full_name").max_length
    position_length = Appointment._meta.get_field("title").max_length
    officials: dict[str, tuple[str, str]] = {}
    for position, item in enumerate(_list(data, "officials")):
        where = f"officials[{position}]"
        if isinstance(item, str):
            item = {"name": item}
        if not isinstance(item, dict) or not set(item) <= {"name", "position"}:
            raise _BadLine(f"{where} must be a name or an object with name and position")
        name = _tidy(_string(item, "name", f"{where}."))
        title = _tidy(_string(item, "position", f"{where}."))
        if not name:
            raise _BadLine(f"{where}.name is missing")
        if len(name) > name_length:
            raise _BadLine(f"{where}.name is longer than {name_length} characters")
        if len(title) > position_length:
            raise _BadLine(f"{where}.position is longer than {position_length} characters")
        officials.setdefault(_key(name), (name, title))
    return list(officials.values())


def _names(data: dict[str, Any], name: str, *, max_length: int) -> list[str]:
    names: dict[str, str] = {}
    for position, item in enumerate(_list(data, name)):
        if not isinstance(item, str) or not _tidy(item):
            raise _BadLine(f"{name}[{position}] must be a non-empty string")
        if len(_tidy(item)) > max_length:
            raise _BadLine(f"{name}[{position}] is longer than {max_length} characters")
        names.setdefault(_key(item), _tidy(item))
    return list(names.values())


def _tidy(name: str) -> str:
    return " ".join(name.split())


def _key(name: str) -> str:
    """What two names must share to be one person, body or tag: case and spacing aside."""
    return _tidy(name).casefold()


class _SlugPool:
    """Free slugs, as news.text.unique_slug makes them, checked against a set in memory."""

    def __init__(self, taken: Iterable[str]) -> None:
        self.taken = set(taken)
        self.next_suffix: dict[str, int] = {}

    def claim(self, text: str, fallback: str) -> str:
        base = latin_slug(text, SLUG_MAX_LENGTH - 8) or fallback
        slug = base
        if slug in self.taken:
            suffix = self.next_suffix.get(base, 2)
            while f"{base}-{suffix}" in self.taken:
                suffix += 1
            self.next_suffix[base] = suffix + 1
            slug = f"{base}-{suffix}"
        self.taken.add(slug)
        return slug


def _rows(model: type[Model], *fields: str) -> QuerySet:
    return model._default_manager.order_by().values_list(*fields)  # unordered is cheaper


def _column(model: type[Model], field: str) -> QuerySet:
    return model._default_manager.order_by().values_list(field, flat=True)


class _Store:
    """What is in the database already, and the batches written to it."""

    def __init__(self) -> None:
        self.summary = JsonlSummary()
        # Did a release get published (or scheduled), or an official a new position?
        self.shows_readers = False
        self.release_slugs = _SlugPool(_column(Release, "slug"))
        self.official_slugs = _SlugPool(_column(Official, "slug"))
        self.organisation_slugs = _SlugPool(_column(Organisation, "slug"))
        self.tag_slugs = set(_column(Tag, "slug"))
        self.officials: dict[str, int] = {}
        for pk, name in _rows(Official, "pk", "full_name").order_by("-pk"):
            self.officials[_key(name)] = pk  # of namesakes, the oldest is the one
        self.organisations = {_key(name): pk for pk, name in _rows(Organisation, "pk", "name")}
        self.tags = {_key(name): pk for pk, name in _rows(Tag, "pk", "name")}
        self.appointments = {
            (official, _key(title))
            for official, title in _rows(Appointment, "official_id", "title")
        }

    def add(self, batch: list[_Record]) -> None:
        if not batch:
            return
        self._create_officials(name for record in batch for name, _ in record.officials)
        self._create_organisations(name for record in batch for name in record.organisations)
        self._create_tags(name for record in batch for name in record.tags)

        releases = [record.release for record in batch]
        for release in releases:
            release.slug = self.release_slugs.claim(release.title, fallback="release")
        Release.objects.bulk_create(releases)

        sources, tagged, officials, organisations, appointments = [], [], [], [], []
        for record in batch:
            release = record.release
            for source in record.sources:
                source.release = release
                sources.append(source)
            for name in record.tags:
                tagged.append(TaggedRelease(content_object=release, tag_id=self.tags[_key(name)]))
            for name, title in record.officials:
                official = self.officials[_key(name)]
                officials.append(Release.officials.through(release=release, official_id=official))
                if title and (official, _key(title)) not in self.appointments:
                    self.appointments.add((official, _key(title)))
                    appointments.append(Appointment(official_id=official, title=title))
            for name in record.organisations:
                organisation = self.organisations[_key(name)]
                organisations.append(
                    Release.organisations.through(release=release, organisation_id=organisation)
                )
        SourceURL.objects.bulk_create(sources)
        TaggedRelease.objects.bulk_create(tagged)
        Release.officials.through.objects.bulk_create(officials)
        Release.organisations.through.objects.bulk_create(organisations)
        Appointment.objects.bulk_create(appointments)
        self.summary.releases += len(releases)
        self.summary.appointments += len(appointments)
        self.shows_readers = (
            self.shows_readers
            or bool(appointments)
            or any(release.state == State.PUBLISHED for release in releases)
        )
        # With DEBUG on, Django keeps the SQL of every query, and a bulk insert's runs to
        # megabytes. Forget it, unless a test is counting the queries.
        if not connection.force_debug_cursor:
            reset_queries()

    def _create_officials(self, names: Iterable[str]) -> None:
        new = self._new(names, self.officials)
        created = Official.objects.bulk_create(
            Official(full_name=name, slug=self.official_slugs.claim(name, fallback="official"))
            for name in new
        )
        self.officials.update((_key(official.full_name), official.pk) for official in created)
        self.summary.officials += len(created)

    def _create_organisations(self, names: Iterable[str]) -> None:
        new = self._new(names, self.organisations)
        created = Organisation.objects.bulk_create(
            Organisation(name=name, slug=self.organisation_slugs.claim(name, "organisation"))
            for name in new
        )
        self.organisations.update((_key(item.name), item.pk) for item in created)
        self.summary.organisations += len(created)

    def _create_tags(self, names: Iterable[str]) -> None:
        created = Tag.objects.bulk_create(
            Tag(name=name, slug=self._tag_slug(name)) for name in self._new(names, self.tags)
        )
        self.tags.update((_key(tag.name), tag.pk) for tag in created)
        self.summary.tags += len(created)

    def _tag_slug(self, name: str) -> str:
        """A free slug the way Topic makes one: topic_slug(), then _1, _2... on a clash."""
        slug, n = topic_slug(name), 0
        while slug in self.tag_slugs:
            n += 1
            slug = f"{topic_slug(name)}_{n}"
        self.tag_slugs.add(slug)
        return slug

    @staticmethod
    def _new(names: Iterable[str], known: dict[str, int]) -> list[str]:
        new: dict[str, str] = {}
        for name in names:
            if _key(name) not in known:
                new.setdefault(_key(name), name)
        return list(new.values())
