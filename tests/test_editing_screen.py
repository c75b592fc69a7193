"""The release editing screen: topics as one name a line with suggestions, the staff preview,
"View on site" of a draft, and the mentions panel beside the text."""

from __future__ import annotations

import pytest
from django.urls import reverse
from lxml import html as lxml_html

from news.admin.release_forms import parse_topics
from news.demo import load_catalogue
from news.models import Release, State
from tests.admin_forms import release_form_data
from tests.factories import (
    PublishedReleaseFactory,
    ReleaseFactory,
    RevisionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

TOPICS_URL = "/admin/news/release/topics/"


def suggestions(client, query: str) -> list[str]:
    response = client.get(TOPICS_URL, {"q": query})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()["topics"]


# Topic suggestions ----------------------------------------------------------------------------


@pytest.fixture
def topics(db):
    ReleaseFactory(tags=["Экономика", "Связь", "почтовая связь"])
    ReleaseFactory(tags=["почтовая связь", "Цифровая экономика"])
    ReleaseFactory(tags=["почтовая связь"])


def test_suggestions_find_cyrillic_topics_whatever_the_case(client, author, topics):
    client.force_login(author)
    assert suggestions(client, "ЭКОНОМ")[0] == "Экономика"
    assert set(suggestions(client, "эконом")) == {"Экономика", "Цифровая экономика"}


def test_suggestions_put_names_starting_with_the_query_first(client, author, topics):
    client.force_login(author)
    assert suggestions(client, "связь") == ["Связь", "почтовая связь"]


def test_without_a_query_the_most_used_topics_come_first(client, author, topics):
    client.force_login(author)
    assert suggestions(client, "")[0] == "почтовая связь"


def test_suggestions_are_for_staff_only(client, topics):
    response = client.get(TOPICS_URL, {"q": "связь"})
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_suggestions_are_refused_to_staff_without_rights_on_releases(client, topics):
    client.force_login(UserFactory(username="security-officer"))  # staff, no role
    assert client.get(TOPICS_URL, {"q": "связь"}).status_code == 403


def test_suggestions_answer_only_get(client, author, topics):
    client.force_login(author)
    assert client.post(TOPICS_URL, {"q": "связь"}).status_code == 405


# The topics box -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("международное сотрудничество\n5G", ["международное сотрудничество", "5G"]),
        ("5G, почтовая связь", ["5G", "почтовая связь"]),
        ("  связь  \n\nсвязь\r\nпочта ", ["связь", "почта"]),
        ('"Наука, образование", связь', ["Наука, образование", "связь"]),
        ("", []),
    ],
)
def test_topics_box_reads_one_name_a_line_or_comma_separated(text, names):
    assert parse_topics(text) == names


def test_change_form_shows_topics_one_a_line_without_quotes(client, author):
    release = ReleaseFactory(created_by=author, tags=["международное сотрудничество", "5G"])
    client.force_login(author)
    page = lxml_html.fromstring(client.get(change_url(release)).text)
    [box] = page.xpath('//textarea[@name="tags"]')
    assert box.text_content().strip() == "5G\nмеждународное сотрудничество"
    assert box.get("data-suggest-url") == TOPICS_URL


def test_author_saves_topics_one_a_line(client, author):
    release = ReleaseFactory(created_by=author)
    client.force_login(author)
    data = release_form_data(release, tags="международное сотрудничество\nЭкономика")
    response = client.post(change_url(release), data)
    assert response.status_code == 302
    assert sorted(release.tags.names()) == ["Экономика", "международное сотрудничество"]


def test_a_topic_longer_than_a_topic_may_be_is_refused_and_nothing_is_saved(client, author):
    release = ReleaseFactory(created_by=author, title="Старый")
    client.force_login(author)
    data = release_form_data(release, title="Новый", tags="а" * 101)
    response = client.post(change_url(release), data)
    assert response.status_code == 200
    assert "не длиннее 100 символов" in response.text
    release.refresh_from_db()
    assert (release.title, list(release.tags.names())) == ("Старый", [])


def test_title_typed_over_two_lines_is_saved_as_one(client, author):
    release = ReleaseFactory(created_by=author)
    client.force_login(author)
    data = release_form_data(release, title="Визит Министра\r\nинформации  Сербии")
    assert client.post(change_url(release), data).status_code == 302
    release.refresh_from_db()
    assert release.title == "Визит Министра информации Сербии"


def test_title_and_lead_are_boxes_that_wrap(client, author):
    release = ReleaseFactory(created_by=author)
    client.force_login(author)
    page = lxml_html.fromstring(client.get(change_url(release)).text)
    assert page.xpath('//textarea[@name="title"]')
    assert page.xpath('//textarea[@name="summary"]')


# The preview ----------------------------------------------------------------------------------


def change_url(release: Release) -> str:
    return reverse("admin:news_release_change", args=[release.pk])


def preview_url(release: Release) -> str:
    return reverse("admin:news_release_preview", args=[release.pk])


def test_author_sees_their_draft_rendered_as_readers_will(client, author):
    release = ReleaseFactory(created_by=author, title="Черновик о визите")
    client.force_login(author)
    response = client.get(preview_url(release))
    assert response.status_code == 200
    assert "news/release_detail.html" in [t.name for t in response.templates]
    assert "Черновик о визите" in response.text
    assert "no-cache" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_editor_previews_the_pending_version_of_a_live_release(client, editor, publisher):
    release = PublishedReleaseFactory(title="Как на сайте")
    data = {**RevisionFactory.build(release=release).data, "title": "Исправленный заголовок"}
    release.pending_revision = RevisionFactory(release=release, data=data, user=publisher)
    release.save()
    client.force_login(editor)
    page = client.get(preview_url(release)).text
    assert "Исправленный заголовок" in page
    release.refresh_from_db()
    assert release.title == "Как на сайте"


def test_preview_is_for_staff_only(client):
    release = ReleaseFactory(title="Секретный черновик")
    response = client.get(preview_url(release))
    assert response.status_code == 302
    assert "Секретный черновик" not in response.text


def test_view_on_site_of_a_draft_opens_the_preview_not_a_404(client, author):
    release = ReleaseFactory(created_by=author)
    client.force_login(author)
    page = lxml_html.fromstring(client.get(change_url(release)).text)
    [link] = page.xpath('//a[contains(@class, "viewsitelink")]')
    assert link.get("href") == preview_url(release)
    assert client.get(link.get("href")).status_code == 200


def test_view_on_site_of_a_public_release_is_its_page(client, editor):
    release = PublishedReleaseFactory()
    client.force_login(editor)
    page = lxml_html.fromstring(client.get(change_url(release)).text)
    [link] = page.xpath('//a[contains(@class, "viewsitelink")]')
    assert link.get("href") == release.get_absolute_url()
    assert client.get(link.get("href")).status_code == 200


def test_change_form_links_the_preview(client, author):
    release = ReleaseFactory(created_by=author)
    client.force_login(author)
    page = lxml_html.fromstring(client.get(change_url(release)).text)
    assert page.xpath(f'//aside[@class="release-editor__aside"]//a[@href="{preview_url(release)}"]')


# The mentions panel ---------------------------------------------------------------------------


@pytest.fixture
def draft_mentioning_shulgan(author):
    load_catalogue()
    return ReleaseFactory(
        created_by=author,
        body="<p>Министр связи и информатизации Константин Шульган встретился с Деяном "
        "Ристичем. Шульган подчеркнул значение сотрудничества.</p>",
    )


def test_mentions_panel_is_beside_the_text_above_the_save_buttons(
    client, author, draft_mentioning_shulgan
):
    client.force_login(author)
    page = client.get(change_url(draft_mentioning_shulgan)).text
    tree = lxml_html.fromstring(page)
    [aside] = tree.xpath('//aside[@class="release-editor__aside"]')
    assert aside.xpath('.//section[@class="mentions"]')
    assert tree.xpath('//div[@class="release-editor__text"]//*[@id="id_body"]')
    assert page.index('class="mentions"') < page.index('class="submit-row"')


def test_one_click_links_one_suggestion(client, author, draft_mentioning_shulgan):
    release = draft_mentioning_shulgan
    client.force_login(author)
    tree = lxml_html.fromstring(client.get(change_url(release)).text)
    button = next(
        b
        for b in tree.xpath('//button[contains(@class, "mention__link")]')
        if "Шульган" in b.get("aria-label")
    )
    assert button.get("form") == "mentions-form"
    [form] = tree.xpath('//form[@id="mentions-form"]')

    response = client.post(form.get("action"), {button.get("name"): button.get("value")})

    assert response.status_code == 302
    assert [o.full_name for o in release.officials.all()] == ["Константин Шульган"]


def test_link_all_confident_is_one_button(client, author, draft_mentioning_shulgan):
    release = draft_mentioning_shulgan
    client.force_login(author)
    tree = lxml_html.fromstring(client.get(change_url(release)).text)
    [button] = tree.xpath('//button[@name="link_confident"]')
    assert button.text_content().startswith("Связать все уверенные")
    [form] = tree.xpath('//form[@id="mentions-form"]')
    client.post(form.get("action"), {"link_confident": "1"})
    assert release.officials.filter(full_name="Константин Шульган").exists()


def test_reader_of_a_release_they_may_not_edit_gets_no_link_buttons(client, author, editor):
    release = ReleaseFactory(created_by=editor, state=State.SUBMITTED, body="<p>Шульган</p>")
    load_catalogue()
    client.force_login(author)
    tree = lxml_html.fromstring(client.get(change_url(release)).text)
    assert not tree.xpath('//button[contains(@class, "mention__link")]')
    assert not tree.xpath('//form[@id="mentions-form"]')
