"""The editors' desk as the start of the day: what to do first, and queues that tell the truth."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from lxml import html as lxml_html

from news.desk import QUEUES
from news.importing.fields import import_user
from news.models import Language, Release, State
from tests.factories import PublishedReleaseFactory, ReleaseFactory, RevisionFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def desk(client, user):
    client.force_login(user)
    return lxml_html.fromstring(client.get(reverse("admin:index")).content.decode())


def tile(page, key: str) -> tuple[int, list[str], str]:
    """The count, the titles and the address of a queue's tile."""
    section = page.get_element_by_id(f"queue-{key}")
    count = int(section.find_class("desk__count")[0].text_content())
    titles = [link.text_content() for link in section.xpath(".//li/a")]
    return count, titles, section.xpath(".//h3/a/@href")[0]


def listed(client, url: str) -> list[str]:
    return [release.title for release in client.get(url).context["cl"].result_list]


@pytest.fixture
def newsroom(editor, publisher, author):
    """One release in every queue, and releases just outside them."""
    now = timezone.now()
    ReleaseFactory(title="Черновик", created_by=publisher)
    ReleaseFactory(title="На проверке", state=State.SUBMITTED, last_edited_by=author)
    ReleaseFactory(title="Одобрен", state=State.APPROVED)
    live = PublishedReleaseFactory(title="Вчерашний", published_at=now - DAY)
    PublishedReleaseFactory(title="Давний", published_at=now - 8 * DAY)
    PublishedReleaseFactory(
        title="Без проверки", needs_post_review=True, published_at=now - 9 * DAY
    )
    PublishedReleaseFactory(title="Завтрашний", published_at=now + DAY)
    ReleaseFactory(title="Отозван", state=State.WITHDRAWN, withdrawn_at=now)
    ReleaseFactory(title="Импортирован", created_by=import_user())
    live.pending_revision = RevisionFactory(release=live, user=author)
    live.save()
    ReleaseFactory(title="В корзине", state=State.SUBMITTED, deleted_at=now)


@pytest.mark.parametrize("key", list(QUEUES))
def test_each_tile_counts_exactly_the_releases_of_the_list_it_opens(
    client, newsroom, superuser, key
):
    page = desk(client, superuser)

    count, titles, url = tile(page, key)

    assert count == len(listed(client, url))
    assert set(titles) == set(listed(client, url))


def test_published_this_week_opens_the_releases_of_this_week_only(client, newsroom, publisher):
    count, titles, url = tile(desk(client, publisher), "published")

    assert (count, titles) == (1, ["Вчерашний"])
    assert listed(client, url) == ["Вчерашний"]


def test_a_tile_shows_its_newest_releases_first(client, author):
    for days in [3, 1, 2]:
        release = ReleaseFactory(title=f"{days} дн.", created_by=author)
        Release.objects.filter(pk=release.pk).update(updated_at=timezone.now() - days * DAY)

    assert tile(desk(client, author), "my-drafts")[1] == ["1 дн.", "2 дн.", "3 дн."]


def test_a_newcomer_sees_what_to_do_instead_of_empty_tiles(client, author):
    page = desk(client, author)

    assert not page.find_class("desk__queue")
    welcome = page.find_class("desk__welcome")[0].text_content()
    assert "Напишите публикацию" in welcome
    assert "Пока вас ничего не ждёт" in welcome


def test_an_empty_tile_beside_full_ones_says_what_will_appear_in_it(client, editor):
    ReleaseFactory(title="Черновик", created_by=editor)

    page = desk(client, editor)

    review = page.get_element_by_id("queue-review")
    assert "публикации, которые авторы отправят на согласование" in review.text_content()


def test_the_desk_starts_with_a_button_to_write_a_release(client, author):
    page = desk(client, author)

    button = page.find_class("desk__write")[0]
    assert button.text_content() == "Написать публикацию"
    assert button.get("href") == reverse("admin:news_release_add")


def test_the_desk_links_to_two_factor_setup_until_it_is_on(client, editor):
    link = desk(client, editor).find_class("desk__two-factor")
    TOTPDevice.objects.create(user=editor, name="телефон", confirmed=True)

    assert link[0].get("href") == reverse("admin:two-factor-setup")
    assert not desk(client, editor).find_class("desk__two-factor")


def test_the_newsroom_comes_first_and_accounts_and_security_last(client, superuser):
    client.force_login(superuser)

    apps = [app["app_label"] for app in client.get(reverse("admin:index")).context["app_list"]]

    assert apps[0] == "news"
    security = {"auth", "axes", "otp_totp"}
    assert set(apps[-len(security) :]) == security


def test_an_import_by_a_named_person_is_their_draft_on_their_tile(client, seed_file, author):
    call_command("import_release", str(seed_file), "--user", "author", stdout=None)

    count, titles, _ = tile(desk(client, author), "my-drafts")

    assert Release.objects.get().created_by == author
    assert count == 1
    assert titles[0].startswith("Визит Министра")


def test_an_import_without_a_person_waits_on_the_editors_tile(client, seed_file, editor):
    call_command("import_release", str(seed_file))

    count, titles, _ = tile(desk(client, editor), "imported")

    assert count == 1


def test_the_translations_tile_lists_releases_missing_a_language(client, editor):
    complete = PublishedReleaseFactory(title="Полный", language=Language.RU)
    for language in [Language.BE, Language.EN]:
        PublishedReleaseFactory(language=language, translation_key=complete.translation_key)
    PublishedReleaseFactory(title="Без перевода", language=Language.RU)

    count, titles, url = tile(desk(client, editor), "translations")

    assert titles == ["Без перевода"]
    assert listed(client, url) == ["Без перевода"]


def test_a_queue_the_person_may_not_see_lists_nothing(client, author, newsroom):
    client.force_login(author)

    url = reverse("admin:news_release_changelist") + "?queue=approved"

    assert listed(client, url) == []


def test_the_translations_tile_leaves_the_archive_but_not_an_out_of_date_translation(
    client, editor
):
    now = timezone.now()
    PublishedReleaseFactory(title="Архивный", published_at=now - 60 * DAY)
    original = PublishedReleaseFactory(title="Оригинал", published_at=now - 90 * DAY)
    for language in [Language.BE, Language.EN]:
        PublishedReleaseFactory(
            title=f"Перевод {language}",
            language=language,
            translation_key=original.translation_key,
            published_at=now - 80 * DAY,
        )
    revision = RevisionFactory(release=original)
    original.change_notes.create(text="Уточнена дата", before=revision, after=revision)

    count, titles, url = tile(desk(client, editor), "translations")

    assert sorted(listed(client, url)) == ["Перевод be", "Перевод en"]
    assert count == 2
