"""Mail settings from the environment (ministry/mail.py) and when digests fall due."""

from __future__ import annotations

import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ImproperlyConfigured

from ministry.mail import CONSOLE, SMTP, mailer
from news.subscriptions.digests import next_due

BASE = Path("/srv/press")
MINSK = ZoneInfo("Europe/Minsk")


def test_an_smtp_url_with_starttls_gives_host_port_and_credentials():
    config = mailer(
        {"EMAIL_URL": "smtp://press%40gov:p%40ss@mail.example.gov.by:587?tls=1"},
        debug=False,
        base_dir=BASE,
    )

    assert config["BACKEND"] == SMTP
    assert config["OPTIONS"] | {"timeout": 30} == {
        "host": "mail.example.gov.by",
        "port": 587,
        "username": "press@gov",
        "password": "p@ss",
        "use_ssl": False,
        "use_tls": True,
        "timeout": 30,
    }


def test_smtps_means_tls_from_the_start_on_465():
    options = mailer({"EMAIL_URL": "smtps://mail.example.org"}, debug=False, base_dir=BASE)[
        "OPTIONS"
    ]

    assert (options["port"], options["use_ssl"], options["use_tls"]) == (465, True, False)


def test_the_classic_variables_work_without_a_url():
    config = mailer({"EMAIL_HOST": "relay", "EMAIL_PORT": "2525"}, debug=True, base_dir=BASE)

    assert (config["OPTIONS"]["host"], config["OPTIONS"]["port"]) == ("relay", 2525)


def test_development_prints_mail_and_production_uses_the_local_server():
    assert mailer({}, debug=True, base_dir=BASE) == {"BACKEND": CONSOLE}
    assert mailer({}, debug=False, base_dir=BASE)["OPTIONS"]["host"] == "localhost"


def test_a_file_url_writes_messages_to_a_folder():
    config = mailer({"EMAIL_URL": "file:///var/mail/press"}, debug=False, base_dir=BASE)

    assert config["OPTIONS"] == {"file_path": "/var/mail/press"}


def test_an_unknown_scheme_is_an_error():
    with pytest.raises(ImproperlyConfigured):
        mailer({"EMAIL_URL": "pigeon://roof"}, debug=False, base_dir=BASE)


def test_the_daily_digest_is_due_at_the_next_8_oclock_in_minsk():
    before = datetime.datetime(2026, 12, 3, 7, 59, tzinfo=MINSK)
    after = datetime.datetime(2026, 12, 3, 8, 0, tzinfo=MINSK)

    assert next_due("daily", before) == datetime.datetime(2026, 12, 3, 8, 0, tzinfo=MINSK)
    assert next_due("daily", after) == datetime.datetime(2026, 12, 4, 8, 0, tzinfo=MINSK)


def test_the_weekly_digest_is_due_on_monday_at_8():
    thursday = datetime.datetime(2026, 12, 3, 12, 0, tzinfo=MINSK)

    due = next_due("weekly", thursday)

    assert (due.weekday(), due.date(), due.hour) == (0, datetime.date(2026, 12, 7), 8)
