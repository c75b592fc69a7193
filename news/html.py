"""The one place where release HTML is made safe to show, and read as plain text."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import nh3
from django.conf import settings

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


# Tags that end a paragraph of the text html_to_text() reads.
BLOCK_TAGS = frozenset(
    {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "blockquote", "tr",
     "table", "figure", "figcaption", "caption", "hr", "section", "article"}
)  # fmt: skip
HIDDEN_TAGS = frozenset({"script", "style"})

# nh3 writes every attribute value in double quotes, with " and > escaped.
_IMG = re.compile(r"<img\b[^>]*>")
_SRC = re.compile(r'\ssrc="([^"]*)"')
_IGNORED_IN_URLS = re.compile(r"[\t\n\r]")  # browsers drop them anywhere in an address


def sanitize(body: str) -> str:
    """Keep the allow-listed structure of body and drop everything else (scripts, styles, junk).

    Images stay only if they come from this site: one from another is a tracking pixel in a
    feed reader and a request the page's Content-Security-Policy refuses.
    """
    return _IMG.sub(_local_image_only, _clean(body))


def external_images(body: str) -> list[str]:
    """The addresses of the images in body that sanitize() drops for being on another site."""
    sources = (_source(tag) for tag in _IMG.findall(_clean(body)))
    return [src for src in sources if src is not None and not is_local_url(src)]


def is_local_url(url: str) -> bool:
    """True for an address on this site: relative, or under its MEDIA_URL or STATIC_URL."""
    url = _IGNORED_IN_URLS.sub("", url).strip().replace("\\", "/")  # /\host is //host
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    if not parts.scheme and not parts.netloc:
        return True
    for prefix in (settings.MEDIA_URL, settings.STATIC_URL):
        local = urlsplit(urljoin(settings.SITE_URL + "/", prefix))
        if (
            (parts.scheme.lower(), parts.netloc.lower()) == (local.scheme, local.netloc.lower())
            and parts.path.startswith(local.path)
            and ".." not in parts.path.split("/")
        ):
            return True
    return False


def _clean(body: str) -> str:
    return nh3.clean(
        body,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def _source(tag: str) -> str | None:
    match = _SRC.search(tag)
    return html.unescape(match[1]) if match else None


def _local_image_only(match: re.Match[str]) -> str:
    src = _source(match[0])
    return match[0] if src is not None and is_local_url(src) else ""


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


def html_to_text(markup: str, limit: int | None = None) -> str:
    """The text of HTML, paragraphs apart by a blank line, table cells by a space, entities decoded.

    With limit, reading stops soon after the text is that long, or after twice as much markup
    (parsing tags is slow, and real releases are mostly text): the end may be missing.
    """
    parser = _PlainText()
    if limit is None:
        parser.feed(markup)
    else:
        for start in range(0, min(len(markup), 2 * limit), limit):
            parser.feed(markup[start : start + limit])
            if sum(map(len, parser.parts)) > limit:
                break
    parser.close()
    return parser.text()


class _PlainText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0  # inside <script> or <style>: code, not text

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in HIDDEN_TAGS:
            self.hidden += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag in BLOCK_TAGS:
            self._paragraph()
        elif tag in {"td", "th"}:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in HIDDEN_TAGS:
            self.hidden = max(0, self.hidden - 1)
        elif tag in BLOCK_TAGS:
            self._paragraph()

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)

    def _paragraph(self) -> None:
        if self.parts and not "".join(self.parts[-2:]).endswith("\n\n"):
            self.parts.append("\n\n")

    def text(self) -> str:
        return "".join(self.parts).strip()
