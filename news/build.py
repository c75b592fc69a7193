"""Which build of the site this process runs: pages cached by one deploy are never served by
another, whose templates, code, translations or static files differ."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from django.conf import settings

# What a page's bytes depend on besides the data; the static manifest names the hashed files.
SOURCES = {"ministry": (".py",), "news": (".py",), "templates": (".html", ".txt", ".xml")}
TRANSLATIONS = "locale"


@functools.cache
def build_id() -> str:
    """BUILD_ID from the environment (a commit, say), or a digest of what this build renders.

    The digest reads about a megabyte once per process.
    """
    if settings.BUILD_ID:
        return settings.BUILD_ID
    base = settings.BASE_DIR
    files = [
        path
        for folder, suffixes in SOURCES.items()
        for path in (base / folder).rglob("*")
        if path.suffix in suffixes
    ]
    files += (base / TRANSLATIONS).rglob("*.mo")
    digest = hashlib.sha256()
    for path in sorted(files):
        if path.is_file():
            digest.update(str(path.relative_to(base)).encode() + b"\0" + path.read_bytes())
    manifest = Path(settings.STATIC_ROOT or base) / "staticfiles.json"
    if manifest.is_file():
        digest.update(manifest.read_bytes())
    return digest.hexdigest()[:16]
