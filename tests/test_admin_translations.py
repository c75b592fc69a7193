from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from lxml import html as lxml_html

from news.admin.translations import translation_statuses
from news.models import ChangeNote, Language, State
from tests.factories import PublishedReleaseFactory, ReleaseFactory, RevisionFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("chief", password="not-a-real-password-1")
    client.force_login(user)
    return client


def correct(release, days_ago: int) -> None:
    """A public, not minor, correction of release made days_ago days ago."""
    revision = RevisionFactory(release=release)
    ChangeNote.objects.create(
        release=release,
        text="Уточнена дата",
        before=revision,
        after=revision,
        created_at=timezone.now() - days_ago * DAY,
    )


@pytest.fixture
def group():
    """A Russian original published 10 days ago and corrected 2 days ago; a Belarusian
    translation published before that correction and an English one after it."""
    now = timezone.now()
    original = PublishedReleaseFactory(language=Language.RU, published_at=now - 10 * DAY)
    key = original.translation_key
    be = PublishedReleaseFactory(
        language=Language.BE, translation_key=key, published_at=now - 9 * DAY
    )
    en = PublishedReleaseFactory(
        language=Language.EN, translation_key=key, published_at=now - 9 * DAY
    )
    correct(original, days_ago=2)
    correct(en, days_ago=1)
    return original, be, en


def out_of_date(release) -> dict[str, bool]:
    return {
        s.release.language: s.is_out_of_date for s in translation_statuses([release])[release.pk]
    }


def test_translation_older_than_the_originals_last_correction_is_out_of_date(group):
    original, be, en = group
    assert out_of_date(original) == {"ru": False, "be": True, "en": False}
    assert out_of_date(be) == out_of_date(original)


def test_translation_published_after_the_original_is_up_to_date():
    original = PublishedReleaseFactory(published_at=timezone.now() - 3 * DAY)
    PublishedReleaseFactory(
        language=Language.BE, translation_key=original.translation_key, published_at=timezone.now()
    )
    assert out_of_date(original) == {"ru": False, "be": False}


def test_draft_translation_is_listed_but_not_called_out_of_date(group):
    original, _be, _en = group
    ReleaseFactory(language="xx", translation_key=original.translation_key, state=State.DRAFT)
    assert out_of_date(original)["xx"] is False


def test_original_is_the_earliest_created_whatever_its_language():
    original = PublishedReleaseFactory(language=Language.BE, published_at=timezone.now() - DAY)
    ru = PublishedReleaseFactory(
        language=Language.RU,
        translation_key=original.translation_key,
        published_at=timezone.now() - 2 * DAY,
    )
    [first, second] = translation_statuses([ru])[ru.pk]
    assert (first.release, first.is_original) == (original, True)
    assert (second.release, second.is_out_of_date) == (ru, True)


def test_change_form_panel_lists_each_translation_with_link_state_and_badge(admin_client, group):
    original, be, en = group
    ReleaseFactory(language="xx", translation_key=original.translation_key)
    response = admin_client.get(reverse("admin:news_release_change", args=[original.pk]))
    tree = lxml_html.fromstring(response.content.decode())
    rows = tree.xpath('//li[@class="translation-status"]')

    assert len(rows) == 4
    texts = {row.xpath("./a[1]/@href")[0]: row.text_content() for row in rows}
    be_row = texts[reverse("admin:news_release_change", args=[be.pk])]
    assert "out of date" in be_row or "устарел" in be_row
    assert be.get_absolute_url() in lxml_html.tostring(rows[1]).decode()
    en_row = texts[reverse("admin:news_release_change", args=[en.pk])]
    assert "out of date" not in en_row and "устарел" not in en_row


def test_change_form_of_a_release_without_translations_says_so(admin_client):
    release = ReleaseFactory()
    response = admin_client.get(reverse("admin:news_release_change", args=[release.pk]))
    assert response.status_code == 200
    assert not lxml_html.fromstring(response.content.decode()).xpath(
        '//li[@class="translation-status"]'
    )


def test_add_form_still_opens(admin_client):
    assert admin_client.get(reverse("admin:news_release_add")).status_code == 200


def translations_cell(tree, release):
    change = reverse("admin:news_release_change", args=[release.pk])
    [cell] = tree.xpath(
        f'//tr[th//a[@href="{change}"]]/td[contains(@class, "field-translations_column")]'
    )
    return cell


def test_change_list_shows_the_languages_and_marks_the_out_of_date_translation(admin_client, group):
    original, be, en = group
    response = admin_client.get(reverse("admin:news_release_changelist"))
    tree = lxml_html.fromstring(response.content.decode())
    badge = './/span[contains(@class, "state-badge--review")]'

    assert translations_cell(tree, original).text_content().strip() == "BE, EN"
    assert translations_cell(tree, en).text_content().strip() == "BE, RU"
    assert not translations_cell(tree, en).xpath(badge)
    assert translations_cell(tree, be).text_content().startswith("EN, RU")
    assert translations_cell(tree, be).xpath(badge)


def test_change_list_row_without_translations_shows_a_dash(admin_client):
    release = ReleaseFactory()
    response = admin_client.get(reverse("admin:news_release_changelist"))
    tree = lxml_html.fromstring(response.content.decode())
    assert translations_cell(tree, release).text_content().strip() == "—"


def test_change_list_reads_translations_in_a_fixed_number_of_queries(admin_client, group):
    url = reverse("admin:news_release_changelist")
    with CaptureQueriesContext(connection) as few:
        assert admin_client.get(url).status_code == 200
    for _ in range(5):
        original = PublishedReleaseFactory()
        for language in (Language.BE, Language.EN):
            PublishedReleaseFactory(language=language, translation_key=original.translation_key)
        correct(original, days_ago=0)
    with CaptureQueriesContext(connection) as many:
        assert admin_client.get(url).status_code == 200
    assert len(many) == len(few)
