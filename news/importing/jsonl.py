"""Releases in bulk from JSON Lines: one release per line, a whole file or nothing.

Each line is an object with these fields; only title is required. They are every field a
version of a release holds (news.revisions.VERSION_FIELDS), and what the workflow and the site
keep besides: the permanent identifier, publication time, sources, lead image, translation::

    {"uuid": "1c0e...", "title": "...", "slug": "vizit", "kind": "press_release",
     "language": "ru", "summary": "...", "body": "<p>...</p>",
     "event_start": "2024-08-28", "event_end": "2024-08-30", "place": "Минск",
     "contact": {"name": "Пресс-служба", "phone": "+375 17 ...", "email": "press@..."},
     "officials": [{"name": "Константин Шульган", "position": "Министр связи и информатизации"}],
     "organisations": ["Парк высоких технологий"], "countries": ["RS"],
     "delegations": [{"slug": "vizit-serbii", "title": "...", "country": "RS",
                      "start": "2024-08-28", "end": "2024-08-30", "purpose": "..."}],
     "tags": ["связь"], "published_at": "2024-08-28T10:00",
     "sources": [{"url": "https://...", "title": "..."}],
     "lead_image": {"file": "images/ab/ab12....jpg", "sha256": "ab12...", "width": 800,
                    "height": 600, "alt": "...", "caption": "...", "credit": "...",
                    "licence": "all_rights", "licence_text": ""},
     "translation_of": "<uuid of a release earlier in the file or in the database>"}

Times and dates are ISO 8601; a time without an offset is Minsk time. A release with published_at
is published then (a future time schedules it); without one it is a draft, unless the caller
publishes the whole file. A body without any HTML tag is plain text: paragraphs separated by
blank lines. Officials, organisations and tags are found by name (ignoring case) or created; an
official gets an appointment with the given position unless they already hold one so named.
Countries are found by code, visits by slug, contacts by name, phone and e-mail, or created. A
lead image is the library's image with that sha256, or a new library entry for its file, which
must be under MEDIA_ROOT already (copy the media folder first): files are not in the line.

Each release is stored as the workflow stores it, acting as the given user (or the account
"import"): its first revision, and for a published or scheduled one an audit entry naming the
file and line. Publishing runs the workflow's checks (the user's right, image descriptions): a
release they refuse is stored as a draft, reported in one line through warn, and the rest of the
file still imports. That is the one exception to "whole or nothing".

Lines are checked, then stored in batches with bulk_create: Release.save() is not called, so the
slug and the sanitised body are made here, the same way it makes them; the revision and audit
rows are made by the workflow's own revision_for() and audit_entry_for().
"""

from __future__ import annotations

import datetime
import json
import os
import re
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from dataclasses import field as default
from pathlib import Path
from typing import Any, BinaryIO

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.validators import validate_slug
from django.db import DatabaseError, connection, reset_queries, transaction
from django.db.models import Model, QuerySet
from taggit.models import Tag

from news.html import paragraphs_to_html, sanitize
from news.import_workflow import check_import_publish, import_entry_for
from news.importing.errors import ImportFailed, describe_os_error, describe_validation_error
from news.importing.fields import (
    describe_refusal,
    import_comment,
    import_user,
    parse_date,
    parse_site_time,
    publisher_of,
    site_time,
)
from news.models import (
    Appointment,
    AuditEntry,
    Contact,
    Country,
    Delegation,
    Image,
    Kind,
    Language,
    Official,
    Organisation,
    Release,
    Revision,
    SourceURL,
    State,
    TaggedRelease,
)
from news.models.limits import text_limit
from news.models.site import site_changed
from news.models.topics import topic_slug
from news.release_writes import audit_entry_for, revision_for
from news.revisions import FIELD_NAMES, VERSION_FIELDS
from news.slugs import SLUG_MAX_LENGTH, latin_slug
from news.workflow import publish_action

BATCH_SIZE = 1000
# What a line holds besides a version's fields, which are the same in export and import.
RELEASE_FIELDS = ["uuid", "published_at", "sources", "lead_image", "translation_of"]
FIELDS = {*FIELD_NAMES, *RELEASE_FIELDS}
# The version's fields a line carries in a shape of its own; the others are plain column values.
_SHAPED = {
    "title", "slug", "kind", "language", "summary", "body", "event_start", "event_end",
    "contact", "officials", "organisations", "countries", "delegations", "tags",
}  # fmt: skip
IMAGE_FIELDS = ["file", "sha256", "width", "height", "alt", "caption", "credit", "licence",
                "licence_text"]  # fmt: skip
CONTACT_FIELDS = ["name", "phone", "email"]
DELEGATION_FIELDS = ["slug", "title", "country", "start", "end", "purpose"]
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
    # Lines whose release the publishing checks refused: stored as drafts.
    drafts: int = 0


@dataclass
class _Record:
    """One line, checked and ready to store."""

    release: Release
    sources: list[SourceURL]
    tags: list[str]
    officials: list[tuple[str, str]]  # (name, position); the position may be empty
    organisations: list[str]
    line: int = 0
    published_at: datetime.datetime | None = None
    slug: str = ""
    uid: uuid.UUID | None = None
    contact: tuple[str, str, str] | None = None  # (name, phone, e-mail)
    countries: list[str] = default(default_factory=list)
    # Unsaved; country_code holds the country's code.
    delegations: list[Delegation] = default(default_factory=list)
    lead_image: Image | None = None  # unsaved
    translation_of: uuid.UUID | None = None


class _BadLine(ValueError):
    def __init__(self, reason: str, line: int | None = None) -> None:
        super().__init__(reason)
        self.line = line


def import_jsonl_file(
    path: str | os.PathLike[str],
    *,
    language: str = Language.RU,
    publish_at: datetime.datetime | None = None,
    progress: Callable[[int], object] | None = None,
    batch_size: int = BATCH_SIZE,
    user: AbstractBaseUser | None = None,
    warn: Callable[[str], object] | None = None,
) -> JsonlSummary:
    """Store every release in a JSON Lines file, or none of them: raise ImportFailed("FILE:LINE").

    language is the default for lines without one; publish_at publishes the lines without a
    published_at of their own. progress, if given, is called with the bytes read after each line.
    user is who the revisions and audit entries name (default: the account "import"); warn gets
    one line for each release the publishing checks refused, stored as a draft.
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
            store = _Store(path, user or import_user(), warn)
            batch: list[_Record] = []
            try:
                for number, raw in _lines(handle, path):
                    if progress:
                        progress(len(raw))
                    if not raw.strip():
                        continue
                    try:
                        record = _read_record(raw, language=language, publish_at=publish_at)
                    except _BadLine as error:
                        raise _BadLine(str(error), number) from None
                    record.line = number
                    batch.append(record)
                    if len(batch) >= batch_size:
                        store.add(batch)
                        batch = []
                store.add(batch)
            except _BadLine as error:
                raise ImportFailed(path, str(error), line=error.line) from None
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
        state=State.DRAFT,  # published once stored, if the checks allow (_Store.add)
    )
    _columns(data, release)
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
        published_at=published_at,
        slug=_slug(data),
        uid=_value(data, "uuid", _uuid),
        contact=_contact(data),
        countries=_codes(_list(data, "countries"), "countries"),
        delegations=_delegations(data),
        lead_image=_lead_image(data),
        translation_of=_value(data, "translation_of", _uuid),
    )


def _columns(data: dict[str, Any], release: Release) -> None:
    """The version's plain column values (place...), as the model field reads them."""
    for field in VERSION_FIELDS:
        if field.name in _SHAPED or data.get(field.name) is None:
            continue
        model_field = Release._meta.get_field(field.name)
        if model_field.is_relation:
            raise _BadLine(f"{field.name}: this field cannot be imported")  # pragma: no cover
        value = data[field.name]
        if not isinstance(value, str | int | float | bool):
            raise _BadLine(f"{field.name} must be a plain value, not {_json_type(value)}")
        try:
            setattr(release, model_field.attname, model_field.to_python(value))
        except ValidationError as error:
            raise _BadLine(f"{field.name}: {describe_validation_error(error)}") from None


def _uuid(text: str) -> uuid.UUID:
    try:
        return uuid.UUID(text.strip())
    except ValueError:
        raise ValueError(f"{text[:60]!r} is not a UUID") from None


def _slug(data: dict[str, Any]) -> str:
    slug = _string(data, "slug").strip()
    if not slug:
        return ""
    try:
        validate_slug(slug)
    except ValidationError:
        raise _BadLine(
            f"slug {slug[:60]!r} is not a slug (Latin letters, digits, - and _)"
        ) from None
    if len(slug) > SLUG_MAX_LENGTH:
        raise _BadLine(f"slug is longer than {SLUG_MAX_LENGTH} characters")
    return slug


def _object(data: dict[str, Any], name: str, keys: Iterable[str]) -> dict[str, Any] | None:
    value = data.get(name)
    if value is None:
        return None
    if not isinstance(value, dict) or not set(value) <= set(keys):
        raise _BadLine(f"{name} must be an object with {', '.join(keys)}")
    return value


def _contact(data: dict[str, Any]) -> tuple[str, str, str] | None:
    value = _object(data, "contact", CONTACT_FIELDS)
    if value is None:
        return None
    contact = Contact(**{key: _string(value, key, "contact.").strip() for key in value})
    try:
        contact.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        raise _BadLine(f"contact: {describe_validation_error(error)}") from None
    return contact.name, contact.phone, contact.email


def _codes(items: list[Any], where: str) -> list[str]:
    codes: list[str] = []
    for position, item in enumerate(items):
        if not isinstance(item, str):
            raise _BadLine(f"{where}[{position}] must be a country code, not {_json_type(item)}")
        code = item.strip().upper()
        try:
            Country(code=code).full_clean(validate_unique=False)
        except ValidationError as error:
            raise _BadLine(f"{where}[{position}]: {describe_validation_error(error)}") from None
        if code not in codes:
            codes.append(code)
    return codes


def _delegations(data: dict[str, Any]) -> list[Delegation]:
    delegations: dict[str, Delegation] = {}
    for position, item in enumerate(_list(data, "delegations")):
        where = f"delegations[{position}]"
        if not isinstance(item, dict) or not set(item) <= set(DELEGATION_FIELDS):
            raise _BadLine(f"{where} must be an object with {', '.join(DELEGATION_FIELDS)}")
        text = {key: _string(item, key, f"{where}.").strip() for key in DELEGATION_FIELDS}
        if not text["slug"]:
            raise _BadLine(f"{where}.slug is missing")
        try:
            start = parse_date(text["start"]) if text["start"] else None
            end = parse_date(text["end"]) if text["end"] else None
        except ValueError as error:
            raise _BadLine(f"{where}: {error}") from None
        [code] = _codes([text["country"]], f"{where}.country") if text["country"] else [""]
        delegation = Delegation(
            slug=text["slug"], title=text["title"], start=start, end=end, purpose=text["purpose"]
        )
        try:
            delegation.full_clean(exclude=["country"], validate_unique=False)
        except ValidationError as error:
            reason = describe_validation_error(error)
            raise _BadLine(f"{where} {text['slug'][:60]!r}: {reason}") from None
        if not code:
            raise _BadLine(f"{where}.country is missing")
        delegation.country_code = code
        delegations.setdefault(delegation.slug, delegation)
    return list(delegations.values())


def _lead_image(data: dict[str, Any]) -> Image | None:
    value = _object(data, "lead_image", IMAGE_FIELDS)
    if value is None:
        return None
    fields = {}
    for key in IMAGE_FIELDS:
        item = value.get(key)
        if key in ("width", "height"):
            if not isinstance(item, int) or isinstance(item, bool) or item < 1:
                raise _BadLine(f"lead_image.{key} must be a positive whole number")
            fields[key] = item
        else:
            fields[key] = _string(value, key, "lead_image.").strip()
    image = Image(**fields)
    image.licence = image.licence or Image._meta.get_field("licence").default
    if not re.fullmatch(r"[0-9a-f]{64}", image.sha256):
        raise _BadLine("lead_image.sha256 must be 64 hexadecimal digits")
    try:
        image.full_clean(validate_unique=False)
    except ValidationError as error:
        raise _BadLine(f"lead_image: {describe_validation_error(error)}") from None
    if ".." in Path(image.file).parts or Path(image.file).is_absolute():
        raise _BadLine("lead_image.file must be a path under MEDIA_ROOT")
    return image


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
        if not isinstance(item, dict) or not set(item) <= {"url", "title", "publisher"}:
            raise _BadLine(f"{where} must be a URL or an object with url, title and publisher")
        url = _string(item, "url", f"{where}.").strip()
        if not url:
            raise _BadLine(f"{where}.url is missing")
        if url in seen:
            continue
        seen.add(url)
        source = SourceURL(
            url=url,
            title=_string(item, "title", f"{where}.").strip(),
            # Given as the site named it (an export's), or the address's host.
            publisher=_string(item, "publisher", f"{where}.").strip()
            if "publisher" in item
            else publisher_of(url),
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
    """Free slugs, as news.slugs.unique_slug makes them, checked against a set in memory."""

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

    def take(self, slug: str) -> str:
        """slug itself when it is free; else a free one made from it."""
        if slug in self.taken:
            return self.claim(slug, fallback="release")
        self.taken.add(slug)
        return slug


def _rows(model: type[Model], *fields: str) -> QuerySet:
    return model._default_manager.order_by().values_list(*fields)  # unordered is cheaper


def _column(model: type[Model], field: str) -> QuerySet:
    return model._default_manager.order_by().values_list(field, flat=True)


class _Store:
    """What is in the database already, and the batches written to it."""

    def __init__(
        self, path: Path, user: AbstractBaseUser, warn: Callable[[str], object] | None
    ) -> None:
        self.path, self.user, self.warn = path, user, warn
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
        self.tags: dict[str, int] = {}
        self.tag_names: dict[str, str] = {}  # as stored: what a revision keeps
        for pk, name in _rows(Tag, "pk", "name"):
            self.tags[_key(name)], self.tag_names[_key(name)] = pk, name
        self.appointments = {
            (official, _key(title))
            for official, title in _rows(Appointment, "official_id", "title")
        }
        self.uids = set(_column(Release, "uid"))
        # A release's translation group, and the languages in it, by its uid.
        self.groups: dict[uuid.UUID, uuid.UUID] = {}
        self.languages: dict[uuid.UUID, set[str]] = {}
        # Read when a line first names them: most files have none.
        self.countries: dict[str, int] = {}
        self.delegations: dict[str, int] = {}
        self.contacts: dict[tuple[str, str, str], int] = {}
        self.images: dict[str, Image] = {}

    def add(self, batch: list[_Record]) -> None:
        if not batch:
            return
        self._create_officials(name for record in batch for name, _ in record.officials)
        self._create_organisations(name for record in batch for name in record.organisations)
        self._create_tags(name for record in batch for name in record.tags)
        self._find_countries(
            [code for r in batch for code in r.countries]
            + [d.country_code for r in batch for d in r.delegations]
        )
        self._find_delegations([d for record in batch for d in record.delegations])
        self._find_contacts([record.contact for record in batch if record.contact])
        self._find_images([record for record in batch if record.lead_image])

        revisions, entries = [], []
        for record in batch:
            self._identify(record)
            release = record.release
            release.created_by = release.last_edited_by = self.user
            if record.lead_image:
                release.lead_image = self.images[record.lead_image.sha256]
            if record.contact:
                release.contact_id = self.contacts[record.contact]
            revisions.append(revision_for(release, self.user, self._snapshot(record)))
            comment = import_comment(self.path, record.line)
            entries.append(import_entry_for(release, self.user, comment))
            if record.published_at and self._may_publish(record):
                release.state, release.published_at = State.PUBLISHED, record.published_at
                release.version += 1
                action = publish_action(record.published_at)
                entries.append(audit_entry_for(release, self.user, action, State.DRAFT, comment))
        releases = [record.release for record in batch]
        Release.objects.bulk_create(releases)
        Revision.objects.bulk_create(revisions)
        AuditEntry.objects.bulk_create(entries)

        sources, tagged, officials, organisations, appointments = [], [], [], [], []
        countries, delegations = [], []
        for record in batch:
            release = record.release
            countries += [
                Release.countries.through(release=release, country_id=self.countries[code])
                for code in record.countries
            ]
            delegations += [
                Release.delegations.through(
                    release=release, delegation_id=self.delegations[item.slug]
                )
                for item in record.delegations
            ]
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
        Release.countries.through.objects.bulk_create(countries)
        Release.delegations.through.objects.bulk_create(delegations)
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

    def _identify(self, record: _Record) -> None:
        """Give the release its slug, uid and translation group, refusing a uid already taken."""
        release = record.release
        if record.slug:
            release.slug = self.release_slugs.take(record.slug)
        else:
            release.slug = self.release_slugs.claim(release.title, fallback="release")
        if record.uid is not None:
            if record.uid in self.uids:
                raise _BadLine(f"uuid {record.uid} is a release's already", record.line)
            release.uid = record.uid
        self.uids.add(release.uid)
        if record.translation_of is not None:
            group = self._group(record.translation_of)
            if group is None:
                raise _BadLine(
                    f"translation_of: no release {record.translation_of} earlier in the file "
                    "or in the database",
                    record.line,
                )
            if release.language in self.languages[group]:
                raise _BadLine(
                    f"translation_of: {record.translation_of} already has a translation in "
                    f"{release.language!r}",
                    record.line,
                )
            release.translation_key = group
        self.groups[release.uid] = release.translation_key
        self.languages.setdefault(release.translation_key, set()).add(release.language)

    def _group(self, uid: uuid.UUID) -> uuid.UUID | None:
        if uid not in self.groups:
            key = _column(Release, "translation_key").filter(uid=uid).first()
            if key is None:
                return None
            self.groups[uid] = key
            languages = _column(Release, "language").filter(translation_key=key)
            self.languages.setdefault(key, set()).update(languages)
        return self.groups[uid]

    def _snapshot(self, record: _Record) -> dict[str, Any]:
        """The release's content as its first revision keeps it (snapshot_of), without queries."""
        links = {
            "officials": sorted({self.officials[_key(name)] for name, _ in record.officials}),
            "organisations": sorted({self.organisations[_key(n)] for n in record.organisations}),
            "countries": sorted({self.countries[code] for code in record.countries}),
            "delegations": sorted({self.delegations[d.slug] for d in record.delegations}),
            "tags": sorted(self.tag_names[_key(name)] for name in record.tags),
        }
        return {
            field.name: links[field.name] if field.name in links else field.read(record.release)
            for field in VERSION_FIELDS
        }

    def _may_publish(self, record: _Record) -> bool:
        """Run the workflow's publishing checks; a release they refuse stays a draft, reported."""
        release = record.release
        try:
            images = [release.lead_image] if release.lead_image_id else []
            check_import_publish(release=release, user=self.user, images=images)
        except (PermissionDenied, ValidationError) as error:
            reason = describe_refusal(error)
            self.summary.drafts += 1
            if self.warn:
                self.warn(f"{self.path}:{record.line}: stays a draft, not published: {reason}")
            return False
        return True

    def _find_countries(self, codes: list[str]) -> None:
        wanted = set(codes) - set(self.countries)
        if not wanted:
            return
        self.countries.update(_rows(Country, "code", "pk").filter(code__in=wanted))
        created = Country.objects.bulk_create(
            Country(code=code) for code in sorted(wanted - set(self.countries))
        )
        self.countries.update((country.code, country.pk) for country in created)

    def _find_delegations(self, items: list[Delegation]) -> None:
        wanted = {item.slug: item for item in items if item.slug not in self.delegations}
        if not wanted:
            return
        self.delegations.update(_rows(Delegation, "slug", "pk").filter(slug__in=wanted))
        new = [item for slug, item in wanted.items() if slug not in self.delegations]
        for item in new:
            item.country_id = self.countries[item.country_code]
        self.delegations.update((d.slug, d.pk) for d in Delegation.objects.bulk_create(new))

    def _find_contacts(self, contacts: list[tuple[str, str, str]]) -> None:
        for contact in contacts:
            if contact not in self.contacts:
                name, phone, email = contact
                found, _ = Contact.objects.get_or_create(name=name, phone=phone, email=email)
                self.contacts[contact] = found.pk

    def _find_images(self, records: list[_Record]) -> None:
        wanted = {r.lead_image.sha256: r for r in records if r.lead_image.sha256 not in self.images}
        if not wanted:
            return
        self.images.update((i.sha256, i) for i in Image.objects.filter(sha256__in=wanted))
        for sha256, record in wanted.items():
            if sha256 in self.images:
                continue
            image = record.lead_image
            if not default_storage.exists(image.file):
                raise _BadLine(
                    f"lead_image: no image {sha256[:12]}… in the library and no file "
                    f"{image.file!r} under MEDIA_ROOT: copy the media folder first",
                    record.line,
                )
            image.save()
            self.images[sha256] = image

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
        self.tag_names.update((_key(tag.name), tag.name) for tag in created)
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
