"""Imports go through the workflow: a first revision, an audit entry naming the file, and the
publishing checks the admin runs."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from news.importing.fields import IMPORT_USERNAME
from news.models import Action, AuditEntry, Release, Revision, State, snapshot_of
from news.models.topics import Topic
from tests.factories import ImageFactory

pytestmark = pytest.mark.django_db


def run(*args: object) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_release", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
    )
    return path


def image_line(image) -> dict:
    fields = ["file", "sha256", "width", "height", "alt", "caption", "credit", "licence"]
    return {name: getattr(image, name) for name in fields}


def test_imported_published_release_has_a_revision_and_an_audit_entry_naming_file_and_line(
    tmp_path,
):
    path = write_jsonl(
        tmp_path / "archive.jsonl",
        [{"title": "Черновик"}, {"title": "Визит", "published_at": "2024-08-28T10:00"}],
    )

    run(path)

    visit = Release.objects.get(title="Визит")
    assert visit.state == State.PUBLISHED
    revision = Revision.objects.get(release=visit)
    assert revision.user.username == IMPORT_USERNAME
    assert revision.version == 1
    assert revision.data == snapshot_of(visit)
    imported, published = AuditEntry.objects.filter(release=visit).order_by("pk")
    assert (imported.action, imported.from_state, imported.to_state) == (
        Action.IMPORT,
        "",
        State.DRAFT,
    )
    assert (published.action, published.from_state, published.to_state) == (
        Action.PUBLISH,
        State.DRAFT,
        State.PUBLISHED,
    )
    for entry in (imported, published):
        assert entry.comment == f"Imported from {path}:2"
        assert entry.user == revision.user
    assert visit.created_by == visit.last_edited_by == revision.user
    draft = Release.objects.get(title="Черновик")
    assert draft.state == State.DRAFT
    assert draft.revisions.get().user == revision.user
    entry = draft.audit_entries.get()
    assert (entry.action, entry.user, entry.comment) == (
        Action.IMPORT,
        revision.user,
        f"Imported from {path}:1",
    )


def test_imported_revision_holds_the_release_as_stored_with_every_link(tmp_path):
    # A topic already stored under another case and spacing: the revision keeps the stored name.
    Topic.objects.create(name="Связь", slug="svyaz")
    image = ImageFactory()
    visit = {
        "slug": "vizit-serbii",
        "title": "Визит",
        "country": "rs",
        "start": "2024-08-28",
        "end": "2024-08-30",
    }
    line = {
        "title": "Визит делегации",
        "body": "Первый абзац.\n\nВторой абзац.",
        "place": "Минск",
        "event_start": "2024-08-28",
        "event_end": "2024-08-30",
        "contact": {"name": "Пресс-служба", "phone": "+375 17 000-00-00", "email": "p@mpt.by"},
        "officials": [{"name": "Иван  Петров", "position": "Министр"}, "Анна Сидорова"],
        "organisations": ["Парк высоких технологий", "РУП Белтелеком"],
        "countries": ["RS", "cn"],
        "delegations": [visit],
        "tags": ["связь ", "5G"],
        "sources": ["https://mpt.gov.by/news/1"],
        "lead_image": image_line(image),
        "published_at": "2024-08-28T10:00",
    }
    path = write_jsonl(tmp_path / "linked.jsonl", [line, {**line, "title": "Второй", "tags": []}])

    run(path)

    for release in Release.objects.all():
        assert release.revisions.get().data == snapshot_of(release)
    first = Release.objects.get(title="Визит делегации")
    assert first.revisions.get().data["tags"] == ["5G", "Связь"]
    assert len(first.revisions.get().data["officials"]) == 2


def test_the_import_account_cannot_log_in(tmp_path, client):
    run(write_jsonl(tmp_path / "one.jsonl", [{"title": "Визит"}]))

    account = Release.objects.get().created_by
    assert account.username == IMPORT_USERNAME
    assert not account.has_usable_password()
    assert not account.is_staff and not account.is_superuser
    assert account.has_perm("news.publish_release")


def test_user_option_names_the_user_in_revision_and_audit_entry(tmp_path, publisher):
    path = write_jsonl(tmp_path / "one.jsonl", [{"title": "Визит"}])

    run(path, "--publish", "--user", "publisher")

    release = Release.objects.get()
    assert release.state == State.PUBLISHED
    assert release.revisions.get().user == publisher
    assert {entry.user for entry in release.audit_entries.all()} == {publisher}


def test_unknown_user_is_refused_before_anything_is_stored(tmp_path):
    path = write_jsonl(tmp_path / "one.jsonl", [{"title": "Визит"}])

    with pytest.raises(CommandError, match="--user: no active user named 'nobody'"):
        run(path, "--user", "nobody")

    assert not Release.objects.exists()


def test_release_failing_the_publishing_checks_stays_a_draft_and_the_others_publish(tmp_path):
    undescribed = ImageFactory(alt="")
    described = ImageFactory()
    path = write_jsonl(
        tmp_path / "photos.jsonl",
        [
            {"title": "Первый", "lead_image": image_line(described)},
            {"title": "Без описания", "lead_image": image_line(undescribed)},
            {"title": "Третий"},
        ],
    )

    out, err = run(path, "--publish")

    assert err.splitlines() == [
        f"{path}:2: stays a draft, not published: Describe every image before publishing. "
        "Images without a description (alt text): 1. Add the descriptions in the image library."
    ]
    assert "3 releases" in out and "1 kept as drafts" in out
    refused = Release.objects.get(title="Без описания")
    assert (refused.state, refused.published_at) == (State.DRAFT, None)
    assert refused.lead_image == undescribed
    assert refused.revisions.count() == 1
    assert list(refused.audit_entries.values_list("action", flat=True)) == [Action.IMPORT]
    assert set(Release.objects.published().values_list("title", flat=True)) == {
        "Первый",
        "Третий",
    }


def test_a_user_without_the_right_to_publish_imports_drafts(tmp_path, author):
    path = write_jsonl(tmp_path / "one.jsonl", [{"title": "Визит"}])

    out, err = run(path, "--publish", "--user", "author")

    assert (
        err
        == f"{path}:1: stays a draft, not published: You may not do this: Publish or schedule.\n"
    )
    assert Release.objects.get().state == State.DRAFT
    assert list(AuditEntry.objects.values_list("action", flat=True)) == [Action.IMPORT]


def test_text_import_with_publish_writes_a_revision_and_an_audit_entry(seed_file):
    run(seed_file, "--publish")

    release = Release.objects.published().get()
    revision = release.revisions.get()
    assert revision.user.username == IMPORT_USERNAME
    assert revision.data == snapshot_of(release)
    entries = release.audit_entries.order_by("pk")
    assert [(e.action, e.user, e.comment) for e in entries] == [
        (action, revision.user, f"Imported from {seed_file}")
        for action in (Action.IMPORT, Action.PUBLISH)
    ]


def test_text_import_refused_by_the_publishing_checks_stays_a_draft(seed_file, author):
    out, err = run(seed_file, "--publish", "--user", "author")

    assert err == (
        f"{seed_file}: stays a draft, not published: You may not do this: Publish or schedule.\n"
    )
    release = Release.objects.get()
    assert release.state == State.DRAFT
    assert release.revisions.get().user == author
    assert "(draft)" in out
