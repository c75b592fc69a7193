"""Uploaded media from MEDIA_ROOT, for a site with no reverse proxy serving /media/ itself.

Images are served with a type from a fixed list and never sniffed; documents download as
files; attachments (attachments/) only ever go through their own checked view
(news.attachments.attachment_download), which hides those of unpublished releases.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponseNotModified
from django.urls import URLPattern, re_path
from django.utils.http import http_date
from django.views.decorators.http import require_safe
from django.views.static import was_modified_since

from news.models.attachments import EXTENSIONS as DOCUMENT_EXTENSIONS

IMAGE_TYPES = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
    "avif": "image/avif",
}
DOCUMENT_TYPES = {ext: content_type for content_type, ext in DOCUMENT_EXTENSIONS.items()}
# Folders whose files readers must not reach by their address.
PRIVATE_FOLDERS = {"attachments"}
# Masters and renditions live under the SHA-256 of the photo (news.images.renditions): an
# address never shows other content, so browsers may keep it for good.
IMMUTABLE = re.compile(r"images/[0-9a-f]{2}/[0-9a-f]{64}/[^/]+")
IMMUTABLE_CACHE = "public, max-age=31536000, immutable"
OTHER_CACHE = "public, max-age=3600"


@require_safe
def media(request: HttpRequest, path: str) -> FileResponse | HttpResponseNotModified:
    """The file at path under MEDIA_ROOT; 404 for a folder, a private or missing file, and
    any path that would leave MEDIA_ROOT."""
    name = posixpath.normpath(path).lstrip("/")
    parts = name.split("/")
    if name in ("", ".") or parts[0] in PRIVATE_FOLDERS or any(p.startswith(".") for p in parts):
        raise Http404
    root = Path(settings.MEDIA_ROOT).resolve()
    try:
        file = (root / name).resolve()
        if not file.is_relative_to(root) or not file.is_file():
            raise Http404
        stat = file.stat()
    except (OSError, ValueError):  # a name too long for the file system, a NUL byte
        raise Http404 from None
    if not was_modified_since(request.META.get("HTTP_IF_MODIFIED_SINCE"), stat.st_mtime):
        return HttpResponseNotModified()
    ext = file.suffix.lstrip(".").lower()
    image = ext in IMAGE_TYPES
    response = FileResponse(
        file.open("rb"),
        content_type=IMAGE_TYPES.get(ext) or DOCUMENT_TYPES.get(ext) or "application/octet-stream",
        # Only images open in the browser; anything else is a download, never a page.
        as_attachment=not image,
    )
    response["Last-Modified"] = http_date(stat.st_mtime)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = IMMUTABLE_CACHE if IMMUTABLE.fullmatch(name) else OTHER_CACHE
    return response


def media_urlpatterns() -> list[URLPattern]:
    """/media/ served here unless SERVE_MEDIA is off (a proxy serves it) or media are on S3."""
    prefix = settings.MEDIA_URL
    if not settings.SERVE_MEDIA or settings.S3_BUCKET or "://" in prefix:
        return []
    return [re_path(rf"^{re.escape(prefix.lstrip('/'))}(?P<path>.*)$", media, name="media")]
