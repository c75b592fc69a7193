from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ContactQuerySet(models.QuerySet):
    def default(self) -> Contact | None:
        """The site's default press contact, for releases that name none."""
        return self.filter(is_default=True).first()


class Contact(models.Model):
    """A person or desk of the press service whom journalists may call or write to."""

    name = models.CharField(_("name"), max_length=200)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    is_default = models.BooleanField(
        _("site default"),
        default=False,
        help_text=_("Shown on releases that name no contact of their own."),
    )

    objects = ContactQuerySet.as_manager()

    class Meta:
        verbose_name = _("press contact")
        verbose_name_plural = _("press contacts")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=models.Q(is_default=True),
                name="contact_one_default",
            ),
        ]

    def __str__(self) -> str:
        return self.name
