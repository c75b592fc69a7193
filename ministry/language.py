"""The admin's language: the editor's choice, Russian unless they chose Belarusian or English."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.urls import reverse
from django.utils import translation


def chosen_language(request: HttpRequest) -> str:
    """The language the editor picked in the admin (the language cookie), else the site's."""
    code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    if code in dict(settings.LANGUAGES):
        return code
    return settings.LANGUAGE_CODE


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's: readers' pages take their language from the address (/be/, /en/, none for
    Russian). The admin has no prefix, so it reads the editor's choice instead; not the
    browser's Accept-Language, so an office computer set up in English still opens in Russian."""

    def process_request(self, request: HttpRequest) -> None:
        if not request.path_info.startswith(reverse("admin:index")):
            return super().process_request(request)
        translation.activate(chosen_language(request))
        request.LANGUAGE_CODE = translation.get_language()
        return None
