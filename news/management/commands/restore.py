from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from news.backup import RestoreRefused, restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `backup` into this database (migrated, and without releases) "
        "and the media folder."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path, help="The backup-... folder.")
        parser.add_argument(
            "--force", action="store_true", help="Restore even into a database with releases."
        )

    def handle(self, *args, folder: Path, force: bool, **options) -> None:
        if not (folder / "manifest.json").exists():
            raise CommandError(f"{folder}: not a backup (no manifest.json).")
        try:
            rows = restore(folder, force=force)
        except RestoreRefused as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Restored {sum(rows.values())} rows and the media files.")
