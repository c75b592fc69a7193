"""Backups of the whole newsroom: the database as a Django fixture, and the media files.

A backup is a folder with database.json.gz (every row, with natural keys, so it loads into any
freshly migrated database), media.tar.gz and manifest.json (what it holds, for checking).
"""

from __future__ import annotations

import gzip
import io
import json
import tarfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import management
from django.db import transaction
from django.utils import timezone

# Made again by migrate, or not worth keeping.
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "admin.logentry", "axes"]


class RestoreRefused(Exception):
    pass


def counts() -> dict[str, int]:
    """Rows per model that a backup carries."""
    result = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if model._meta.app_label in EXCLUDED or label in EXCLUDED or model._meta.proxy:
            continue
        result[label] = model._default_manager.count()
    return result


def backup(folder: Path) -> Path:
    """Write a backup into a new folder inside folder; return that folder."""
    target = folder / timezone.now().strftime("backup-%Y%m%d-%H%M%S")
    target.mkdir(parents=True, exist_ok=False)
    buffer = io.StringIO()
    management.call_command(
        "dumpdata",
        exclude=EXCLUDED,
        natural_foreign=True,
        natural_primary=True,
        indent=None,
        stdout=buffer,
    )
    with gzip.open(target / "database.json.gz", "wt", encoding="utf-8") as out:
        out.write(buffer.getvalue())
    media = Path(settings.MEDIA_ROOT)
    with tarfile.open(target / "media.tar.gz", "w:gz") as archive:
        if media.exists():
            archive.add(media, arcname="media")
    manifest = {"created": timezone.now().isoformat(), "rows": counts()}
    (target / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
    return target


def restore(folder: Path, *, force: bool = False) -> dict[str, int]:
    """Load a backup into this (migrated) database and media folder; return the rows loaded.

    Refuses a database that already holds releases, unless force is given.
    """
    manifest = json.loads((folder / "manifest.json").read_text())
    from news.models import Release
    from news.models.public_version import site_changed

    if Release.objects.exists() and not force:
        raise RestoreRefused("The database already holds releases; restore into an empty one.")
    with transaction.atomic():
        management.call_command("loaddata", str(folder / "database.json.gz"), verbosity=0)
        # Cached pages are of the database before.
        site_changed()
    media = Path(settings.MEDIA_ROOT)
    media.mkdir(parents=True, exist_ok=True)
    with tarfile.open(folder / "media.tar.gz", "r:gz") as archive:
        for member in archive.getmembers():
            if member.name == "media":
                continue
            member.name = member.name.removeprefix("media/")
            archive.extract(member, media, filter="data")
    restored = counts()
    missing = {label: n for label, n in manifest["rows"].items() if restored.get(label, 0) < n}
    if missing:
        raise RestoreRefused(f"Rows missing after the restore: {missing}")
    return restored
