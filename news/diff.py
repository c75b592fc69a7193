"""Word differences between two texts, for the comparisons of versions in news.revisions."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from news.html import html_to_text


def plain_text(markup: str) -> str:
    """The words of an HTML fragment, a paragraph a line."""
    lines = (" ".join(line.split()) for line in html_to_text(markup or "").splitlines())
    return "\n".join(line for line in lines if line)


def word_diff(before: str, after: str) -> SafeString:
    """Mark words taken out with <del> and words put in with <ins>; the rest as it was.

    Changed words separated only by spaces are shown as one change, as a person reads them.
    """
    old, new = re.split(r"(\s+)", before), re.split(r"(\s+)", after)
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    chunks: list[list] = []  # [is_equal, old text, new text]
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        removed, added = "".join(old[i1:i2]), "".join(new[j1:j2])
        equal = op == "equal"
        if chunks and not equal and not chunks[-1][0]:
            chunks[-1][1] += removed
            chunks[-1][2] += added
        elif (
            equal
            and not removed.strip()
            and chunks
            and not chunks[-1][0]
            and i2 < len(old)
            and j2 < len(new)
        ):
            chunks[-1][1] += removed
            chunks[-1][2] += added
        else:
            chunks.append([equal, removed, added])
    parts = []
    for equal, removed, added in chunks:
        if equal:
            parts.append(format_html("{}", removed))
            continue
        if removed:
            parts.append(format_html("<del>{}</del>", removed))
        if added:
            parts.append(format_html("<ins>{}</ins>", added))
    return format_html_join("", "{}", ((part,) for part in parts))


@dataclass(frozen=True)
class FieldChange:
    name: str
    label: str
    before: Any
    after: Any
    diff: SafeString


def as_text(value: Any) -> str:
    """A value as the words a diff compares: a list as its items, None as nothing."""
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return "" if value is None else str(value)
