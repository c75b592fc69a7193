"""The editorial record of a release: audit entries, revisions, public change notes, previews."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core import signing
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from news.models.releases import State

if TYPE_CHECKING:
    from news.models.releases import Release

PREVIEW_SALT = "news.preview"
# A preview shows what will be published: nothing once the release is withdrawn or unpublished.
PREVIEW_STATES = (State.DRAFT, State.SUBMITTED, State.APPROVED, State.PUBLISHED)


# news.revisions declares what a version holds; it reads the models, so it is imported late.
def snapshot_of(release: Release) -> dict[str, Any]:
    """The release's content as JSON. Costs a query per link and one for the topics."""
    from news import revisions

    return revisions.snapshot(release)


def _release_link(related_name: str) -> models.ForeignKey:
    """The release a record is about: the record goes when the release is deleted."""
    return models.ForeignKey(
        "news.Release",
        verbose_name=_("release"),
        on_delete=models.CASCADE,
        related_name=related_name,
    )


def _user_link(verbose_name: str) -> models.ForeignKey:
    """Who made a record: the record stays, without them, when their account is deleted."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )


class Action(models.TextChoices):
    SUBMIT = "submit", _("submitted for review")
    SEND_BACK = "send_back", _("sent back to the author")
    APPROVE = "approve", _("approved")
    PUBLISH = "publish", _("published")
    SCHEDULE = "schedule", _("scheduled")
    FORCE_PUBLISH = "force_publish", _("published without review")
    POST_REVIEW = "post_review", _("reviewed after publication")
    UNSCHEDULE = "unschedule", _("schedule cancelled")
    WITHDRAW = "withdraw", _("withdrawn")
    UNPUBLISH = "unpublish", _("unpublished")
    PUBLISH_CHANGES = "publish_changes", _("changes published")
    DISCARD_CHANGES = "discard_changes", _("changes discarded")
    RESTORE_REVISION = "restore_revision", _("revision restored")
    REOPEN = "reopen", _("returned to review after an edit")
    TRASH = "trash", _("moved to the bin")
    UNTRASH = "untrash", _("restored from the bin")
    PREVIEW_CREATE = "preview_create", _("preview link created")
    PREVIEW_REVOKE = "preview_revoke", _("preview link revoked")
    IMPORT = "import", _("imported")


class AuditEntry(models.Model):
    """One thing done to a release, by whom and when: the trail nobody edits."""

    release = _release_link("audit_entries")
    user = _user_link(_("user"))
    action = models.CharField(_("action"), max_length=20, choices=Action)
    from_state = models.CharField(_("from state"), max_length=20, choices=State, blank=True)
    to_state = models.CharField(_("to state"), max_length=20, choices=State, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.release_id}"


class Revision(models.Model):
    """The content of a release as one person saved it."""

    release = _release_link("revisions")
    user = _user_link(_("user"))
    created_at = models.DateTimeField(_("time"), default=timezone.now)
    version = models.PositiveIntegerField(_("version"), default=1)
    data = models.JSONField(_("content"))

    class Meta:
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return _("Revision %(number)s") % {"number": self.pk}

    def form_initial(self) -> dict[str, Any]:
        """The revision's values as a change form expects them."""
        from news import revisions

        return revisions.form_initial(self.data)

    def apply_to(self, release: Release) -> None:
        """Give release this revision's content and save it, relations and tags included."""
        from news import revisions

        revisions.apply(release, self.data)


class ChangeNote(models.Model):
    """A public note on a correction of a published release, with the versions before and after."""

    release = _release_link("change_notes")
    text = models.CharField(_("change note"), max_length=300)
    before = models.ForeignKey(
        Revision, verbose_name=_("before"), on_delete=models.CASCADE, related_name="+"
    )
    after = models.ForeignKey(
        Revision, verbose_name=_("after"), on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("change note")
        verbose_name_plural = _("change notes")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text

    def get_absolute_url(self) -> str:
        return reverse("news:release-change", kwargs={"slug": self.release.slug, "note": self.pk})


class PreviewLinkQuerySet(models.QuerySet):
    def active(self) -> PreviewLinkQuerySet:
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class PreviewLink(models.Model):
    """A signed address that shows an unpublished release to someone without an account."""

    release = _release_link("preview_links")
    created_by = _user_link(_("created by"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    # Set only when an editor chose to show a live release's unreviewed changes: this version.
    pending_revision = models.ForeignKey(
        Revision,
        verbose_name=_("unpublished changes"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = PreviewLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("preview link")
        verbose_name_plural = _("preview links")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return _("Preview of %(release)s") % {"release": self.release_id}

    def get_absolute_url(self) -> str:
        return reverse("news:release-preview", kwargs={"token": self.token})

    @property
    def token(self) -> str:
        # No timestamp in it: the link stays the same; expiry and revocation live in the row.
        signer = signing.Signer(salt=PREVIEW_SALT)
        return signer.sign_object({"link": self.pk, "release": self.release_id})

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()
