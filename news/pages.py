"""The press service's own pages, in the reader's language where it has a text."""

from __future__ import annotations

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language

from news.models import Page
from news.models.pages import footer_key


def page_detail(request: HttpRequest, slug: str) -> HttpResponse:
    page = get_object_or_404(Page, slug=slug)
    title, body, language = page.in_language()
    return render(
        request,
        "news/page_detail.html",
        {"page": page, "title": title, "body": body, "text_language": language},
    )


def footer_pages() -> list[tuple[str, str]]:
    """(address, title) of each page the footer links, in the reader's language.

    Kept in the cache until a page is saved or deleted (Page.save), so that the footer of
    every page costs no query.
    """
    key = footer_key(get_language())
    pages = cache.get(key)
    if pages is None:
        pages = [
            (page.get_absolute_url(), page.in_language()[0])
            for page in Page.objects.filter(in_footer=True)
        ]
        cache.set(key, pages, None)
    return pages
