"""A live release's sources, gallery, documents and lead image are corrected through its pending
version, as its text is: readers see the correction only once it is published."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from news import corrections, workflow
from news.editing import revision_restore
from news.models import Attachment, Release, SourceURL, snapshot_of
from news.preview_links import preview_link_create
from tests.admin_forms import change_page_data
from tests.factories import ImageFactory, PublishedReleaseFactory, SourceURLFactory
from tests.test_attachments import pdf_bytes

WRONG = "https://www.mpt.gov.by/news/wrong"
RIGHT = "https://www.mpt.gov.by/news/right"


def change_url(release: Release) -> str:
    return reverse("admin:news_release_change", args=[release.pk])


def opened(client, release: Release) -> dict:
    """The change page as a browser opens it, and what it would post back unchanged."""
    response = client.get(change_url(release))
    assert response.status_code == 200
    return change_page_data(response)


def field_holding(data: dict, value: str) -> str:
    return next(key for key, posted in data.items() if posted == value)


@pytest.fixture
def live(db):
    release = PublishedReleaseFactory(title="Визит в Белград", place="Белград")
    SourceURLFactory(release=release, url=WRONG, title="Сайт министерства")
    return release


@pytest.fixture
def corrected(client, editor, live):
    """An editor has typed the right source address into the live release's form and saved."""
    client.force_login(editor)
    data = opened(client, live)
    data[field_holding(data, WRONG)] = RIGHT
    response = client.post(change_url(live), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    live.refresh_from_db()
    return live


def test_a_live_release_s_sources_are_offered_for_correction(client, editor, live):
    client.force_login(editor)

    response = client.get(change_url(live))

    names = [inline.formset.prefix for inline in response.context["inline_admin_formsets"]]
    assert names == ["sources", "gallery_items", "attachments"]
    assert WRONG in response.content.decode()
    assert "lead_image" in response.context["adminform"].form.fields


def test_a_corrected_source_waits_in_the_pending_version(client, corrected):
    assert list(corrected.sources.values_list("url", flat=True)) == [WRONG]
    assert [row["url"] for row in corrected.pending_revision.data["sources"]] == [RIGHT]
    html = client.get(corrected.get_absolute_url()).content.decode()
    assert WRONG in html
    assert RIGHT not in html


def test_publishing_the_changes_shows_the_corrected_source(client, corrected, publisher):
    source = corrected.sources.get()

    corrections.release_publish_changes(
        release=corrected, user=publisher, note="Исправлен источник."
    )

    html = client.get(corrected.get_absolute_url()).content.decode()
    assert RIGHT in html
    assert WRONG not in html
    # The same row, corrected: not a new one.
    assert list(corrected.sources.values_list("pk", "url")) == [(source.pk, RIGHT)]


def test_compare_shows_the_source_address_difference(client, corrected):
    response = client.get(change_url(corrected))
    data = opened(client, corrected)
    assert data  # the page opens again with the pending version in its forms
    assert RIGHT in response.content.decode()

    compare = client.get(
        reverse("admin:news_release_revisions", args=[corrected.pk]),
        {"a": "live", "b": corrected.pending_revision_id},
    )

    changes = {change.name: change for change in compare.context["changes"]}
    assert list(changes) == ["sources"]
    assert "<del>" in changes["sources"].diff and "wrong" in changes["sources"].diff
    assert "right" in changes["sources"].diff


def test_discarding_the_changes_brings_back_the_live_source(client, corrected, publisher):
    corrections.release_discard_changes(release=corrected, user=publisher)

    data = opened(client, corrected)
    assert WRONG in data.values()
    assert RIGHT not in data.values()
    assert list(corrected.sources.values_list("url", flat=True)) == [WRONG]
    assert WRONG in client.get(corrected.get_absolute_url()).content.decode()


def test_a_second_save_goes_on_from_the_pending_rows(client, corrected, publisher):
    data = opened(client, corrected)
    data[field_holding(data, "Сайт министерства")] = "Новости министерства"

    assert client.post(change_url(corrected), data).status_code == 302

    corrected.refresh_from_db()
    rows = corrected.pending_revision.data["sources"]
    assert [(row["url"], row["title"]) for row in rows] == [(RIGHT, "Новости министерства")]


def test_a_source_removed_in_the_pending_version_stays_on_the_page_until_published(
    client, editor, publisher, live
):
    client.force_login(editor)
    data = opened(client, live)
    data["sources-0-DELETE"] = "on"

    assert client.post(change_url(live), data).status_code == 302

    assert WRONG in client.get(live.get_absolute_url()).content.decode()
    corrections.release_publish_changes(release=live, user=publisher, minor=True)
    assert not live.sources.exists()


def test_two_primary_sources_in_one_version_are_refused_and_nothing_is_kept(client, editor, live):
    client.force_login(editor)
    data = opened(client, live)
    data.update({"sources-1-url": RIGHT, "sources-1-is_primary": "on"})

    response = client.post(change_url(live), data)

    assert response.status_code == 200
    assert "можно только в одной строке" in response.content.decode()
    live.refresh_from_db()
    assert live.pending_revision is None


def test_a_preview_of_the_pending_version_shows_the_corrected_source(client, corrected, editor):
    link = preview_link_create(release=corrected, user=editor, pending=True)

    html = client.get(link.get_absolute_url()).content.decode()

    assert RIGHT in html
    assert WRONG not in html


def test_a_photo_and_a_document_added_to_a_live_release_appear_once_published(
    client, editor, publisher, live
):
    photo = ImageFactory(alt="Подписание меморандума")
    client.force_login(editor)
    data = opened(client, live)
    data.update({"gallery_items-0-image": photo.pk, "gallery_items-0-position": "1"})
    data.update({"attachments-0-title": "Меморандум", "attachments-0-position": "1"})
    upload = SimpleUploadedFile("memorandum.pdf", pdf_bytes(), "application/pdf")

    response = client.post(change_url(live), {**data, "attachments-0-file": upload})

    assert response.status_code == 302
    page = client.get(live.get_absolute_url()).content.decode()
    assert "Меморандум" not in page
    assert not Attachment.objects.exists()
    corrections.release_publish_changes(release=live, user=publisher, note="Добавлены документы.")
    page = client.get(live.get_absolute_url()).content.decode()
    assert "Меморандум" in page
    assert "Подписание меморандума" in page
    document = live.attachments.get()
    assert (document.content_type, document.size) == ("application/pdf", len(pdf_bytes()))
    assert client.get(document.get_absolute_url()).status_code == 200


def test_a_new_lead_image_of_a_live_release_waits_for_publication(client, editor, publisher, live):
    photo = ImageFactory(alt="Делегация в Белграде")
    client.force_login(editor)
    data = opened(client, live)
    data["lead_image"] = str(photo.pk)

    assert client.post(change_url(live), data).status_code == 302

    live.refresh_from_db()
    assert live.lead_image is None
    corrections.release_publish_changes(release=live, user=publisher, minor=True)
    live.refresh_from_db()
    assert live.lead_image == photo


def test_a_pending_photo_without_a_description_cannot_be_published(client, editor, publisher, live):
    photo = ImageFactory(alt="")
    client.force_login(editor)
    data = opened(client, live)
    data.update({"gallery_items-0-image": photo.pk, "gallery_items-0-position": "1"})
    assert client.post(change_url(live), data).status_code == 302

    with pytest.raises(workflow.TransitionError):
        corrections.release_publish_changes(release=live, user=publisher, minor=True)

    live.refresh_from_db()
    assert not live.gallery_items.exists()
    assert live.pending_revision is not None
    assert SourceURL.objects.get(release=live).url == WRONG


def test_a_source_row_taken_off_the_page_is_removed_from_the_pending_version(client, editor, live):
    client.force_login(editor)
    data = opened(client, live)
    # The admin's script takes an unsaved form's row off the page and renumbers the rest.
    data = {key: value for key, value in data.items() if not key.startswith("sources-0-")}
    data = {key.replace("sources-1-", "sources-0-"): value for key, value in data.items()}
    data["sources-TOTAL_FORMS"] = "1"

    assert client.post(change_url(live), data).status_code == 302

    live.refresh_from_db()
    assert live.pending_revision.data["sources"] == []
    assert live.sources.exists()


def test_a_post_that_leaves_the_sources_out_keeps_the_pending_version_s_sources(client, corrected):
    data = opened(client, corrected)
    data = {key: value for key, value in data.items() if not key.startswith("sources-")}
    data["title"] = "Визит в Сербию"

    assert client.post(change_url(corrected), data).status_code == 302

    corrected.refresh_from_db()
    assert corrected.pending_revision.data["title"] == "Визит в Сербию"
    assert [row["url"] for row in corrected.pending_revision.data["sources"]] == [RIGHT]


def test_restoring_a_version_whose_document_was_deleted_since_leaves_it_out(
    editor, publisher, live
):
    document = Attachment(release=live, title="Меморандум", position=1)
    document.file.save("m.pdf", SimpleUploadedFile("m.pdf", pdf_bytes()), save=False)
    document.content_type, document.size = "application/pdf", len(pdf_bytes())
    document.save()
    data = snapshot_of(live)
    document.file.delete(save=False)
    document.delete()

    revision_restore(revision=live.revisions.create(data=data), user=editor)
    live.refresh_from_db()
    corrections.release_publish_changes(release=live, user=publisher, minor=True)

    assert not live.attachments.exists()
