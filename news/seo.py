"""What search engines and sharing cards read: a release page's JSON-LD and Open Graph
context, and robots.txt."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from news.models import Release

# Open Graph names a locale with its territory.
OG_LOCALES = {"ru": "ru_RU", "be": "be_BY", "en": "en_US"}
SHARE_IMAGE_WIDTH = 1280
# As django.utils.html.json_script escapes: a title with "</script>" cannot end the element.
JSON_LD_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def sharing_context(request: HttpRequest, release: Release, page: dict[str, Any]) -> dict[str, Any]:
    """What machines read of a release page: the image for cards and the JSON-LD.

    Reads what for_detail() prefetched and release_page_context() found (page): no query.
    """
    absolute = request.build_absolute_uri
    image = None
    if release.lead_image:
        image = release.lead_image.shared(SHARE_IMAGE_WIDTH, absolute)
    site = absolute("/")
    mentions: list[dict[str, Any]] = []
    private = page["private_mentions"]
    for official, appointment in page["officials"]:
        if official in private:
            continue
        person: dict[str, Any] = {
            "@type": "Person",
            "name": official.full_name,
            "url": absolute(official.get_absolute_url()),
        }
        if appointment:
            person["jobTitle"] = appointment.title
            if appointment.organisation:
                person["worksFor"] = {
                    "@type": "Organization",
                    "name": appointment.organisation.name,
                }
        mentions.append(person)
    mentions += [
        {"@type": "Organization", "name": org.name, "url": absolute(org.get_absolute_url())}
        for org in release.organisations.all()
        if org not in private
    ]
    mentions += [
        {"@type": "Country", "name": str(country.name), "url": absolute(country.get_absolute_url())}
        for country in release.countries.all()
        if country not in private
    ]
    # The release's own language version, not this language's chrome around its text.
    with translation.override(release.language):
        url = absolute(release.get_absolute_url())
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": url,
        "url": url,
        "headline": release.title,
        "description": release.summary,
        "inLanguage": release.language,
        "datePublished": (
            timezone.localtime(release.published_at).isoformat() if release.published_at else None
        ),
        "dateModified": timezone.localtime(release.modified_for_readers).isoformat(),
        "articleSection": str(release.get_kind_display()),
        "keywords": [tag.name for tag in release.topics],
        "publisher": {
            "@type": "Organization",
            "name": _("Ministry of Communications and Informatization of the Republic of Belarus"),
            "url": site,
        },
        "author": {
            "@type": "Organization",
            "name": _(
                "Press service of the Ministry of Communications and Informatization "
                "of the Republic of Belarus"
            ),
            "url": site,
        },
        "mentions": mentions,
    }
    if image:
        data["image"] = {
            "@type": "ImageObject",
            "url": image["url"],
            "width": image["width"],
            "height": image["height"],
        }
    if release.place:
        data["contentLocation"] = {"@type": "Place", "name": release.place}
    json_ld = json.dumps(data, ensure_ascii=False).translate(JSON_LD_ESCAPES)
    return {
        "canonical_url": url,
        "share_image": image,
        "og_locale": OG_LOCALES.get(release.language, release.language),
        "og_locale_alternates": [
            OG_LOCALES.get(t.language, t.language) for t in page["translations"]
        ],
        # Escaped above as json_script escapes; the template puts it in a data block.
        "json_ld": mark_safe(json_ld),
    }


def robots_txt(request: HttpRequest) -> HttpResponse:
    """Everything public may be crawled; the admin and the previews may not."""
    previews = [
        "/preview/" if code == settings.LANGUAGE_CODE else f"/{code}/preview/"
        for code, _name in settings.LANGUAGES
    ]
    lines = [
        "User-agent: *",
        "Allow: /",
        "Disallow: /admin/",
        *(f"Disallow: {path}" for path in previews),
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap-index'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
