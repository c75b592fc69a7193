"""The message of a release in the Telegram channel, kept to edit it on a correction."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from news.models.releases import Release


class PostKind(models.TextChoices):
    TEXT = "text", _("text")
    PHOTO = "photo", _("photo")


class TelegramPost(models.Model):
    release = models.ForeignKey(
        Release, on_delete=models.CASCADE, related_name="telegram_posts", verbose_name=_("release")
    )
    chat = models.CharField(_("chat"), max_length=100)
    language = models.CharField(_("language"), max_length=8)
    message_id = models.BigIntegerField(_("message id"))
    kind = models.CharField(_("kind"), max_length=8, choices=PostKind.choices)
    posted_at = models.DateTimeField(_("posted at"), auto_now_add=True)
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True)

    class Meta:
        verbose_name = _("Telegram post")
        verbose_name_plural = _("Telegram posts")
        constraints = [
            models.UniqueConstraint(fields=["release", "chat"], name="telegram_post_once_per_chat")
        ]

    def __str__(self) -> str:
        return f"{self.chat}/{self.message_id}"
