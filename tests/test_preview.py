"""Signed preview links: a draft as readers will see it, for a person without an account."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from news import workflow
from news.bin import release_trash, release_untrash
from news.editing import release_record_edit, release_stage_changes
from news.models import Action, AuditEntry, PreviewLink, State, snapshot_of
from news.models.workflow import PREVIEW_SALT
from news.preview_links import preview_link_create, preview_link_revoke
from news.release_writes import TransitionError
from tests.admin_forms import release_form_data
from tests.factories import (
    OfficialFactory,
    PreviewLinkFactory,
    PublishedReleaseFactory,
    ReleaseFactory,
)

pytestmark = pytest.mark.django_db


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_valid_link_shows_the_draft_as_the_public_page_never_cached_nor_indexed(client, editor):
    release = ReleaseFactory(title="Под эмбарго", body="<p>Текст до публикации</p>")
    link = preview_link_create(release=release, user=editor)

    response = client.get(link.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert "Под эмбарго" in html
    assert "Текст до\u00a0публикации" in html
    assert 'class="notice notice--preview"' in html
    assert "no-cache" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert client.get(release.get_absolute_url()).status_code == 404


def test_embargoed_release_is_previewed_before_its_time(client, publisher):
    release = PublishedReleaseFactory(published_at=timezone.now() + datetime.timedelta(days=1))
    link = preview_link_create(release=release, user=publisher)

    assert client.get(link.get_absolute_url()).status_code == 200


def test_preview_of_a_live_release_shows_the_published_version_not_the_pending_edit(client, editor):
    release = PublishedReleaseFactory(title="Живой", body="<p>Опубликованный текст</p>")
    data = {**snapshot_of(release), "title": "Будущий", "body": "<p>Непроверенная правка</p>"}
    release_stage_changes(release=release, user=editor, data=data)
    link = preview_link_create(release=release, user=editor)

    html = client.get(link.get_absolute_url()).content.decode()

    assert "Живой" in html
    assert "Опубликованный текст" in html
    assert "Будущий" not in html
    assert "Непроверенная правка" not in html


def test_a_link_made_for_the_pending_version_shows_it_and_only_it(client, editor):
    release = PublishedReleaseFactory(title="Живой")
    data = {**snapshot_of(release), "title": "Будущий"}
    release_stage_changes(release=release, user=editor, data=data)
    link = preview_link_create(release=release, user=editor, pending=True)

    assert "Будущий" in client.get(link.get_absolute_url()).content.decode()
    assert "Будущий" not in client.get(release.get_absolute_url()).content.decode()

    # Edited again after the link was shared: the new edit is not what the link was made for.
    release_stage_changes(release=release, user=editor, data={**data, "title": "Другой"})
    html = client.get(link.get_absolute_url()).content.decode()
    assert "Другой" not in html
    assert "Живой" in html


def test_a_pending_version_link_needs_pending_changes(editor):
    release = PublishedReleaseFactory()

    with pytest.raises(TransitionError):
        preview_link_create(release=release, user=editor, pending=True)
    assert not PreviewLink.objects.exists()


def test_pending_version_preview_shows_the_pending_topics_and_officials_too(client, editor):
    release = PublishedReleaseFactory(tags=["связь"])
    official = OfficialFactory(full_name="Пётр Петров")
    data = {**snapshot_of(release), "tags": ["почта"], "officials": [official.pk]}
    release_stage_changes(release=release, user=editor, data=data)
    link = preview_link_create(release=release, user=editor, pending=True)

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

    preview_link_revoke(link=link, user=editor)

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
    release = ReleaseFactory(created_by=author)
    reader = django_user_model.objects.create_user("reader")

    with pytest.raises(PermissionDenied):
        preview_link_create(release=release, user=reader)
    with pytest.raises(TransitionError):
        preview_link_create(release=release, user=author, days=90)
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


# Who may share and revoke: the people who may edit the release. --------------------------------


def test_author_cannot_share_a_preview_of_another_authors_draft(author, other_author):
    draft = ReleaseFactory(created_by=other_author)

    with pytest.raises(PermissionDenied):
        preview_link_create(release=draft, user=author, days=30)

    assert not PreviewLink.objects.exists()
    assert not AuditEntry.objects.exists()


def test_author_shares_a_preview_of_own_draft_only_while_it_is_a_draft(author, editor):
    draft = ReleaseFactory(created_by=author)
    assert preview_link_create(release=draft, user=author)

    workflow.release_submit(release=draft, user=author)
    with pytest.raises(PermissionDenied):
        preview_link_create(release=draft, user=author)
    assert preview_link_create(release=draft, user=editor)
    assert PreviewLink.objects.count() == 2


def test_author_cannot_revoke_a_link_to_another_authors_draft(client, author, other_author):
    draft = ReleaseFactory(created_by=other_author, title="Чужой черновик")
    link = preview_link_create(release=draft, user=other_author)

    with pytest.raises(PermissionDenied):
        preview_link_revoke(link=link, user=author)

    link.refresh_from_db()
    assert link.revoked_at is None
    assert not draft.audit_entries.filter(action=Action.PREVIEW_REVOKE).exists()
    assert "Чужой черновик" in client.get(link.get_absolute_url()).content.decode()


def test_editor_revokes_a_link_an_author_made(client, author, editor):
    draft = ReleaseFactory(created_by=author)
    link = preview_link_create(release=draft, user=author)

    preview_link_revoke(link=link, user=editor)

    assert link.revoked_at is not None
    assert client.get(link.get_absolute_url()).status_code == 410


def test_who_made_a_link_may_revoke_it_after_the_draft_went_to_review(client, author):
    draft = ReleaseFactory(created_by=author)
    link = preview_link_create(release=draft, user=author)
    workflow.release_submit(release=draft, user=author)

    preview_link_revoke(link=link, user=author)

    assert client.get(link.get_absolute_url()).status_code == 410


def test_author_is_refused_in_the_admin_and_nothing_is_stored(client, author, other_author):
    draft = ReleaseFactory(created_by=other_author)
    link = preview_link_create(release=draft, user=other_author)
    entries = AuditEntry.objects.count()
    client.force_login(author)

    created = client.post(
        reverse("admin:news_release_preview_link", args=[draft.pk]), {"days": "30"}, follow=True
    )
    revoked = client.post(
        reverse("admin:news_release_preview_revoke", args=[draft.pk, link.pk]), follow=True
    )

    assert created.status_code == revoked.status_code == 200
    assert messages_of(created) == [str(_("You may share previews only of releases you may edit."))]
    assert messages_of(revoked) == [str(_("You may not revoke this preview link."))]
    assert list(PreviewLink.objects.all()) == [link]
    link.refresh_from_db()
    assert link.revoked_at is None
    assert AuditEntry.objects.count() == entries
    client.logout()
    assert client.get(link.get_absolute_url()).status_code == 200


def test_the_admin_shows_links_and_the_form_only_to_who_may_use_them(
    client, author, other_author, editor
):
    draft = ReleaseFactory(created_by=other_author)
    link = preview_link_create(release=draft, user=other_author)
    change_url = reverse("admin:news_release_change", args=[draft.pk])

    client.force_login(author)
    html = client.get(change_url).content.decode()
    assert link.get_absolute_url() not in html
    assert reverse("admin:news_release_preview_link", args=[draft.pk]) not in html

    client.force_login(editor)
    html = client.get(change_url).content.decode()
    assert link.get_absolute_url() in html
    assert reverse("admin:news_release_preview_link", args=[draft.pk]) in html


def test_preview_link_views_are_post_only(client, editor):
    draft = ReleaseFactory()
    link = PreviewLinkFactory(release=draft)
    client.force_login(editor)

    assert (
        client.get(reverse("admin:news_release_preview_link", args=[draft.pk])).status_code == 405
    )
    revoke = reverse("admin:news_release_preview_revoke", args=[draft.pk, link.pk])
    assert client.get(revoke).status_code == 405
    assert PreviewLink.objects.count() == 1
    link.refresh_from_db()
    assert link.revoked_at is None


@pytest.mark.parametrize("days", ["0", "-1", "31", "99999999999999999999", "abc", "", "7.5", "1e3"])
def test_bad_days_are_refused_with_a_message_and_store_nothing(client, editor, days):
    draft = ReleaseFactory()
    client.force_login(editor)

    response = client.post(
        reverse("admin:news_release_preview_link", args=[draft.pk]), {"days": days}, follow=True
    )

    assert response.status_code == 200
    assert messages_of(response) == [str(_("A link lives from 1 to 30 days."))]
    assert not PreviewLink.objects.exists()
    assert not AuditEntry.objects.exists()


# What a link shows: what the release would publish, nothing once it is off the record. --------


def _withdraw(release, people):
    workflow.release_withdraw(release=release, user=people["publisher"], reason="Ошибка в дате.")


def _unpublish(release, people):
    workflow.release_unpublish(release=release, user=people["publisher"], reason="Дубль")


def _trash(release, people):
    release_trash(release=release, user=people["editor"])


@pytest.mark.parametrize("take_off", [_withdraw, _unpublish, _trash])
def test_a_link_shows_nothing_once_the_release_is_taken_off(client, editor, publisher, take_off):
    release = PublishedReleaseFactory(title="Снятый релиз", body="<p>Текст релиза</p>")
    link = preview_link_create(release=release, user=editor)
    assert "Текст релиза" in client.get(link.get_absolute_url()).content.decode()

    take_off(release, {"editor": editor, "publisher": publisher})
    response = client.get(link.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 410
    assert "Снятый релиз" not in html
    assert "Текст релиза" not in html
    assert "no-cache" in response["Cache-Control"]


def test_a_link_to_a_trashed_draft_works_again_only_if_it_comes_back(client, editor):
    draft = ReleaseFactory(title="Черновик в корзине")
    link = preview_link_create(release=draft, user=editor)
    release_trash(release=draft, user=editor)

    assert client.get(link.get_absolute_url()).status_code == 410
    with pytest.raises(TransitionError):
        preview_link_create(release=draft, user=editor)

    release_untrash(release=draft, user=editor)
    assert "Черновик в корзине" in client.get(link.get_absolute_url()).content.decode()


@pytest.mark.parametrize("state", [State.WITHDRAWN, State.UNPUBLISHED])
def test_nobody_shares_a_preview_of_a_release_taken_off(editor, publisher, state):
    release = PublishedReleaseFactory(state=state)

    for user in (editor, publisher):
        with pytest.raises(TransitionError):
            preview_link_create(release=release, user=user)
    assert not PreviewLink.objects.exists()


# The audit log. ------------------------------------------------------------------------------


def test_creating_and_revoking_a_link_is_in_the_audit_log_with_the_user(author, editor):
    draft = ReleaseFactory(created_by=author)

    link = preview_link_create(release=draft, user=author, days=3)
    created = draft.audit_entries.get()
    preview_link_revoke(link=link, user=editor)
    revoked = draft.audit_entries.exclude(pk=created.pk).get()

    assert (created.action, created.user, created.from_state, created.to_state) == (
        Action.PREVIEW_CREATE,
        author,
        State.DRAFT,
        State.DRAFT,
    )
    assert str(link.pk) in created.comment
    assert (revoked.action, revoked.user) == (Action.PREVIEW_REVOKE, editor)
    assert str(link.pk) in revoked.comment


def test_revoking_a_revoked_link_again_writes_nothing_more(editor):
    link = preview_link_create(release=ReleaseFactory(), user=editor)
    preview_link_revoke(link=link, user=editor)
    revoked_at = link.revoked_at

    preview_link_revoke(link=link, user=editor)

    assert link.revoked_at == revoked_at
    assert link.release.audit_entries.filter(action=Action.PREVIEW_REVOKE).count() == 1


def test_a_link_shared_meanwhile_is_not_named_as_the_change_in_a_stale_save(
    client, editor, other_editor, publisher
):
    release = ReleaseFactory(created_by=editor, title="Исходный заголовок")
    release_record_edit(release=release, user=editor, created=True)
    stale = release_form_data(release)
    change_url = reverse("admin:news_release_change", args=[release.pk])
    client.force_login(other_editor)
    client.post(change_url, {**stale, "title": "Заголовок Б"})
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=1)):
        preview_link_create(release=release, user=publisher)

    client.force_login(editor)
    response = client.post(change_url, {**stale, "title": "Заголовок А"})

    assert response.context["adminform"].form.conflict["user"] == "other-editor"


@pytest.mark.parametrize("object_id", ["abc", "1x", "99999999999999999999999"])
def test_a_preview_link_address_with_no_such_release_is_404(client, editor, object_id):
    client.force_login(editor)

    created = client.post(f"/admin/news/release/{object_id}/preview-links/", {"days": "3"})
    revoked = client.post(f"/admin/news/release/{object_id}/preview-links/1/revoke/")

    assert created.status_code == revoked.status_code == 404
    assert not PreviewLink.objects.exists()
