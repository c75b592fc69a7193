"""A translation of a release, made from it: a new draft in the other language, in its group."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from news import revisions
from news.editing import release_record_edit
from news.models import Language, Release, State
from news.release_writes import TransitionError, User, lock_release


def missing_languages(release: Release) -> list[Language]:
    """The languages its translation group has no release in (the bin does not count)."""
    present = set(
        Release.objects.not_in_bin()
        .filter(translation_key=release.translation_key)
        .values_list("language", flat=True)
    )
    return [language for language in Language if language not in present]


def release_translate(*, release: Release, user: User, language: str) -> Release:
    """A new draft of user's in language, linked to release as its translation: the text
    copied to be translated (its pending version's, if it has one), what it speaks of kept."""
    if not user.has_perm("news.add_release"):
        raise PermissionDenied(_("You may not write releases."))
    if language not in Language.values:
        raise TransitionError(_("There is no such language."), code="language")
    with transaction.atomic():
        original = lock_release(release)
        if original.deleted_at is not None:
            raise TransitionError(_("The release is in the bin."), code="in_bin")
        if Language(language) not in missing_languages(original):
            raise TransitionError(
                _("The release has a version in this language already."), code="exists"
            )
        if original.pending_revision_id:
            data = revisions.completed(original.pending_revision.data, original)
        else:
            data = revisions.snapshot(original)
        data.update(language=language, slug="")
        # Sources, gallery and lead image come with the version (new rows of the translation's);
        # documents stay with the original: each owns its file.
        data.pop("attachments", None)
        translation = Release(translation_key=original.translation_key, state=State.DRAFT)
        revisions.apply(translation, data)
        release_record_edit(release=translation, user=user, created=True)
    return translation
