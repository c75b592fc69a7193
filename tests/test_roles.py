"""The roles and their rights, declared once in news.roles: groups, buttons and moves follow it."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from news import workflow
from news.models import Attachment, Contact, Image, ReleaseImage, State, TopicTranslation
from news.roles import ROLES
from tests.admin_forms import change_page_data, release_form_data
from tests.factories import (
    ContactFactory,
    ImageFactory,
    PublishedReleaseFactory,
    ReleaseFactory,
    photo_bytes,
)
from tests.test_attachments import pdf_bytes

pytestmark = pytest.mark.django_db


def rights_of(name: str) -> set[str]:
    rows = Group.objects.get(name=name).permissions.values_list(
        "content_type__app_label", "codename"
    )
    return {f"{app_label}.{codename}" for app_label, codename in rows}


def permission(right: str) -> Permission:
    app_label, codename = right.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def migrate() -> None:
    call_command("migrate", verbosity=0)


def fresh(user):
    """The same person without the rights cached on the object."""
    return get_user_model().objects.get(pk=user.pk)


def change_page(client, release) -> str:
    return client.get(reverse("admin:news_release_change", args=[release.pk])).content.decode()


# The groups follow the table -----------------------------------------------------------------


def test_each_role_has_exactly_the_rights_of_the_table():
    for name, rights in ROLES.items():
        assert rights_of(name) == rights, name


def test_migrate_brings_each_role_back_to_the_table_and_leaves_other_groups_alone():
    author = Group.objects.get(name="Author")
    author.permissions.remove(permission("news.submit_release"))
    author.permissions.add(permission("news.publish_release"))
    Group.objects.get(name="Editor").delete()
    press_officers = Group.objects.create(name="Press officers")
    press_officers.permissions.add(permission("news.publish_release"))

    migrate()

    for name, rights in ROLES.items():
        assert rights_of(name) == rights, name
    assert rights_of("Press officers") == {"news.publish_release"}


def test_a_migrate_with_nothing_to_change_changes_no_rights(caplog):
    migrate()
    before = {name: rights_of(name) for name in ROLES}

    with caplog.at_level("INFO", logger="ministry.security"):
        migrate()

    assert {name: rights_of(name) for name in ROLES} == before
    assert not [r for r in caplog.records if "rights changed" in r.getMessage()]


def test_a_right_changed_in_the_table_is_written_to_the_security_log(monkeypatch, caplog):
    monkeypatch.setitem(ROLES, "Editor", ROLES["Editor"] - {"news.delete_release"})

    with caplog.at_level("INFO", logger="ministry.security"):
        migrate()

    assert "rights changed group=Editor permission removed" in caplog.text
    assert "news.delete_release" not in rights_of("Editor")


# A right changed in the table changes the button and the move together -----------------------


def test_a_right_taken_from_a_role_takes_its_button_and_its_move(
    client, monkeypatch, author, publisher
):
    live = PublishedReleaseFactory(created_by=author)
    client.force_login(publisher)
    assert 'data-move="withdraw"' in change_page(client, live)

    monkeypatch.setitem(ROLES, "Publisher", ROLES["Publisher"] - {"news.withdraw_release"})
    migrate()

    assert 'data-move="withdraw"' not in change_page(client, live)
    response = client.post(
        reverse("admin:news_release_transition", args=[live.pk, "withdraw"]),
        {"reason": "Дата визита была неверной.", "version": live.version},
    )
    assert response.status_code == 302  # back to the release, saying why
    with pytest.raises(PermissionDenied):
        workflow.release_withdraw(release=live, user=fresh(publisher), reason="Ошибка")
    live.refresh_from_db()
    assert live.state == State.PUBLISHED
    assert not live.audit_entries.exists()


def test_a_right_given_to_a_role_gives_its_button_and_its_move(client, monkeypatch, author, editor):
    live = PublishedReleaseFactory(created_by=author)
    client.force_login(editor)
    assert 'data-move="withdraw"' not in change_page(client, live)

    monkeypatch.setitem(ROLES, "Editor", ROLES["Editor"] | {"news.withdraw_release"})
    migrate()

    assert 'data-move="withdraw"' in change_page(client, live)
    response = client.post(
        reverse("admin:news_release_transition", args=[live.pk, "withdraw"]),
        {"reason": "Дата визита была неверной.", "version": live.version},
    )
    assert response.status_code == 302
    live.refresh_from_db()
    assert live.state == State.WITHDRAWN
    assert live.audit_entries.get().user == editor


# Photos and documents: what a press office needs ----------------------------------------------


def test_an_author_adds_a_photo_to_the_library_and_to_the_gallery_of_their_draft(client, author):
    draft = ReleaseFactory(created_by=author, last_edited_by=author)
    client.force_login(author)

    assert client.get(reverse("admin:news_image_add")).status_code == 200
    response = client.post(
        reverse("admin:news_image_add"),
        {
            "upload": SimpleUploadedFile("visit.jpg", photo_bytes(), content_type="image/jpeg"),
            "alt": "Министр за столом переговоров",
            "credit": "Пресс-служба",
            "licence": "cc_by",
        },
    )
    assert response.status_code == 302
    image = Image.objects.get()
    assert image.uploaded_by == author

    response = client.post(
        reverse("admin:news_release_change", args=[draft.pk]),
        {
            "title": draft.title,
            "kind": draft.kind,
            "language": draft.language,
            "summary": draft.summary,
            "body": draft.body,
            "slug": draft.slug,
            "tags": "",
            "seen_version": draft.version,
            "sources-TOTAL_FORMS": "0",
            "sources-INITIAL_FORMS": "0",
            "gallery_items-TOTAL_FORMS": "1",
            "gallery_items-INITIAL_FORMS": "0",
            "gallery_items-0-position": "1",
            "gallery_items-0-image": image.pk,
            "attachments-TOTAL_FORMS": "1",
            "attachments-INITIAL_FORMS": "0",
            "attachments-0-position": "1",
            "attachments-0-title": "Программа визита",
            "attachments-0-file": SimpleUploadedFile("programme.pdf", pdf_bytes()),
        },
    )
    assert response.status_code == 302
    assert ReleaseImage.objects.get().release == draft
    assert Attachment.objects.get().release == draft


def test_an_author_finds_library_photos_and_press_contacts_for_a_release(client, author):
    ImageFactory(alt="Министр в Белграде")
    ContactFactory(name="Пресс-секретарь")
    client.force_login(author)

    def found(field: str, term: str) -> list[str]:
        response = client.get(
            reverse("admin:autocomplete"),
            {"term": term, "app_label": "news", "model_name": "release", "field_name": field},
        )
        assert response.status_code == 200, field
        return [row["text"] for row in response.json()["results"]]

    assert found("lead_image", "Белград") == ["Министр в Белграде"]
    assert found("contact", "Пресс") == ["Пресс-секретарь"]


def test_only_editors_and_publishers_change_a_photo_readers_may_already_see(
    author, editor, publisher
):
    assert fresh(author).has_perm("news.view_image")
    assert not fresh(author).has_perm("news.change_image")
    assert fresh(editor).has_perm("news.change_image")
    assert fresh(publisher).has_perm("news.change_image")
    for user in (author, editor, publisher):
        assert not fresh(user).has_perm("news.delete_image")


def test_an_author_reads_the_image_library_and_the_press_contacts(client, author):
    image = ImageFactory(alt="Министр в Белграде")
    contact = ContactFactory(name="Пресс-секретарь")
    client.force_login(author)

    for url in [
        reverse("admin:news_image_changelist"),
        reverse("admin:news_image_change", args=[image.pk]),
        reverse("admin:news_contact_changelist"),
        reverse("admin:news_contact_change", args=[contact.pk]),
    ]:
        assert client.get(url).status_code == 200, url
    response = client.post(
        reverse("admin:news_image_change", args=[image.pk]), {"alt": "Другое описание"}
    )
    assert response.status_code == 403
    image.refresh_from_db()
    assert image.alt == "Министр в Белграде"


def test_every_role_attaches_photos_and_documents_to_a_draft_it_writes(client, author):
    draft = ReleaseFactory(created_by=author, last_edited_by=author)
    client.force_login(author)

    page = client.get(reverse("admin:news_release_change", args=[draft.pk])).content.decode()

    assert 'name="gallery_items-TOTAL_FORMS"' in page
    assert 'name="attachments-TOTAL_FORMS"' in page
    assert 'name="contact"' in page


@pytest.mark.parametrize("whose", ["another author's draft", "own submitted release"])
def test_an_author_cannot_attach_anything_to_a_release_they_may_not_edit(
    client, author, other_author, whose
):
    if whose == "another author's draft":
        release = ReleaseFactory(created_by=other_author, last_edited_by=other_author)
    else:
        release = ReleaseFactory(created_by=author, last_edited_by=author, state=State.SUBMITTED)
    image = ImageFactory()
    contact = ContactFactory()
    client.force_login(author)

    response = client.post(
        reverse("admin:news_release_change", args=[release.pk]),
        release_form_data(
            release,
            contact=contact.pk,
            **{
                "gallery_items-TOTAL_FORMS": "1",
                "gallery_items-INITIAL_FORMS": "0",
                "gallery_items-0-position": "1",
                "gallery_items-0-image": image.pk,
                "attachments-TOTAL_FORMS": "1",
                "attachments-INITIAL_FORMS": "0",
                "attachments-0-position": "1",
                "attachments-0-title": "Программа визита",
                "attachments-0-file": SimpleUploadedFile("programme.pdf", pdf_bytes()),
            },
        ),
    )

    assert response.status_code == 403
    assert not ReleaseImage.objects.exists()
    assert not Attachment.objects.exists()
    release.refresh_from_db()
    assert release.contact is None


@pytest.mark.parametrize("role", ["editor", "publisher"])
def test_editors_and_publishers_manage_the_press_contacts(client, request, role):
    client.force_login(request.getfixturevalue(role))
    old = ContactFactory(name="Прежний пресс-секретарь")

    response = client.post(
        reverse("admin:news_contact_add"),
        {"name": "Анна Петрова", "phone": "+375 17 000-00-00", "email": "press@example.by"},
    )
    assert response.status_code == 302
    added = Contact.objects.get(name="Анна Петрова")
    url = reverse("admin:news_contact_change", args=[added.pk])
    data = change_page_data(client.get(url))
    response = client.post(url, {**data, "phone": "+375 17 111-11-11"})
    assert response.status_code == 302
    response = client.post(reverse("admin:news_contact_delete", args=[old.pk]), {"post": "yes"})
    assert response.status_code == 302

    added.refresh_from_db()
    assert added.phone == "+375 17 111-11-11"
    assert list(Contact.objects.values_list("name", flat=True)) == ["Анна Петрова"]


def test_an_author_chooses_a_press_contact_but_does_not_change_the_list(client, author):
    contact = ContactFactory(name="Пресс-секретарь", phone="+375 17 000-00-00")
    draft = ReleaseFactory(created_by=author, last_edited_by=author)
    client.force_login(author)

    assert client.post(reverse("admin:news_contact_add"), {"name": "Новый"}).status_code == 403
    response = client.post(
        reverse("admin:news_contact_change", args=[contact.pk]),
        {"name": "Другой", "phone": "+375 17 999-99-99"},
    )
    assert response.status_code == 403
    response = client.post(reverse("admin:news_contact_delete", args=[contact.pk]), {"post": "yes"})
    assert response.status_code == 403
    response = client.post(
        reverse("admin:news_release_change", args=[draft.pk]),
        release_form_data(draft, contact=contact.pk),
    )
    assert response.status_code == 302

    contact.refresh_from_db()
    draft.refresh_from_db()
    assert (contact.name, contact.phone) == ("Пресс-секретарь", "+375 17 000-00-00")
    assert list(Contact.objects.all()) == [contact]
    assert draft.contact == contact


# Topics' names in Belarusian and English ---------------------------------------------------


def topic_names(client, topic, **names):
    """Post the topic's change page as it was opened, with its other names changed."""
    url = reverse("admin:taggit_tag_change", args=[topic.pk])
    data = change_page_data(client.get(url))
    data.update({f"translation-0-{field}": value for field, value in names.items()})
    return client.post(url, data)


@pytest.mark.parametrize("role", ["editor", "publisher"])
def test_editors_and_publishers_give_a_topic_its_belarusian_and_english_names(
    client, request, role
):
    topic = PublishedReleaseFactory(tags=["почтовая связь"]).tags.get()
    client.force_login(request.getfixturevalue(role))

    response = topic_names(client, topic, name_be="паштовая сувязь", name_en="postal services")
    assert response.status_code == 302
    names = TopicTranslation.objects.get(topic=topic)
    assert (names.name_be, names.name_en) == ("паштовая сувязь", "postal services")

    response = topic_names(client, topic, name_en="postal communication")
    assert response.status_code == 302
    assert TopicTranslation.objects.get(topic=topic).name_en == "postal communication"
    assert (
        client.get(f"/en/topics/{topic.slug}/").content.decode().count("postal communication") >= 1
    )


def test_an_author_sees_a_topics_names_but_does_not_change_them(client, author):
    topic = PublishedReleaseFactory(tags=["почтовая связь"]).tags.get()
    TopicTranslation.objects.create(topic=topic, name_en="postal services")
    client.force_login(author)

    page = client.get(reverse("admin:taggit_tag_change", args=[topic.pk]))
    assert page.status_code == 200
    assert "postal services" in page.content.decode()
    url = reverse("admin:taggit_tag_change", args=[topic.pk])
    response = client.post(
        url,
        {
            "name": "связь",
            "slug": topic.slug,
            "translation-TOTAL_FORMS": "1",
            "translation-INITIAL_FORMS": "1",
            "translation-0-topic": topic.pk,
            "translation-0-name_en": "post",
        },
    )
    assert response.status_code == 403
    topic.refresh_from_db()
    assert topic.name == "почтовая связь"
    assert TopicTranslation.objects.get(topic=topic).name_en == "postal services"
