"""Russian and Belarusian typography, applied when a page is rendered; the stored text is unchanged.

Press releases arrive typed on keyboards: a hyphen for every dash, plain spaces everywhere. A
reader on a phone then sees a line that starts with "г." or a dash left hanging at a line end.
typeset() sets the dash of direct speech and between words, and ties with a no-break space what
must not be parted: a number and its word or unit, "2024 г.", a short preposition and its word.
"""

from __future__ import annotations

import re

from django.utils.safestring import SafeString, mark_safe

NBSP = "\u00a0"
LANGUAGES = frozenset({"ru", "be"})

# Sanitized HTML (news.html.sanitize) escapes ">" inside attribute values, so a tag ends at ">".
_TAG = re.compile(r"(<[^>]*>)")
# Text inside these is shown as typed.
_VERBATIM = frozenset({"code", "pre", "script", "style", "kbd", "samp"})

_LETTER = r"[^\W\d_]"
_RULES: list[tuple[re.Pattern[str], str]] = [
    # Direct speech: a hyphen or en dash opening a paragraph, "- Нас…" -> "— Нас…".
    (re.compile(r"^(\s*)[-\u2013](?=\s)\s*"), "\\1\u2014" + NBSP),
    # A spaced hyphen, or any dash, between numbers is a range: "28 - 30 августа" -> "28–30
    # августа", unspaced; "2024-2025" typed without spaces stays as it is.
    (re.compile(r"(?<=\d)(?:\s+-\s+|\s*[\u2013\u2014]\s*)(?=\d)"), "\u2013"),
    # A hyphen or en dash between words is a dash, tied to the word before it.
    (re.compile(r"(?<=\S)\s+[-\u2013\u2014](?=\s)\s*"), NBSP + "\u2014 "),
    # "2024 г.", "2024–2025 гг.", "5 млн", "30 августа": the number keeps its word.
    (re.compile(rf"(?<=\d)\s+(?={_LETTER})"), NBSP),
    # "№ 5", "§ 3".
    (re.compile(r"(?<=[№§])\s*(?=\d)"), NBSP),
    # A one- or two-letter word (в, на, и, по, от...) keeps the word after it.
    (re.compile(rf"(?<!{_LETTER})({_LETTER}{{1,2}})\s+(?=\S)"), "\\1" + NBSP),
    # Initials stay with each other and the surname: "А. Н. Шульган".
    (re.compile(rf"(?<!{_LETTER})([А-ЯЁІЎ]\.)\s(?=[А-ЯЁІЎ])"), "\\1" + NBSP),
    # Straight double quotes around words become «ёлочки».
    (re.compile(r'(?<![\w"])"(?=\S)([^"<>]*?)(?<=\S)"(?![\w])'), "«\\1»"),
]
# A dash after an inline tag ("<strong>Шульган</strong> - министр") still stands between words.
_DASH_AFTER_TAG = re.compile(r"^\s+[-\u2013\u2014](?=\s)\s*")
# After these tags a text starts a paragraph, where a dash opens direct speech.
_BLOCK_STARTS = frozenset(
    {"p", "li", "blockquote", "h2", "h3", "h4", "td", "th", "figcaption", "br"}
)


def typeset_text(text: str, language: str, *, starts_paragraph: bool = True) -> str:
    """One run of text (no markup) set by the rules of the language; others are left alone."""
    if language not in LANGUAGES or not text:
        return text
    if not starts_paragraph:
        text = _DASH_AFTER_TAG.sub(NBSP + "\u2014 ", text)
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return text


def typeset_html(html: str, language: str) -> SafeString:
    """Sanitized release HTML with typeset_text() applied to its text, never inside a tag."""
    if language not in LANGUAGES or not html:
        return mark_safe(html)  # noqa: S308 - the caller passes sanitized HTML
    parts = _TAG.split(html)
    verbatim, starts_paragraph = 0, True
    for index, part in enumerate(parts):
        if index % 2:  # a tag
            name = (part.strip("</> ").split(None, 1) or [""])[0].lower()
            closing = part.startswith("</")
            if name in _VERBATIM:
                verbatim += -1 if closing else 1
            starts_paragraph = name in _BLOCK_STARTS and (not closing or name == "br")
            continue
        if not verbatim:
            # "в <a>Минске</a>": a space before a tag ties to the word the tag opens with.
            after = _next_letter(parts, index) if part[-1:].isspace() else ""
            text = typeset_text(part + after, language, starts_paragraph=starts_paragraph)
            parts[index] = text[: len(text) - len(after)]
        if part.strip():
            starts_paragraph = False
    return mark_safe("".join(parts))  # noqa: S308 - only text between tags was changed


def _next_letter(parts: list[str], index: int) -> str:
    """The letter or digit the text after parts[index] starts with, across inline tags only."""
    for later, part in enumerate(parts[index + 1 :], start=index + 1):
        if later % 2:
            name = (part.strip("</> ").split(None, 1) or [""])[0].lower()
            if name in _BLOCK_STARTS or name in _VERBATIM:
                return ""
        elif part:
            return part[0] if part[0].isalnum() else ""
    return ""
