"""Bring every image's renditions in line with NEWS_IMAGE_WIDTHS and NEWS_IMAGE_FORMATS."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser

from news.images import iter_masters, regenerate_renditions
from news.models import Image


class Command(BaseCommand):
    help = (
        "Make missing renditions and delete stale ones after the sizes or formats changed; "
        "with --force, re-encode all of them (after a change of quality)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force", action="store_true", help="Re-encode every rendition, not only missing ones."
        )
        parser.add_argument(
            "--orphans",
            action="store_true",
            help="Also go through masters in storage that no image row names.",
        )
        parser.add_argument("ids", nargs="*", type=int, help="Only these images (by number).")

    def handle(self, *args, ids: list[int], force: bool, orphans: bool, **options) -> None:
        images = Image.objects.order_by("pk")
        if ids:
            images = images.filter(pk__in=ids)
        names = list(images.values_list("file", flat=True))
        if orphans and not ids:
            known = set(names)
            names += [name for name in iter_masters() if name not in known]
        written = deleted = 0
        for name in names:
            try:
                result = regenerate_renditions(name, force=force)
            except FileNotFoundError:
                self.stderr.write(f"Missing master: {name}")
                continue
            written += len(result.written)
            deleted += len(result.deleted)
            if options["verbosity"] > 1:
                self.stdout.write(f"{name}: +{len(result.written)} -{len(result.deleted)}")
        self.stdout.write(
            f"{len(names)} image(s): {written} rendition(s) written, {deleted} deleted."
        )
