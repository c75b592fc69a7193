"""What `make run` shows last, just before the server starts: the site and the admin account."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def load_demo() -> list[str]:
    out = io.StringIO()
    call_command("load_demo", stdout=out, no_color=True)
    return [line.strip() for line in out.getvalue().splitlines() if line.strip()]


def test_the_new_admin_password_is_shown_last_with_how_to_change_it(settings, django_user_model):
    settings.SITE_URL = "http://127.0.0.1:8000"

    *_, site, admin, account, change, rule = load_demo()

    assert site == "The site:   http://127.0.0.1:8000/"
    assert admin == "The admin:  http://127.0.0.1:8000/admin/"
    password = re.fullmatch(r"Account: +admin / (\S+) +\(shown only this once\)", account)[1]
    assert django_user_model.objects.get(username="admin").check_password(password)
    assert change.endswith("manage.py changepassword admin")
    assert set(rule) == {"="}


def test_a_second_run_says_how_to_reset_a_forgotten_password():
    load_demo()

    *_, account, change, _rule = load_demo()

    assert "admin / " not in account
    assert change == "Forgot it?  .venv/bin/python manage.py changepassword admin"
