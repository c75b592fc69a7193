"""Two editors open the same entry of the catalogue: the second save is refused, not lost."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.db import models
from django.test import Client, RequestFactory
from django.urls import reverse
from taggit.models import Tag, TaggedItem

from news.admin.entities import OfficialAdmin
from news.admin.locking import LOCK_FIELD, OptimisticLockMixin
from news.models import Appointment, Contact, Country, Delegation, Image, Official, Organisation
from news.models import Release as ReleaseModel
from tests.admin_forms import change_page_data
from tests.factories import (
    AppointmentFactory,
    ContactFactory,
    CountryFactory,
    DelegationFactory,
    ImageFactory,
    OfficialFactory,
    OrganisationFactory,
    ReleaseFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def staff_with(username: str, *perms: str):
    """A staff member (not a superuser) with just these permissions, for models no role edits."""
    user = UserFactory(username=username)
    for perm in perms:
        app_label, codename = perm.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return user


def editor(username: str):
    return UserFactory(username=username, roles=["Editor"])


def tag_with_an_item() -> Tag:
    tag = Tag.objects.create(name="цифровизация", slug="tsifrovizatsiia")
    TaggedItem.objects.create(tag=tag, content_object=ReleaseFactory())
    return tag


@dataclass
class Case:
    url: str
    make: Callable[[], models.Model]
    user: Callable[[str], Any]
    first: dict[str, str]
    second: dict[str, str]


CONTACT_PERMS = ("news.view_contact", "news.change_contact")
COUNTRY_PERMS = ("news.view_country", "news.change_country")
IMAGE_PERMS = ("news.view_image", "news.change_image")
TAG_PERMS = (
    "taggit.view_tag",
    "taggit.change_tag",
    "taggit.view_taggeditem",
    "taggit.change_taggeditem",
)

CASES = {
    "official": Case(
        "admin:news_official_change",
        lambda: AppointmentFactory().official,
        editor,
        {"bio": "Родился в Минске в 1970 году."},
        {"full_name": "Пётр Петров"},
    ),
    "organisation": Case(
        "admin:news_organisation_change",
        OrganisationFactory,
        editor,
        {"short_name": "Минсвязи"},
        {"website": "https://www.mpt.gov.by/"},
    ),
    "delegation": Case(
        "admin:news_delegation_change",
        DelegationFactory,
        editor,
        {"purpose": "Переговоры о сотрудничестве в сфере связи."},
        {"title": "Визит делегации Республики Сербия"},
    ),
    "country": Case(
        "admin:news_country_change",
        lambda: CountryFactory(code="ME"),
        lambda name: staff_with(name, *COUNTRY_PERMS),
        {"code": "MK"},
        {"code": "AL"},
    ),
    "contact": Case(
        "admin:news_contact_change",
        ContactFactory,
        lambda name: staff_with(name, *CONTACT_PERMS),
        {"phone": "+375 17 000-00-01"},
        {"email": "other@mpt.gov.by"},
    ),
    "image": Case(
        "admin:news_image_change",
        ImageFactory,
        lambda name: staff_with(name, *IMAGE_PERMS),
        {"alt": "Министр подписывает соглашение"},
        {"caption": "Минск, 28 августа"},
    ),
    "tag": Case(
        "admin:taggit_tag_change",
        tag_with_an_item,
        lambda name: staff_with(name, *TAG_PERMS),
        {"name": "цифровая экономика"},
        {"slug": "tsifrovaia-ekonomika"},
    ),
}


def session(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def open_form(client: Client, url: str) -> dict[str, Any]:
    response = client.get(url)
    assert response.status_code == 200
    return change_page_data(response)


def errors_of(response) -> list[tuple[str, str]]:
    """The change form's errors above its fields: (code, message)."""
    form = response.context["adminform"].form
    return [(error.code, " ".join(error.messages)) for error in form.errors.as_data()["__all__"]]


def stored(obj: models.Model) -> dict[str, Any]:
    obj.refresh_from_db()
    return {field.attname: field.value_from_object(obj) for field in obj._meta.concrete_fields}


@pytest.mark.parametrize("name", CASES)
def test_second_save_over_an_entry_changed_since_it_was_opened_is_refused(name):
    case = CASES[name]
    obj = case.make()
    url = reverse(case.url, args=[obj.pk])
    first, second = session(case.user("first-editor")), session(case.user("second-editor"))
    first_data, second_data = open_form(first, url), open_form(second, url)

    assert first.post(url, {**first_data, **case.first}).status_code == 302
    kept = stored(obj)
    refused = second.post(url, {**second_data, **case.second})

    assert refused.status_code == 200
    assert stored(obj) == kept
    for field, value in case.first.items():
        assert str(getattr(obj, field)) == value
    errors = errors_of(refused)
    assert errors[0][0] == "conflict"
    assert "first-editor" in errors[0][1]
    # The page says what is stored now, where it differs from what the second editor sent.
    stored_now = " ".join(message for code, message in errors if code == "stored")
    for value in case.first.values():
        assert value in stored_now


@pytest.mark.parametrize("name", CASES)
def test_save_with_no_change_in_between_is_stored(name):
    case = CASES[name]
    obj = case.make()
    url = reverse(case.url, args=[obj.pk])
    client = session(case.user("first-editor"))

    response = client.post(url, {**open_form(client, url), **case.second})

    assert response.status_code == 302
    obj.refresh_from_db()
    for field, value in case.second.items():
        assert str(getattr(obj, field)) == value


@pytest.mark.parametrize("name", CASES)
@pytest.mark.parametrize("token", ["", "not-a-token", "e30:1u2v3w:forged-signature"])
def test_save_with_a_missing_or_forged_token_is_refused_as_stale(name, token):
    case = CASES[name]
    obj = case.make()
    url = reverse(case.url, args=[obj.pk])
    client = session(case.user("first-editor"))
    data = {**open_form(client, url), **case.second}
    if token:
        data[LOCK_FIELD] = token
    else:
        del data[LOCK_FIELD]
    before = stored(obj)

    response = client.post(url, data)

    assert response.status_code == 200
    assert stored(obj) == before
    assert errors_of(response)[0][0] == "stale"


@pytest.mark.parametrize("name", CASES)
def test_after_a_refusal_saving_the_form_again_is_a_deliberate_choice(name):
    case = CASES[name]
    obj = case.make()
    url = reverse(case.url, args=[obj.pk])
    first, second = session(case.user("first-editor")), session(case.user("second-editor"))
    first_data, second_data = open_form(first, url), open_form(second, url)
    first.post(url, {**first_data, **case.first})
    refused = second.post(url, {**second_data, **case.second})

    again = second.post(url, {**change_page_data(refused), **case.second})

    assert again.status_code == 302
    obj.refresh_from_db()
    for field, value in case.second.items():
        assert str(getattr(obj, field)) == value


def test_save_and_continue_twice_in_a_row_is_stored_and_a_stale_one_is_refused():
    official = OfficialFactory(full_name="Иван Иванов")
    url = reverse("admin:news_official_change", args=[official.pk])
    first, second = session(editor("first-editor")), session(editor("second-editor"))
    second_data = open_form(second, url)

    saved = first.post(url, {**open_form(first, url), "bio": "Первая правка.", "_continue": "1"})
    assert saved.status_code == 302 and saved.url == url
    saved = first.post(url, {**open_form(first, url), "bio": "Вторая правка.", "_continue": "1"})
    assert saved.status_code == 302 and saved.url == url
    refused = second.post(url, {**second_data, "full_name": "Пётр Петров", "_continue": "1"})

    assert refused.status_code == 200
    official.refresh_from_db()
    assert (official.full_name, official.bio) == ("Иван Иванов", "Вторая правка.")


def test_inline_change_of_an_appointment_makes_a_later_save_of_the_official_stale():
    appointment = AppointmentFactory(title="Министр")
    official = appointment.official
    url = reverse("admin:news_official_change", args=[official.pk])
    first, second = session(editor("first-editor")), session(editor("second-editor"))
    first_data, second_data = open_form(first, url), open_form(second, url)

    assert first.post(url, {**first_data, "appointments-0-title": "Министр связи"}).status_code
    refused = second.post(url, {**second_data, "bio": "Биография."})

    assert refused.status_code == 200
    appointment.refresh_from_db()
    official.refresh_from_db()
    assert (appointment.title, official.bio) == ("Министр связи", "")
    stored_now = " ".join(message for code, message in errors_of(refused) if code == "stored")
    assert "Министр связи" in stored_now


def test_refused_save_stores_none_of_its_inline_rows():
    appointment = AppointmentFactory(title="Министр")
    official = appointment.official
    url = reverse("admin:news_official_change", args=[official.pk])
    first, second = session(editor("first-editor")), session(editor("second-editor"))
    first_data, second_data = open_form(first, url), open_form(second, url)
    first.post(url, {**first_data, "full_name": "Константин Шульган"})

    refused = second.post(
        url,
        {
            **second_data,
            "appointments-0-title": "Заместитель министра",
            "appointments-1-title": "Посол",
            "appointments-1-start": "2025-01-01",
        },
    )

    assert refused.status_code == 200
    assert list(Appointment.objects.filter(official=official).values_list("title", flat=True)) == [
        "Министр"
    ]
    official.refresh_from_db()
    assert official.full_name == "Константин Шульган"


def test_members_added_to_a_delegation_make_a_later_save_stale():
    delegation = DelegationFactory()
    member = OfficialFactory(full_name="Драган Петрович")
    url = reverse("admin:news_delegation_change", args=[delegation.pk])
    first, second = session(editor("first-editor")), session(editor("second-editor"))
    first_data, second_data = open_form(first, url), open_form(second, url)

    assert first.post(url, {**first_data, "members": [str(member.pk)]}).status_code == 302
    refused = second.post(url, {**second_data, "purpose": "Переговоры."})

    assert refused.status_code == 200
    assert list(delegation.members.all()) == [member]
    assert "Драган Петрович" in " ".join(message for _, message in errors_of(refused))


def test_change_made_outside_the_admin_is_refused_without_naming_anyone():
    official = OfficialFactory()
    url = reverse("admin:news_official_change", args=[official.pk])
    client = session(editor("first-editor"))
    data = open_form(client, url)
    Official.objects.filter(pk=official.pk).update(bio="Из импорта.")

    refused = client.post(url, {**data, "full_name": "Пётр Петров"})

    assert refused.status_code == 200
    official.refresh_from_db()
    assert official.bio == "Из импорта."
    assert errors_of(refused)[0][0] == "conflict"


def test_every_editable_admin_of_the_catalogue_is_locked():
    request = RequestFactory().get("/")
    request.user = UserFactory.build(is_superuser=True, is_active=True)
    editable = [
        model
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in {"news", "taggit"}
        and model is not ReleaseModel
        and model_admin.has_change_permission(request)
    ]

    assert set(editable) >= {Official, Organisation, Country, Delegation, Contact, Image, Tag}
    for model in editable:
        assert isinstance(admin.site._registry[model], OptimisticLockMixin), model


def test_list_editable_on_a_locked_admin_fails_the_system_check():
    class EditableOfficialAdmin(OfficialAdmin):
        list_display = ["full_name", "slug"]
        list_editable = ["slug"]

    errors = EditableOfficialAdmin(Official, admin.site).check()

    assert "news.E102" in [error.id for error in errors]
    assert OfficialAdmin(Official, admin.site).check() == []


def test_refusal_shows_a_stored_yes_or_no_as_a_word():
    contact = ContactFactory(is_default=False)
    url = reverse("admin:news_contact_change", args=[contact.pk])
    first = session(staff_with("first-editor", *CONTACT_PERMS))
    second = session(staff_with("second-editor", *CONTACT_PERMS))
    first_data, second_data = open_form(first, url), open_form(second, url)
    first.post(url, {**first_data, "is_default": "on"})

    refused = second.post(url, {**second_data, "name": "Дежурный"})

    stored_now = [message for code, message in errors_of(refused) if code == "stored"]
    assert any(message.endswith(": Да") for message in stored_now), stored_now
