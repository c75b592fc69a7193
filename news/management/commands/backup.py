from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

from news.backup import backup


class Command(BaseCommand):
    help = "Back up the database (every row) and the media files into a new folder in FOLDER."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path)

    def handle(self, *args, folder: Path, **options) -> None:
        target = backup(folder)
        self.stdout.write(f"Backup written to {target}")
