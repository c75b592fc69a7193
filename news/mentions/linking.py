"""Linking a release to what it mentions: adds links, never removes one."""

from __future__ import annotations

from django.db import transaction
from taggit.models import Tag

from news import revisions
from news.html import html_to_text
from news.mentions import recognise
from news.mentions.catalogue import Catalogue
from news.mentions.recognise import find_mentions
from news.mentions.report import EntityType, Mention, MentionReport
from news.models import Release


def release_text(release: Release) -> str:
    """The plain text recognition reads: title, lead and body, a blank line apart.

    A body longer than recognition reads is read only that far (and a little more, so that
    find_mentions() knows there was more).
    """
    body = html_to_text(release.body or "", limit=recognise.TEXT_MAX_CHARS)
    parts = [release.title.strip(), release.summary.strip(), body]
    return "\n\n".join(part for part in parts if part)


@transaction.atomic
def link_mentions(
    release: Release, *, confident_only: bool = True, catalogue: Catalogue | None = None
) -> MentionReport:
    """Link release to the officials, organisations, countries and topics its text mentions.

    Adds links and never removes one; report.linked holds the mentions that were new links,
    report.suggestions what an editor should look at.
    """
    report = find_mentions(release_text(release), release.language or "ru", catalogue=catalogue)
    managers = {
        EntityType.OFFICIAL: release.officials,
        EntityType.ORGANISATION: release.organisations,
        EntityType.COUNTRY: release.countries,
    }
    for type, manager in managers.items():
        wanted = report.of_type(type, confident_only=confident_only)
        present = set(manager.values_list("pk", flat=True))
        new = [m for m in wanted if m.entity.pk not in present]
        if new:
            manager.add(*(m.entity for m in new))
            report.linked += new
    wanted = report.of_type(EntityType.TOPIC, confident_only=confident_only)
    present = set(release.tags.values_list("pk", flat=True))
    new = [m for m in wanted if m.entity.pk not in present]
    if new:
        release.tags.add(*(m.entity for m in new))
        report.linked += new
    return report


def mention_key(mention: Mention) -> str:
    return f"{mention.type}:{mention.pk}"


def linked_keys(release: Release) -> set[str]:
    """Keys of what the release links now: its pending version's links when it has one."""
    if release.pending_revision_id:
        data = revisions.completed(release.pending_revision.data, release)
        tags = {t.pk for t in Tag.objects.filter(name__in=data["tags"])}
    else:
        relations = ["officials", "organisations", "countries"]
        data = {name: getattr(release, name).values_list("pk", flat=True) for name in relations}
        tags = set(release.tags.values_list("pk", flat=True))
    keys = {f"{EntityType.TOPIC}:{pk}" for pk in tags}
    for type, relation in [
        (EntityType.OFFICIAL, "officials"),
        (EntityType.ORGANISATION, "organisations"),
        (EntityType.COUNTRY, "countries"),
    ]:
        keys |= {f"{type}:{pk}" for pk in data[relation]}
    return keys
