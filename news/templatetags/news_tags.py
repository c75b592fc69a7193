"""Template helpers for the public pages: dates said the way a reader says them."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

from django import template
from django.conf import settings
from django.urls import reverse, translate_url
from django.utils import dateformat
from django.utils.html import format_html
from django.utils.safestring import SafeData, SafeString
from django.utils.translation import get_language, get_language_info, pgettext, pgettext_lazy
from django.utils.translation import gettext as _

from news import fragments, pages
from news.low_vision import Display, display_for
from news.models import Kind
from news.names import name_for, place_name, typed_name
from news.typography import NBSP, typeset_html, typeset_text

register = template.Library()


def _parts(day: datetime.date) -> dict[str, object]:
    # "E" is the month name as it stands after a day number: "августа" in Russian.
    return {"day": day.day, "month": dateformat.format(day, "E"), "year": day.year}


def format_date_range(start: datetime.date | None, end: datetime.date | None = None) -> str:
    """Say a day or a span of days in the active language: "28–30 августа 2024 г."."""
    if start is None:
        return ""
    if end is None or end == start:
        return pgettext("one day", "%(day)s %(month)s %(year)s") % _parts(start)
    if end < start:
        start, end = end, start
    first, last = _parts(start), _parts(end)
    if (start.year, start.month) == (end.year, end.month):
        return pgettext("days in one month", "%(first_day)s–%(last_day)s %(month)s %(year)s") % {
            "first_day": first["day"],
            "last_day": last["day"],
            "month": first["month"],
            "year": first["year"],
        }
    if start.year == end.year:
        return pgettext(
            "days across months",
            "%(first_day)s %(first_month)s – %(last_day)s %(last_month)s %(year)s",
        ) % {
            "first_day": first["day"],
            "first_month": first["month"],
            "last_day": last["day"],
            "last_month": last["month"],
            "year": first["year"],
        }
    return pgettext(
        "days across years",
        "%(first_day)s %(first_month)s %(first_year)s – %(last_day)s %(last_month)s %(last_year)s",
    ) % {
        "first_day": first["day"],
        "first_month": first["month"],
        "first_year": first["year"],
        "last_day": last["day"],
        "last_month": last["month"],
        "last_year": last["year"],
    }


_NUMBER_AND_WORD = re.compile(r"(?<=\d) (?=[^\W\d_])")


@register.simple_tag
def date_range(start: datetime.date | None, end: datetime.date | None = None) -> str:
    """{% date_range start end %}, or {% date_range start end as text %}: a number tied to the
    word after it ("30 августа", "2024 г."), so that no line starts with "г."."""
    return _NUMBER_AND_WORD.sub(NBSP, format_date_range(start, end))


@register.simple_tag(takes_context=True)
def release_summaries(
    context: template.Context, releases: Iterable[Any], level: int | None = None
) -> list[SafeString]:
    """The releases' summaries, each rendered once for what it shows (news.fragments)."""
    return fragments.release_summaries(
        releases, level, context.get("LANGUAGE_CODE", get_language())
    )


@register.simple_tag
def kinds() -> list[tuple[str, str]]:
    """{% kinds as choices %}: every kind of release, value and label, for navigation."""
    return list(Kind.choices)


@dataclass
class LanguageVersion:
    code: str
    name: str
    url: str
    absolute_url: str
    is_current: bool
    # Whether the page's content exists in this language: hreflang names only those.
    exists: bool = True


@register.simple_tag(takes_context=True)
def language_versions(context: template.Context) -> list[LanguageVersion]:
    """{% language_versions as versions %}: this page in each of the site's languages.

    A release page passes translation_urls (language → the path of its translation there); any
    other page is the same page under the other language's prefix. A release's page in a
    language it has no translation in is its text with that language's chrome: it does not
    exist as a version (exists=False), so it gets no hreflang.
    """
    request = context.get("request")
    if request is None:
        return []
    translated = context.get("translation_urls") or {}
    current = get_language()
    versions = []
    for code, _name in settings.LANGUAGES:
        url = translated.get(code) or translate_url(request.get_full_path(), code)
        versions.append(
            LanguageVersion(
                code=code,
                name=get_language_info(code)["name_local"],
                url=url,
                absolute_url=request.build_absolute_uri(url),
                is_current=code == current,
                exists=not translated or code in translated,
            )
        )
    return versions


@register.simple_tag(takes_context=True)
def translation_url(context: template.Context, release: Any) -> str:
    """{% translation_url release %}: the page of a translation, under its language's prefix."""
    return (context.get("translation_urls") or {}).get(release.language, "")


# A month named on its own ("Август 2024", a heading), not after a day number. Django's "F" is
# the genitive in some locales (Belarusian "жніўня"), so the nominative is translated here.
MONTHS = {
    1: pgettext_lazy("month on its own", "January"),
    2: pgettext_lazy("month on its own", "February"),
    3: pgettext_lazy("month on its own", "March"),
    4: pgettext_lazy("month on its own", "April"),
    5: pgettext_lazy("month on its own", "May"),
    6: pgettext_lazy("month on its own", "June"),
    7: pgettext_lazy("month on its own", "July"),
    8: pgettext_lazy("month on its own", "August"),
    9: pgettext_lazy("month on its own", "September"),
    10: pgettext_lazy("month on its own", "October"),
    11: pgettext_lazy("month on its own", "November"),
    12: pgettext_lazy("month on its own", "December"),
}


@register.simple_tag(takes_context=True)
def low_vision_display(context: template.Context) -> Display | None:
    """{% low_vision_display as display %}: the reader's low-vision settings, or None."""
    request = context.get("request")
    return display_for(request) if request is not None else None


@register.filter
def typeset(value: Any, language: str) -> str:
    """{{ text|typeset:release.language }}: dashes and no-break spaces (news.typography).

    Safe (sanitized) HTML is set between its tags; plain text is set, then escaped as usual.
    """
    if isinstance(value, SafeData):
        return typeset_html(str(value), language)
    return typeset_text(str(value), language)


@register.filter
def local_name(obj: Any, field: str | None = None) -> str:
    """{{ official|local_name }}, {{ organisation|local_name:"short_name" }}: the name in the
    reader's language, or its fallback marked with its lang (news.names)."""
    if obj is None or obj == "":
        return ""
    language = get_language()
    return name_for(obj, language, field).in_page(language)


@register.filter
def local_name_text(obj: Any, field: str | None = None) -> str:
    """{{ official|local_name_text }}: the same name as plain text, for an attribute."""
    return "" if obj is None or obj == "" else name_for(obj, get_language(), field).text


@register.filter
def typed(text: str) -> str:
    """{{ release.place|typed }}: a name as typed, marked lang="ru" where it is Russian."""
    language = get_language()
    return typed_name(str(text), language).in_page(language)


@register.filter
def chrome_lang(release: Any) -> str:
    """<p{{ release|chrome_lang }}>: lang="<the page's>" on the site's own words (labels,
    dates, names in the reader's language) inside a release marked as in another language."""
    language = get_language()
    return format_html(' lang="{}"', language) if release.language != language else ""


@register.filter
def typed_language(text: str) -> str:
    """{{ image.alt|typed_language }}: the language a typed text is in, for a lang attribute
    (an attribute's text cannot be wrapped as |typed wraps it)."""
    return typed_name(str(text), get_language()).language


@register.filter
def programme_place(item: Any) -> str:
    """{{ item|programme_place }}: where a programme item is, in the reader's language if it
    is an organisation named there (news.names.place_name), marked lang where it is not."""
    language = get_language()
    return place_name(item.place, item.organisation, language).in_page(language)


@register.filter
def month_name(day: datetime.date) -> str:
    """{{ date|month_name }}: "Август" in Russian, "Жнівень" in Belarusian, "August"."""
    return str(MONTHS[day.month])


@dataclass
class ShareLink:
    name: str
    url: str


@register.simple_tag(takes_context=True)
def share_links(context: template.Context, release: Any) -> list[ShareLink]:
    """{% share_links release as links %}: plain links to share the page; no third-party script."""
    request = context["request"]
    page = request.build_absolute_uri(release.get_absolute_url())
    title = release.title
    return [
        ShareLink(
            _("E-mail"), f"mailto:?{urlencode({'subject': title, 'body': page}, quote_via=quote)}"
        ),
        ShareLink("Telegram", f"https://t.me/share/url?{urlencode({'url': page, 'text': title})}"),
        ShareLink("VK", f"https://vk.com/share.php?{urlencode({'url': page, 'title': title})}"),
        ShareLink(
            "Facebook", f"https://www.facebook.com/sharer/sharer.php?{urlencode({'u': page})}"
        ),
        ShareLink("X", f"https://x.com/intent/post?{urlencode({'url': page, 'text': title})}"),
    ]


@register.simple_tag
def footer_pages() -> list[tuple[str, str]]:
    """{% footer_pages as pages %}: (address, title) of the press service's pages to link."""
    return pages.footer_pages()


@register.simple_tag
def entity_feeds(entity: Any) -> dict[str, str]:
    """{% entity_feeds object as feeds %}: the RSS and Atom addresses of one entity's releases."""
    name = entity._meta.model_name
    if name == "country":
        key = entity.code.lower()
    else:
        name = "tag" if name == "topic" else name
        key = entity.slug
    return {kind: reverse(f"news:{name}-feed-{kind}", args=[key]) for kind in ["rss", "atom"]}
