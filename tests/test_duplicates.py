"""A release that looks like one already there (same title, same event date): a warning in the
admin, and no silent second copy from an import."""

from __future__ import annotations

import datetime
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from news.models import Release
from tests.admin_forms import release_form_data
from tests.factories import ReleaseFactory

pytestmark = pytest.mark.django_db

DATE = datetime.date(2024, 8, 28)


def run(*args: object) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_release", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def add(client, user, **fields):
    client.force_login(user)
    release = Release(kind="news", language="ru", **fields)
    data = release_form_data(release, slug="", event_start=fields.get("event_start") or "")
    return client.post(reverse("admin:news_release_add"), data, follow=True)


def warnings_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"] if m.level_tag == "warning"]


def test_saving_a_release_like_an_existing_one_warns_and_still_saves(client, author):
    existing = ReleaseFactory(title="Визит делегации Сербии", event_start=DATE)

    response = add(client, author, title="Визит  делегации Сербии", event_start=DATE)

    assert Release.objects.count() == 2
    [warning] = warnings_of(response)
    assert warning.startswith("Публикация с таким же заголовком и датой события уже есть")
    assert reverse("admin:news_release_change", args=[existing.pk]) in warning


def test_another_date_or_title_is_no_duplicate(client, author):
    ReleaseFactory(title="Визит делегации Сербии", event_start=DATE)

    other_day = add(client, author, title="Визит делегации Сербии", event_start="2024-08-29")
    other_title = add(client, author, title="Визит делегации Китая", event_start=DATE)

    assert warnings_of(other_day) == warnings_of(other_title) == []


def test_importing_the_same_text_again_is_skipped_with_a_warning(seed_file):
    run(seed_file)

    out, err = run(seed_file)

    assert Release.objects.count() == 1
    assert "skipped, a duplicate" in err
    assert "--allow-duplicates" in err


def test_allow_duplicates_imports_the_same_text_again(seed_file):
    run(seed_file)

    run(seed_file, "--allow-duplicates")

    assert Release.objects.count() == 2


def test_a_jsonl_line_like_a_release_in_the_database_is_skipped_the_rest_imported(tmp_path):
    ReleaseFactory(title="Переговоры", event_start=DATE, slug="peregovory")
    path = tmp_path / "releases.jsonl"
    lines = [
        {"title": "Переговоры", "event_start": "2024-08-28"},
        {"title": "Переговоры", "event_start": "2024-08-29"},
    ]
    path.write_text("\n".join(json.dumps(line, ensure_ascii=False) for line in lines) + "\n")

    out, err = run(path)

    assert sorted(Release.objects.values_list("event_start", flat=True)) == [
        DATE,
        datetime.date(2024, 8, 29),
    ]
    assert f"{path}:1: skipped, a duplicate of release 'peregovory'" in err
    assert "1 duplicates skipped" in out
