"""Signed preview links: a draft as readers will see it, for a person without an account."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from news import workflow
from news.models import PreviewLink, State, snapshot_of
from news.models.workflow import PREVIEW_SALT
from news.workflow import TransitionError
from tests.factories import (
    OfficialFactory,
    PreviewLinkFactory,
    PublishedReleaseFactory,
    ReleaseFactory,
)

pytestmark = pytest.mark.django_db


def test_valid_link_shows_the_draft_as_the_public_page_never_cached_nor_indexed(client, editor):
    release = ReleaseFactory(title="Под эмбарго", body="<p>Текст до публикации</p>")
    link = workflow.preview_link_create(release=release, user=editor)

    response = client.get(link.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert "Под эмбарго" in html
    assert "Текст до публикации" in html
    assert 'class="notice notice--preview"' in html
    assert "no-cache" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert client.get(release.get_absolute_url()).status_code == 404


def test_embargoed_release_is_previewed_before_its_time(client, publisher):
    release = PublishedReleaseFactory(published_at=timezone.now() + datetime.timedelta(days=1))
    link = workflow.preview_link_create(release=release, user=publisher)

    assert client.get(link.get_absolute_url()).status_code == 200


def test_preview_of_a_live_release_shows_its_pending_changes(client, author, editor):
    release = PublishedReleaseFactory(title="Живой")
    data = {**snapshot_of(release), "title": "Будущий"}
    workflow.release_stage_changes(release=release, user=editor, data=data)
    link = workflow.preview_link_create(release=release, user=editor)

    assert "Будущий" in client.get(link.get_absolute_url()).content.decode()
    assert "Будущий" not in client.get(release.get_absolute_url()).content.decode()


def test_preview_shows_the_pending_topics_and_officials_too(client, editor):
    release = PublishedReleaseFactory(tags=["связь"])
    official = OfficialFactory(full_name="Пётр Петров")
    data = {**snapshot_of(release), "tags": ["почта"], "officials": [official.pk]}
    workflow.release_stage_changes(release=release, user=editor, data=data)
    link = workflow.preview_link_create(release=release, user=editor)

    preview = client.get(link.get_absolute_url()).content.decode()
    public = client.get(release.get_absolute_url()).content.decode()

    assert ">почта<" in preview
    assert ">связь<" not in preview
    assert "Пётр Петров" in preview
    assert ">связь<" in public
    assert "Пётр Петров" not in public


def test_expired_link_stops_working(client):
    link = PreviewLinkFactory()

    with time_machine.travel(link.expires_at + datetime.timedelta(seconds=1)):
        response = client.get(link.get_absolute_url())

    assert response.status_code == 410
    assert link.release.title not in response.content.decode()


def test_revoked_link_stops_working(client, editor):
    link = PreviewLinkFactory()

    workflow.preview_link_revoke(link=link, user=editor)

    assert client.get(link.get_absolute_url()).status_code == 410


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        lambda token: signing.dumps({"link": 999, "release": 1}, salt="another salt"),
        lambda token: "not-a-token",
    ],
)
def test_tampered_link_is_404(client, tamper):
    link = PreviewLinkFactory()

    response = client.get(reverse("news:release-preview", args=[tamper(link.token)]))

    assert response.status_code == 404


def test_link_signed_for_one_release_does_not_open_another(client):
    link = PreviewLinkFactory()
    other = ReleaseFactory()
    forged = signing.Signer(salt=PREVIEW_SALT).sign_object({"link": link.pk, "release": other.pk})
    old_style = signing.dumps({"link": link.pk, "release": link.release_id}, salt=PREVIEW_SALT)

    assert client.get(reverse("news:release-preview", args=[forged])).status_code == 404
    assert client.get(reverse("news:release-preview", args=[old_style])).status_code == 404


def test_only_staff_with_the_permission_create_links(author, django_user_model):
    release = ReleaseFactory()
    reader = django_user_model.objects.create_user("reader")

    with pytest.raises(PermissionDenied):
        workflow.preview_link_create(release=release, user=reader)
    with pytest.raises(TransitionError):
        workflow.preview_link_create(release=release, user=author, days=90)
    assert not PreviewLink.objects.exists()


def test_editor_creates_and_revokes_a_link_in_the_admin(client, editor):
    release = ReleaseFactory(state=State.SUBMITTED)
    client.force_login(editor)

    response = client.post(
        reverse("admin:news_release_preview_link", args=[release.pk]), {"days": "3"}, follow=True
    )

    link = PreviewLink.objects.get()
    assert link.expires_at - timezone.now() > datetime.timedelta(days=2, hours=23)
    assert link.get_absolute_url() in response.content.decode()

    client.post(reverse("admin:news_release_preview_revoke", args=[release.pk, link.pk]))

    link.refresh_from_db()
    assert link.revoked_at is not None
    client.logout()
    assert client.get(link.get_absolute_url()).status_code == 410
