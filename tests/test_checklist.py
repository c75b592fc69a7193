"""The pre-publish checklist: each check, ok and warning, and where editors see it."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from news.checklist import (
    check_alt_text,
    check_lead,
    check_mentions,
    check_source,
    check_translations,
    release_checklist,
)
from news.demo import load_catalogue
from news.models import ChangeNote, Official, ReleaseImage, State, snapshot_of
from news.models.releases import Release
from tests.factories import (
    ImageFactory,
    PublishedReleaseFactory,
    ReleaseFactory,
    RevisionFactory,
    SourceURLFactory,
)

pytestmark = pytest.mark.django_db

SHULGAN = "Министр связи и информатизации Константин Шульган провёл переговоры в Минске."


def by_name(release):
    return {item.name: item for item in release_checklist(release)}


# Alt text -------------------------------------------------------------------------------------


def test_release_without_images_passes_the_alt_text_check():
    assert check_alt_text(ReleaseFactory()).ok


def test_lead_image_without_a_description_is_a_warning_that_says_publishing_is_refused():
    release = ReleaseFactory(lead_image=ImageFactory(alt=""))
    item = check_alt_text(release)
    assert (item.ok, item.status) == (False, "warning")
    assert item.message.startswith("1 изображение без описания")
    assert "опубликовать не получится" in item.message


def test_gallery_images_without_a_description_are_counted():
    release = ReleaseFactory(lead_image=ImageFactory(alt="Министр"))
    for position in (1, 2):
        ReleaseImage.objects.create(release=release, image=ImageFactory(alt=" "), position=position)
    assert check_alt_text(release).message.startswith("2 изображения без описания")


# Source ---------------------------------------------------------------------------------------


def test_release_without_a_source_is_warned_about():
    item = check_source(ReleaseFactory())
    assert not item.ok
    assert item.message == "Нет источника: добавьте адрес исходной страницы."


def test_release_with_a_source_passes():
    assert check_source(SourceURLFactory().release).ok


# Mentions -------------------------------------------------------------------------------------


def test_confident_mention_not_linked_is_named():
    load_catalogue()
    release = ReleaseFactory(body=f"<p>{SHULGAN}</p>")
    item = check_mentions(release)
    assert not item.ok
    assert item.message.startswith("2 уверенных упоминания не связаны:")
    assert "Константин Шульган" in item.message


def test_linked_mention_passes():
    load_catalogue()
    release = ReleaseFactory(body=f"<p>{SHULGAN}</p>")
    release.officials.add(Official.objects.get(full_name="Константин Шульган"))
    item = check_mentions(release)
    assert "Шульган" not in item.message


def test_text_that_mentions_nothing_passes():
    assert check_mentions(ReleaseFactory(body="<p>Погода хорошая.</p>", title="Погода")).ok


# Lead -----------------------------------------------------------------------------------------


def test_missing_lead_is_warned_about():
    item = check_lead(ReleaseFactory(summary="  "))
    assert not item.ok
    assert item.message.startswith("Нет лида")


def test_written_lead_passes():
    assert check_lead(ReleaseFactory(summary="Состоялись переговоры.")).ok


# Translations ---------------------------------------------------------------------------------


def test_release_alone_names_both_missing_languages():
    item = check_translations(ReleaseFactory(language="ru"))
    assert not item.ok
    assert item.message == "Нет переводов: Белорусский, Английский."


def test_release_with_every_translation_current_passes():
    key = uuid.uuid4()
    ru = ReleaseFactory(language="ru", translation_key=key)
    ReleaseFactory(language="be", translation_key=key)
    ReleaseFactory(language="en", translation_key=key)
    assert check_translations(ru).ok


def test_translation_older_than_the_originals_correction_is_named_out_of_date():
    key = uuid.uuid4()
    week_ago = timezone.now() - datetime.timedelta(days=7)
    original = PublishedReleaseFactory(language="ru", translation_key=key, published_at=week_ago)
    PublishedReleaseFactory(language="be", translation_key=key)  # an hour ago: current
    english = PublishedReleaseFactory(language="en", translation_key=key, published_at=week_ago)
    revision = RevisionFactory(release=original)
    ChangeNote.objects.create(
        release=original,
        text="Уточнена дата",
        before=revision,
        after=revision,
        created_at=timezone.now() - datetime.timedelta(days=2),
    )

    item = check_translations(english)

    assert not item.ok
    assert item.message == "Устарели (старше оригинала): Английский."


# The whole list -------------------------------------------------------------------------------


def test_checklist_reads_the_pending_version_of_a_live_release(publisher):
    release = PublishedReleaseFactory(summary="")
    data = {**snapshot_of(release), "summary": "Лид в новой версии."}
    release.pending_revision = RevisionFactory(release=release, data=data, user=publisher)
    release.save()

    assert by_name(release)["lead"].ok
    release.refresh_from_db()
    assert release.summary == ""  # the caller's release is left as saved


def test_checklist_names_every_check_in_order():
    names = [item.name for item in release_checklist(ReleaseFactory())]
    assert names == ["alt_text", "source", "mentions", "lead", "translations"]


def test_editor_sees_the_checklist_beside_the_approve_button(client, editor, author):
    release = ReleaseFactory(state=State.SUBMITTED, created_by=author, summary="")
    client.force_login(editor)
    page = client.get(reverse("admin:news_release_change", args=[release.pk])).text
    checklist = page.index('class="checklist"')
    assert checklist < page.index('data-move="approve"')
    assert "Нет лида" in page


def test_publisher_sees_the_checklist_before_publishing(client, publisher, author):
    release = ReleaseFactory(state=State.APPROVED, created_by=author)
    client.force_login(publisher)
    page = client.get(reverse("admin:news_release_change", args=[release.pk])).text
    assert page.index('class="checklist"') < page.index('data-move="publish"')


def test_author_writing_a_draft_is_shown_the_checklist_too(client, author):
    release = ReleaseFactory(created_by=author)
    client.force_login(author)
    page = client.get(reverse("admin:news_release_change", args=[release.pk])).text
    assert 'class="checklist"' in page


def test_checklist_is_not_shown_on_a_withdrawn_release(client, publisher):
    release = PublishedReleaseFactory(state=State.WITHDRAWN, withdrawn_at=timezone.now())
    client.force_login(publisher)
    page = client.get(reverse("admin:news_release_change", args=[release.pk])).text
    assert 'class="checklist"' not in page
    assert Release.objects.filter(pk=release.pk).exists()


def test_checklist_of_a_draft_is_folded_with_the_number_to_check(client, author):
    release = ReleaseFactory(created_by=author, summary="")
    client.force_login(author)
    page = client.get(reverse("admin:news_release_change", args=[release.pk])).text
    assert '<details class="checklist">' in page
    assert "Проверить: 3" in page  # source, lead, translations


def test_checklist_awaiting_a_decision_is_open(client, editor, author):
    release = ReleaseFactory(state=State.SUBMITTED, created_by=author)
    client.force_login(editor)
    page = client.get(reverse("admin:news_release_change", args=[release.pk])).text
    assert '<details class="checklist" open>' in page
