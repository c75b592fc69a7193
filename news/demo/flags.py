"""Lead images for generated releases: the flags of Belarus and a partner country, side by side.

Like the demo's illustration (news.demo.illustration), each picture is drawn, not photographed:
two flags as cloth with folds and a light falling across it, with a little grain. The flags are
simplified (no ornament, no coat of arms), so the description speaks of their colours. Each
picture is drawn from its country and variant alone, so every run makes the same pixels and
the same sha256, and the library keeps one copy however often releases are generated.
"""

from __future__ import annotations

import io
import math
import random
from collections.abc import Callable
from functools import cache

from PIL import Image, ImageChops, ImageDraw, ImageFilter

from news.images import generate_renditions, normalise, store_master
from news.models import Image as LibraryImage
from news.models import Licence

SIZE = (960, 640)  # small: three widths of renditions, 320, 640 and 960
SKETCH = (240, 160)  # drawn at a quarter of the size, then enlarged: soft, like a photo's focus
CREDIT = "Пресс-служба (иллюстрация)"

Colour = tuple[int, int, int]
Painter = Callable[[ImageDraw.ImageDraw, int, int], None]

RED, WHITE, BLACK, YELLOW = (206, 17, 38), (255, 255, 255), (20, 20, 20), (255, 205, 0)


def _stripes(*colours: Colour, weights: tuple[int, ...] = ()) -> Painter:
    weights = weights or (1,) * len(colours)

    def paint(draw: ImageDraw.ImageDraw, width: int, height: int) -> None:
        top = 0.0
        for colour, weight in zip(colours, weights, strict=True):
            bottom = top + height * weight / sum(weights)
            draw.rectangle((0, round(top), width, round(bottom)), fill=colour)
            top = bottom

    return paint


def _star(draw: ImageDraw.ImageDraw, x: float, y: float, radius: float, fill: Colour) -> None:
    points = [
        (
            x + r * math.cos(math.radians(-90 + 36 * i)),
            y + r * math.sin(math.radians(-90 + 36 * i)),
        )
        for i, r in enumerate([radius, radius * 0.382] * 5)
    ]
    draw.polygon(points, fill=fill)


def _china(draw: ImageDraw.ImageDraw, width: int, height: int) -> None:
    draw.rectangle((0, 0, width, height), fill=(238, 28, 37))
    _star(draw, width * 0.2, height * 0.25, height * 0.15, YELLOW)
    for x, y in [(0.36, 0.1), (0.43, 0.2), (0.43, 0.35), (0.36, 0.45)]:
        _star(draw, width * x, height * y, height * 0.05, YELLOW)


def _vietnam(draw: ImageDraw.ImageDraw, width: int, height: int) -> None:
    draw.rectangle((0, 0, width, height), fill=(218, 37, 29))
    _star(draw, width / 2, height / 2, height * 0.3, YELLOW)


def _kazakhstan(draw: ImageDraw.ImageDraw, width: int, height: int) -> None:
    draw.rectangle((0, 0, width, height), fill=(0, 175, 202))
    x, y, radius = width / 2, height * 0.42, height * 0.17
    draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=(254, 197, 12))  # the sun


def _uzbekistan(draw: ImageDraw.ImageDraw, width: int, height: int) -> None:
    blue = (0, 153, 181)
    _stripes(blue, RED, WHITE, RED, (30, 181, 58), weights=(31, 2, 28, 2, 31))(draw, width, height)
    x, y, radius = width * 0.2, height * 0.16, height * 0.1
    draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=WHITE)
    x += radius * 0.35
    draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=blue)


def _emirates(draw: ImageDraw.ImageDraw, width: int, height: int) -> None:
    _stripes((0, 115, 47), WHITE, BLACK)(draw, width, height)
    draw.rectangle((0, 0, round(width * 0.25), height), fill=(255, 0, 0))


BELARUS = _stripes((200, 49, 62), (74, 166, 87), weights=(2, 1))
# ISO code: (the country's name in the genitive, its flag)
PARTNERS: dict[str, tuple[str, Painter]] = {
    "RS": ("Сербии", _stripes((198, 54, 60), (12, 64, 118), WHITE)),
    "CN": ("Китая", _china),
    "RU": ("России", _stripes(WHITE, (0, 57, 166), (213, 43, 30))),
    "KZ": ("Казахстана", _kazakhstan),
    "UZ": ("Узбекистана", _uzbekistan),
    "VN": ("Вьетнама", _vietnam),
    "AE": ("ОАЭ", _emirates),
    "AM": ("Армении", _stripes((217, 0, 18), (0, 51, 160), (242, 168, 0))),
}


@cache  # drawing one takes a tenth of a second; 130 KB each is cheap to keep
def flags_bytes(code: str, variant: int = 0) -> bytes:
    """The flags of Belarus and the partner as a JPEG: the same bytes for the same arguments."""
    rng = random.Random(f"{code}-{variant}")
    image = _cloth(_flat(PARTNERS[code][1]), rng).filter(ImageFilter.GaussianBlur(0.6))
    image = image.resize(SIZE, Image.Resampling.BICUBIC)
    noise = Image.frombytes("L", SIZE, rng.randbytes(SIZE[0] * SIZE[1]))
    noise = noise.filter(ImageFilter.GaussianBlur(0.6)).point(lambda v: 128 + (v - 128) // 8)
    image = ImageChops.add(image, Image.merge("RGB", (noise, noise, noise)), offset=-128)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def flag_images(codes: list[str], variants: int = 2) -> dict[str, list[LibraryImage]]:
    """Each country's pictures in the image library, stored and rendered once (by sha256)."""
    return {code: [_library_image(code, variant) for variant in range(variants)] for code in codes}


def _library_image(code: str, variant: int) -> LibraryImage:
    normalised = normalise(flags_bytes(code, variant))
    existing = LibraryImage.objects.filter(sha256=normalised.sha256).first()
    if existing is not None:
        generate_renditions(existing.file)  # only those missing, if any
        return existing
    generate_renditions(store_master(normalised))
    partner = PARTNERS[code][0]
    return LibraryImage.objects.create(
        file=normalised.name,
        sha256=normalised.sha256,
        width=normalised.width,
        height=normalised.height,
        alt=f"Иллюстрация: цвета флагов Беларуси и {partner}",
        caption=(
            f"Иллюстрация: государственные флаги Беларуси и {partner}. "
            "Не фотография с места событий."
        ),
        credit=CREDIT,
        licence=Licence.CC_BY,
    )


def _flat(partner: Painter) -> Image.Image:
    """Belarus on the left, the partner on the right, meeting at a slightly leaning seam."""
    width, height = SKETCH
    image = Image.new("RGB", SKETCH)
    BELARUS(ImageDraw.Draw(image), width, height)
    right = Image.new("RGB", (width * 13 // 25, height))
    partner(ImageDraw.Draw(right), right.width, height)
    seam = Image.new("L", SKETCH, 0)
    ImageDraw.Draw(seam).polygon(
        [(width * 0.48, 0), (width, 0), (width, height), (width * 0.53, height)], fill=255
    )
    image.paste(right, (width - right.width, 0), seam.crop((width - right.width, 0, width, height)))
    return image


def _cloth(flat: Image.Image, rng: random.Random) -> Image.Image:
    """The flat flags waving: folds move each column up or down and shade it."""
    width, height = flat.size
    phase = [rng.uniform(0, math.tau) for _ in range(2)]
    from_left = rng.random() < 0.5
    source = flat.load()
    image = Image.new("RGB", flat.size)
    target = image.load()
    for x in range(width):
        u = x / width
        shift = height * (0.035 * math.sin(u * 9 + phase[0]) + 0.015 * math.sin(u * 23 + phase[1]))
        for y in range(height):
            v = y / height
            fold = math.sin(u * 9 + phase[0] + 0.9 + v * 1.5)
            side = (1 - u) if from_left else u
            light = 0.8 + 0.14 * fold + 0.12 * side - 0.1 * v
            colour = source[x, min(height - 1, max(0, round(y + shift)))]
            target[x, y] = tuple(max(0, min(255, round(c * light))) for c in colour)
    return image
