"""manage.py import_release FILE [FILE ...]: plain-text releases and JSON Lines files."""

from __future__ import annotations

import datetime
import sys
from collections.abc import Callable
from pathlib import Path

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser, no_translations
from django.db import connection
from django.utils import timezone
from tqdm import tqdm

from news.importing import ImportFailed
from news.importing.decoding import check_encoding
from news.importing.errors import ImportSkipped
from news.importing.fields import import_user, parse_site_time, site_time
from news.importing.jsonl import import_jsonl_file
from news.importing.text import import_text_file
from news.mentions import Catalogue
from news.models import Language, Release


class Command(BaseCommand):
    help = (
        "Import releases: a .jsonl file holds one release per line; any other file is one "
        "release in plain text (title, paragraphs, 'Source URL:' footer). Each file is stored "
        "whole or not at all; the others go on. Releases are drafts unless published; one the "
        "publishing checks refuse is stored as a draft, reported in one line. Revisions and "
        "the audit log name the --user, or the account 'import'."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
        when = parser.add_mutually_exclusive_group()
        when.add_argument("--publish", action="store_true", help="Publish the releases now.")
        when.add_argument(
            "--publish-at",
            metavar="DATETIME",
            help="Publish at this ISO time (2024-09-01T10:00, Minsk time unless it has an "
            "offset); a future time schedules the releases.",
        )
        parser.add_argument(
            "--language",
            choices=Language.values,
            default=Language.RU,
            help="Language of text files, and of JSON lines without one (default: ru).",
        )
        parser.add_argument(
            "--user",
            metavar="USERNAME",
            help="Import as this user, named in the revisions and the audit log, publishing "
            "with their rights (default: the account 'import', made on demand: it cannot log "
            "in and may publish).",
        )
        parser.add_argument(
            "--allow-duplicates",
            action="store_true",
            help="Import a release even when one with the same title and event date is in the "
            "database (without it, such a file or line is skipped with a warning).",
        )
        parser.add_argument(
            "--encoding",
            metavar="NAME",
            help="Encoding of text files (latin-1, cp1251, utf-8...); without it Unicode is "
            "recognised and other encodings guessed, with a warning. JSON Lines are UTF-8.",
        )

    @no_translations
    def handle(self, *args, files: list[Path], **options) -> None:
        publish_at = self._publish_at(options["publish"], options["publish_at"])
        language = options["language"]
        encoding = options["encoding"]
        allow_duplicates = options["allow_duplicates"]
        if encoding is not None:
            try:
                check_encoding(encoding)
            except LookupError as error:
                raise CommandError(f"--encoding: {error}") from None
        try:
            user = import_user(options["user"])
        except LookupError as error:
            raise CommandError(f"--user: {error}") from None
        jsonl_bytes = sum(_size(path) for path in files if _is_jsonl(path))
        failed = read = 0
        catalogue = Catalogue.load() if not all(_is_jsonl(path) for path in files) else None

        def warn(line: str) -> None:
            with tqdm.external_write_mode(file=sys.stderr):
                self.stderr.write(line)

        with tqdm(
            total=jsonl_bytes,
            unit="B",
            unit_scale=True,
            unit_divisor=1024,
            file=sys.stderr,
            disable=not jsonl_bytes or options["verbosity"] == 0 or not sys.stderr.isatty(),
        ) as progress:
            for path in files:
                progress.set_description(path.name)
                try:
                    line = _import(
                        path,
                        language,
                        publish_at,
                        progress.update,
                        catalogue,
                        encoding,
                        warn,
                        user,
                        allow_duplicates,
                    )
                except ImportSkipped as error:
                    warn(f"warning: {error}")
                except ImportFailed as error:
                    failed += 1
                    with tqdm.external_write_mode(file=sys.stderr):
                        self.stderr.write(str(error))
                else:
                    with tqdm.external_write_mode(file=sys.stderr):
                        self.stdout.write(line)
                if _is_jsonl(path):  # a file that failed was not read to its end
                    read += _size(path)
                    progress.update(read - progress.n)
        if jsonl_bytes and failed < len(files):
            # Fresh statistics after a bulk load: without them the query planner (SQLite's
            # above all) may read every release where an index would do.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            # The JSON Lines importer stores in bulk, around the services that keep them.
            call_command("rebuild_related", verbosity=0)
        if failed:
            raise CommandError(f"{failed} of {len(files)} files failed to import.")

    def _publish_at(
        self, publish: bool, publish_at: str | datetime.datetime | None
    ) -> datetime.datetime | None:
        if publish and publish_at:
            raise CommandError("Give --publish or --publish-at, not both.")
        if publish:
            return timezone.now()
        if isinstance(publish_at, datetime.datetime):
            return site_time(publish_at)
        if publish_at:
            try:
                return parse_site_time(publish_at)
            except ValueError as error:
                raise CommandError(f"--publish-at: {error}") from None
        return None


def _import(
    path: Path,
    language: str,
    publish_at: datetime.datetime | None,
    progress: Callable[[int], object],
    catalogue: Catalogue | None,
    encoding: str | None,
    warn: Callable[[str], object],
    user: AbstractBaseUser,
    allow_duplicates: bool,
) -> str:
    """Import one file; return the line that reports it."""
    if _is_jsonl(path):
        summary = import_jsonl_file(
            path,
            language=language,
            publish_at=publish_at,
            progress=progress,
            user=user,
            warn=warn,
            allow_duplicates=allow_duplicates,
        )
        drafts = f", {summary.drafts} kept as drafts" if summary.drafts else ""
        if summary.duplicates:
            drafts += f", {summary.duplicates} duplicates skipped"
        return (
            f"{path}: {summary.releases} releases ({summary.officials} new officials, "
            f"{summary.organisations} new organisations, {summary.tags} new tags{drafts})"
        )
    release = import_text_file(
        path,
        language=language,
        publish_at=publish_at,
        catalogue=catalogue,
        encoding=encoding,
        warn=warn,
        user=user,
        allow_duplicates=allow_duplicates,
    )
    return f"{path}: {release.slug} ({_state(release)}) {release.title}{_links(release)}"


def _links(release: Release) -> str:
    counts = {
        "officials": release.officials.count(),
        "organisations": release.organisations.count(),
        "countries": release.countries.count(),
        "topics": release.tags.count(),
    }
    linked = ", ".join(f"{count} {name}" for name, count in counts.items() if count)
    return f"; linked {linked}" if linked else ""


def _is_jsonl(path: Path) -> bool:
    return path.suffix.lower() == ".jsonl"


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _state(release: Release) -> str:
    if release.is_scheduled:
        return f"scheduled for {timezone.localtime(release.published_at):%Y-%m-%d %H:%M}"
    if release.is_public:
        return "published"
    return release.get_state_display()
