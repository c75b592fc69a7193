from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from news.models.limits import check_text_lengths
from news.slugs import unique_slug

# Help for every name's Belarusian and English fields (news.names reads them).
EMPTY_IS_RUSSIAN = _(
    "Leave empty to show the Russian one (a person's name in English is then transliterated)."
)


def mentioned(lookup: str) -> models.Exists:
    """True for a row that a published release mentions through lookup (as release.officials).

    The one door to the public catalogue: each model's public() is made of these.
    """
    from news.models.releases import Release

    return models.Exists(Release.objects.published().filter(**{lookup: models.OuterRef("pk")}))


class DelegationQuerySet(models.QuerySet):
    def public(self) -> DelegationQuerySet:
        """Visits readers may see: those a published release mentions."""
        return self.filter(mentioned("delegations"))


class Delegation(models.Model):
    """A visit: who came from where, to whom, when and why."""

    title = models.CharField(
        _("title"), max_length=300, help_text=_("E.g. Визит делегации Республики Сербия.")
    )
    title_be = models.CharField(
        _("title in Belarusian"), max_length=300, blank=True, help_text=EMPTY_IS_RUSSIAN
    )
    title_en = models.CharField(
        _("title in English"), max_length=300, blank=True, help_text=EMPTY_IS_RUSSIAN
    )
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    country = models.ForeignKey(
        "news.Country",
        verbose_name=_("sending country"),
        on_delete=models.PROTECT,
        related_name="delegations",
    )
    organisation = models.ForeignKey(
        "news.Organisation",
        verbose_name=_("sending organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="delegations_sent",
    )
    head = models.ForeignKey(
        "news.Official",
        verbose_name=_("head of delegation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="delegations_headed",
    )
    members = models.ManyToManyField(
        "news.Official", verbose_name=_("members"), blank=True, related_name="delegations"
    )
    host = models.ForeignKey(
        "news.Organisation",
        verbose_name=_("host organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="delegations_hosted",
    )
    start = models.DateField(_("visit starts"))
    end = models.DateField(_("visit ends"))
    purpose = models.TextField(_("purpose"), blank=True)

    objects = DelegationQuerySet.as_manager()

    class Meta:
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        ordering = ["-start"]
        indexes = [models.Index(fields=["-start"], name="delegation_start_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")),
                name="delegation_end_not_before_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            others = Delegation.objects.exclude(pk=self.pk)
            self.slug = unique_slug(
                self.title, lambda s: others.filter(slug=s).exists(), fallback="delegation"
            )
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("news:delegation-detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        check_text_lengths(self)
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("A visit cannot end before it starts.")})


class ProgrammeItem(models.Model):
    """One point of a visit's programme: a day, perhaps a time, a place, what happens there."""

    delegation = models.ForeignKey(
        Delegation,
        verbose_name=_("delegation"),
        on_delete=models.CASCADE,
        related_name="programme",
    )
    date = models.DateField(_("date"))
    time = models.TimeField(_("time"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=300, blank=True)
    organisation = models.ForeignKey(
        "news.Organisation",
        verbose_name=_("organisation visited"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="programme_items",
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("programme item")
        verbose_name_plural = _("programme")
        ordering = ["date", models.F("time").asc(nulls_first=True), "pk"]

    def __str__(self) -> str:
        return " ".join(str(part) for part in [self.date, self.time or "", self.label] if part)

    @property
    def label(self) -> str:
        """Where: the place as written, or the organisation visited. Reads self.organisation."""
        return self.place or (self.organisation.name if self.organisation_id else "")

    def clean(self) -> None:
        check_text_lengths(self)
        visit = self.delegation if self.delegation_id else None
        if visit and self.date and not visit.start <= self.date <= visit.end:
            raise ValidationError({"date": _("The day must fall within the visit.")})
