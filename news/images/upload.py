"""Accept an uploaded photo only if Pillow decodes it, and re-encode it without metadata.

Nothing here touches storage: a refused upload raises ImageRejected before anything is
written, and an accepted one becomes a NormalisedImage (clean bytes in memory) that the
caller stores with news.images.renditions.store_master().

Two decisions, for the record:

- Polyglots (a valid image with a ZIP, HTML page or script appended) are not hunted for.
  The uploaded bytes are never stored or served: the master and every rendition are encoded
  by Pillow from decoded pixels, so whatever follows the image data cannot survive. Refusing
  files with bytes after the image's end would refuse ordinary phone photos too (Motion
  Photos append an MP4 after the JPEG; MPF files carry a second image), and searching the
  bytes for "<script" or "PK" would misfire on compressed data.
- Animated GIF, WebP and AVIF images are refused with a clear message. Press photos are
  stills; an animation would need animated renditions at every width and format (slow to
  make, heavy to serve on a phone), and its frame count multiplies the decompression cost
  that the pixel limit is there to bound.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import warnings
from dataclasses import dataclass
from typing import IO

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from news.images import conf

ACCEPTED = _("Upload a JPEG, PNG, WebP, GIF or AVIF image.")

# Formats we let Pillow open. Pillow has many more plugins (EPS runs Ghostscript, TIFF and
# PSD parsers are large); only these are reachable from an upload.
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF", "AVIF", "HEIF")

# Leading bytes of formats people upload by mistake, for a message that names the format.
OTHER_FORMATS = (
    (b"%PDF-", "PDF"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"BM", "BMP"),
    (b"8BPS", "PSD"),
    (b"PK\x03\x04", "ZIP"),
)
HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}
AVIF_BRANDS = {b"avif", b"avis"}
MARKUP_STARTS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<script", b"<iframe", b"<?php")


class ImageRejected(ValidationError):
    """An upload that is not a raster image this site accepts; the message says why."""


@dataclass(frozen=True)
class UploadInfo:
    """What decoding an accepted upload found, before any re-encoding."""

    format: str
    width: int
    height: int
    mode: str
    size: int


@dataclass(frozen=True)
class NormalisedImage:
    """An accepted upload re-encoded from its pixels: sRGB, upright, no metadata."""

    content: bytes
    format: str  # "JPEG", or "PNG" when the image has transparency
    width: int
    height: int
    source: UploadInfo

    @property
    def has_alpha(self) -> bool:
        return self.format == "PNG"

    @property
    def extension(self) -> str:
        return "png" if self.has_alpha else "jpg"

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()

    @property
    def name(self) -> str:
        """Storage name of the master; the same pixels always get the same name."""
        digest = self.sha256
        return f"{conf.directory()}/{digest[:2]}/{digest}/original.{self.extension}"


def inspect_upload(file: IO[bytes] | bytes) -> UploadInfo:
    """Check the upload as normalise() does, without re-encoding it."""
    data = _read_limited(file)
    with _decode(data) as image:
        return UploadInfo(image.format, image.width, image.height, image.mode, len(data))


def normalise(file: IO[bytes] | bytes) -> NormalisedImage:
    """Decode an upload fully and re-encode it: raises ImageRejected if it is refused."""
    data = _read_limited(file)
    with _decode(data) as decoded:
        info = UploadInfo(decoded.format, decoded.width, decoded.height, decoded.mode, len(data))
        image = _pixels_only(_to_srgb(_upright(decoded)))
    buffer = io.BytesIO()
    if image.mode == "RGBA":
        image.save(buffer, "PNG", compress_level=6)
        fmt = "PNG"
    else:
        image.save(buffer, "JPEG", quality=conf.quality("master"), optimize=True)
        fmt = "JPEG"
    return NormalisedImage(buffer.getvalue(), fmt, image.width, image.height, info)


def _read_limited(file: IO[bytes] | bytes) -> bytes:
    """Read the upload, refusing it as soon as it is known to be over the size limit."""
    limit = conf.max_bytes()
    too_large = ImageRejected(
        _("The file is larger than %(limit)s. Reduce it and upload it again."),
        code="too_large",
        # Lazy, so the size reads "25.0 MB" or "25,0 МБ" in whichever language shows it.
        params={"limit": lazy(filesizeformat, str)(limit)},
    )
    if isinstance(file, bytes | bytearray):
        data = bytes(file)
    else:
        # UploadedFile knows its size before anything is read.
        if (getattr(file, "size", None) or 0) > limit:
            raise too_large
        with contextlib.suppress(AttributeError, OSError):
            file.seek(0)  # a form may have read it already; a pipe cannot rewind
        data = file.read(limit + 1)
    if len(data) > limit:
        raise too_large
    if not data:
        raise ImageRejected(_("The file is empty."), code="empty")
    return data


def _decode(data: bytes) -> Image.Image:
    """Open and fully decode data as one of the accepted formats, or raise ImageRejected."""
    Image.init()  # registers the plugins, so Image.OPEN says which formats this Pillow reads
    _refuse_by_signature(data)
    formats = [fmt for fmt in ACCEPTED_FORMATS if fmt in Image.OPEN]
    too_many_pixels = ImageRejected(
        _(
            "The image has too many pixels: at most %(limit)s megapixels are accepted. "
            "Reduce its size and upload it again."
        ),
        code="too_many_pixels",
        params={"limit": f"{conf.max_pixels() / 1_000_000:g}"},
    )
    damaged = ImageRejected(
        _("The image is incomplete or damaged; it may have been cut short. Upload it again."),
        code="damaged",
    )
    # Pillow warns about a possible decompression bomb above Image.MAX_IMAGE_PIXELS and
    # raises above twice that; we treat the warning as the error it is. (catch_warnings
    # changes process-wide state; our own pixel check below normally fires first.)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        warnings.filterwarnings("ignore", "Corrupt EXIF data", UserWarning)  # see _upright()
        try:
            image = Image.open(io.BytesIO(data), formats=formats)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise too_many_pixels from None
        except UnidentifiedImageError:
            raise ImageRejected(
                _("The file is not an image, or it is damaged. %(accepted)s"),
                code="not_image",
                params={"accepted": ACCEPTED},
            ) from None
        except (OSError, SyntaxError, ValueError, EOFError):
            raise damaged from None
        # Header only so far: refuse by size before spending memory on the pixels.
        if image.width * image.height > conf.max_pixels():
            image.close()
            raise too_many_pixels
        if max(image.size) > conf.max_side():
            image.close()
            raise ImageRejected(
                _(
                    "The image is %(width)s × %(height)s pixels; its longer side may be at "
                    "most %(limit)s pixels. Reduce its size and upload it again."
                ),
                code="too_wide",
                params={"width": image.width, "height": image.height, "limit": conf.max_side()},
            )
        # Cameras write MPO: a JPEG with preview or stereo images after it. Its first frame
        # is the photo, and that is all load() decodes.
        if getattr(image, "is_animated", False) and image.format != "MPO":
            image.close()
            raise ImageRejected(
                _("Animated images are not accepted. Upload a still image instead."),
                code="animated",
            )
        try:
            # load() decodes every byte, so a file cut short fails here, not in a rendition.
            image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            image.close()
            raise too_many_pixels from None
        except (OSError, SyntaxError, ValueError, EOFError, MemoryError):
            image.close()
            raise damaged from None
    return image


def _refuse_by_signature(data: bytes) -> None:
    """Refuse with a specific message what is plainly not a raster image we accept."""
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    # No accepted format starts with "<": such a file is markup, whatever its name says.
    if head.startswith(b"<?xml") or (head.startswith(b"<") and b"<svg" in head):
        raise ImageRejected(
            _("SVG drawings and other XML files are not accepted. %(accepted)s"),
            code="svg",
            params={"accepted": ACCEPTED},
        )
    if head.startswith((b"<", b"#!")):
        raise ImageRejected(
            _("This file is not an image: it contains a web page or a script. %(accepted)s"),
            code="markup",
            params={"accepted": ACCEPTED},
        )
    brands = _isobmff_brands(data)
    if brands & AVIF_BRANDS:
        if "AVIF" not in Image.OPEN:
            _refuse_format("AVIF")
    elif brands & HEIF_BRANDS and "HEIF" not in Image.OPEN:
        raise ImageRejected(
            _("HEIC photos cannot be read here. Export the photo as JPEG and upload it."),
            code="heic",
        )
    for signature, name in OTHER_FORMATS:
        if data.startswith(signature):
            _refuse_format(name)


def _isobmff_brands(data: bytes) -> set[bytes]:
    """The major and compatible brands of an HEIF/AVIF file's ftyp box; empty for others."""
    if data[4:8] != b"ftyp":
        return set()
    end = min(int.from_bytes(data[:4]), len(data), 256)
    return {data[8:12]} | {data[i : i + 4] for i in range(16, end - 3, 4)}


def _refuse_format(name: str) -> None:
    raise ImageRejected(
        _("%(format)s files are not accepted as images. %(accepted)s"),
        code="format",
        params={"format": name, "accepted": ACCEPTED},
    )


def _upright(image: Image.Image) -> Image.Image:
    """Apply the EXIF orientation, so the pixels stand the way the camera held them."""
    # Broken EXIF is common in camera files and no reason to refuse the photo itself.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Corrupt EXIF data", UserWarning)
        # In place: a copy of a 50-megapixel photo costs 150 MB, and _pixels_only() copies.
        with contextlib.suppress(Exception):
            ImageOps.exif_transpose(image, in_place=True)
    return image


def _to_srgb(image: Image.Image) -> Image.Image:
    """Convert any accepted mode to 8-bit sRGB, RGB or (only if really transparent) RGBA."""
    icc = image.info.get("icc_profile")
    mode = image.mode
    if mode.startswith("I;16") or mode == "I":
        # 16-bit grey: scale to 8 bits; a plain convert("L") clips everything above 255.
        image = image.convert("I").point(lambda value: value / 256).convert("L")
        mode = "L"
    if mode in ("P", "PA"):
        transparent = mode == "PA" or "transparency" in image.info
        image = image.convert("RGBA" if transparent else "RGB")
    elif mode in ("LA", "La", "RGBa"):
        image = image.convert("RGBA")
    elif mode == "CMYK" and icc:
        image = _through_profile(image, icc, "RGB") or image.convert("RGB")
    elif mode in ("L", "RGB", "RGBA") and icc:
        target = "RGBA" if mode == "RGBA" else "RGB"
        image = _through_profile(image, icc, target) or image.convert(target)
    if image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGB")
    if image.mode == "RGBA" and image.getchannel("A").getextrema() == (255, 255):
        image = image.convert("RGB")
    return image


SRGB = ImageCms.createProfile("sRGB")


def _through_profile(image: Image.Image, icc: bytes, mode: str) -> Image.Image | None:
    """Convert through the embedded ICC profile to sRGB, or None if the profile is unusable."""
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        if image.mode != "CMYK" and ImageCms.getProfileDescription(profile).startswith("sRGB"):
            return image.convert(mode)
        return ImageCms.profileToProfile(
            image,
            profile,
            SRGB,
            renderingIntent=ImageCms.Intent.PERCEPTUAL,
            outputMode=mode,
        )
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return None


def _pixels_only(image: Image.Image) -> Image.Image:
    """Copy the pixels alone, leaving behind EXIF, XMP, IPTC, ICC, comments and text chunks."""
    # Savers read metadata from image.info (and AVIF/PNG carry it over by default), so the
    # surest way to drop it all is an image that never had any.
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    return clean
