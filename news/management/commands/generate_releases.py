"""manage.py generate_releases N: a realistic archive of N releases, the same for the same seed."""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import TextIO

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.db.models import Max

from news.importing import ImportFailed
from news.importing.jsonl import import_jsonl_file
from news.models import Release
from news.synthetic import generate_records, store_visits_and_images


class Command(BaseCommand):
    help = (
        "Make N synthetic releases with officials, organisations, tags and sources, stored "
        "through the JSON Lines importer, then give them their countries, delegations (visits "
        "of a few days) and lead images (drawn once, shared). With --jsonl, only the records "
        "are written: delegations and images need the stored releases. The same seed gives "
        "the same releases, visits and images."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("count", type=int, metavar="N")
        parser.add_argument("--seed", type=int, default=2024)
        parser.add_argument(
            "--jsonl",
            type=Path,
            metavar="FILE",
            help="Write the releases as JSON Lines to FILE ('-' for standard output) "
            "instead of storing them; no delegations or images are made.",
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
            with transaction.atomic():
                last = Release.objects.aggregate(last=Max("pk"))["last"] or 0
                try:
                    summary = import_jsonl_file(path)
                except ImportFailed as error:
                    raise CommandError(str(error)) from None
                # Titles are numbered, so unique among the releases this run made.
                made = dict(Release.objects.filter(pk__gt=last).values_list("title", "pk"))
                extras = store_visits_and_images(count, seed=seed, release_ids=made)
        # Fresh statistics for the query planner: without them, SQLite lists a country's
        # delegations by reading every release (seconds for 100,000 of them, not milliseconds).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        call_command("rebuild_related", verbosity=0)
        self.stdout.write(
            f"{summary.releases} releases ({summary.officials} new officials, "
            f"{summary.organisations} new organisations, {summary.tags} new tags); "
            f"{extras.delegations} delegations with {extras.with_delegation} releases; "
            f"{extras.with_image} releases with a lead image, of {extras.images} images"
        )


def _write(count: int, seed: int, out: TextIO) -> None:
    for record in generate_records(count, seed):
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
