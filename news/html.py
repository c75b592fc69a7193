"""The one place where release HTML is made safe to show."""

from __future__ import annotations

import html

import nh3

ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "ul", "ol", "li", "a", "strong", "b", "em", "i", "u", "s",
    "sub", "sup", "blockquote", "figure", "figcaption", "img", "table", "thead", "tbody",
    "tr", "th", "td", "caption", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
}


def sanitize(body: str) -> str:
    """Keep the allow-listed structure of body and drop everything else (scripts, styles, junk)."""
    return nh3.clean(
        body,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def paragraphs_to_html(paragraphs: list[str]) -> str:
    """Turn plain-text paragraphs into HTML; a paragraph opening with a dash is direct speech."""
    parts = []
    for paragraph in paragraphs:
        text = html.escape(paragraph).replace("\n", "<br>")
        if paragraph.startswith(("- ", "– ", "— ")):
            parts.append(f"<blockquote><p>{text}</p></blockquote>")
        else:
            parts.append(f"<p>{text}</p>")
    return "\n".join(parts)
