"""Settings of the image pipeline, each with a default so the project runs without them."""

from __future__ import annotations

from django.conf import settings
from PIL import features

MAX_BYTES = 25 * 1024 * 1024
MAX_PIXELS = 50_000_000
MAX_SIDE = 12_000
WIDTHS = (320, 640, 960, 1280, 1920)
# Modern formats offered in <picture> before the JPEG (or PNG) fallback, best first.
FORMATS = ("avif", "webp")
QUALITY = {"master": 88, "jpeg": 80, "webp": 75, "avif": 55}
AVIF_SPEED = 6
DIRECTORY = "images"


def max_bytes() -> int:
    return getattr(settings, "NEWS_IMAGE_MAX_BYTES", MAX_BYTES)


def max_pixels() -> int:
    return getattr(settings, "NEWS_IMAGE_MAX_PIXELS", MAX_PIXELS)


def max_side() -> int:
    return getattr(settings, "NEWS_IMAGE_MAX_SIDE", MAX_SIDE)


def widths() -> list[int]:
    return sorted(set(getattr(settings, "NEWS_IMAGE_WIDTHS", WIDTHS)))


def modern_formats() -> list[str]:
    """The configured modern formats this Pillow can write; AVIF needs libavif."""
    wanted = getattr(settings, "NEWS_IMAGE_FORMATS", FORMATS)
    return [fmt for fmt in wanted if fmt in ("avif", "webp") and features.check(fmt)]


def quality(kind: str) -> int:
    return {**QUALITY, **getattr(settings, "NEWS_IMAGE_QUALITY", {})}[kind]


def avif_speed() -> int:
    return getattr(settings, "NEWS_IMAGE_AVIF_SPEED", AVIF_SPEED)


def directory() -> str:
    return getattr(settings, "NEWS_IMAGE_DIR", DIRECTORY).strip("/")
