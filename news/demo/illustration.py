"""The seed release's lead image: an illustration drawn here, since no photo of the visit is ours.

The picture is the flags of Belarus and Serbia side by side, as cloth with soft folds, light
falling across it and a film-like grain, so that it weighs what a press photo of the same size
would: flat colour compresses to almost nothing and would make the page's image sizes look
better than real ones. It is drawn from a fixed seed, so every run makes the same pixels, the
same master and the same sha256, and the library keeps one copy however often the demo loads.
Its description says plainly that it is an illustration, not a photo of the visit.
"""

from __future__ import annotations

import io
import math
import random

from PIL import Image, ImageChops, ImageFilter

from news.images import generate_renditions, normalise, store_master
from news.models import Image as LibraryImage
from news.models import Licence

SIZE = (3000, 2000)
SEED = 20240828  # the day of the visit
ALT = "Иллюстрация: цвета флагов Беларуси и Сербии"
CAPTION = (
    "Иллюстрация к визиту сербской делегации: государственные флаги Беларуси и Сербии. "
    "Не фотография с места событий."
)
CREDIT = "Пресс-служба (иллюстрация)"
LICENCE = Licence.CC_BY

# Official colours, as RGB.
BY_RED = (200, 49, 62)
BY_GREEN = (74, 166, 87)
RS_RED = (198, 54, 60)
RS_BLUE = (12, 64, 118)
RS_WHITE = (255, 255, 255)

# Drawn at a tenth of the size in pure Python, then enlarged: soft edges, like a photo's focus.
SKETCH = (300, 200)


def illustration_bytes(size: tuple[int, int] = SIZE, seed: int = SEED) -> bytes:
    """The illustration as a JPEG: the same bytes for the same size and seed."""
    rng = random.Random(seed)
    image = _flags(SKETCH, rng).filter(ImageFilter.GaussianBlur(0.7))
    image = image.resize(size, Image.Resampling.BICUBIC)
    image = _add(image, _noise(size, rng, scale=40, blur=1.5), strength=22)  # blotches
    image = _add(image, _noise(size, rng, scale=4, blur=1.0), strength=14)  # weave
    image = _add(image, _noise(size, rng, scale=1, blur=0.6), strength=18)  # grain
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=92)
    return buffer.getvalue()


def demo_lead_image() -> LibraryImage:
    """The illustration in the image library, stored and rendered once (found by its sha256)."""
    normalised = normalise(illustration_bytes())
    existing = LibraryImage.objects.filter(sha256=normalised.sha256).first()
    if existing is not None:
        generate_renditions(existing.file)  # only those missing, if any
        return existing
    generate_renditions(store_master(normalised))
    return LibraryImage.objects.create(
        file=normalised.name,
        sha256=normalised.sha256,
        width=normalised.width,
        height=normalised.height,
        alt=ALT,
        caption=CAPTION,
        credit=CREDIT,
        licence=LICENCE,
    )


def _flags(size: tuple[int, int], rng: random.Random) -> Image.Image:
    """Two flags meeting in a soft diagonal, on cloth that waves; a light falls from the left."""
    width, height = size
    phase = [rng.uniform(0, math.tau) for _ in range(3)]
    pixels = []
    for y in range(height):
        v = y / height
        for x in range(width):
            u = x / width
            # The cloth's folds move the stripes up and down and shade them.
            wave = 0.035 * math.sin(u * 9.0 + phase[0]) + 0.015 * math.sin(u * 23.0 + phase[1])
            fold = math.sin(u * 9.0 + phase[0] + 0.9 + v * 1.5)
            stripe = v + wave
            # Belarus on the left, Serbia on the right; the seam leans like a waving edge.
            seam = 0.5 + 0.06 * math.sin(v * 5.0 + phase[2]) + 0.08 * (v - 0.5)
            if u < seam:
                colour = BY_RED if stripe < 2 / 3 else BY_GREEN
            else:
                colour = RS_RED if stripe < 1 / 3 else RS_BLUE if stripe < 2 / 3 else RS_WHITE
            light = 0.78 + 0.14 * fold + 0.12 * (1 - u) - 0.10 * v
            pixels.append(tuple(max(0, min(255, round(c * light))) for c in colour))
    image = Image.new("RGB", size)
    image.putdata(pixels)
    return image


def _noise(size: tuple[int, int], rng: random.Random, *, scale: int, blur: float) -> Image.Image:
    """Grey noise around 128, made at 1/scale of size, softened and enlarged."""
    small = (max(1, size[0] // scale), max(1, size[1] // scale))
    noise = Image.frombytes("L", small, rng.randbytes(small[0] * small[1]))
    noise = noise.filter(ImageFilter.GaussianBlur(blur))
    if small != size:
        noise = noise.resize(size, Image.Resampling.BICUBIC)
    # Blur pulls values towards the middle: stretch them back to the full range.
    low, high = noise.getextrema()
    span = max(1, high - low)
    return noise.point(lambda value: round((value - low) * 255 / span))


def _add(image: Image.Image, noise: Image.Image, *, strength: int) -> Image.Image:
    """Lighten and darken image by up to ±strength levels where noise is above or below 128."""
    offset = noise.point(lambda value: round(128 + (value - 128) * strength / 128))
    grey = Image.merge("RGB", (offset, offset, offset))
    return ImageChops.add(image, grey, scale=1.0, offset=-128)
