from __future__ import annotations

import datetime
import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from news.html import external_images, sanitize
from news.models.attachments import Attachment
from news.models.images import Image, ReleaseImage
from news.models.limits import check_text_lengths
from news.models.people import Appointment, Official
from news.models.release_choices import Kind, Language, State
from news.models.release_queries import RELATED_COLUMNS, ReleaseQuerySet, related_releases
from news.models.sources import SourceURL
from news.models.topics import Topic, TopicManager
from news.slugs import unique_slug

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser


class TaggedRelease(TaggedItemBase):
    """The tag link, with a real foreign key so tag listings can join and index it."""

    content_object = models.ForeignKey("news.Release", on_delete=models.CASCADE)
    # A Topic, so that taggit makes new tags as Topics: with a slug that is always a slug.
    tag = models.ForeignKey(
        Topic, on_delete=models.CASCADE, related_name="news_taggedrelease_items"
    )

    class Meta:
        verbose_name = _("tagged release")
        verbose_name_plural = _("tagged releases")
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="tagged_release_unique"),
        ]


class Release(models.Model):
    """A press release, news item or statement, in one language."""

    uid = models.UUIDField(
        _("permanent identifier"), default=uuid.uuid4, unique=True, editable=False
    )
    title = models.CharField(_("title"), max_length=500)
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        unique=True,
        blank=True,
        help_text=_("The Latin address of the page; made from the title when left empty."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.PRESS_RELEASE)
    summary = models.TextField(_("lead"), blank=True, help_text=_("Plain text, one paragraph."))
    body = models.TextField(_("body"), blank=True, help_text=_("HTML; unsafe markup is removed."))
    language = models.CharField(_("language"), max_length=2, choices=Language, default=Language.RU)
    translation_key = models.UUIDField(
        _("translation group"),
        default=uuid.uuid4,
        editable=False,
        help_text=_("Translations of one release share this key."),
    )
    event_start = models.DateField(_("event starts"), null=True, blank=True)
    event_end = models.DateField(_("event ends"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=300, blank=True)

    state = models.CharField(_("state"), max_length=20, choices=State, default=State.DRAFT)
    published_at = models.DateTimeField(
        _("publication time"),
        null=True,
        blank=True,
        help_text=_("A time in the future schedules the release: it appears by itself then."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # When readers were last told of a correction (a published change note); a minor correction
    # or an edit of a draft does not count.
    corrected_at = models.DateTimeField(_("corrected"), null=True, blank=True, editable=False)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    last_edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last edited by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    version = models.PositiveIntegerField(
        _("version"),
        default=1,
        editable=False,
        help_text=_("Grows with every change; a save made from an older version is refused."),
    )
    needs_post_review = models.BooleanField(
        _("awaits review after forced publication"), default=False, editable=False
    )
    mail_held = models.BooleanField(
        _("e-mail held"),
        default=False,
        editable=False,
        help_text=_("Published silently: no e-mail to subscribers."),
    )
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True, editable=False)
    withdrawal_reason = models.TextField(
        _("reason for withdrawal"),
        blank=True,
        editable=False,
        help_text=_("Shown to readers on the page of the withdrawn release."),
    )
    replaced_by = models.ForeignKey(
        "self",
        verbose_name=_("replaced by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    pending_revision = models.ForeignKey(
        "news.Revision",
        verbose_name=_("unpublished changes"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    deleted_at = models.DateTimeField(_("moved to the bin"), null=True, blank=True, editable=False)

    lead_image = models.ForeignKey(
        "news.Image",
        verbose_name=_("lead image"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lead_of",
    )
    gallery = models.ManyToManyField(
        "news.Image",
        verbose_name=_("gallery"),
        through="news.ReleaseImage",
        blank=True,
        related_name="+",
    )

    officials = models.ManyToManyField(
        "news.Official", verbose_name=_("officials"), blank=True, related_name="releases"
    )
    organisations = models.ManyToManyField(
        "news.Organisation", verbose_name=_("organisations"), blank=True, related_name="releases"
    )
    countries = models.ManyToManyField(
        "news.Country", verbose_name=_("countries"), blank=True, related_name="releases"
    )
    delegations = models.ManyToManyField(
        "news.Delegation", verbose_name=_("delegations"), blank=True, related_name="releases"
    )
    tags = TaggableManager(
        verbose_name=_("topics"), through=TaggedRelease, blank=True, manager=TopicManager
    )
    contact = models.ForeignKey(
        "news.Contact",
        verbose_name=_("press contact"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="releases",
        help_text=_("Left empty, the site's default contact is shown."),
    )
    # Filled by a database trigger on PostgreSQL (see news/search.py); always empty on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = ReleaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("release")
        verbose_name_plural = _("releases")
        ordering = ["-published_at", "-pk"]
        permissions = [
            ("submit_release", _("Can submit releases for review")),
            ("review_release", _("Can approve releases or send them back")),
            ("edit_any_release", _("Can edit releases of other authors")),
            ("publish_release", _("Can publish and schedule releases")),
            ("force_publish_release", _("Can publish releases without review")),
            ("withdraw_release", _("Can withdraw published releases")),
            ("unpublish_release", _("Can unpublish releases")),
            ("preview_release", _("Can share preview links")),
        ]
        indexes = [
            models.Index(fields=["state", "-published_at"], name="release_state_published_idx"),
            models.Index(fields=["translation_key"], name="release_translation_key_idx"),
            models.Index(fields=["event_start"], name="release_event_start_idx"),
            models.Index(fields=["kind", "-published_at"], name="release_kind_published_idx"),
            # Newest first, as every list of releases is ordered (the admin's change list).
            models.Index(
                fields=["-published_at", "-id"],
                condition=models.Q(deleted_at__isnull=True),
                name="release_published_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(event_end__isnull=True)
                | models.Q(event_start__isnull=False, event_end__gte=models.F("event_start")),
                name="release_event_end_not_before_start",
            ),
            models.CheckConstraint(
                condition=~models.Q(state=State.PUBLISHED) | models.Q(published_at__isnull=False),
                name="release_published_has_time",
            ),
            models.UniqueConstraint(
                fields=["translation_key", "language"], name="release_one_translation_per_language"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.body = sanitize(self.body)
        if not self.slug:
            others = Release.objects.exclude(pk=self.pk)
            self.slug = unique_slug(
                self.title, lambda s: others.filter(slug=s).exists(), fallback="release"
            )
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("news:release-detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        check_text_lengths(self)
        if external := external_images(self.body):
            raise ValidationError(
                {
                    "body": ValidationError(
                        _(
                            "Images in the text must come from the image library; "
                            "this one is on another site: %(address)s"
                        ),
                        code="external_image",
                        params={"address": external[0][:200]},
                    )
                }
            )
        if self.event_end and not self.event_start:
            raise ValidationError({"event_start": _("Give the start of the event too.")})
        if self.event_start and self.event_end and self.event_end < self.event_start:
            raise ValidationError({"event_end": _("The event cannot end before it starts.")})
        if self.state == State.PUBLISHED and not self.published_at:
            raise ValidationError({"published_at": _("A published release needs a time.")})

    @cached_property
    def topics(self) -> list[Topic]:
        """The release's topics by name: as with_topics() found them, or one query."""
        if (links := getattr(self, "topic_links", None)) is not None:
            return [link.tag for link in links]
        return list(self.tags.order_by("name", "pk"))

    @property
    def is_public(self) -> bool:
        return (
            self.state == State.PUBLISHED
            and self.deleted_at is None
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def is_published(self) -> bool:
        """Published, now or at a set time (is_public: and the time has come); edits of it wait
        as a pending version."""
        return self.state == State.PUBLISHED

    def can_be_edited_by(self, user: AbstractBaseUser | AnonymousUser) -> bool:
        """Authors edit their own drafts; editors and publishers any release still on the record."""
        if self.deleted_at or self.state in (State.WITHDRAWN, State.UNPUBLISHED):
            return False
        if not user.has_perm("news.change_release"):
            return False
        if user.has_perm("news.edit_any_release"):
            return True
        return self.state == State.DRAFT and self.created_by_id == user.pk

    @property
    def modified_for_readers(self) -> datetime.datetime | None:
        """The time the page, the feeds and the listings give as the release's last change."""
        return self.corrected_at or self.published_at

    @property
    def is_scheduled(self) -> bool:
        return (
            self.state == State.PUBLISHED and self.published_at is not None and not self.is_public
        )

    @property
    def reference_date(self) -> datetime.date | None:
        """The day the release speaks of: positions of officials are shown as of this day."""
        if self.event_start:
            return self.event_start
        if self.published_at:
            return timezone.localdate(self.published_at)
        return None

    def officials_with_positions(self) -> list[tuple[Official, Appointment | None]]:
        """Each official with the appointment they held on the reference date.

        Uses prefetched officials and appointments when present (see for_detail()).
        """
        day = self.reference_date or timezone.localdate()
        return [(official, official.appointment_on(day)) for official in self.officials.all()]

    def related(self, limit: int = 5) -> list[Release]:
        """Published releases sharing the most visits, officials and topics, as stored when it
        was published (news.related); one query, none for a release whose links for_detail()
        prefetched and found empty."""
        prefetched = getattr(self, "_prefetched_objects_cache", {})
        if (
            hasattr(self, "topic_links")
            and {"officials", "delegations"} <= prefetched.keys()
            and not (self.topics or self.officials.all() or self.delegations.all())
        ):
            return []
        return list(
            Release.objects.published()
            .filter(related_to__release=self)
            .order_by("related_to__rank")
            .only(*RELATED_COLUMNS)[:limit]
        )

    def related_afresh(self, limit: int = 5) -> list[Release]:
        """related(), computed now from the links in memory (a preview's): related_releases()."""
        return related_releases(self, limit)

    def translations(self) -> ReleaseQuerySet:
        return Release.objects.filter(translation_key=self.translation_key).exclude(pk=self.pk)

    @property
    def primary_source(self) -> SourceURL | None:
        sources = list(self.sources.all())
        return next((s for s in sources if s.is_primary), sources[0] if sources else None)

    def gallery_in_order(self) -> list[ReleaseImage]:
        """The gallery with its images: one query, none when for_detail() found it empty."""
        if not getattr(self, "has_gallery", True):
            return []
        shown = getattr(self, "_prefetched_objects_cache", {}).get("gallery_items")
        if shown is not None:  # a preview of a pending version (news.version_rows)
            return list(shown)
        return list(self.gallery_items.select_related("image"))

    def attachments_in_order(self) -> list[Attachment]:
        """The documents: one query, none when for_detail() found there are none."""
        if not getattr(self, "has_attachments", True):
            return []
        return list(self.attachments.all())

    def images_missing_alt(self) -> list[Image]:
        """The lead and gallery images without a description; costs a query or two."""
        images = [self.lead_image] if self.lead_image_id else []
        images += [item.image for item in self.gallery_in_order()]
        return [image for image in images if not image.alt.strip()]

    @property
    def guid(self) -> str:
        """An identifier that never changes, whatever happens to the title or slug."""
        return self.uid.urn
