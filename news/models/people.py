from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from news.models.delegations import EMPTY_IS_RUSSIAN, Delegation, mentioned
from news.models.limits import check_text_lengths
from news.slugs import unique_slug


class OfficialQuerySet(models.QuerySet):
    def public(self) -> OfficialQuerySet:
        """Officials readers may see: named by a published release, or the head or a member of
        a visit one mentions (the visit's page links them)."""
        visits = Delegation.objects.public()
        return self.filter(
            mentioned("officials")
            | models.Exists(visits.filter(head=models.OuterRef("pk")))
            | models.Exists(visits.filter(members=models.OuterRef("pk")))
        )


class Official(models.Model):
    """A person named in releases; their positions are Appointments, dated."""

    full_name = models.CharField(
        _("full name"), max_length=200, help_text=_("As written in Russian: Константин Шульган.")
    )
    full_name_be = models.CharField(
        _("full name in Belarusian"), max_length=200, blank=True, help_text=EMPTY_IS_RUSSIAN
    )
    full_name_en = models.CharField(
        _("full name in English"), max_length=200, blank=True, help_text=EMPTY_IS_RUSSIAN
    )
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    photo = models.ForeignKey(
        "news.Image",
        verbose_name=_("photo"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="photo_of",
    )
    bio = models.TextField(_("short biography"), blank=True)

    objects = OfficialQuerySet.as_manager()

    class Meta:
        verbose_name = _("official")
        verbose_name_plural = _("officials")
        ordering = ["full_name"]
        indexes = [models.Index(fields=["full_name"], name="official_full_name_idx")]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            others = Official.objects.exclude(pk=self.pk)
            self.slug = unique_slug(
                self.full_name, lambda s: others.filter(slug=s).exists(), fallback="official"
            )
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("news:official-detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        check_text_lengths(self)

    def appointment_on(self, day: datetime.date | None) -> Appointment | None:
        """The appointment held on day (the latest one when day is None).

        Reads self.appointments.all(), so prefetch it when asking for many officials.
        """
        appointments = sorted(
            self.appointments.all(),
            key=lambda a: (a.start or datetime.date.min, a.pk or 0),
            reverse=True,
        )
        if day is None:
            current = [a for a in appointments if a.end is None]
            return (current or appointments or [None])[0]
        for appointment in appointments:
            if appointment.covers(day):
                return appointment
        return None

    @property
    def current_appointment(self) -> Appointment | None:
        return self.appointment_on(None)


class Appointment(models.Model):
    """A position an official held, from start to end (open ends are unknown or ongoing)."""

    official = models.ForeignKey(
        Official, verbose_name=_("official"), on_delete=models.CASCADE, related_name="appointments"
    )
    title = models.CharField(
        _("position"),
        max_length=300,
        help_text=_("As it should read next to the name: Министр связи и информатизации."),
    )
    title_be = models.CharField(
        _("position in Belarusian"), max_length=300, blank=True, help_text=EMPTY_IS_RUSSIAN
    )
    title_en = models.CharField(
        _("position in English"), max_length=300, blank=True, help_text=EMPTY_IS_RUSSIAN
    )
    organisation = models.ForeignKey(
        "news.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appointments",
    )
    start = models.DateField(_("from"), null=True, blank=True)
    end = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["official", "-start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True)
                | models.Q(start__isnull=True)
                | models.Q(end__gte=models.F("start")),
                name="appointment_end_not_before_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("An appointment cannot end before it starts.")})

    def covers(self, day: datetime.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)
