"""The press service's own pages: contacts and accreditation, accessibility, privacy."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from news.html import sanitize
from news.models.limits import check_text_lengths

BODIES = ["body", "body_be", "body_en"]


def footer_key(language: str) -> str:
    return f"footer-pages:{language}"


def footer_changed() -> None:
    """Forget the footer's list of pages (news.pages.footer_pages), in every language."""
    cache.delete_many([footer_key(code) for code, _name in settings.LANGUAGES])


class Page(models.Model):
    """A simple page in Russian, with its Belarusian and English texts beside it."""

    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), help_text=_("HTML; kept as it is safe to show."))
    title_be = models.CharField(_("title in Belarusian"), max_length=200, blank=True)
    body_be = models.TextField(_("text in Belarusian"), blank=True)
    title_en = models.CharField(_("title in English"), max_length=200, blank=True)
    body_en = models.TextField(_("text in English"), blank=True)
    in_footer = models.BooleanField(_("linked from the footer"), default=True)
    order = models.PositiveSmallIntegerField(_("order in the footer"), default=0)

    class Meta:
        verbose_name = _("page")
        verbose_name_plural = _("pages")
        ordering = ["order", "slug"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        for name in BODIES:
            setattr(self, name, sanitize(getattr(self, name)))
        super().save(*args, **kwargs)
        footer_changed()

    def get_absolute_url(self) -> str:
        return reverse("news:page", kwargs={"slug": self.slug})

    def delete(self, *args, **kwargs) -> tuple[int, dict[str, int]]:
        deleted = super().delete(*args, **kwargs)
        footer_changed()
        return deleted

    def clean(self) -> None:
        check_text_lengths(self)

    def in_language(self, language: str | None = None) -> tuple[str, str, str]:
        """(title, body, language of the text) for the reader's language, Russian if none."""
        language = (language or get_language() or "ru").split("-")[0]
        if language in ("be", "en") and getattr(self, f"body_{language}"):
            title = getattr(self, f"title_{language}") or self.title
            return title, getattr(self, f"body_{language}"), language
        return self.title, self.body, "ru"
