"""Full-text search of published releases, understanding Russian word forms.

On PostgreSQL: the Russian text-search configuration over Release.search_vector (kept current by a
trigger, indexed with GIN: migration 0005), each word matched as a stem prefix so "Сербии" and
"сербской" both find "Сербия"; ranked, with highlighted snippets from ts_headline.

On SQLite: every word is cut to its Snowball stem and looked for, case-folded, in the title, lead
and body; a snippet is cut around the first match here in Python. Slower, but it works from a
fresh checkout with no database server.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

import snowballstemmer
from django import forms
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection, models
from django.db.models import Count, F, Q, Value
from django.db.models.functions import Concat, Replace
from django.db.models.lookups import Contains
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from news.html import html_to_text
from news.models import Country, Kind, Release, ReleaseQuerySet
from news.models.countries import country_name
from news.models.topics import Topic

# A reader's query is cut to this; longer ones are pasted paragraphs, not searches.
MAX_QUERY_LENGTH = 200
MAX_WORDS = 8
MAX_WORD_LENGTH = 40
SNIPPET_WORDS = 30
SUGGESTED_TOPICS = 6

# Letters and digits only: whatever else a reader types cannot reach the tsquery syntax.
_WORD = re.compile(r"[^\W_]+")
# Markers ts_headline puts around matches; characters of the private-use area, never in text.
_START, _STOP = "\ue000", "\ue001"
_MARKERS = re.compile(f"[{_START}{_STOP}]")


def query_words(query: str) -> list[str]:
    """The words of a query, lower-cased, bounded in number and length, repeats dropped."""
    words = _WORD.findall(query[:MAX_QUERY_LENGTH].casefold())
    return list(dict.fromkeys(word[:MAX_WORD_LENGTH] for word in words))[:MAX_WORDS]


@cache
def _stemmer(language: str) -> Any:
    return snowballstemmer.stemmer(language)


def stem(word: str) -> str:
    """The Russian Snowball stem of a word ("сербской" → "сербск"); Latin words pass as they are."""
    return _stemmer("russian").stemWord(word.casefold())


def stems(query: str) -> list[str]:
    return list(dict.fromkeys(stem(word) for word in query_words(query)))


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search for"), required=False, strip=True)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Any kind")), *Kind.choices]
    )
    date_from = forms.DateField(
        label=_("Published from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label=_("Published until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    tag = forms.ChoiceField(label=_("Topic"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update({"type": "search", "maxlength": MAX_QUERY_LENGTH})
        self.fields["tag"].choices = [("", _("Any topic")), *published_topics()]

    def clean_q(self) -> str:
        return self.cleaned_data["q"][:MAX_QUERY_LENGTH]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            data["date_from"], data["date_to"] = end, start
        return data

    @property
    def has_filters(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return any(data.get(name) for name in ("kind", "date_from", "date_to", "tag"))


def published_topics() -> list[tuple[str, str]]:
    """Slug and name of every topic of a published release: one query."""
    return list(Topic.objects.public().order_by("name").values_list("slug", "name"))


@dataclass
class Filters:
    kind: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    tag: str = ""

    def apply(self, releases: ReleaseQuerySet) -> ReleaseQuerySet:
        if self.kind:
            releases = releases.filter(kind=self.kind)
        # Days in the site's zone: a release of 00:30 in Minsk belongs to that Minsk day.
        if self.date_from:
            releases = releases.filter(published_at__date__gte=self.date_from)
        if self.date_to:
            releases = releases.filter(published_at__date__lte=self.date_to)
        if self.tag:
            releases = releases.filter(tags__slug=self.tag)
        return releases


def search_releases(query: str, filters: Filters | None = None) -> ReleaseQuerySet:
    """Published releases matching every word of query and the filters, best first.

    An empty query lists the filtered releases, newest first. On PostgreSQL each row carries
    .rank; add_snippets() gives the rows of one page their snippets.
    """
    releases = (filters or Filters()).apply(Release.objects.published()).with_topics()
    releases = releases.defer("search_vector")
    words = query_words(query)
    if not words:
        return releases.order_by("-published_at", "-pk")
    about = about_named_country(words)
    if is_postgresql():
        return _postgresql_search(releases, words, about)
    return _sqlite_search(releases, [stem(word) for word in words], about)


def about_named_country(words: list[str]) -> Q:
    """Releases about the country the words name in the reader's language ("Serbia" on /en/),
    found though their text is in another language; one query for the countries' codes."""
    wanted = " ".join(words)
    codes = [
        code
        for code in Country.objects.values_list("code", flat=True)
        if country_name(code).casefold() == wanted
    ]
    if not codes:
        return Q(pk__in=[])
    links = Release.countries.through.objects.filter(
        release=models.OuterRef("pk"), country__code__in=codes
    )
    return Q(models.Exists(links))


def words_query(words: list[str]) -> SearchQuery:
    """Every word, in any of its forms, for PostgreSQL (query_words() made them safe).

    A prefix of the stem matches the word's other forms: "серб:*" finds "сербской" too.
    """
    return SearchQuery(
        " & ".join(f"{word}:*" for word in words), search_type="raw", config="russian"
    )


def _postgresql_search(releases: ReleaseQuerySet, words: list[str], about: Q) -> ReleaseQuerySet:
    tsquery = words_query(words)
    return (
        releases.filter(Q(search_vector=tsquery) | about)
        .annotate(rank=SearchRank(F("search_vector"), tsquery))
        .order_by("-rank", "-published_at", "-pk")
    )


def _postgresql_headlines(releases: list[Release], words: list[str]) -> dict[int, str]:
    """ts_headline for the releases of one page only: it reads whole texts, so not for all hits."""
    plain_body = models.Func(
        F("body"),
        Value("<[^>]*>"),
        Value(" "),
        Value("g"),
        function="regexp_replace",
        output_field=models.TextField(),
    )
    # The lead is plain text: escaped, it reads back as written with the body's markup left out.
    text = models.TextField()
    lead = F("summary")
    for char, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")):
        lead = Replace(lead, Value(char, output_field=text), Value(entity, output_field=text))
    headline = SearchHeadline(
        Concat(lead, Value(" ", output_field=models.TextField()), plain_body),
        words_query(words),
        config="russian",
        start_sel=_START,
        stop_sel=_STOP,
        max_words=SNIPPET_WORDS,
        min_words=SNIPPET_WORDS // 2,
        max_fragments=2,
        fragment_delimiter=" … ",
    )
    rows = Release.objects.filter(pk__in=[release.pk for release in releases])
    return dict(rows.annotate(headline=headline).values_list("pk", "headline"))


class Casefold(models.Func):
    """Unicode lower case on SQLite, whose lower() and LIKE know only ASCII letters."""

    function = "NEWS_CASEFOLD"
    output_field = models.TextField()


def register_casefold() -> None:
    """Give this SQLite connection NEWS_CASEFOLD(), Unicode's lower case (see Casefold)."""
    connection.ensure_connection()
    connection.connection.create_function("NEWS_CASEFOLD", 1, _casefold, deterministic=True)


def _casefold(value: str | None) -> str | None:
    return value.casefold() if value is not None else None


def _sqlite_search(releases: ReleaseQuerySet, word_stems: list[str], about: Q) -> ReleaseQuerySet:
    register_casefold()
    text = Casefold(Concat("title", Value(" "), "summary", Value(" "), "body"))
    title = Casefold("title")
    matches = Q()
    in_title = Q()
    for word_stem in word_stems:
        matches &= Contains(text, word_stem)
        in_title &= Contains(title, word_stem)
    return (
        releases.filter(matches | about)
        .annotate(title_match=models.Case(models.When(in_title, then=1), default=0))
        .order_by("-title_match", "-published_at", "-pk")
    )


def add_snippets(releases: list[Release], query: str) -> None:
    """Give each release .snippet: the passage that matches, escaped, matched words in <mark>.

    One query on PostgreSQL (ts_headline); none on SQLite.
    """
    words = query_words(query)
    if not words:
        for release in releases:
            release.snippet = mark_safe("")  # noqa: S308
        return
    if is_postgresql():
        headlines = _postgresql_headlines(releases, words)
        for release in releases:
            # ts_headline worked on the stored text: unescape entities, escape all, then mark.
            text = escape(html_to_text(headlines.get(release.pk) or ""))
            release.snippet = mark_safe(  # noqa: S308
                text.replace(_START, "<mark>").replace(_STOP, "</mark>")
            )
        return
    word_stems = [stem(word) for word in words]
    for release in releases:
        release.snippet = _highlight(release, word_stems)


def _highlight(release: Release, word_stems: list[str]) -> SafeString:
    # The lead is plain text: only the body is HTML.
    text = f"{release.summary} {html_to_text(release.body)}"
    words = _MARKERS.sub("", text).split()
    if not words:
        return mark_safe("")  # noqa: S308

    def matches(word: str) -> bool:
        folded = word.casefold()
        return any(token.startswith(s) for token in _WORD.findall(folded) for s in word_stems)

    first = next((i for i, word in enumerate(words) if matches(word)), 0)
    start = max(0, first - SNIPPET_WORDS // 3)
    window = words[start : start + SNIPPET_WORDS]
    parts = [f"<mark>{escape(w)}</mark>" if matches(w) else escape(w) for w in window]
    prefix = "… " if start > 0 else ""
    suffix = " …" if start + SNIPPET_WORDS < len(words) else ""
    return mark_safe(prefix + " ".join(parts) + suffix)  # noqa: S308


def similar_topics(query: str, limit: int = SUGGESTED_TOPICS) -> list[Tag]:
    """Topics of published releases whose name shares a stem with the query, else the biggest."""
    published = Release.objects.published()
    topics = Tag.objects.annotate(
        uses=Count(
            "news_taggedrelease_items",
            filter=Q(news_taggedrelease_items__content_object__in=published),
        )
    ).filter(uses__gt=0)
    word_stems = stems(query)
    if word_stems:
        if not is_postgresql():
            register_casefold()
        name = Casefold("name") if not is_postgresql() else models.functions.Lower("name")
        related = Q()
        for word_stem in word_stems:
            related |= Contains(name, word_stem)
        found = list(topics.filter(related).order_by("-uses", "name")[:limit])
        if found:
            return found
    return list(topics.order_by("-uses", "name")[:limit])
