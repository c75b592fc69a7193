"""Destructive moves ask first, on a page of their own that says what readers will see after.

Take off the site, withdraw, discard changes and empty the bin: the change page links to the
question (GET), and only its form (POST) acts.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from news import workflow
from news.bin import release_trash
from news.editing import release_stage_changes
from news.models import Action, AuditEntry, Release, State, snapshot_of
from tests.factories import PreviewLinkFactory, PublishedReleaseFactory, ReleaseFactory
from tests.test_admin_language import english_words, visible_text

pytestmark = pytest.mark.django_db

CONFIRMED = ["withdraw", "unpublish", "discard_changes"]


def change_url(release) -> str:
    return reverse("admin:news_release_change", args=[release.pk])


def move_url(release, name: str) -> str:
    return reverse("admin:news_release_transition", args=[release.pk, name])


def live_with_changes(editor) -> Release:
    release = PublishedReleaseFactory(title="Живой заголовок")
    data = {**snapshot_of(release), "title": "Новый заголовок"}
    release_stage_changes(release=release, user=editor, data=data)
    release.refresh_from_db()
    return release


def state_of(release) -> tuple:
    release.refresh_from_db()
    return (release.state, release.version, release.pending_revision_id, AuditEntry.objects.count())


@pytest.mark.parametrize("move", CONFIRMED)
def test_the_change_page_links_to_the_question_instead_of_acting(client, editor, publisher, move):
    release = live_with_changes(editor)
    client.force_login(publisher)

    page = client.get(change_url(release)).content.decode()

    assert f'data-move="{move}"><a ' in page
    assert f'href="{move_url(release, move)}"' in page
    assert f'action="{move_url(release, move)}"' not in page


@pytest.mark.parametrize("move", CONFIRMED)
def test_the_question_says_what_readers_will_see_and_changes_nothing(
    client, editor, publisher, move
):
    release = live_with_changes(editor)
    before = state_of(release)
    client.force_login(publisher)

    response = client.get(move_url(release, move))

    assert response.status_code == 200
    html = response.content.decode()
    assert str(workflow.TRANSITIONS[move].confirm) in html
    assert f'<form method="post" action="{move_url(release, move)}"' in html
    assert f'href="{change_url(release)}"' in html  # the way back
    assert state_of(release) == before


def test_the_take_down_question_offers_the_redirect_and_asks_a_reason(client, publisher):
    release = PublishedReleaseFactory()
    other = PublishedReleaseFactory(title="Новая публикация о визите")
    client.force_login(publisher)

    html = client.get(move_url(release, "unpublish")).content.decode()

    assert "«Публикация снята» (код 410)" in html
    assert '<textarea name="reason" rows="2" required>' in html
    assert f'<option value="{other.pk}">Новая публикация о визите</option>' in html


def test_taking_a_page_off_the_site_keeps_the_reason_in_the_audit_log(client, publisher):
    release = PublishedReleaseFactory()
    client.force_login(publisher)

    client.post(
        move_url(release, "unpublish"),
        {"reason": "Дубликат публикации от 3 декабря", "version": release.version},
    )

    release.refresh_from_db()
    assert release.state == State.UNPUBLISHED
    entry = release.audit_entries.get()
    assert (entry.action, entry.comment) == (Action.UNPUBLISH, "Дубликат публикации от 3 декабря")
    assert client.get(release.get_absolute_url()).status_code == 410


def test_taking_a_page_off_the_site_without_a_reason_is_refused(client, publisher):
    release = PublishedReleaseFactory()
    before = state_of(release)
    client.force_login(publisher)

    response = client.post(
        move_url(release, "unpublish"), {"reason": "   ", "version": release.version}, follow=True
    )

    assert [str(m) for m in response.context["messages"]] == [
        gettext("Say why the page is taken off the site.")
    ]
    assert state_of(release) == before
    assert client.get(release.get_absolute_url()).status_code == 200


def test_someone_who_may_not_make_the_move_is_sent_back_from_the_question(client, editor):
    release = PublishedReleaseFactory()
    client.force_login(editor)

    response = client.get(move_url(release, "withdraw"), follow=True)

    assert response.redirect_chain == [(change_url(release), 302)]
    label = workflow.TRANSITIONS["withdraw"].label
    assert [str(m) for m in response.context["messages"]] == [
        gettext("You may not do this: %(action)s.") % {"action": label}
    ]


def test_a_move_that_does_not_ask_first_still_answers_a_get_with_405(client, publisher):
    release = ReleaseFactory(state=State.APPROVED)
    client.force_login(publisher)

    response = client.get(move_url(release, "publish"))

    assert response.status_code == 405
    release.refresh_from_db()
    assert release.state == State.APPROVED


# The bin -------------------------------------------------------------------------------------


def test_emptying_the_bin_asks_first_and_lists_what_goes(client, editor, superuser):
    doomed = ReleaseFactory(title="Черновик для удаления")
    release_trash(release=doomed, user=editor)
    url = reverse("admin:news_release_changelist") + "?bin=yes"
    client.force_login(superuser)

    response = client.post(url, {"action": "delete_for_good", "_selected_action": [doomed.pk]})

    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-confirm="delete_for_good"' in html
    assert "Черновик для удаления" in html
    assert '<input type="hidden" name="post" value="yes">' in html
    assert Release.objects.filter(pk=doomed.pk).exists()

    client.post(url, {"action": "delete_for_good", "_selected_action": [doomed.pk], "post": "yes"})
    assert not Release.objects.filter(pk=doomed.pk).exists()


# The preview link's own word -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "word"), [("ru", "Отключить ссылку"), ("be", "Адключыць спасылку")]
)
def test_disabling_a_preview_link_is_not_withdrawing_a_release(language, word):
    with translation.override(language):
        assert gettext("Disable link") == word
        assert gettext("Disable link") != gettext("Withdraw")


def test_the_preview_links_button_says_disable_link(client, author):
    release = ReleaseFactory(created_by=author, last_edited_by=author)
    PreviewLinkFactory(release=release, created_by=author)
    client.force_login(author)

    page = client.get(change_url(release)).content.decode()

    assert ">Отключить ссылку</button>" in page
    assert ">Отозвать</button>" not in page


@pytest.mark.parametrize("language", ["ru", "be"])
@pytest.mark.parametrize("move", CONFIRMED)
def test_the_question_is_in_the_editor_s_language_with_no_english_word(
    client, editor, publisher, move, language
):
    release = live_with_changes(editor)
    client.force_login(publisher)
    client.cookies["django_language"] = language

    page = client.get(move_url(release, move)).content.decode()

    names = {editor.get_username(), publisher.get_username()}
    assert set(english_words(visible_text(page, language))) - names == set()
