from __future__ import annotations

import pytest
from django.urls import reverse

from news import corrections
from news.editing import release_record_edit
from news.models import Contact, Release, State, snapshot_of
from tests.factories import ContactFactory, PublishedReleaseFactory, ReleaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def chief(django_user_model):
    return django_user_model.objects.create_superuser("chief", password="not-a-real-password-1")


@pytest.fixture
def admin_client(client, chief):
    client.force_login(chief)
    return client


def test_contact_list_marks_only_the_site_default(admin_client):
    ContactFactory(name="Пресс-служба (дежурный)", is_default=True)
    ContactFactory(name="Анна Петрова")
    response = admin_client.get(reverse("admin:news_contact_changelist"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Пресс-служба (дежурный)" in html and "Анна Петрова" in html
    assert html.count("icon-yes.svg") == 1


def test_contact_search_finds_by_email(admin_client):
    ContactFactory(name="Анна Петрова", email="anna@mpt.gov.by")
    ContactFactory(name="Иван Сидоров", email="ivan@mpt.gov.by")
    response = admin_client.get(reverse("admin:news_contact_changelist"), {"q": "anna@"})
    assert "Анна Петрова" in response.content.decode()
    assert "Иван Сидоров" not in response.content.decode()


def test_editor_adds_a_contact(admin_client):
    assert admin_client.get(reverse("admin:news_contact_add")).status_code == 200
    response = admin_client.post(
        reverse("admin:news_contact_add"),
        {"name": "Анна Петрова", "phone": "+375 17 000-00-00", "email": "anna@mpt.gov.by"},
    )
    assert response.status_code == 302
    contact = Contact.objects.get()
    assert (contact.name, contact.is_default) == ("Анна Петрова", False)


def test_second_site_default_is_refused_and_not_stored(admin_client):
    ContactFactory(is_default=True)
    response = admin_client.post(
        reverse("admin:news_contact_add"), {"name": "Второй", "is_default": "on"}
    )
    assert response.status_code == 200
    assert Contact.objects.count() == 1


def test_contact_autocomplete_answers_the_release_form(admin_client):
    ContactFactory(name="Анна Петрова")
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {"term": "Анна", "app_label": "news", "model_name": "release", "field_name": "contact"},
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["Анна Петрова"]


def test_release_form_offers_the_contact_field(admin_client):
    release = ReleaseFactory()
    response = admin_client.get(reverse("admin:news_release_change", args=[release.pk]))
    assert 'name="contact"' in response.content.decode()


def test_editor_chooses_a_contact_for_a_draft(admin_client):
    contact = ContactFactory(name="Анна Петрова")
    response = admin_client.post(
        reverse("admin:news_release_add"),
        {
            "title": "Переговоры",
            "kind": "press_release",
            "language": "ru",
            "contact": contact.pk,
            "sources-TOTAL_FORMS": "0",
            "sources-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    release = Release.objects.get()
    assert release.contact == contact
    assert release.revisions.get().data["contact"] == contact.pk


def test_contact_change_of_a_live_release_waits_in_the_pending_version(
    admin_client, django_user_model
):
    release = PublishedReleaseFactory()
    contact = ContactFactory(name="Анна Петрова")
    data = {
        **{k: v for k, v in snapshot_of(release).items() if v is not None},
        "tags": "",
        "contact": contact.pk,
        "seen_version": release.version,
    }
    response = admin_client.post(reverse("admin:news_release_change", args=[release.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    release.refresh_from_db()
    assert release.contact is None
    assert release.pending_revision.data["contact"] == contact.pk

    second = django_user_model.objects.create_superuser("second", password="not-a-real-pw-2")
    corrections.release_publish_changes(release=release, user=second, note="", minor=True)
    release.refresh_from_db()
    assert release.contact == contact
    assert release.state == State.PUBLISHED


def test_revision_restores_the_contact_it_recorded(chief):
    first = ContactFactory(name="Первый")
    release = ReleaseFactory(contact=first)
    release_record_edit(release=release, user=chief, created=True)
    revision = release.revisions.get()
    release.contact = ContactFactory(name="Второй")
    release.save()
    revision.apply_to(release)
    release.refresh_from_db()
    assert release.contact == first
