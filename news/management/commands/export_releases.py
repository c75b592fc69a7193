"""manage.py export_releases [--output FILE]: every public release as JSON Lines."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser, no_translations

from news.exporting import export_jsonl


class Command(BaseCommand):
    help = (
        "Write every published release as JSON Lines, one release a line, in the format "
        "import_release reads: to standard output, or to FILE with --output."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output", "-o", type=Path, metavar="FILE", help="Write to FILE, not to stdout."
        )

    @no_translations
    def handle(self, *args, output: Path | None = None, **options) -> None:
        if output is None:
            count = export_jsonl(self.stdout)
        else:
            try:
                with output.open("w", encoding="utf-8", newline="\n") as handle:
                    count = export_jsonl(handle)
            except OSError as error:
                raise CommandError(f"{output}: {error.strerror or error}") from None
        if options["verbosity"] > 0:
            where = output or "standard output"
            self.stderr.write(f"{count} releases written to {where}")
