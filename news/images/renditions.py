"""Store masters and make their renditions once, under names derived from the content.

A master lives at images/<sha256[:2]>/<sha256>/original.jpg (or .png when transparent) and
its renditions beside it as <width>.<ext>: 640.avif, 640.webp, 640.jpg. The same photo
uploaded twice is stored once and shared. Everything goes through a Django storage (the
default one unless given), so the same code writes to local media or to S3.
"""

from __future__ import annotations

import io
import posixpath
from collections.abc import Iterator
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage
from PIL import Image

from news.images import conf
from news.images.upload import NormalisedImage

MIME_TYPES = {"avif": "image/avif", "webp": "image/webp", "jpg": "image/jpeg", "png": "image/png"}
MASTER_STEM = "original"
MASTER_FORMATS = ["JPEG", "PNG"]  # what normalise() writes; nothing else is opened here


@dataclass(frozen=True)
class Rendition:
    width: int
    height: int
    format: str  # file extension: avif, webp, jpg or png
    name: str


@dataclass(frozen=True)
class RenditionSize:
    width: int
    height: int
    format: str
    bytes: int
    name: str


@dataclass(frozen=True)
class PictureSource:
    type: str
    srcset: str


@dataclass(frozen=True)
class Picture:
    """What a template needs for <picture>: modern sources first, then the fallback <img>."""

    sources: list[PictureSource]
    src: str
    srcset: str
    width: int
    height: int


@dataclass(frozen=True)
class RegenerateResult:
    written: list[str]
    deleted: list[str]


def store_master(image: NormalisedImage, *, storage: Storage | None = None) -> str:
    """Save the master unless the same content is already stored; return its name."""
    storage = storage or default_storage
    name = image.name
    if not storage.exists(name):
        saved = storage.save(name, ContentFile(image.content))
        if saved != name:
            # Someone stored the same content between exists() and save(): keep theirs.
            storage.delete(saved)
    return name


def rendition_widths(master_width: int, widths: list[int] | None = None) -> list[int]:
    """The configured widths below the master's, plus the master's own if it is narrower."""
    widths = sorted(set(widths or conf.widths())) or [master_width]
    chosen = [width for width in widths if width < master_width]
    if master_width <= widths[-1]:
        chosen.append(master_width)
    return chosen


def rendition_formats(master_name: str) -> list[str]:
    """Modern formats, then the fallback: JPEG, or PNG for a transparent master."""
    fallback = "png" if master_name.endswith(".png") else "jpg"
    return [*conf.modern_formats(), fallback]


def renditions(
    master_name: str, *, width: int, height: int, widths: list[int] | None = None
) -> list[Rendition]:
    """The renditions a master of this size should have, without looking at storage."""
    folder = posixpath.dirname(master_name)
    return [
        Rendition(w, _scaled_height(width, height, w), fmt, f"{folder}/{w}.{fmt}")
        for w in rendition_widths(width, widths)
        for fmt in rendition_formats(master_name)
    ]


def generate_renditions(
    master_name: str,
    *,
    storage: Storage | None = None,
    widths: list[int] | None = None,
    force: bool = False,
) -> list[str]:
    """Make the renditions that are missing (all of them if force); return the names written.

    Lists the master's folder once and reads the master's header; decodes its pixels only
    if something is missing.
    """
    storage = storage or default_storage
    existing = set() if force else set(_files_in(storage, posixpath.dirname(master_name)))
    with storage.open(master_name, "rb") as file:
        master = Image.open(file, formats=MASTER_FORMATS)
        size = master.size
        wanted = [
            rendition
            for rendition in renditions(master_name, width=size[0], height=size[1], widths=widths)
            if posixpath.basename(rendition.name) not in existing
        ]
        if not wanted:
            return []
        largest = max(rendition.width for rendition in wanted)
        # A JPEG master decodes at a reduced scale when no rendition needs its full size.
        master.draft(master.mode, (largest, _scaled_height(*size, largest)))
        master.load()
    written = []
    for width in sorted({rendition.width for rendition in wanted}, reverse=True):
        height = _scaled_height(*size, width)
        if (width, height) == master.size:
            resized = master
        else:
            resized = master.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
        for rendition in wanted:
            if rendition.width != width:
                continue
            if force and storage.exists(rendition.name):
                storage.delete(rendition.name)
            saved = storage.save(rendition.name, ContentFile(_encode(resized, rendition)))
            if saved != rendition.name:
                # Another worker made the same rendition meanwhile; theirs is as good.
                storage.delete(saved)
                continue
            written.append(saved)
    return written


def regenerate_renditions(
    master_name: str,
    *,
    storage: Storage | None = None,
    widths: list[int] | None = None,
    force: bool = False,
) -> RegenerateResult:
    """Bring a master's renditions in line with the settings: drop stale ones, make new ones.

    With force, re-encode all of them too (after a change of quality, say).
    """
    storage = storage or default_storage
    folder = posixpath.dirname(master_name)
    with storage.open(master_name, "rb") as file:
        width, height = Image.open(file, formats=MASTER_FORMATS).size
    current = {
        posixpath.basename(rendition.name)
        for rendition in renditions(master_name, width=width, height=height, widths=widths)
    }
    deleted = []
    for filename in _files_in(storage, folder):
        if filename.startswith(f"{MASTER_STEM}.") or filename in current:
            continue
        storage.delete(f"{folder}/{filename}")
        deleted.append(f"{folder}/{filename}")
    written = generate_renditions(master_name, storage=storage, widths=widths, force=force)
    return RegenerateResult(written=written, deleted=deleted)


def iter_masters(*, storage: Storage | None = None) -> Iterator[str]:
    """Every master in storage, for a command that regenerates or checks them all."""
    storage = storage or default_storage
    root = conf.directory()
    for prefix in _dirs_in(storage, root):
        for digest in _dirs_in(storage, f"{root}/{prefix}"):
            for filename in _files_in(storage, f"{root}/{prefix}/{digest}"):
                if filename.startswith(f"{MASTER_STEM}."):
                    yield f"{root}/{prefix}/{digest}/{filename}"


def delete_image_files(master_name: str, *, storage: Storage | None = None) -> list[str]:
    """Delete a master and its renditions; the caller checks that nothing still uses it."""
    storage = storage or default_storage
    folder = posixpath.dirname(master_name)
    names = [f"{folder}/{filename}" for filename in _files_in(storage, folder)]
    for name in names:
        storage.delete(name)
    return names


def picture(
    master_name: str,
    *,
    width: int,
    height: int,
    storage: Storage | None = None,
    widths: list[int] | None = None,
) -> Picture:
    """Describe a master's <picture> from its name and size alone: no storage access but url().

    The <img> gets the size of the largest rendition, so the browser reserves the right
    box before the image arrives; its src is the rendition nearest 960 px wide.
    """
    storage = storage or default_storage
    by_format: dict[str, list[Rendition]] = {}
    for rendition in renditions(master_name, width=width, height=height, widths=widths):
        by_format.setdefault(rendition.format, []).append(rendition)
    *modern, fallback = rendition_formats(master_name)

    def srcset(fmt: str) -> str:
        return ", ".join(f"{storage.url(r.name)} {r.width}w" for r in by_format[fmt])

    largest = by_format[fallback][-1]
    src = min(by_format[fallback], key=lambda r: abs(r.width - 960))
    return Picture(
        sources=[PictureSource(MIME_TYPES[fmt], srcset(fmt)) for fmt in modern],
        src=storage.url(src.name),
        srcset=srcset(fallback),
        width=largest.width,
        height=largest.height,
    )


def sizes_report(
    master_name: str, *, storage: Storage | None = None, widths: list[int] | None = None
) -> list[RenditionSize]:
    """Bytes of each stored rendition of a master, narrowest first."""
    storage = storage or default_storage
    with storage.open(master_name, "rb") as file:
        width, height = Image.open(file, formats=MASTER_FORMATS).size
    return [
        RenditionSize(r.width, r.height, r.format, storage.size(r.name), r.name)
        for r in renditions(master_name, width=width, height=height, widths=widths)
        if storage.exists(r.name)
    ]


def format_sizes_report(report: list[RenditionSize]) -> str:
    """A Markdown table of a sizes_report(), one row per width, one column per format."""
    formats = list(dict.fromkeys(row.format for row in report))
    lines = [
        "| width | " + " | ".join(formats) + " |",
        "|---:|" + "---:|" * len(formats),
    ]
    for width in sorted({row.width for row in report}):
        cells = {row.format: f"{row.bytes / 1024:.0f} KB" for row in report if row.width == width}
        lines.append(f"| {width} | " + " | ".join(cells.get(fmt, "") for fmt in formats) + " |")
    return "\n".join(lines)


def _encode(image: Image.Image, rendition: Rendition) -> bytes:
    buffer = io.BytesIO()
    if rendition.format == "avif":
        image.save(buffer, "AVIF", quality=conf.quality("avif"), speed=conf.avif_speed())
    elif rendition.format == "webp":
        image.save(buffer, "WEBP", quality=conf.quality("webp"), method=4)
    elif rendition.format == "png":
        image.save(buffer, "PNG", optimize=True)
    else:
        image.save(buffer, "JPEG", quality=conf.quality("jpeg"), optimize=True, progressive=True)
    return buffer.getvalue()


def _scaled_height(width: int, height: int, new_width: int) -> int:
    return max(1, round(height * new_width / width))


def _files_in(storage: Storage, folder: str) -> list[str]:
    try:
        return storage.listdir(folder)[1]
    except FileNotFoundError:
        return []


def _dirs_in(storage: Storage, folder: str) -> list[str]:
    try:
        return storage.listdir(folder)[0]
    except FileNotFoundError:
        return []
