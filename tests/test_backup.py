from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.db import connection

from news import workflow
from news.editing import release_record_edit
from news.models import AuditEntry, Official, Release, Revision
from tests.factories import AppointmentFactory, OfficialFactory, ReleaseFactory, SourceURLFactory

# flush and restore run inside the test transaction, so the roles made by migrations survive.
pytestmark = pytest.mark.django_db


def newsroom(author, editor, publisher, settings) -> dict:
    official = OfficialFactory(full_name="Константин Шульган")
    AppointmentFactory(official=official, title="Министр связи и информатизации")
    release = ReleaseFactory(title="Визит делегации", created_by=author, tags=["5G", "почта"])
    release.officials.add(official)
    SourceURLFactory(release=release)
    release_record_edit(release=release, user=author, created=True)
    workflow.release_submit(release=release, user=author)
    workflow.release_approve(release=release, user=editor)
    workflow.release_publish(release=release, user=publisher)
    photo = Path(settings.MEDIA_ROOT) / "images" / "ab" / "photo.jpg"
    photo.parent.mkdir(parents=True)
    photo.write_bytes(b"\xff\xd8 not really a jpeg \xff\xd9")
    return {"release": release, "photo": photo}


def empty_the_database() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # TRUNCATE waits for no deferred checks
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # as a fresh transaction has them, for loaddata
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def test_backup_and_restore_bring_back_every_release_revision_and_file(
    tmp_path, settings, author, editor, publisher, capsys
):
    made = newsroom(author, editor, publisher, settings)
    before = {
        "releases": list(Release.objects.values_list("uid", "title", "state", "slug")),
        "revisions": Revision.objects.count(),
        "audit": list(AuditEntry.objects.values_list("action", "user__username")),
        "tags": sorted(made["release"].tags.names()),
        "groups": sorted(Group.objects.values_list("name", flat=True)),
    }

    call_command("backup", str(tmp_path / "backups"))
    [folder] = (tmp_path / "backups").iterdir()
    empty_the_database()
    shutil.rmtree(settings.MEDIA_ROOT)
    assert not Release.objects.exists()

    call_command("restore", str(folder))

    release = Release.objects.get()
    assert list(Release.objects.values_list("uid", "title", "state", "slug")) == before["releases"]
    assert Revision.objects.count() == before["revisions"]
    assert list(AuditEntry.objects.values_list("action", "user__username")) == before["audit"]
    assert sorted(release.tags.names()) == before["tags"]
    assert release.officials.get().appointments.get().title == "Министр связи и информатизации"
    assert sorted(Group.objects.values_list("name", flat=True)) == before["groups"]
    assert made["photo"].read_bytes() == b"\xff\xd8 not really a jpeg \xff\xd9"
    assert Release.objects.published().count() == 1


def test_restore_refuses_a_database_that_already_has_releases(tmp_path, settings):
    ReleaseFactory()
    call_command("backup", str(tmp_path))
    [folder] = tmp_path.iterdir()
    with pytest.raises(CommandError, match="already holds releases"):
        call_command("restore", str(folder))
    assert Release.objects.count() == 1
    assert Official.objects.count() == 0


def test_restore_refuses_a_folder_that_is_not_a_backup(tmp_path):
    with pytest.raises(CommandError, match="not a backup"):
        call_command("restore", str(tmp_path))
