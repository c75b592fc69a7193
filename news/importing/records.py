"""One line of a JSON Lines file (news.importing.jsonl), read and checked into a Record.

Nothing here reads the database: a line that is not a release raises BadLine saying why.
"""

from __future__ import annotations

import datetime
import functools
import json
import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from dataclasses import field as default
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from taggit.models import Tag

from news.html import paragraphs_to_html, sanitize
from news.importing.errors import describe_validation_error
from news.importing.fields import parse_date, parse_site_time, publisher_of
from news.models import (
    Appointment,
    Contact,
    Country,
    Delegation,
    Image,
    Kind,
    Language,
    Official,
    Organisation,
    Release,
    SourceURL,
    State,
)
from news.models.limits import text_limit
from news.revisions import FIELD_NAMES, VERSION_FIELDS
from news.slugs import SLUG_MAX_LENGTH

# What a line holds besides a version's fields, which are the same in export and import.
RELEASE_FIELDS = ["uuid", "published_at", "translation_of"]
# The version's fields a line does not carry: galleries and documents stay behind.
STAYS_BEHIND = {"gallery_items", "attachments"}
FIELDS = {*FIELD_NAMES, *RELEASE_FIELDS} - STAYS_BEHIND
# The version's fields a line carries in a shape of its own; the others are plain column values.
_SHAPED = {
    "title", "slug", "kind", "language", "summary", "body", "event_start", "event_end",
    "contact", "officials", "organisations", "countries", "delegations", "tags",
    "sources", "lead_image", *STAYS_BEHIND,
}  # fmt: skip
_COLUMNS = [field for field in VERSION_FIELDS if field.name not in _SHAPED]
# The release's columns a line does not give hold their defaults: nothing to check there.
_GIVEN = {"title", "summary", "body", "language", "kind", "event_start", "event_end"}
_NOT_GIVEN = [
    field.name
    for field in Release._meta.concrete_fields
    if field.name not in _GIVEN | {column.name for column in _COLUMNS}
]
IMAGE_FIELDS = ["file", "sha256", "width", "height", "alt", "caption", "credit", "licence",
                "licence_text"]  # fmt: skip
CONTACT_FIELDS = ["name", "phone", "email"]
DELEGATION_FIELDS = ["slug", "title", "country", "start", "end", "purpose"]
SOURCE_FIELDS = {"url", "title", "publisher"}
KINDS, LANGUAGES = Kind.values, Language.values
# A body with none of these is plain text; the exporter writes HTML that has one.
HTML_TAG = re.compile(r"<[a-zA-Z/!]")
# A NUL no database text column takes; a lone surrogate no UTF-8 encoder writes.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
# In a line of UTF-8 JSON they can only be written as escapes: \u0000, \ud800 to \udfff.
_UNSTORABLE_ESCAPE = re.compile(r"\\u(?:0000|[dD][89a-fA-F])")
_SHA256 = re.compile(r"[0-9a-f]{64}")


class BadLine(ValueError):
    def __init__(self, reason: str, line: int | None = None) -> None:
        super().__init__(reason)
        self.line = line


@dataclass
class Record:
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


def read_record(raw: bytes, *, language: str, publish_at: datetime.datetime | None) -> Record:
    """The release a line holds; language and publish_at for a line without its own."""
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        raise BadLine(f"is not UTF-8 text (byte {error.start + 1} of the line)") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise BadLine(f"invalid JSON: {error.msg} (column {error.colno})") from None
    except RecursionError:
        raise BadLine("invalid JSON: nested too deeply") from None
    except ValueError as error:  # a number of more than 4300 digits
        raise BadLine(f"invalid JSON: {str(error).split(':')[0]}") from None
    if not isinstance(data, dict):
        raise BadLine(f"expected a JSON object, found {_json_type(data)}")
    if _UNSTORABLE_ESCAPE.search(text):
        _check_strings(data)
    unknown = sorted(set(data) - FIELDS)
    if unknown:
        raise BadLine(f"unknown field {unknown[0]!r} (known: {', '.join(sorted(FIELDS))})")

    title = _string(data, "title").strip()
    if not title:
        raise BadLine("title is missing")
    language = _string(data, "language") or language
    if language not in LANGUAGES:
        raise BadLine(f"unknown language {language!r} (expected {', '.join(LANGUAGES)})")
    kind = _string(data, "kind") or Kind.PRESS_RELEASE
    if kind not in KINDS:
        raise BadLine(f"unknown kind {kind!r} (expected {', '.join(KINDS)})")
    published_at = _value(data, "published_at", parse_site_time) or publish_at
    body = _string(data, "body")
    if len(body) > text_limit(Release, "body"):
        # Refused before the work of converting and sanitising it; full_clean() says why.
        _check(Release(title=title, body=body), exclude=["slug"])
    if body and not HTML_TAG.search(body):
        body = paragraphs_to_html([p.strip() for p in body.split("\n\n") if p.strip()])

    release = Release(
        title=title,
        summary=_string(data, "summary").strip(),
        body=body,
        language=language,
        kind=kind,
        event_start=_value(data, "event_start", parse_date),
        event_end=_value(data, "event_end", parse_date),
        state=State.DRAFT,  # published once stored, if the checks allow
    )
    _columns(data, release)
    _check(release, exclude=_NOT_GIVEN)
    release.body = sanitize(body)  # after the check: it refuses what sanitize() would drop
    return Record(
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


def tidy(name: str) -> str:
    return " ".join(name.split())


@functools.lru_cache(maxsize=4096)  # a file names the same few hundred again and again
def name_key(name: str) -> str:
    """What two names must share to be one person, body or tag: case and spacing aside."""
    return tidy(name).casefold()


def _columns(data: dict[str, Any], release: Release) -> None:
    """The version's plain column values (place...), as the model field reads them."""
    for field in _COLUMNS:
        if data.get(field.name) is None:
            continue
        model_field = Release._meta.get_field(field.name)
        if model_field.is_relation:
            raise BadLine(f"{field.name}: this field cannot be imported")  # pragma: no cover
        value = data[field.name]
        if not isinstance(value, str | int | float | bool):
            raise BadLine(f"{field.name} must be a plain value, not {_json_type(value)}")
        try:
            setattr(release, model_field.attname, model_field.to_python(value))
        except ValidationError as error:
            raise BadLine(f"{field.name}: {describe_validation_error(error)}") from None


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
        raise BadLine(
            f"slug {slug[:60]!r} is not a slug (Latin letters, digits, - and _)"
        ) from None
    if len(slug) > SLUG_MAX_LENGTH:
        raise BadLine(f"slug is longer than {SLUG_MAX_LENGTH} characters")
    return slug


def _object(data: dict[str, Any], name: str, keys: Iterable[str]) -> dict[str, Any] | None:
    value = data.get(name)
    if value is None:
        return None
    if not isinstance(value, dict) or not set(value) <= set(keys):
        raise BadLine(f"{name} must be an object with {', '.join(keys)}")
    return value


def _contact(data: dict[str, Any]) -> tuple[str, str, str] | None:
    value = _object(data, "contact", CONTACT_FIELDS)
    if value is None:
        return None
    contact = Contact(**{key: _string(value, key, "contact.").strip() for key in value})
    try:
        contact.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        raise BadLine(f"contact: {describe_validation_error(error)}") from None
    return contact.name, contact.phone, contact.email


def _codes(items: list[Any], where: str) -> list[str]:
    codes: list[str] = []
    for position, item in enumerate(items):
        if not isinstance(item, str):
            raise BadLine(f"{where}[{position}] must be a country code, not {_json_type(item)}")
        code = item.strip().upper()
        try:
            Country(code=code).full_clean(validate_unique=False)
        except ValidationError as error:
            raise BadLine(f"{where}[{position}]: {describe_validation_error(error)}") from None
        if code not in codes:
            codes.append(code)
    return codes


def _delegations(data: dict[str, Any]) -> list[Delegation]:
    delegations: dict[str, Delegation] = {}
    for position, item in enumerate(_list(data, "delegations")):
        where = f"delegations[{position}]"
        if not isinstance(item, dict) or not set(item) <= set(DELEGATION_FIELDS):
            raise BadLine(f"{where} must be an object with {', '.join(DELEGATION_FIELDS)}")
        text = {key: _string(item, key, f"{where}.").strip() for key in DELEGATION_FIELDS}
        if not text["slug"]:
            raise BadLine(f"{where}.slug is missing")
        try:
            start = parse_date(text["start"]) if text["start"] else None
            end = parse_date(text["end"]) if text["end"] else None
        except ValueError as error:
            raise BadLine(f"{where}: {error}") from None
        [code] = _codes([text["country"]], f"{where}.country") if text["country"] else [""]
        delegation = Delegation(
            slug=text["slug"], title=text["title"], start=start, end=end, purpose=text["purpose"]
        )
        try:
            delegation.full_clean(exclude=["country"], validate_unique=False)
        except ValidationError as error:
            reason = describe_validation_error(error)
            raise BadLine(f"{where} {text['slug'][:60]!r}: {reason}") from None
        if not code:
            raise BadLine(f"{where}.country is missing")
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
                raise BadLine(f"lead_image.{key} must be a positive whole number")
            fields[key] = item
        else:
            fields[key] = _string(value, key, "lead_image.").strip()
    image = Image(**fields)
    image.licence = image.licence or Image._meta.get_field("licence").default
    if not _SHA256.fullmatch(image.sha256):
        raise BadLine("lead_image.sha256 must be 64 hexadecimal digits")
    try:
        image.full_clean(validate_unique=False)
    except ValidationError as error:
        raise BadLine(f"lead_image: {describe_validation_error(error)}") from None
    if ".." in Path(image.file).parts or Path(image.file).is_absolute():
        raise BadLine("lead_image.file must be a path under MEDIA_ROOT")
    return image


def _string(data: dict[str, Any], name: str, where: str = "") -> str:
    value = data.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise BadLine(f"{where}{name} must be a string, not {_json_type(value)}")
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
                    raise BadLine(f"a field name in {where or 'the line'} is not plain text")
                pending.append((f"{where}.{key}" if where else key, item))
        elif isinstance(value, list):
            pending.extend((f"{where}[{index}]", item) for index, item in enumerate(value))
        elif isinstance(value, str) and (match := _UNSTORABLE.search(value)):
            problem = (
                "a NUL character"
                if match[0] == "\x00"
                else "a broken character (a lone UTF-16 surrogate)"
            )
            raise BadLine(f"{where} contains {problem}")


def _value(data: dict[str, Any], name: str, parse: Callable[[str], Any]) -> Any:
    text = _string(data, name)
    if not text:
        return None
    try:
        return parse(text)
    except ValueError as error:
        raise BadLine(f"{name}: {error}") from None


def _list(data: dict[str, Any], name: str) -> list[Any]:
    value = data.get(name)
    if value is None:
        return []
    if not isinstance(value, list):
        raise BadLine(f"{name} must be a list, not {type(value).__name__}")
    return value


def _check(instance: Release | SourceURL, *, exclude: list[str], where: str = "") -> None:
    try:
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        raise BadLine(where + describe_validation_error(error)) from None


def _sources(data: dict[str, Any]) -> list[SourceURL]:
    sources: list[SourceURL] = []
    seen = set()
    for position, item in enumerate(_list(data, "sources")):
        where = f"sources[{position}]"
        if isinstance(item, str):
            item = {"url": item}
        if not isinstance(item, dict) or not set(item) <= SOURCE_FIELDS:
            raise BadLine(f"{where} must be a URL or an object with url, title and publisher")
        url = _string(item, "url", f"{where}.").strip()
        if not url:
            raise BadLine(f"{where}.url is missing")
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
            raise BadLine(f"{where} must be a name or an object with name and position")
        name = tidy(_string(item, "name", f"{where}."))
        title = tidy(_string(item, "position", f"{where}."))
        if not name:
            raise BadLine(f"{where}.name is missing")
        if len(name) > name_length:
            raise BadLine(f"{where}.name is longer than {name_length} characters")
        if len(title) > position_length:
            raise BadLine(f"{where}.position is longer than {position_length} characters")
        officials.setdefault(name_key(name), (name, title))
    return list(officials.values())


def _names(data: dict[str, Any], name: str, *, max_length: int) -> list[str]:
    names: dict[str, str] = {}
    for position, item in enumerate(_list(data, name)):
        text = tidy(item) if isinstance(item, str) else ""
        if not text:
            raise BadLine(f"{name}[{position}] must be a non-empty string")
        if len(text) > max_length:
            raise BadLine(f"{name}[{position}] is longer than {max_length} characters")
        names.setdefault(name_key(text), text)
    return list(names.values())
