"""Turn the bytes of a text file into text, whichever encoding a newsroom saved it in.

Unicode is recognised for certain (a byte order mark, or bytes that are valid UTF-8). Older files
are in a single-byte encoding, Russian or Western; the one whose reading looks most like prose
wins, and the result says it was a guess.
"""

from __future__ import annotations

import codecs
import math
import re
import unicodedata
from dataclasses import dataclass

SINGLE_BYTE_ENCODINGS = ("cp1251", "koi8-r", "cp866", "cp1252")  # in order of preference on a tie
ENCODING_NAMES = {
    "cp1251": "Windows-1251",
    "koi8-r": "KOI8-R",
    "cp866": "CP866",
    "cp1252": "Windows-1252 (Western European, Latin-1)",
}
SAMPLE_SIZE = 64 * 1024  # characters enough to tell the encodings apart

_BOMS = [  # UTF-32 first: its little-endian mark begins like UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]

# How often each letter occurs in Russian and Belarusian prose, per cent. A wrong single-byte
# reading turns the common letters into rare ones, symbols, box drawing or capitals mid-word.
_FREQUENCY = {
    "о": 11.0, "е": 8.5, "а": 8.0, "и": 7.4, "н": 6.7, "т": 6.3, "с": 5.5, "р": 4.7, "в": 4.5,
    "л": 4.4, "к": 3.5, "м": 3.2, "д": 3.0, "п": 2.8, "у": 2.6, "я": 2.0, "ы": 1.9, "ь": 1.7,
    "г": 1.7, "з": 1.6, "б": 1.6, "ч": 1.4, "й": 1.2, "х": 1.0, "ж": 0.9, "ш": 0.7, "ю": 0.6,
    "ц": 0.5, "щ": 0.4, "э": 0.3, "ф": 0.3, "ъ": 0.1, "ё": 0.1, "і": 6.0, "ў": 2.0,
}  # fmt: skip
_WEIGHT = {letter: max(0.0, 1 + math.log10(share)) for letter, share in _FREQUENCY.items()}
_NOT_FIRST = set("ъьы")  # no word starts with these
_LATIN = set("abcdefghijklmnopqrstuvwxyz")
_PUNCTUATION = set(" \t\n\r.,;:!?-–—()«»\"'„“”‘’…/%№0123456789")
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


class UndecodableText(ValueError):
    """The bytes are not text in any encoding we accept; str() says why, in one line."""


@dataclass(frozen=True)
class Decoded:
    """Text, the encoding it was read in, and whether that encoding was a guess."""

    text: str
    encoding: str
    guessed: bool = False

    @property
    def encoding_name(self) -> str:
        return ENCODING_NAMES.get(self.encoding, self.encoding)


def check_encoding(encoding: str) -> str:
    """encoding if Python can decode bytes to text with it; LookupError saying why if not."""
    try:
        is_text = codecs.lookup(encoding)._is_text_encoding  # not rot13, base64 or zlib
    except LookupError:
        is_text = False
    if not is_text:
        raise LookupError(f"{encoding!r} is not a text encoding Python knows")
    return encoding


def decode(data: bytes, encoding: str | None = None) -> Decoded:
    """The text in data, decoded strictly; raise UndecodableText for binary or unknown bytes.

    Without an encoding, Unicode is recognised for certain and single-byte encodings guessed.
    """
    if encoding:
        return _decode_as(data, encoding)
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as error:
                name = encoding.removesuffix("-sig").upper()
                raise UndecodableText(
                    f"starts as {name} but byte {error.start} is not {name}"
                ) from None
            return Decoded(_check_controls(text.removeprefix("\ufeff")), encoding)
    if b"\x00" in data:
        raise UndecodableText("looks binary (contains NUL bytes)")
    try:
        return Decoded(_check_controls(data.decode("utf-8")), "utf-8")
    except UnicodeDecodeError as error:
        if _mostly_utf8(data):
            raise UndecodableText(f"is UTF-8 with a broken byte at offset {error.start}") from None
    _check_controls(data.decode("latin-1"))
    readings = []
    for encoding in SINGLE_BYTE_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue  # cp1251 leaves one byte undefined
        readings.append((plausibility(text[:SAMPLE_SIZE]), encoding))
    score, encoding = max(readings, key=lambda reading: reading[0])  # max keeps the first tie
    if score < 1:
        raise UndecodableText(
            "is neither Unicode nor Russian or Western text in "
            + ", ".join(ENCODING_NAMES[name].split(" ")[0] for name in SINGLE_BYTE_ENCODINGS)
        )
    return Decoded(data.decode(encoding), encoding, guessed=True)


def plausibility(text: str) -> float:
    """How much text reads like Cyrillic or Latin prose: about 1.7 for prose, below 1 for junk.

    The mean score of its letters, times the share of letters in plausible words: words of one
    script, and not made of accented letters alone. A wrong reading mixes scripts in a word
    (Cafй, rйsumй) or turns Cyrillic into accents (Âèçèò).
    """
    score = 0.0
    letters = 0
    in_plausible_words = 0
    word: list[str] = []  # the scripts of the current word's letters: "C", "L" or "A" (accented)
    previous = " "
    for char in text:
        lower = char.lower()
        if lower in _WEIGHT or lower in _LATIN:
            letters += 1
            score += _WEIGHT.get(lower, 1.5)
            if char.islower():
                score += 0.25
            elif previous.isalpha() and previous.islower():
                score -= 3  # a capital in the middle of a word: бХГХР
            if lower in _NOT_FIRST and not previous.isalpha():
                score -= 2
            word.append("L" if lower in _LATIN else "C")
        elif char.isalpha():
            letters += 1
            if _is_accented_latin(char):
                score += 0.75  # é, ï, ß: a few in a Western text
                word.append("A")
            else:
                score -= 1  # Ђ, Є, Ї... are not Russian or Belarusian letters
                word.append("?")
        else:
            in_plausible_words += _plausible_letters(word)
            word = []
            if "\u2500" <= char <= "\u259f":
                score -= 2  # box drawing: a DOS or KOI8 reading of the wrong bytes
            elif char not in _PUNCTUATION and not char.isspace() and not char.isascii():
                score -= 0.5
        previous = char
    in_plausible_words += _plausible_letters(word)
    return score / letters * in_plausible_words / letters if letters else 0.0


def _is_accented_latin(char: str) -> bool:
    return unicodedata.name(char, "").startswith("LATIN")


def _plausible_letters(word: list[str]) -> int:
    """How many letters of word count as prose: all of them, or none for a mixed-up word."""
    scripts = set(word)
    if "C" in scripts and scripts & {"L", "A"}:
        return 0  # Cyrillic and Latin in one word
    if "A" in scripts and word.count("A") * 2 > len(word) and len(word) > 2:
        return 0  # mostly accents: Âèçèò
    return len(word)


def _decode_as(data: bytes, encoding: str) -> Decoded:
    try:
        text = data.decode(check_encoding(encoding))
    except LookupError as error:
        raise UndecodableText(str(error)) from None
    except UnicodeDecodeError as error:
        raise UndecodableText(
            f"is not {encoding} text: cannot read the byte at offset {error.start}"
        ) from None
    return Decoded(_check_controls(text.removeprefix("\ufeff")), encoding)


def _mostly_utf8(data: bytes) -> bool:
    """True when data is UTF-8 prose with a few broken bytes, not another encoding."""
    text = data.decode("utf-8", errors="replace")
    broken = text.count("\ufffd")
    return broken * 20 < sum(1 for char in text if ord(char) > 0x7F)


def _check_controls(text: str) -> str:
    controls = len(_CONTROLS.findall(text.rstrip("\x1a")))  # DOS files may end with ^Z
    if controls * 100 > len(text):
        raise UndecodableText("looks binary (control characters)")
    return text
