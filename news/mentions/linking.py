"""Linking a release to what it mentions: adds links, never removes one."""

from __future__ import annotations

from html.parser import HTMLParser

from django.db import transaction

from news.mentions import recognise
from news.mentions.catalogue import Catalogue
from news.mentions.recognise import find_mentions
from news.mentions.report import EntityType, MentionReport
from news.models import Release

BLOCK_TAGS = frozenset(
    {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "blockquote", "tr",
     "table", "figure", "figcaption", "caption", "hr", "section", "article"}
)  # fmt: skip


class _PlainText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag == "br":
            self.parts.append("\n")
        elif tag in BLOCK_TAGS:
            self._paragraph()
        elif tag in {"td", "th"}:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in BLOCK_TAGS:
            self._paragraph()

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def _paragraph(self) -> None:
        if self.parts and not "".join(self.parts[-2:]).endswith("\n\n"):
            self.parts.append("\n\n")

    def text(self) -> str:
        return "".join(self.parts).strip()


def html_to_text(markup: str, max_chars: int | None = None) -> str:
    """The text of HTML, paragraphs apart by a blank line, entities decoded.

    With max_chars, reading stops soon after the text is that long, or after twice as much
    markup (parsing tags is slow, and real releases are mostly text): the end may be missing.
    """
    parser = _PlainText()
    if max_chars is None:
        parser.feed(markup)
    else:
        for start in range(0, min(len(markup), 2 * max_chars), max_chars):
            parser.feed(markup[start : start + max_chars])
            if sum(map(len, parser.parts)) > max_chars:
                break
    parser.close()
    return parser.text()


def release_text(release: Release) -> str:
    """The plain text recognition reads: title, lead and body, a blank line apart.

    A body longer than recognition reads is read only that far (and a little more, so that
    find_mentions() knows there was more).
    """
    body = html_to_text(release.body or "", recognise.TEXT_MAX_CHARS)
    parts = [release.title.strip(), release.summary.strip(), body]
    return "\n\n".join(part for part in parts if part)


@transaction.atomic
def link_mentions(
    release: Release, *, confident_only: bool = True, catalogue: Catalogue | None = None
) -> MentionReport:
    """Link release to the officials, organisations, countries and topics its text mentions.

    Adds links and never removes one; report.linked holds the mentions that were new links,
    report.suggestions what an editor should look at.
    """
    report = find_mentions(release_text(release), release.language or "ru", catalogue=catalogue)
    managers = {
        EntityType.OFFICIAL: release.officials,
        EntityType.ORGANISATION: release.organisations,
        EntityType.COUNTRY: release.countries,
    }
    for type, manager in managers.items():
        wanted = report.of_type(type, confident_only=confident_only)
        present = set(manager.values_list("pk", flat=True))
        new = [m for m in wanted if m.entity.pk not in present]
        if new:
            manager.add(*(m.entity for m in new))
            report.linked += new
    wanted = report.of_type(EntityType.TOPIC, confident_only=confident_only)
    present = set(release.tags.values_list("pk", flat=True))
    new = [m for m in wanted if m.entity.pk not in present]
    if new:
        release.tags.add(*(m.entity for m in new))
        report.linked += new
    return report
