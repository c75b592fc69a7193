from __future__ import annotations

import logging

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-staple-7"


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_user("editor", password=PASSWORD, is_staff=True)


def login(client, username: str, password: str):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
    )


def test_staff_logs_in_to_the_admin(client, editor, caplog):
    with caplog.at_level(logging.INFO, logger="ministry.security"):
        response = login(client, "editor", PASSWORD)
    assert response.status_code == 302
    assert "login user=editor address=127.0.0.1" in caplog.text


def test_a_failed_login_is_logged_without_the_password(client, editor, caplog):
    with caplog.at_level(logging.INFO, logger="ministry.security"):
        response = login(client, "editor", "wrong-password")
    assert response.status_code == 200
    assert "login failed user=editor" in caplog.text
    assert "wrong-password" not in caplog.text


def test_five_failures_lock_the_account_out_even_with_the_right_password(client, editor):
    for _ in range(5):
        login(client, "editor", "guess")
    response = login(client, "editor", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lock_holds_for_that_name_only(client, editor, django_user_model):
    django_user_model.objects.create_user("colleague", password=PASSWORD, is_staff=True)
    for _ in range(5):
        login(client, "editor", "guess")
    assert login(client, "colleague", PASSWORD).status_code == 302


def test_a_successful_login_forgets_earlier_failures(client, editor):
    for _ in range(4):
        login(client, "editor", "guess")
    assert login(client, "editor", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        login(client, "editor", "guess")
    assert login(client, "editor", PASSWORD).status_code == 302


def test_rights_given_or_taken_are_logged(editor, caplog):
    group = Group.objects.create(name="Fact-checkers")
    permission = Permission.objects.get(codename="change_release")
    with caplog.at_level(logging.INFO, logger="ministry.security"):
        editor.groups.add(group)
        group.permissions.add(permission)
        editor.is_superuser = True
        editor.save()
        group.user_set.remove(editor)
    assert "rights changed user=editor group added: Fact-checkers" in caplog.text
    assert "rights changed group=Fact-checkers permission added" in caplog.text
    assert "rights changed user=editor is_superuser=True" in caplog.text
    assert "rights changed group=Fact-checkers user removed: editor" in caplog.text


def test_password_rules_refuse_weak_passwords():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for weak in ["12345678", "password", "short1"]:
        with pytest.raises(ValidationError):
            validate_password(weak)
    validate_password(PASSWORD)
