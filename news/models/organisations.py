from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from news.models.delegations import EMPTY_IS_RUSSIAN, Delegation, mentioned
from news.models.sources import check_public_url
from news.slugs import unique_slug


class OrganisationQuerySet(models.QuerySet):
    def public(self) -> OrganisationQuerySet:
        """Organisations readers may see: named by a published release, or the sender or host
        of a visit one mentions (the visit's page links them).

        Not through an official's appointment: authors add those unreviewed; an official's
        page names such an organisation without a link.
        """
        visits = Delegation.objects.public()
        return self.filter(
            mentioned("organisations")
            | models.Exists(visits.filter(organisation=models.OuterRef("pk")))
            | models.Exists(visits.filter(host=models.OuterRef("pk")))
        )


class Organisation(models.Model):
    """A ministry, agency, enterprise, park or other body that releases mention."""

    class Kind(models.TextChoices):
        MINISTRY = "ministry", _("ministry or government body")
        AGENCY = "agency", _("agency or department")
        ENTERPRISE = "enterprise", _("enterprise")
        PARK = "park", _("technology or industrial park")
        EDUCATION = "education", _("university or school")
        INTERNATIONAL = "international", _("international organisation")
        OTHER = "other", _("other")

    name = models.CharField(_("name"), max_length=300, unique=True)
    name_be = models.CharField(
        _("name in Belarusian"), max_length=300, blank=True, help_text=EMPTY_IS_RUSSIAN
    )
    name_en = models.CharField(
        _("name in English"), max_length=300, blank=True, help_text=EMPTY_IS_RUSSIAN
    )
    short_name = models.CharField(
        _("short name"), max_length=100, blank=True, help_text=_("E.g. Минсвязи, ПВТ.")
    )
    short_name_be = models.CharField(
        _("short name in Belarusian"), max_length=100, blank=True, help_text=EMPTY_IS_RUSSIAN
    )
    short_name_en = models.CharField(
        _("short name in English"), max_length=100, blank=True, help_text=EMPTY_IS_RUSSIAN
    )
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.OTHER)
    country = models.ForeignKey(
        "news.Country",
        verbose_name=_("country"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
    )
    website = models.URLField(_("website"), blank=True, max_length=500)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("pk")), name="organisation_not_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            others = Organisation.objects.exclude(pk=self.pk)
            self.slug = unique_slug(
                self.name, lambda s: others.filter(slug=s).exists(), fallback="organisation"
            )
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("news:organisation-detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        try:
            check_public_url(self.website)
        except ValidationError as error:
            raise ValidationError({"website": error}) from None
