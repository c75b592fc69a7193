"""The image pipeline with real images made here by Pillow: what is accepted, what is refused."""

from __future__ import annotations

import io
import itertools
import struct
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import translation
from PIL import ExifTags, Image, ImageChops, ImageDraw, features

from news.images import (
    ImageRejected,
    generate_renditions,
    inspect_upload,
    normalise,
    picture,
    regenerate_renditions,
    sizes_report,
    store_master,
)
from news.images.renditions import delete_image_files, iter_masters

SERIAL = "SN-0451-7788"


# Images, made the way cameras, phones and attackers make them ---------------------------


def encode(image: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def photo(size: tuple[int, int]) -> Image.Image:
    """Gradients, blobs, texture and grain, so it compresses roughly like a photograph.

    At 1920 px wide it makes a JPEG of about 1.2 bits a pixel at quality 80, as an
    ordinary outdoor press photo does.
    """
    width, height = size
    blobs = Image.effect_noise((50, 50 * height // width), 64)
    blobs = blobs.resize(size, Image.Resampling.BICUBIC)
    texture = Image.effect_noise((max(1, width // 16), max(1, height // 16)), 30)
    texture = texture.resize(size, Image.Resampling.BICUBIC)
    grain = Image.effect_noise(size, 10)
    ramp = Image.linear_gradient("L").resize(size)
    detail = ImageChops.add(texture, grain, 1, -128)
    return Image.merge(
        "RGB",
        (
            ImageChops.add(blobs, detail, 1, -128),
            ImageChops.blend(ramp, ImageChops.add(blobs, detail, 1, -128), 0.6),
            ImageChops.add(ramp.transpose(Image.Transpose.ROTATE_180), detail, 1, -128),
        ),
    )


def camera_jpeg() -> bytes:
    """A 120×80 JPEG stored sideways (orientation 6), red marker at its stored top left."""
    image = Image.new("RGB", (120, 80), "white")
    ImageDraw.Draw(image).rectangle((0, 0, 23, 23), fill="red")
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Canon"
    exif[ExifTags.Base.Model] = "Canon EOS R5"
    exif[ExifTags.Base.Orientation] = 6
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.BodySerialNumber] = SERIAL
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (53.0, 54.0, 27.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (27.0, 33.0, 41.0)
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF>Minsk GPS</rdf:RDF></x:xmpmeta>'
    return encode(image, "JPEG", quality=95, exif=exif.tobytes(), xmp=xmp, comment=SERIAL)


def cmyk_profile() -> bytes:
    """A minimal ICC v2 CMYK profile whose inks mix in linear light, unlike Pillow's formula.

    Half-strength cyan comes out with red ≈ 188 through it and ≈ 127 without it, so a test
    can tell whether the profile was used.
    """
    d50_from_linear_srgb = (
        (0.4360747, 0.3850649, 0.1430804),
        (0.2225045, 0.7168786, 0.0606169),
        (0.0139322, 0.0971045, 0.7141733),
    )

    def s15(value: float) -> bytes:
        return struct.pack(">i", round(value * 65536))

    clut = b""
    for c, m, y, k in itertools.product((0, 1), repeat=4):
        rgb = ((1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k))
        xyz = [sum(row[i] * rgb[i] for i in range(3)) for row in d50_from_linear_srgb]
        clut += struct.pack(">3H", *(min(65535, round(v * 32768)) for v in xyz))
    identity = b"".join(s15(v) for v in (1, 0, 0, 0, 1, 0, 0, 0, 1))
    a2b0 = (
        b"mft2" + bytes(4) + bytes([4, 3, 2, 0]) + identity + struct.pack(">HH", 2, 2)
        + struct.pack(">2H", 0, 65535) * 4 + clut + struct.pack(">2H", 0, 65535) * 3
    )  # fmt: skip
    name = b"Test CMYK\0"
    tags = [
        (b"desc", b"desc" + bytes(4) + struct.pack(">I", len(name)) + name + bytes(79)),
        (b"cprt", b"text" + bytes(4) + b"none\0"),
        (b"wtpt", b"XYZ " + bytes(4) + s15(0.9642) + s15(1.0) + s15(0.8249)),
        (b"A2B0", a2b0),
    ]
    offset = 128 + 4 + 12 * len(tags)
    table, data = struct.pack(">I", len(tags)), b""
    for signature, body in tags:
        body += bytes(-len(body) % 4)
        table += signature + struct.pack(">II", offset + len(data), len(body))
        data += body
    header = (
        struct.pack(">I", offset + len(data)) + bytes(4) + bytes([2, 0x10, 0, 0])
        + b"prtrCMYKXYZ " + struct.pack(">6H", 2026, 1, 1, 0, 0, 0) + b"acsp" + bytes(28)
        + s15(0.9642) + s15(1.0) + s15(0.8249) + bytes(48)
    )  # fmt: skip
    return header + table + data


def cmyk_jpeg(*, icc: bytes | None) -> bytes:
    """Left half full cyan, right half half-strength cyan, bottom strip full magenta."""
    image = Image.new("CMYK", (96, 64), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 47, 47), fill=(255, 0, 0, 0))
    draw.rectangle((48, 0, 95, 47), fill=(128, 0, 0, 0))
    draw.rectangle((0, 48, 95, 63), fill=(0, 255, 0, 0))
    options = {"icc_profile": icc} if icc else {}
    return encode(image, "JPEG", quality=95, **options)


# Helpers -------------------------------------------------------------------------------


def media_files(settings) -> list[str]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def publish(data: bytes, name: str = "photo.jpg") -> tuple[str, Image.Image]:
    """Do what the upload form will: normalise, store the master, make its renditions."""
    image = normalise(SimpleUploadedFile(name, data, content_type="image/jpeg"))
    master = store_master(image)
    generate_renditions(master)
    return master, Image.open(io.BytesIO(image.content))


def stored_bytes(settings) -> list[bytes]:
    root = Path(settings.MEDIA_ROOT)
    return [p.read_bytes() for p in root.rglob("*") if p.is_file()]


def refused(settings, data: bytes, name: str = "photo.jpg") -> ImageRejected:
    with pytest.raises(ImageRejected) as caught:
        publish(data, name)
    assert media_files(settings) == []
    return caught.value


def near(pixel: tuple[int, ...], expected: tuple[int, ...], tolerance: int = 24) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, expected, strict=False))


@pytest.fixture(autouse=True)
def _fast_avif(request, settings):
    """AVIF at its fastest speed, except where sizes are measured: it is the slow encoder."""
    if "big_photo" not in request.fixturenames:
        settings.NEWS_IMAGE_AVIF_SPEED = 10


@pytest.fixture(scope="module")
def big_photo() -> bytes:
    """A 4000×3000 camera JPEG; made once, it takes a second."""
    return encode(photo((4000, 3000)), "JPEG", quality=92)


# Accepted uploads ----------------------------------------------------------------------


def test_camera_jpeg_is_rotated_upright_and_loses_all_metadata(settings):
    master, image = publish(camera_jpeg())

    assert image.size == (80, 120)  # stored 120×80 sideways, shown upright
    assert near(image.getpixel((70, 10)), (255, 0, 0))  # the marker turned to the top right
    assert near(image.getpixel((10, 10)), (255, 255, 255))
    files = stored_bytes(settings)
    formats = 3 if features.check("avif") else 2
    assert len(files) == 1 + formats  # the master, and 80 px wide renditions only
    for content in files:
        assert Image.open(io.BytesIO(content)).getexif() == {}
        for secret in (b"GPS", b"Exif", b"Canon", SERIAL.encode(), b"xmpmeta", b"Minsk"):
            assert secret not in content


def test_cmyk_jpeg_with_icc_profile_is_converted_through_the_profile(settings):
    _, image = publish(cmyk_jpeg(icc=cmyk_profile()))

    assert image.mode == "RGB"
    assert near(image.getpixel((20, 20)), (0, 255, 255))
    assert near(image.getpixel((70, 20)), (188, 255, 255))  # linear-light ink, per the profile
    assert near(image.getpixel((50, 56)), (255, 0, 255))
    assert all(b"acsp" not in content for content in stored_bytes(settings))


def test_cmyk_jpeg_without_profile_is_converted_plainly():
    _, image = publish(cmyk_jpeg(icc=None))

    assert image.mode == "RGB"
    assert near(image.getpixel((20, 20)), (0, 255, 255))
    assert near(image.getpixel((70, 20)), (127, 255, 255))
    assert near(image.getpixel((50, 56)), (255, 0, 255))


def test_16_bit_grey_png_is_scaled_to_8_bits_not_clipped():
    source = Image.new("I;16", (256, 8))
    source.putdata([x * 257 for x in range(256)] * 8)
    data = encode(source, "PNG")
    assert Image.open(io.BytesIO(data)).mode.startswith("I")

    _, image = publish(data, "scan.png")

    assert image.mode == "RGB"
    for x in (0, 64, 128, 192, 255):
        assert near(image.getpixel((x, 4)), (x, x, x), tolerance=6)


def test_transparent_png_keeps_its_transparency(settings):
    source = Image.new("RGBA", (400, 200), (0, 0, 0, 0))
    ImageDraw.Draw(source).ellipse((100, 20, 300, 180), fill=(0, 90, 170, 255))

    master, image = publish(encode(source, "PNG"), "logo.png")

    assert master.endswith("/original.png")
    assert image.mode == "RGBA"
    assert image.getpixel((5, 5))[3] == 0
    assert image.getpixel((200, 100)) == (0, 90, 170, 255)
    folder = Path(settings.MEDIA_ROOT) / Path(master).parent
    assert sorted(p.name for p in folder.iterdir() if p.suffix != ".avif") == [
        "320.png",
        "320.webp",
        "400.png",
        "400.webp",
        "original.png",
    ]
    for name in ("320.webp", "400.png", *(["400.avif"] if features.check("avif") else [])):
        rendition = Image.open(folder / name)
        assert rendition.mode == "RGBA"
        assert rendition.getpixel((2, 2))[3] == 0


@pytest.mark.parametrize(
    ("mode", "transparent"),
    [("RGBA", False), ("P", True), ("P", False), ("LA", True), ("L", False), ("1", False)],
)
def test_every_mode_becomes_8_bit_rgb_or_rgba(mode, transparent):
    source = Image.new("RGBA", (64, 64), (200, 40, 40, 255))
    if transparent:
        ImageDraw.Draw(source).rectangle((0, 0, 15, 15), fill=(0, 0, 0, 0))
    converted = source.quantize(8) if mode == "P" else source.convert(mode)
    data = encode(converted, "PNG")
    assert Image.open(io.BytesIO(data)).mode == mode

    image = normalise(data)

    assert image.format == ("PNG" if transparent else "JPEG")
    assert Image.open(io.BytesIO(image.content)).mode == ("RGBA" if transparent else "RGB")


@pytest.mark.parametrize("fmt", ["WEBP", "GIF", "PNG", "JPEG", "AVIF"])
def test_still_images_in_each_accepted_format_are_accepted(fmt):
    if fmt == "AVIF" and not features.check("avif"):
        pytest.skip("this Pillow has no AVIF")
    data = encode(photo((300, 200)).convert("P") if fmt == "GIF" else photo((300, 200)), fmt)

    info = inspect_upload(data)
    image = normalise(data)

    assert (info.format, info.width, info.height) == (fmt, 300, 200)
    assert (image.format, image.width, image.height) == ("JPEG", 300, 200)


@pytest.mark.parametrize("trailer", ["zip", "script", "html"])
def test_polyglot_trailer_never_reaches_storage(settings, trailer):
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr("shell.php", "<?php system($_GET['c']); ?>")
    appended = {
        "zip": zipped.getvalue(),
        "script": b"<script>alert(document.cookie)</script>",
        "html": b"<html><body onload=alert(1)>pwned</body></html>",
    }[trailer]
    data = encode(photo((200, 150)), "JPEG") + appended
    assert Image.open(io.BytesIO(data)).size == (200, 150)  # still a valid JPEG

    master, _ = publish(data)

    original = (Path(settings.MEDIA_ROOT) / master).read_bytes()
    assert original.endswith(b"\xff\xd9")
    for content in stored_bytes(settings):
        for marker in (b"PK\x03\x04", b"shell.php", b"<?php", b"<script", b"<html", b"alert"):
            assert marker not in content


def test_file_name_does_not_matter_only_content():
    image = normalise(SimpleUploadedFile("scan.gif", encode(photo((90, 60)), "PNG")))

    assert (image.source.format, image.format) == ("PNG", "JPEG")


def test_camera_mpo_with_preview_images_is_a_still_photo():
    frames = [photo((160, 120)), Image.new("RGB", (40, 30), "blue")]
    data = encode(frames[0], "MPO", save_all=True, append_images=frames[1:])

    image = normalise(data)

    assert (image.source.format, image.width, image.height) == ("MPO", 160, 120)


def test_broken_exif_does_not_refuse_the_photo():
    data = encode(photo((90, 60)), "JPEG", exif=b"Exif\x00\x00MM\x00*garbage-not-an-ifd")

    image = normalise(data)

    assert (image.width, image.height) == (90, 60)
    assert b"garbage" not in image.content


def test_same_photo_uploaded_twice_is_stored_once(settings):
    data = encode(photo((200, 150)), "JPEG")

    first, _ = publish(data)
    files = media_files(settings)
    second, _ = publish(data, "another-name.jpg")

    assert first == second
    assert media_files(settings) == files


# Refused uploads -----------------------------------------------------------------------


def test_animated_gif_is_refused_clearly(settings):
    frames = [Image.new("RGB", (40, 40), colour) for colour in ("red", "green", "blue")]
    data = encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100)

    error = refused(settings, data, "banner.gif")

    assert error.code == "animated"
    assert "Анимированные изображения не принимаются" in str(error.message)


def test_animated_webp_is_refused_clearly(settings):
    frames = [Image.new("RGB", (40, 40), colour) for colour in ("red", "blue")]
    data = encode(frames[0], "WEBP", save_all=True, append_images=frames[1:], duration=100)

    assert refused(settings, data, "banner.webp").code == "animated"


def test_decompression_bomb_is_refused_before_decoding(settings):
    data = encode(Image.new("1", (8000, 8000)), "PNG")  # 64 megapixels in a few kilobytes
    assert len(data) < 100_000

    error = refused(settings, data, "bomb.png")

    assert error.code == "too_many_pixels"
    assert "не больше 50 мегапикселей" in str(error.message % error.params)


def test_pillows_own_bomb_warning_is_an_error(settings, monkeypatch):
    settings.NEWS_IMAGE_MAX_PIXELS = 10**9
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)

    assert refused(settings, encode(photo((100, 100)), "PNG")).code == "too_many_pixels"


def test_image_with_too_long_a_side_is_refused(settings):
    error = refused(settings, encode(Image.new("RGB", (13_000, 10)), "PNG"), "strip.png")

    assert error.code == "too_wide"
    assert error.params == {"width": 13_000, "height": 10, "limit": 12_000}


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_truncated_image_is_refused(settings, fmt):
    data = encode(photo((400, 300)), fmt)

    error = refused(settings, data[: len(data) // 2])

    assert error.code == "damaged"


@pytest.mark.parametrize(
    "content",
    [
        b"<html><head><script>alert(1)</script></head></html>",
        b"<!DOCTYPE html>\n<title>x</title>",
        b"  <script src=//evil.example/x.js></script>",
        b"<?php echo shell_exec($_GET['c']); ?>",
        b"#!/bin/sh\nrm -rf /\n",
    ],
)
def test_web_page_or_script_renamed_jpg_is_refused(settings, content):
    assert refused(settings, content, "holiday.jpg").code == "markup"


@pytest.mark.parametrize(
    "content",
    [
        b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>x</script></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        b"<!-- drawn in Inkscape -->\n<svg></svg>",
    ],
)
def test_svg_is_refused(settings, content):
    assert refused(settings, content, "logo.svg").code == "svg"


def test_other_files_are_refused_with_a_message_naming_them(settings):
    assert refused(settings, b"%PDF-1.7\n...", "programme.jpg").params["format"] == "PDF"
    assert refused(settings, encode(photo((50, 50)), "BMP")).params["format"] == "BMP"
    assert refused(settings, encode(photo((50, 50)), "TIFF")).params["format"] == "TIFF"
    heic = b"\0\0\0\x18ftypheic\0\0\0\0mif1heic" + bytes(64)
    assert refused(settings, heic, "IMG_0001.HEIC").code == "heic"
    fake_avif = b"\0\0\0\x1cftypmif1\0\0\0\0mif1avifmiaf" + bytes(64)
    assert refused(settings, fake_avif, "photo.avif").code != "heic"
    assert refused(settings, b"just some text, not a picture").code == "not_image"
    assert refused(settings, b"").code == "empty"


def test_oversize_file_is_refused_without_decoding(settings, monkeypatch):
    settings.NEWS_IMAGE_MAX_BYTES = 10_000
    data = encode(photo((300, 300)), "JPEG", quality=95)
    assert len(data) > 10_000

    def no_decoding(*args, **kwargs):
        raise AssertionError("an oversize file was decoded")

    monkeypatch.setattr(Image, "open", no_decoding)
    error = refused(settings, data)

    assert error.code == "too_large"
    with translation.override("en"):
        assert str(error.message % error.params) == (
            "The file is larger than 9.8\xa0KB. Reduce it and upload it again."
        )


def test_oversize_stream_is_read_no_further_than_the_limit(settings):
    settings.NEWS_IMAGE_MAX_BYTES = 10_000

    class Endless(io.RawIOBase):
        read_so_far = 0

        def readable(self) -> bool:
            return True

        def read(self, size: int = -1) -> bytes:
            assert size > 0, "read everything"
            self.read_so_far += size
            return b"\xff" * size

    stream = Endless()
    with pytest.raises(ImageRejected) as caught:
        normalise(stream)
    assert caught.value.code == "too_large"
    assert stream.read_so_far == 10_001


def test_upload_that_says_it_is_oversize_is_not_read():
    class Unreadable(SimpleUploadedFile):
        def read(self, *args):
            raise AssertionError("an upload known to be oversize was read")

    upload = Unreadable("huge.jpg", b"\xff\xd8" + bytes(100), content_type="image/jpeg")
    upload.size = 10**9

    with pytest.raises(ImageRejected) as caught:
        normalise(upload)
    assert caught.value.code == "too_large"


def test_rejection_is_a_validation_error_with_a_translatable_message():
    with pytest.raises(ValidationError) as caught:
        normalise(b"<svg/>")

    for language in ("en", "ru", "be"):
        with translation.override(language):
            assert "SVG" in caught.value.messages[0]


# Renditions ----------------------------------------------------------------------------


def test_renditions_in_every_format_and_width_without_upscaling(settings):
    master, _ = publish(encode(photo((1000, 750)), "JPEG"))

    folder = Path(settings.MEDIA_ROOT) / Path(master).parent
    formats = ["avif", "webp", "jpg"] if features.check("avif") else ["webp", "jpg"]
    expected = {f"{w}.{fmt}" for w in (320, 640, 960, 1000) for fmt in formats}
    assert {p.name for p in folder.iterdir()} == expected | {"original.jpg"}
    for width in (320, 640, 960, 1000):
        for fmt in formats:
            with Image.open(folder / f"{width}.{fmt}") as rendition:
                assert rendition.size == (width, round(750 * width / 1000))
                assert rendition.format == {"jpg": "JPEG"}.get(fmt, fmt.upper())


def test_renditions_are_made_once(settings):
    master, _ = publish(encode(photo((700, 500)), "JPEG"))
    folder = Path(settings.MEDIA_ROOT) / Path(master).parent
    before = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}

    assert generate_renditions(master) == []
    assert {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} == before


def test_regenerate_follows_new_widths_and_keeps_the_master(settings):
    master, _ = publish(encode(photo((1000, 500)), "JPEG"))
    folder = Path(settings.MEDIA_ROOT) / Path(master).parent
    (folder / "640.webp").unlink()  # lost in a crash, say

    settings.NEWS_IMAGE_WIDTHS = [480, 1600]
    result = regenerate_renditions(master)

    names = {p.name for p in folder.iterdir()}
    assert {n.split(".")[0] for n in names} == {"480", "1000", "original"}
    assert "480.webp" in names and "1000.jpg" in names
    assert {Path(n).name for n in result.deleted} >= {"320.jpg", "640.jpg", "960.jpg"}
    assert {Path(n).name for n in result.written} >= {"480.jpg", "480.webp"}
    assert regenerate_renditions(master).written == []

    with override_settings(NEWS_IMAGE_QUALITY={"jpeg": 30}):
        forced = regenerate_renditions(master, force=True)
    assert len(forced.written) == len(names) - 1
    assert {p.name for p in folder.iterdir()} == names  # replaced in place, no "_abc12" copies


def test_picture_gives_sources_fallback_and_size(settings):
    master, image = publish(encode(photo((1600, 900)), "JPEG"))

    result = picture(master, width=image.width, height=image.height)

    folder = f"/media/{Path(master).parent}"
    modern = ["image/avif", "image/webp"] if features.check("avif") else ["image/webp"]
    assert [source.type for source in result.sources] == modern
    assert result.sources[-1].srcset == ", ".join(
        f"{folder}/{w}.webp {w}w" for w in (320, 640, 960, 1280, 1600)
    )
    assert result.srcset.endswith(f"{folder}/1600.jpg 1600w")
    assert result.src == f"{folder}/960.jpg"
    assert (result.width, result.height) == (1600, 900)
    stored = set(media_files(settings))
    for url in [result.src, *(s.split()[0] for s in result.srcset.split(", "))]:
        assert url.removeprefix("/media/") in stored


def test_masters_can_be_listed_and_deleted_with_their_renditions(settings):
    first, _ = publish(encode(photo((400, 300)), "JPEG"))
    second, _ = publish(encode(photo((300, 400)), "JPEG"))

    assert sorted(iter_masters()) == sorted([first, second])
    delete_image_files(first)
    assert list(iter_masters()) == [second]
    assert all(not name.startswith(str(Path(first).parent)) for name in media_files(settings))


def test_phone_sized_rendition_of_a_camera_photo_is_well_under_150_kb(big_photo):
    master, image = publish(big_photo)

    assert (image.width, image.height) == (4000, 3000)
    report = {(row.width, row.format): row.bytes for row in sizes_report(master)}
    assert {width for width, _ in report} == {320, 640, 960, 1280, 1920}
    # A phone 360-430 CSS px wide takes, with sizes="100vw", the 960 rendition at 2x and the
    # 1280 one at 3x; browsers of the last five years take AVIF, older Safari WebP.
    for width in (960, 1280):
        for fmt in ("avif", "webp"):
            if (width, fmt) in report:
                assert report[width, fmt] < 140_000
    assert report.get((1280, "avif"), 0) < 100_000
    assert report[640, "jpg"] < 100_000
    assert report[960, "jpg"] < 150_000
    for width in (320, 640, 960, 1280, 1920):
        modern = [report[width, fmt] for fmt in ("avif", "webp") if (width, fmt) in report]
        assert all(size < report[width, "jpg"] for size in modern)
