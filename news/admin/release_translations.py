"""Making a release's translation from its change page: links to the missing languages, a page
that says what will happen, and the view that asks news.translating for the new draft."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from news.admin.release_workflow import back_to, refusal_messages
from news.models import Language, Release
from news.translating import missing_languages, release_translate

CREATE_LABELS = {
    Language.RU: _("Create the Russian version"),
    Language.BE: _("Create the Belarusian version"),
    Language.EN: _("Create the English version"),
}


def create_translation_links(release: Release) -> str:
    """Links to make the release's version in each language its group lacks."""
    if release.deleted_at is not None:
        return ""
    links = [
        (reverse("admin:news_release_translate", args=[release.pk, language]), label)
        for language, label in CREATE_LABELS.items()
        if language in missing_languages(release)
    ]
    if not links:
        return ""
    items = format_html_join("", '<li><a class="button" href="{}">{}</a></li>', links)
    return format_html('<ul class="translation-create">{}</ul>', items)


class ReleaseTranslationMixin:
    """The admin of releases: the page that makes a translation (news_release_translate)."""

    def get_urls(self) -> list:
        return [
            path(
                "<path:object_id>/translate/<str:language>/",
                self.admin_site.admin_view(self.translate_view),
                name="news_release_translate",
            ),
            *super().get_urls(),
        ]

    def translate_view(self, request: HttpRequest, object_id: str, language: str) -> HttpResponse:
        """GET: what a new translation will hold; POST: make it and open it."""
        release = self._release_or_404(request, object_id)
        if language not in CREATE_LABELS:
            raise Http404
        if not request.user.has_perm("news.add_release"):
            raise PermissionDenied
        if request.method == "POST":
            try:
                translation = release_translate(
                    release=release, user=request.user, language=language
                )
            except (PermissionDenied, ValidationError) as error:
                for text in refusal_messages(error):
                    messages.error(request, text)
                return back_to(release)
            messages.success(
                request,
                gettext("A new draft (%(language)s): translate its text, then submit it.")
                % {"language": translation.get_language_display().lower()},
            )
            return HttpResponseRedirect(reverse("admin:news_release_change", args=[translation.pk]))
        context: dict[str, Any] = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": CREATE_LABELS[language],
            "release": release,
            "language": Language(language),
            "exists": Language(language) not in missing_languages(release),
        }
        return TemplateResponse(request, "admin/news/release/translate.html", context)
