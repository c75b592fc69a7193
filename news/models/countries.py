from __future__ import annotations

import gettext
from functools import cache

import pycountry
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from news.models.delegations import Delegation, mentioned
from news.models.organisations import Organisation


@cache
def _iso3166_translation(language: str) -> gettext.NullTranslations:
    return gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True
    )


def country_name(code: str, language: str | None = None) -> str:
    """The common name of an ISO 3166-1 country in the given (or active) language."""
    country = pycountry.countries.get(alpha_2=code.upper())
    if country is None:
        return code
    english = getattr(country, "common_name", None) or country.name
    language = (language or get_language() or "ru").split("-")[0]
    translation = _iso3166_translation(language)
    translated = translation.gettext(english)
    if translated == english and english != country.name:
        translated = translation.gettext(country.name)
    return translated


def validate_country_code(value: str) -> None:
    if pycountry.countries.get(alpha_2=value.upper()) is None:
        raise ValidationError(
            _("%(code)s is not an ISO 3166-1 country code."), params={"code": value}
        )


class CountryQuerySet(models.QuerySet):
    def public(self) -> CountryQuerySet:
        """Countries readers may see: named by a published release, the sending country of a
        visit one mentions, or the country of a public organisation (the pages of both link
        it)."""
        return self.filter(
            mentioned("countries")
            | models.Exists(Delegation.objects.public().filter(country=models.OuterRef("pk")))
            | models.Exists(Organisation.objects.public().filter(country=models.OuterRef("pk")))
        )


class Country(models.Model):
    """A country that sends or receives delegations, named in the reader's language by ISO code."""

    code = models.CharField(
        _("ISO 3166-1 code"),
        max_length=2,
        unique=True,
        validators=[validate_country_code],
        help_text=_("Two letters, e.g. BY, RS."),
    )

    objects = CountryQuerySet.as_manager()

    class Meta:
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[A-Z]{2}$"), name="country_code_upper_alpha2"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.code = self.code.upper()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("news:country-detail", kwargs={"code": self.code.lower()})

    @property
    def name(self) -> str:
        return country_name(self.code)
