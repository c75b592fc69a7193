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

Each line is read and checked into a record (news.importing.records), what it links to found or
created (news.importing.catalogue), and the releases stored in batches with bulk_create:
Release.save() is not called, so the slug and the sanitised body are made here, the same way it
makes them; the revision and audit rows are made by the workflow's own revision_for() and
audit_entry_for().
"""

from __future__ import annotations

import datetime
import gc
import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, reset_queries, transaction

from news.import_workflow import check_import_publish, import_entry_for
from news.importing.catalogue import Catalogue, SlugPool, column
from news.importing.errors import ImportFailed, ImportSkipped, describe_os_error
from news.importing.fields import describe_refusal, import_comment, import_user, site_time
from news.importing.records import BadLine, Record, read_record
from news.models import (
    AuditEntry,
    Language,
    Release,
    Revision,
    SourceURL,
    State,
    TaggedRelease,
)
from news.models.limits import text_limit
from news.models.public_version import site_changed
from news.models.release_queries import duplicate_key
from news.release_writes import audit_entry_for, revision_for
from news.revisions import ROWS, VERSION_FIELDS
from news.workflow import publish_action

BATCH_SIZE = 1000
# What a line may hold besides its body: the other fields, with JSON's escapes.
LINE_MARGIN = 1024 * 1024
# A revision holds the links as the linked rows' ids (topics by name), the rest as columns.
_LINKS = {"officials", "organisations", "countries", "delegations", "tags"}
_COLUMNS = [field for field in VERSION_FIELDS if field.name not in _LINKS | set(ROWS)]


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
    # Lines not imported: a release with their title and event date was in the database.
    duplicates: int = 0


def import_jsonl_file(
    path: str | os.PathLike[str],
    *,
    language: str = Language.RU,
    publish_at: datetime.datetime | None = None,
    progress: Callable[[int], object] | None = None,
    batch_size: int = BATCH_SIZE,
    user: AbstractBaseUser | None = None,
    warn: Callable[[str], object] | None = None,
    allow_duplicates: bool = False,
) -> JsonlSummary:
    """Store every release in a JSON Lines file, or none of them: raise ImportFailed("FILE:LINE").

    language is the default for lines without one; publish_at publishes the lines without a
    published_at of their own. progress, if given, is called with the bytes read after each line.
    user is who the revisions and audit entries name (default: the account "import"); warn gets
    one line for each release the publishing checks refused, stored as a draft, and for each
    line skipped as a duplicate of a release in the database (same title and event date), unless
    allow_duplicates; a file of nothing but duplicates raises ImportSkipped.
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
        with handle, _without_cycle_collection(), transaction.atomic():
            writer = _Writer(path, user or import_user(), warn, allow_duplicates)
            batch: list[Record] = []
            try:
                for number, raw in _lines(handle, path):
                    if progress:
                        progress(len(raw))
                    if not raw.strip():
                        continue
                    try:
                        record = read_record(raw, language=language, publish_at=publish_at)
                    except BadLine as error:
                        raise BadLine(str(error), number) from None
                    record.line = number
                    batch.append(record)
                    if len(batch) >= batch_size:
                        writer.add(batch)
                        batch = []
                writer.add(batch)
            except BadLine as error:
                raise ImportFailed(path, str(error), line=error.line) from None
            summary = writer.summary()
            if not summary.releases and summary.duplicates:
                raise ImportSkipped(
                    path,
                    f"skipped: its {summary.duplicates} releases are in the database already "
                    "(--allow-duplicates imports them anyway)",
                )
            if not summary.releases:
                raise ImportFailed(path, "contains no releases")
            if writer.shows_readers():
                site_changed()
    except OSError as error:
        raise ImportFailed(path, describe_os_error(error)) from None
    except DatabaseError as error:
        raise ImportFailed(path, f"the database refused the file: {error}") from None
    return summary


@contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """Pause Python's cycle collector: an import makes millions of objects and next to no
    cycles, and the collector's passes over all that is alive cost a sixth of a large one."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


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


class _Writer:
    """Stores batches of records as the workflow stores releases, with what they link to."""

    def __init__(
        self,
        path: Path,
        user: AbstractBaseUser,
        warn: Callable[[str], object] | None,
        allow_duplicates: bool = False,
    ) -> None:
        self.path, self.user, self.warn = path, user, warn
        # The releases in the database before the import, by duplicate_key: slug.
        self.existing: dict[tuple[str, Any], str] | None = None
        if not allow_duplicates:
            rows = Release.objects.not_in_bin().values_list("title", "event_start", "slug")
            self.existing = {duplicate_key(t, d): slug for t, d, slug in rows.iterator()}
        self.duplicates = 0
        self.catalogue = Catalogue()
        self.releases = self.drafts = self.published = 0
        self.release_slugs = SlugPool(column(Release, "slug"))
        self.uids = set(column(Release, "uid"))
        # A release's translation group, and the languages in it, by its uid.
        self.groups: dict[uuid.UUID, uuid.UUID] = {}
        self.languages: dict[uuid.UUID, set[str]] = {}

    def summary(self) -> JsonlSummary:
        created = self.catalogue.created
        return JsonlSummary(
            releases=self.releases,
            officials=created["officials"],
            organisations=created["organisations"],
            tags=created["tags"],
            appointments=created["appointments"],
            drafts=self.drafts,
            duplicates=self.duplicates,
        )

    def shows_readers(self) -> bool:
        """Did a release get published (or scheduled), or an official a new position?"""
        return bool(self.published or self.catalogue.created["appointments"])

    def add(self, batch: list[Record]) -> None:
        batch = [record for record in batch if not self._is_duplicate(record)]
        if not batch:
            return
        self.catalogue.add(batch)
        revisions, entries = [], []
        for record in batch:
            self._identify(record)
            release = record.release
            release.created_by = release.last_edited_by = self.user
            if record.lead_image:
                release.lead_image = self.catalogue.images[record.lead_image.sha256]
            if record.contact:
                release.contact_id = self.catalogue.contacts[record.contact]
            revisions.append(revision_for(release, self.user, self._snapshot(record)))
            comment = import_comment(self.path, record.line)
            entries.append(import_entry_for(release, self.user, comment))
            if record.published_at and self._may_publish(record):
                release.state, release.published_at = State.PUBLISHED, record.published_at
                release.version += 1
                action = publish_action(record.published_at)
                entries.append(audit_entry_for(release, self.user, action, State.DRAFT, comment))
                self.published += 1
        Release.objects.bulk_create([record.release for record in batch])
        self._link(batch)
        for record, revision in zip(batch, revisions, strict=True):
            # The rows have their ids now; a line brings no gallery and no documents.
            sources = sorted(record.sources, key=lambda source: (not source.is_primary, source.pk))
            revision.data["sources"] = [ROWS["sources"].row_of(source) for source in sources]
            revision.data["gallery_items"] = revision.data["attachments"] = []
        Revision.objects.bulk_create(revisions)
        AuditEntry.objects.bulk_create(entries)
        self.releases += len(batch)
        # With DEBUG on, Django keeps the SQL of every query, and a bulk insert's runs to
        # megabytes. Forget it, unless a test is counting the queries.
        if not connection.force_debug_cursor:
            reset_queries()

    def _link(self, batch: list[Record]) -> None:
        """Store the stored releases' sources and links."""
        catalogue = self.catalogue
        sources, tags, officials, organisations, countries, delegations = [], [], [], [], [], []
        for record in batch:
            pk = record.release.pk
            for source in record.sources:
                source.release_id = pk
                sources.append(source)
            tags += [
                TaggedRelease(content_object_id=pk, tag_id=catalogue.tag(n)) for n in record.tags
            ]
            officials += [
                Release.officials.through(release_id=pk, official_id=catalogue.official(name))
                for name, _ in record.officials
            ]
            organisations += [
                Release.organisations.through(
                    release_id=pk, organisation_id=catalogue.organisation(name)
                )
                for name in record.organisations
            ]
            countries += [
                Release.countries.through(release_id=pk, country_id=catalogue.countries[code])
                for code in record.countries
            ]
            delegations += [
                Release.delegations.through(
                    release_id=pk, delegation_id=catalogue.delegations[item.slug]
                )
                for item in record.delegations
            ]
        SourceURL.objects.bulk_create(sources)
        TaggedRelease.objects.bulk_create(tags)
        Release.officials.through.objects.bulk_create(officials)
        Release.organisations.through.objects.bulk_create(organisations)
        Release.countries.through.objects.bulk_create(countries)
        Release.delegations.through.objects.bulk_create(delegations)

    def _identify(self, record: Record) -> None:
        """Give the release its slug, uid and translation group, refusing a uid already taken."""
        release = record.release
        if record.slug:
            release.slug = self.release_slugs.take(record.slug)
        else:
            release.slug = self.release_slugs.claim(release.title, fallback="release")
        if record.uid is not None:
            if record.uid in self.uids:
                raise BadLine(f"uuid {record.uid} is a release's already", record.line)
            release.uid = record.uid
        self.uids.add(release.uid)
        if record.translation_of is not None:
            group = self._group(record.translation_of)
            if group is None:
                raise BadLine(
                    f"translation_of: no release {record.translation_of} earlier in the file "
                    "or in the database",
                    record.line,
                )
            if release.language in self.languages[group]:
                raise BadLine(
                    f"translation_of: {record.translation_of} already has a translation in "
                    f"{release.language!r}",
                    record.line,
                )
            release.translation_key = group
        self.groups[release.uid] = release.translation_key
        self.languages.setdefault(release.translation_key, set()).add(release.language)

    def _group(self, uid: uuid.UUID) -> uuid.UUID | None:
        if uid not in self.groups:
            key = column(Release, "translation_key").filter(uid=uid).first()
            if key is None:
                return None
            self.groups[uid] = key
            languages = column(Release, "language").filter(translation_key=key)
            self.languages.setdefault(key, set()).update(languages)
        return self.groups[uid]

    def _snapshot(self, record: Record) -> dict[str, Any]:
        """The release's content as its first revision keeps it (snapshot_of), without queries."""
        catalogue = self.catalogue
        data = {field.name: field.read(record.release) for field in _COLUMNS}
        data["officials"] = sorted({catalogue.official(name) for name, _ in record.officials})
        data["organisations"] = sorted({catalogue.organisation(n) for n in record.organisations})
        data["countries"] = sorted({catalogue.countries[code] for code in record.countries})
        data["delegations"] = sorted({catalogue.delegations[d.slug] for d in record.delegations})
        data["tags"] = sorted(catalogue.tag_name(name) for name in record.tags)
        return data

    def _is_duplicate(self, record: Record) -> bool:
        """Is a release like it in the database (reported through warn)?"""
        if self.existing is None:
            return False
        release = record.release
        slug = self.existing.get(duplicate_key(release.title, release.event_start))
        if slug is None:
            return False
        self.duplicates += 1
        if self.warn:
            self.warn(f"{self.path}:{record.line}: skipped, a duplicate of release {slug!r}")
        return True

    def _may_publish(self, record: Record) -> bool:
        """Run the workflow's publishing checks; a release they refuse stays a draft, reported."""
        release = record.release
        try:
            images = [release.lead_image] if release.lead_image_id else []
            check_import_publish(release=release, user=self.user, images=images)
        except (PermissionDenied, ValidationError) as error:
            reason = describe_refusal(error)
            self.drafts += 1
            if self.warn:
                self.warn(f"{self.path}:{record.line}: stays a draft, not published: {reason}")
            return False
        return True
