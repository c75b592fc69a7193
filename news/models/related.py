from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RelatedRelease(models.Model):
    """One entry of a release's stored list of related releases (news.related keeps them)."""

    release = models.ForeignKey(
        "news.Release",
        verbose_name=_("release"),
        on_delete=models.CASCADE,
        related_name="related_entries",
    )
    related = models.ForeignKey(
        "news.Release",
        verbose_name=_("related release"),
        on_delete=models.CASCADE,
        related_name="related_to",
    )
    score = models.PositiveIntegerField(_("score"))
    rank = models.PositiveSmallIntegerField(_("rank"))

    class Meta:
        verbose_name = _("related release")
        verbose_name_plural = _("related releases")
        ordering = ["release", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["release", "related"], name="related_release_unique"),
        ]
        indexes = [models.Index(fields=["release", "rank"], name="related_release_rank_idx")]

    def __str__(self) -> str:
        return f"{self.release_id} → {self.related_id} ({self.score})"
