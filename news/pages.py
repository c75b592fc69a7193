"""The press service's own pages, in the reader's language where it has a text."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from news.models import Page


def page_detail(request: HttpRequest, slug: str) -> HttpResponse:
    page = get_object_or_404(Page, slug=slug)
    title, body, language = page.in_language()
    return render(
        request,
        "news/page_detail.html",
        {"page": page, "title": title, "body": body, "text_language": language},
    )


def footer_pages() -> list[Page]:
    """The pages the footer links, titled in the reader's language."""
    pages = list(Page.objects.filter(in_footer=True))
    for page in pages:
        page.title = page.in_language()[0]
    return pages
