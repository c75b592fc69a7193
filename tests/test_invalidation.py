"""The public version moves, in the same transaction, exactly when readers can see a change.

Each service or admin save says so itself: publishing, withdrawing, unpublishing, the bin, a
catalogue entry readers see. What only editors see (drafts, reviews, pending edits of a live
release, previews, logins, entries nothing public mentions) leaves every cached page in place.
"""

from __future__ import annotations

import datetime
import io
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from news import corrections, workflow
from news.bin import release_trash, release_untrash
from news.editing import release_stage_changes, revision_restore
from news.importing.jsonl import import_jsonl_file
from news.importing.text import import_text_file
from news.models import Contact, PublicVersion, Release, State, Topic, snapshot_of
from news.models.public_version import Version
from news.preview_links import preview_link_create, preview_link_revoke
from tests.admin_forms import change_page_data
from tests.factories import (
    AppointmentFactory,
    ContactFactory,
    ImageFactory,
    OfficialFactory,
    PublishedReleaseFactory,
    ReleaseFactory,
)

pytestmark = pytest.mark.django_db

LIST_URL = reverse("news:release-list")


def version() -> Version:
    return PublicVersion.objects.current()


def moved(before: Version) -> bool:
    """Has a change moved the version on? (Not only the newest release's time coming.)"""
    return version().number > before.number


def unchanged(before: Version) -> bool:
    return version().key == before.key


def cache(reader: Client, *urls: str) -> Version:
    """Have each page cached; return the version they are cached under."""
    for url in urls:
        assert reader.get(url).status_code == 200, url
        assert reader.get(url)["X-Page-Cache"] == "hit", url
    return version()


def still_cached(reader: Client, *urls: str) -> bool:
    return all(reader.get(url)["X-Page-Cache"] == "hit" for url in urls)


@pytest.fixture
def reader() -> Client:
    return Client()


def admin_save(user, url: str, **changes: Any) -> None:
    """Open an admin form as user, change some fields, save it."""
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    data = change_page_data(response)
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    saved = client.post(url, data)
    assert saved.status_code == 302, saved.context["adminform"].form.errors


def change_url(obj) -> str:
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


# What only editors see ----------------------------------------------------------------------


def test_an_author_saving_a_draft_in_the_admin_leaves_every_cached_page_in_place(reader, author):
    public = PublishedReleaseFactory(title="Визит министра", tags=["Связь"])
    draft = ReleaseFactory(title="Черновик", created_by=author, tags=["Связь"])
    urls = [LIST_URL, public.get_absolute_url(), reverse("news:feed-rss")]
    before = cache(reader, *urls)

    admin_save(author, change_url(draft), title="Черновик, исправленный")
    admin_save(author, reverse("admin:news_release_add"), title="Новый черновик", slug="")

    draft.refresh_from_db()
    assert draft.title == "Черновик, исправленный"
    assert Release.objects.filter(title="Новый черновик").exists()
    assert unchanged(before)
    assert still_cached(reader, *urls)


def test_submitting_approving_and_sending_back_move_nothing(reader, author, editor, publisher):
    PublishedReleaseFactory()
    draft = ReleaseFactory(created_by=author, last_edited_by=author)
    other = ReleaseFactory(created_by=author, last_edited_by=author)
    before = cache(reader, LIST_URL)

    workflow.release_submit(release=draft, user=author)
    workflow.release_approve(release=draft, user=editor)
    workflow.release_submit(release=other, user=author)
    workflow.release_send_back(release=other, user=editor, comment="Уточните дату.")

    assert unchanged(before)
    assert still_cached(reader, LIST_URL)


def test_a_pending_edit_of_a_live_release_and_its_discarding_move_nothing(
    reader, editor, publisher
):
    release = PublishedReleaseFactory(title="Визит")
    before = cache(reader, release.get_absolute_url())

    data = {**snapshot_of(release), "title": "Визит министра"}
    staged = release_stage_changes(release=release, user=editor, data=data)
    corrections.release_discard_changes(release=release, user=publisher)
    revision_restore(revision=staged, user=editor)

    assert unchanged(before)
    assert still_cached(reader, release.get_absolute_url())


def test_a_preview_link_and_an_admin_login_move_nothing(reader, publisher):
    PublishedReleaseFactory()
    draft = ReleaseFactory()
    before = cache(reader, LIST_URL)

    link = preview_link_create(release=draft, user=publisher)
    preview_link_revoke(link=link, user=publisher)
    staff = Client()
    staff.force_login(publisher)
    assert staff.get(reverse("admin:index")).status_code == 200

    assert unchanged(before)
    assert still_cached(reader, LIST_URL)


def test_trashing_a_draft_moves_nothing(reader, author):
    PublishedReleaseFactory()
    draft = ReleaseFactory(created_by=author)
    before = cache(reader, LIST_URL)

    release_trash(release=draft, user=author)

    assert unchanged(before)


# Releases readers see -----------------------------------------------------------------------


def approved(author, editor) -> Release:
    release = ReleaseFactory(title="Новый визит", created_by=author, last_edited_by=author)
    workflow.release_submit(release=release, user=author)
    workflow.release_approve(release=release, user=editor)
    return release


def test_publishing_moves_the_version(reader, author, editor, publisher):
    release = approved(author, editor)
    before = cache(reader, LIST_URL)

    workflow.release_publish(release=release, user=publisher)

    assert moved(before)
    page = reader.get(LIST_URL)
    assert page["X-Page-Cache"] == "miss"
    assert "Новый визит" in page.content.decode()


def test_publishing_without_review_moves_the_version(reader, publisher):
    release = ReleaseFactory(title="Срочный визит")
    before = cache(reader, LIST_URL)

    workflow.release_force_publish(release=release, user=publisher, reason="Срочно")

    assert moved(before)
    assert "Срочный визит" in reader.get(LIST_URL).content.decode()


def test_a_scheduled_release_appears_at_its_minute_without_a_write(
    reader, author, editor, publisher, time_machine
):
    now = timezone.now().replace(second=0, microsecond=0)
    time_machine.move_to(now, tick=False)
    PublishedReleaseFactory(title="Старый визит")
    release = approved(author, editor)
    unscheduled = cache(reader, LIST_URL)
    workflow.release_publish(
        release=release, user=publisher, at=now + datetime.timedelta(minutes=10)
    )
    # A CDN keeping pages must not keep them past the minute the release appears.
    assert moved(unscheduled)
    before = cache(reader, LIST_URL)
    assert "Новый визит" not in reader.get(LIST_URL).content.decode()

    time_machine.move_to(now + datetime.timedelta(minutes=10), tick=False)

    assert not moved(before)
    assert not unchanged(before)
    page = reader.get(LIST_URL)
    assert page["X-Page-Cache"] == "miss"
    assert "Новый визит" in page.content.decode()


def test_publishing_a_live_releases_changes_moves_the_version(reader, editor, publisher):
    release = PublishedReleaseFactory(title="Визит")
    data = {**snapshot_of(release), "title": "Визит министра"}
    release_stage_changes(release=release, user=editor, data=data)
    before = cache(reader, release.get_absolute_url())

    corrections.release_publish_changes(release=release, user=publisher, note="Уточнено название")

    assert moved(before)
    assert "Визит министра" in reader.get(release.get_absolute_url()).content.decode()


def test_withdrawing_moves_the_version(reader, publisher):
    release = PublishedReleaseFactory(title="Отозванный визит")
    before = cache(reader, LIST_URL)

    workflow.release_withdraw(release=release, user=publisher, reason="Ошибка в дате")

    assert moved(before)
    assert "Отозванный визит" not in reader.get(LIST_URL).content.decode()


def test_unpublishing_moves_the_version(reader, publisher):
    release = PublishedReleaseFactory()
    url = release.get_absolute_url()
    before = cache(reader, url)

    workflow.release_unpublish(release=release, user=publisher, reason="Дубль")

    assert moved(before)
    assert reader.get(url).status_code == 410


def test_the_bin_moves_the_version_for_a_published_release_both_ways(reader, superuser):
    release = PublishedReleaseFactory(title="Визит в корзине")
    before = cache(reader, LIST_URL)

    release_trash(release=release, user=superuser)

    assert moved(before)
    assert "Визит в корзине" not in reader.get(LIST_URL).content.decode()
    before = cache(reader, LIST_URL)

    release_untrash(release=release, user=superuser)

    assert moved(before)
    assert "Визит в корзине" in reader.get(LIST_URL).content.decode()


# The catalogue ------------------------------------------------------------------------------


def test_editing_an_official_a_published_release_mentions_moves_the_version(reader, editor):
    official = AppointmentFactory(title="Министр").official
    PublishedReleaseFactory().officials.add(official)
    before = cache(reader, official.get_absolute_url())

    admin_save(editor, change_url(official), **{"appointments-0-title": "Министр связи"})

    assert moved(before)
    assert "Министр связи" in reader.get(official.get_absolute_url()).content.decode()


def test_editing_or_adding_an_official_nothing_public_mentions_moves_nothing(reader, editor):
    PublishedReleaseFactory()
    unseen = AppointmentFactory(title="Министр").official
    ReleaseFactory().officials.add(unseen)  # a draft mentions them: not public
    before = cache(reader, LIST_URL)

    admin_save(editor, change_url(unseen), bio="Родился в Минске.")
    admin_save(
        editor,
        reverse("admin:news_official_add"),
        full_name="Пётр Петров",
        slug="petr-petrov",
        **{"appointments-0-title": "Заместитель министра"},
    )

    unseen.refresh_from_db()
    assert unseen.bio == "Родился в Минске."
    assert unchanged(before)
    assert still_cached(reader, LIST_URL)


def test_deleting_a_public_official_moves_the_version(reader, superuser):
    official = OfficialFactory()
    PublishedReleaseFactory().officials.add(official)
    before = cache(reader, LIST_URL)
    client = Client()
    client.force_login(superuser)

    response = client.post(
        reverse("admin:news_official_delete", args=[official.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert moved(before)


def test_deleting_officials_nothing_public_mentions_moves_nothing(reader, superuser):
    PublishedReleaseFactory()
    unseen = [OfficialFactory(), OfficialFactory()]
    before = cache(reader, LIST_URL)
    client = Client()
    client.force_login(superuser)

    response = client.post(
        reverse("admin:news_official_changelist"),
        {"action": "delete_selected", "_selected_action": [o.pk for o in unseen], "post": "yes"},
    )

    assert response.status_code == 302
    assert unchanged(before)


def test_the_default_contact_moves_the_version_when_it_stops_being_the_default(reader, superuser):
    PublishedReleaseFactory()
    contact = ContactFactory(is_default=True)
    other = ContactFactory()
    before = cache(reader, LIST_URL)

    admin_save(superuser, change_url(other), phone="+375 17 000-00-00")
    assert unchanged(before)
    admin_save(superuser, change_url(contact), is_default=None)

    assert not Contact.objects.get(pk=contact.pk).is_default
    assert moved(before)


def test_renaming_a_public_topic_moves_the_version_and_an_unused_one_not(reader, superuser):
    PublishedReleaseFactory(tags=["Связь"])
    ReleaseFactory(tags=["Почта"])
    public, unused = Tag.objects.get(name="Связь"), Tag.objects.get(name="Почта")
    topic_url = Topic.objects.get(pk=public.pk).get_absolute_url()
    before = cache(reader, topic_url)

    admin_save(superuser, change_url(unused), name="Почтовая связь")
    assert unchanged(before)
    admin_save(superuser, change_url(public), name="Электросвязь")

    assert moved(before)
    assert "Электросвязь" in reader.get(topic_url).content.decode()


def test_describing_the_lead_image_of_a_published_release_moves_the_version(reader, superuser):
    shown, unused = ImageFactory(), ImageFactory()
    release = PublishedReleaseFactory(lead_image=shown)
    before = cache(reader, release.get_absolute_url())

    admin_save(superuser, change_url(unused), alt="Здание министерства")
    assert unchanged(before)
    admin_save(superuser, change_url(shown), alt="Министр подписывает соглашение")

    assert moved(before)
    page = reader.get(release.get_absolute_url()).content.decode()
    assert "Министр подписывает соглашение" in page


# Imports and commands -----------------------------------------------------------------------


def jsonl(tmp_path, **fields: Any):
    path = tmp_path / "releases.jsonl"
    line = {"title": "Переговоры в Минске", "summary": "Состоялись переговоры.", **fields}
    path.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def test_a_jsonl_import_moves_the_version_only_when_it_publishes(reader, tmp_path):
    PublishedReleaseFactory()
    before = cache(reader, LIST_URL)

    import_jsonl_file(jsonl(tmp_path, body="<p>Черновик.</p>"))
    assert unchanged(before)

    import_jsonl_file(
        jsonl(tmp_path, published_at="2024-08-28T10:00:00+03:00"), allow_duplicates=True
    )
    assert moved(before)


def test_a_text_import_moves_the_version_only_when_it_publishes(reader, seed_file):
    PublishedReleaseFactory()
    before = cache(reader, LIST_URL)

    import_text_file(seed_file)
    assert unchanged(before)

    release = import_text_file(seed_file, publish_at=timezone.now(), allow_duplicates=True)
    assert release.state == State.PUBLISHED
    assert moved(before)


def test_refresh_public_site_moves_the_version(reader):
    PublishedReleaseFactory()
    before = cache(reader, LIST_URL)

    call_command("refresh_public_site", stdout=io.StringIO())

    assert moved(before)
    assert reader.get(LIST_URL)["X-Page-Cache"] == "miss"
