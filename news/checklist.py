"""What to look at before a release is approved or published: the pre-publish checklist.

Each check reads the version being edited (the pending one of a live release) and says ok or
warns, in a sentence for the editor. Only the alt text is also enforced by publishing
(news.release_writes.require_alt_text); the other warnings inform a decision, they refuse nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext, ngettext

from news.mentions import find_mentions, release_text
from news.mentions.linking import linked_keys, mention_key
from news.models import Language, Release
from news.revisions import show_pending_version


@dataclass(frozen=True)
class CheckItem:
    name: str
    ok: bool
    message: str

    @property
    def status(self) -> str:
        return "ok" if self.ok else "warning"


def check_alt_text(release: Release) -> CheckItem:
    missing = release.images_missing_alt()
    if not missing:
        return CheckItem("alt_text", True, gettext("Every image has a description (alt text)."))
    message = ngettext(
        "%(count)d image has no description (alt text): publishing is refused until it has one.",
        "%(count)d images have no description (alt text): publishing is refused until they "
        "have one.",
        len(missing),
    ) % {"count": len(missing)}
    return CheckItem("alt_text", False, message)


def check_source(release: Release) -> CheckItem:
    if release.pk and release.sources.all():  # a pending version's sources are a list
        return CheckItem("source", True, gettext("The source is given."))
    return CheckItem("source", False, gettext("No source: add the address of the original page."))


def check_mentions(release: Release) -> CheckItem:
    report = find_mentions(release_text(release), release.language or "ru")
    linked = linked_keys(release) if release.pk else set()
    unlinked = sorted(str(m.entity) for m in report.confident if mention_key(m) not in linked)
    if not unlinked:
        return CheckItem("mentions", True, gettext("Every confident mention is linked."))
    message = ngettext(
        "%(count)d confident mention is not linked: %(names)s.",
        "%(count)d confident mentions are not linked: %(names)s.",
        len(unlinked),
    ) % {"count": len(unlinked), "names": ", ".join(unlinked)}
    return CheckItem("mentions", False, message)


def check_lead(release: Release) -> CheckItem:
    if release.summary.strip():
        return CheckItem("lead", True, gettext("The lead is written."))
    return CheckItem(
        "lead", False, gettext("No lead: lists, feeds and search results show it first.")
    )


def check_translations(release: Release) -> CheckItem:
    # news.admin imports this module: its translation statuses are read when a check runs.
    from news.admin.translations import translation_statuses

    statuses = translation_statuses([release]).get(release.pk, []) if release.pk else []
    present = {status.release.language for status in statuses} | {release.language}
    missing = [str(label) for value, label in Language.choices if value not in present]
    stale = [status.release.get_language_display() for status in statuses if status.is_out_of_date]
    problems = []
    if missing:
        problems.append(
            gettext("No translation into: %(languages)s.") % {"languages": ", ".join(missing)}
        )
    if stale:
        problems.append(
            gettext("Out of date (older than the original): %(languages)s.")
            % {"languages": ", ".join(stale)}
        )
    if not problems:
        return CheckItem("translations", True, gettext("Every translation exists and is current."))
    return CheckItem("translations", False, " ".join(problems))


CHECKS: list[Callable[[Release], CheckItem]] = [
    check_alt_text,
    check_source,
    check_mentions,
    check_lead,
    check_translations,
]


def release_checklist(release: Release) -> list[CheckItem]:
    """Every check, over the pending version of a live release, else the release as saved."""
    if release.pk and release.pending_revision_id:
        release = Release.objects.get(pk=release.pk)  # a copy: the caller's stays as saved
        show_pending_version(release)
    return [check(release) for check in CHECKS]
