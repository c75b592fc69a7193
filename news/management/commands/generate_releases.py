"""manage.py generate_releases N: a realistic archive of N releases, the same for the same seed."""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from news.importing import ImportFailed
from news.importing.jsonl import import_jsonl_file
from news.synthetic import generate_records


class Command(BaseCommand):
    help = (
        "Make N synthetic releases with officials, organisations, tags and sources, stored "
        "through the JSON Lines importer (or written out with --jsonl). The same seed gives "
        "the same releases."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("count", type=int, metavar="N")
        parser.add_argument("--seed", type=int, default=2024)
        parser.add_argument(
            "--jsonl",
            type=Path,
            metavar="FILE",
            help="Write the releases as JSON Lines to FILE ('-' for standard output) "
            "instead of storing them.",
        )

    def handle(self, *args, count: int, seed: int, jsonl: Path | None, **options) -> None:
        if count < 1:
            raise CommandError("N must be at least 1.")
        if jsonl is not None and str(jsonl) == "-":
            _write(count, seed, sys.stdout)
            return
        if jsonl is not None:
            with jsonl.open("w", encoding="utf-8") as out:
                _write(count, seed, out)
            self.stdout.write(f"{jsonl}: {count} releases")
            return
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "releases.jsonl"
            with path.open("w", encoding="utf-8") as out:
                _write(count, seed, out)
            try:
                summary = import_jsonl_file(path)
            except ImportFailed as error:
                raise CommandError(str(error)) from None
        self.stdout.write(
            f"{summary.releases} releases ({summary.officials} new officials, "
            f"{summary.organisations} new organisations, {summary.tags} new tags)"
        )


def _write(count: int, seed: int, out) -> None:
    for record in generate_records(count, seed):
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
