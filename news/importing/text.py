"""Releases saved as plain text, the way the ministry's site shows them.

The format::

    Title on the first non-empty line

    The lead: the first paragraph, shown as the summary.

    More paragraphs, separated by blank lines. Single line breaks inside
    a paragraph are kept.

    – A paragraph that opens with a dash is direct speech, - said the minister.

    Source URL:
    <https://www.mpt.gov.by/...>

Any number of source URLs may follow the footer label, bare or in angle brackets, on its line or
the lines after it; the first is the primary source. A file without blank lines between its
paragraphs (as Word saves "plain text") has one paragraph per line.
"""

from __future__ import annotations

import datetime
import os
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction

from news.editing import release_record_edit
from news.html import paragraphs_to_html
from news.import_workflow import import_entry_for, release_publish_import
from news.importing.dates import first_year, parse_event_dates
from news.importing.decoding import Decoded, UndecodableText, decode
from news.importing.errors import (
    ImportFailed,
    ImportSkipped,
    describe_os_error,
    describe_validation_error,
)
from news.importing.fields import (
    describe_refusal,
    duplicate_reason,
    import_comment,
    import_user,
    publisher_of,
    site_time,
)
from news.mentions import Catalogue, link_mentions
from news.models import Kind, Language, Release, SourceURL, State
from news.models.limits import text_limit

MAX_FILE_SIZE = 10 * 1024 * 1024  # a release is a few pages; anything this big is not one
TITLE_MAX_LENGTH = Release._meta.get_field("title").max_length
# The lead and the paragraph after it are where a release says when the event takes place.
EVENT_DATE_PARAGRAPHS = 2

_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SPACES = re.compile(r"[^\S\n]+")  # any whitespace but a line break, NBSP included
_SPEECH = re.compile(r"^[-‐‒–—―−]\s+")
_DASHES = str.maketrans({"‐": "-", "‒": "–", "―": "—", "−": "–"})
_FOOTER = re.compile(
    r"^(?P<label>source\s*urls?|sources?|источники?|крыніцы?)\s*:\s*(?P<rest>.*)$", re.IGNORECASE
)
_URL = re.compile(r"^(?:<[^<>\s]+>|[a-z][a-z0-9+.-]*:\S+|www\.\S+)$", re.IGNORECASE)


class MalformedText(ValueError):
    """The text is not a release in the plain-text format; str() says why, in one line."""

    def __init__(self, reason: str, line: int | None = None) -> None:
        super().__init__(reason)
        self.line = line


@dataclass(frozen=True)
class TextRelease:
    """A release as read from plain text, before it is stored."""

    title: str
    summary: str
    paragraphs: list[str]
    source_urls: list[str]
    event_start: datetime.date | None = None
    event_end: datetime.date | None = None

    @property
    def body(self) -> str:
        return paragraphs_to_html(self.paragraphs)


def parse_text(text: str) -> TextRelease:
    """Read a release from the plain-text format; raise MalformedText when there is none."""
    lines = _clean_lines(text)
    numbered = [(number, line) for number, line in enumerate(lines, start=1)]
    content = [(number, line) for number, line in numbered if line]
    if not content:
        raise MalformedText("is empty" if not text else "contains only whitespace")
    title_number, title = content[0]
    _check_title(title, title_number)

    rest = numbered[title_number:]
    footer_start = _footer_start(rest)
    if footer_start is None:
        body_lines, source_urls = rest, []
    else:
        body_lines, source_urls = rest[:footer_start], _footer_urls(rest[footer_start:])
    paragraphs = _paragraphs([line for _, line in body_lines])

    summary = " ".join(paragraphs[0].split("\n")) if paragraphs else ""
    default_year = first_year("\n".join([title, *paragraphs]))
    event_start, event_end = None, None
    for passage in [title, *paragraphs[:EVENT_DATE_PARAGRAPHS]]:
        event_start, event_end = parse_event_dates(passage, default_year)
        if event_start:
            break
    return TextRelease(
        title=title,
        summary=summary,
        paragraphs=paragraphs[1:],
        source_urls=source_urls,
        event_start=event_start,
        event_end=event_end,
    )


def read_text_file(
    path: str | os.PathLike[str],
    *,
    encoding: str | None = None,
    warn: Callable[[str], object] | None = None,
) -> TextRelease:
    """Read and parse a plain-text release in encoding, or in the one newsrooms use it looks in.

    warn, if given, is called with one line naming the file when its encoding was a guess.
    """
    path = Path(path)
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_SIZE + 1)
    except OSError as error:
        raise ImportFailed(path, describe_os_error(error)) from None
    if len(data) > MAX_FILE_SIZE:
        raise ImportFailed(path, f"is larger than {MAX_FILE_SIZE // 2**20} MB: not one release")
    try:
        decoded = decode(data, encoding) if data else Decoded("", "utf-8")
        _check_size(decoded.text)
        parsed = parse_text(decoded.text)
    except UndecodableText as error:
        raise ImportFailed(path, str(error)) from None
    except MalformedText as error:
        raise ImportFailed(path, str(error), line=error.line) from None
    if decoded.guessed and warn:
        warn(
            f"{path}: warning: not Unicode, read as {decoded.encoding_name} (a guess); "
            "if the text reads wrong, give the file's encoding with --encoding"
        )
    return parsed


def import_text_file(
    path: str | os.PathLike[str],
    *,
    language: str = Language.RU,
    publish_at: datetime.datetime | None = None,
    catalogue: Catalogue | None = None,
    encoding: str | None = None,
    warn: Callable[[str], object] | None = None,
    user: AbstractBaseUser | None = None,
    allow_duplicates: bool = False,
) -> Release:
    """Store the release in a plain-text file, with its sources; nothing at all if it fails.

    The release is a draft, or published at publish_at when given (a future time schedules it),
    through the workflow as user (default: the account "import"): its first revision, and an
    audit entry naming the file. A release the publishing checks refuse (user's right, image
    descriptions) is stored as a draft, and warn says why in one line. The officials,
    organisations, countries and topics its text surely mentions are linked; pass a loaded
    catalogue when importing many files. encoding and warn go to read_text_file().
    A release with the title and event date of one in the database is not imported
    (ImportSkipped), unless allow_duplicates.
    """
    parsed = read_text_file(path, encoding=encoding, warn=warn)
    user = user or import_user()
    release = Release(
        title=parsed.title,
        summary=parsed.summary,
        body=parsed.body,
        kind=Kind.PRESS_RELEASE,
        language=language,
        event_start=parsed.event_start,
        event_end=parsed.event_end,
        state=State.DRAFT,
    )
    sources = [
        SourceURL(url=url, publisher=publisher_of(url), is_primary=position == 0)
        for position, url in enumerate(parsed.source_urls)
    ]
    try:
        release.full_clean(exclude=["slug"])
    except ValidationError as error:
        raise ImportFailed(path, describe_validation_error(error)) from None
    same = Release.objects.same_as(title=release.title, event_start=release.event_start).first()
    if same is not None and not allow_duplicates:
        raise ImportSkipped(path, duplicate_reason(same))
    for source in sources:
        try:
            source.full_clean(
                exclude=["release"], validate_unique=False, validate_constraints=False
            )
        except ValidationError as error:
            reason = describe_validation_error(error)
            raise ImportFailed(path, f"source URL {source.url!r}: {reason}") from None
    try:
        with transaction.atomic():
            release.save()
            for source in sources:
                source.release = release
            SourceURL.objects.bulk_create(sources)
            link_mentions(release, catalogue=catalogue)
            release_record_edit(release=release, user=user, created=True)
            import_entry_for(release, user, import_comment(path)).save()
            if publish_at:
                _publish(release, user, site_time(publish_at), path, warn)
    except DatabaseError as error:
        raise ImportFailed(path, f"the database refused the release: {error}") from None
    return release


def _publish(
    release: Release,
    user: AbstractBaseUser,
    at: datetime.datetime,
    path: str | os.PathLike[str],
    warn: Callable[[str], object] | None,
) -> None:
    try:
        with transaction.atomic():
            release_publish_import(release=release, user=user, at=at, comment=import_comment(path))
    except (PermissionDenied, ValidationError) as error:
        if warn:
            warn(f"{path}: stays a draft, not published: {describe_refusal(error)}")


def _check_size(text: str) -> None:
    """Refuse a text longer than any release holds, before the work of reading it."""
    body = text_limit(Release, "body")
    if len(text) > TITLE_MAX_LENGTH + text_limit(Release, "summary") + body:
        raise MalformedText(
            f"is {len(text):,} characters long, more than one release holds "
            f"(its body has at most {body:,})"
        )


def _clean_lines(text: str) -> list[str]:
    """Lines with Windows and old Mac endings, invisible characters and odd spaces tidied."""
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2029", "\n\n").replace("\u2028", "\n")
    text = _SPACES.sub(" ", _CONTROLS.sub("", text))
    return [line.strip() for line in text.split("\n")]


def _check_title(title: str, line: int) -> None:
    if _FOOTER.match(title) or _URL.match(title):
        raise MalformedText("has no title: the first line is the source URL", line)
    if not any(char.isalpha() for char in title):
        raise MalformedText(f"has no title: the first line {title[:40]!r} has no words", line)
    if len(title) > TITLE_MAX_LENGTH:
        raise MalformedText(
            f"has no title: the first line is {len(title)} characters long "
            f"(a title has at most {TITLE_MAX_LENGTH}); put the title on a line of its own",
            line,
        )


def _footer_start(lines: list[tuple[int, str]]) -> int | None:
    """Where the source URL footer begins in lines, if there is one."""
    for index, (_, line) in enumerate(lines):
        match = _FOOTER.match(line)
        if not match:
            continue
        rest = match["rest"]
        if re.fullmatch(r"source\s*urls?", match["label"], re.IGNORECASE):
            return index
        following = next((text for _, text in lines[index + 1 :] if text), "")
        # "Источник: БелТА" is a paragraph; "Источник:" followed by a URL is the footer.
        if _is_url((rest or following).split(" ", 1)[0]):
            return index
    return None


def _footer_urls(lines: list[tuple[int, str]]) -> list[str]:
    urls: list[str] = []
    label = lines[0][1].split(":", 1)[0]
    for number, line in lines:
        match = _FOOTER.match(line)
        text = match["rest"] if match else line
        for token in text.split():
            token = token.rstrip(",;")
            if not token or token in {"-", "–", "—", "•", "*"} or re.fullmatch(r"\d+[.)]", token):
                continue  # list markers
            if not _is_url(token):
                raise MalformedText(f"{token[:60]!r} after '{label}:' is not a URL", number)
            url = _url_from_token(token)
            if url not in urls:
                urls.append(url)
    if not urls:
        raise MalformedText(f"'{label}:' is not followed by a URL", lines[0][0])
    return urls


def _is_url(token: str) -> bool:
    return bool(_URL.match(token))


def _url_from_token(token: str) -> str:
    if token.startswith("<"):
        return token[1:-1]
    token = token.rstrip(".,;:!?»\"'")
    if token.endswith(")") and "(" not in token:
        token = token[:-1]
    if token.lower().startswith("www."):
        token = f"https://{token}"
    return token


def _paragraphs(lines: list[str]) -> list[str]:
    """Blank-line separated blocks; one paragraph per line when there is no blank line."""
    while lines and not lines[0]:
        lines = lines[1:]
    while lines and not lines[-1]:
        lines = lines[:-1]
    if "" in lines:
        blocks = "\n".join(lines).split("\n\n")
        paragraphs = [block.strip("\n") for block in blocks]
    else:
        paragraphs = lines
    # paragraphs_to_html knows direct speech by "- ", "– " or "— " with a plain space after it.
    return [_SPEECH.sub(_speech_dash, paragraph) for paragraph in paragraphs if paragraph]


def _speech_dash(match: re.Match[str]) -> str:
    return match[0][0].translate(_DASHES) + " "
