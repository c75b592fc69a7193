from __future__ import annotations

from collections.abc import Iterable

from django.db import models
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from taggit.managers import _TaggableManager
from taggit.models import NaturalKeyManager, Tag

from news.models.delegations import EMPTY_IS_RUSSIAN
from news.slugs import SUFFIX_ROOM, slug_for

TOPIC_SLUG_MAX_LENGTH = Tag._meta.get_field("slug").max_length


class TopicQuerySet(models.QuerySet):
    def public(self) -> TopicQuerySet:
        """Topics readers may see: those of a published release."""
        from news.models.delegations import mentioned

        return self.filter(mentioned("tags"))

    def formerly_at(self, slug: str) -> Topic | None:
        """The topic whose address was slug before slugs were Latin (taggit kept Cyrillic).

        Only looked up for an address that finds nothing, so old links and feed subscriptions
        still reach their topic; a scan of names, as the old slug was never stored.
        """
        if slug.isascii():
            return None
        old = slug.rsplit("_", 1)[0] if slug.rsplit("_", 1)[-1].isdecimal() else slug
        for topic in self.select_related(None).only("pk", "name", "slug").order_by("pk"):
            if slugify(topic.name, allow_unicode=True) == old:
                return topic
        return None


class Topic(Tag):
    """A release's topic: taggit's tag, whose slug is always Latin and never empty."""

    # taggit's manager, for backups' natural keys (a topic is its name), with public().
    objects = NaturalKeyManager.from_queryset(TopicQuerySet)()

    class Meta:
        proxy = True
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def get_absolute_url(self) -> str:
        return reverse("news:tag-detail", kwargs={"slug": self.slug})

    def slugify(self, tag: str, i: int | None = None) -> str:
        """The slug taggit gives a new tag, _1, _2... appended on a clash."""
        slug = topic_slug(tag)
        return slug if i is None else f"{slug}_{i}"


class TopicTranslation(models.Model):
    """A topic's name in Belarusian and English (taggit's tag has one name, the Russian one)."""

    topic = models.OneToOneField(
        Tag,
        verbose_name=_("topic"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="translation",
    )
    name_be = models.CharField(
        _("name in Belarusian"), max_length=100, blank=True, help_text=EMPTY_IS_RUSSIAN
    )
    name_en = models.CharField(
        _("name in English"), max_length=100, blank=True, help_text=EMPTY_IS_RUSSIAN
    )

    class Meta:
        verbose_name = _("topic in other languages")
        verbose_name_plural = _("topic in other languages")

    def __str__(self) -> str:
        return str(self.topic)


def topic_slug(name: str) -> str:
    """A topic's slug before any suffix: "экономика" is ekonomika, "—" topic-<digest>."""
    return slug_for(name, "topic", TOPIC_SLUG_MAX_LENGTH - SUFFIX_ROOM)


class TopicManager(_TaggableManager):
    """Release.tags: taggit's manager, taking a taggit Tag too, as the Topic it is."""

    def _to_tag_model_instances(self, tags: Iterable[Tag | str], tag_kwargs: dict) -> list[Topic]:
        return super()._to_tag_model_instances([_as_topic(tag) for tag in tags], tag_kwargs)


def _as_topic(tag: Tag | str) -> Topic | str:
    if not isinstance(tag, Tag) or isinstance(tag, Topic):
        return tag
    topic = Topic(pk=tag.pk, name=tag.name, slug=tag.slug)
    topic._state.adding, topic._state.db = tag._state.adding, tag._state.db
    return topic
