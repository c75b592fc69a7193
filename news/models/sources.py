from __future__ import annotations

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

web_url = URLValidator(schemes=["http", "https"])


def check_public_url(url: str) -> None:
    """Refuse what a reader's link must never carry: a user name or password, control bytes."""
    if not url:
        return
    if any(ord(char) < 32 or ord(char) == 127 for char in url):
        raise ValidationError(_("The address contains control characters."), code="invalid")
    try:
        parts = urlsplit(url)
    except ValueError:  # "http://[::1" and other addresses urlsplit cannot take apart
        raise ValidationError(_("Enter a valid URL."), code="invalid") from None
    if parts.username is not None or parts.password is not None:
        raise ValidationError(
            _("The address must not contain a user name or password."), code="credentials"
        )


class SourceURL(models.Model):
    """An original page a release comes from."""

    release = models.ForeignKey(
        "news.Release", verbose_name=_("release"), on_delete=models.CASCADE, related_name="sources"
    )
    url = models.URLField(_("URL"), max_length=1000, validators=[web_url])
    title = models.CharField(_("title"), max_length=300, blank=True)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    is_primary = models.BooleanField(_("primary source"), default=False)
    checked_at = models.DateTimeField(_("last checked"), null=True, blank=True)

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["-is_primary", "pk"]
        indexes = [
            # Legacy addresses of the old site are looked up by their exact URL on every 404.
            models.Index(
                fields=["url"], condition=models.Q(is_primary=True), name="source_primary_url_idx"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["release", "url"], name="source_url_unique_per_release"
            ),
            models.UniqueConstraint(
                fields=["release"],
                condition=models.Q(is_primary=True),
                name="source_one_primary_per_release",
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.url

    @property
    def site(self) -> str:
        """The source's site as readers name it: "mpt.gov.by"."""
        host = urlsplit(self.url).hostname or ""
        return host.removeprefix("www.")

    def clean(self) -> None:
        try:
            check_public_url(self.url)
        except ValidationError as error:
            raise ValidationError({"url": error}) from None
