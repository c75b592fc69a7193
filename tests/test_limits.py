"""How long texts may be: refused with their size on every path that stores them."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from news.importing import ImportFailed
from news.importing.jsonl import import_jsonl_file
from news.importing.text import import_text_file, read_text_file
from news.mentions import find_mentions, release_text
from news.mentions import recognise as recognition
from news.models import AuditEntry, Release, State
from news.models.limits import SHORT_TEXT_MAX_CHARS, text_limit
from tests.admin_forms import release_form_data
from tests.factories import (
    CountryFactory,
    DelegationFactory,
    OfficialFactory,
    PublishedReleaseFactory,
    ReleaseFactory,
)

pytestmark = pytest.mark.django_db

THREE_MB = 3 * 1024 * 1024


def digits(text: str) -> str:
    """text with the thousands separators of any language taken out."""
    return re.sub(r"(?<=\d)[\s\u00a0\u202f,.](?=\d)", "", text)


def says_size(message: str, *, limit: int, size: int) -> bool:
    plain = digits(message)
    return str(limit) in plain and str(size) in plain


def big_body(chars: int) -> str:
    paragraph = "<p>Стороны обсудили сотрудничество в области связи и информатизации.</p>"
    return (paragraph * (chars // len(paragraph) + 1))[:chars]


# The limits, in the model -------------------------------------------------------------------


def test_the_body_limit_is_a_setting_far_above_any_real_release():
    assert django_settings.NEWS_BODY_MAX_CHARS >= 100_000


def test_a_body_over_the_limit_is_refused_with_the_limit_and_its_size(settings):
    settings.NEWS_BODY_MAX_CHARS = 1_000
    release = ReleaseFactory.build(body="x" * 1_001)

    with pytest.raises(ValidationError) as refused:
        release.full_clean(exclude=["slug"])

    [message] = refused.value.message_dict["body"]
    assert says_size(message, limit=1_000, size=1_001)


def test_a_body_at_the_limit_is_accepted(settings):
    settings.NEWS_BODY_MAX_CHARS = 1_000
    ReleaseFactory.build(body="x" * 1_000).full_clean(exclude=["slug"])


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (ReleaseFactory.build, "summary"),
        (ReleaseFactory.build, "withdrawal_reason"),
        (OfficialFactory.build, "bio"),
        (DelegationFactory.build, "purpose"),
    ],
)
def test_each_short_text_has_a_limit_of_its_own(make, field):
    instance = make(**{field: "я" * (SHORT_TEXT_MAX_CHARS + 1)})

    with pytest.raises(ValidationError) as refused:
        instance.full_clean(exclude=["slug", "country"], validate_unique=False)

    [message] = refused.value.message_dict[field]
    assert says_size(message, limit=SHORT_TEXT_MAX_CHARS, size=SHORT_TEXT_MAX_CHARS + 1)


def test_every_free_text_of_releases_and_the_catalogue_has_a_limit():
    """A TextField has an entry in TEXT_LIMITS; a CharField has its max_length."""
    # Audit comments are written by the workflow's services, through forms that bound them.
    unchecked = {("news.AuditEntry", "comment")}
    for model in apps.get_app_config("news").get_models():
        for field in model._meta.concrete_fields:
            kind = field.get_internal_type()
            if kind == "CharField":
                assert field.max_length, f"{model._meta.label}.{field.name}"
            elif kind == "TextField" and (model._meta.label, field.name) not in unchecked:
                assert text_limit(model, field.name), f"{model._meta.label}.{field.name}"


# The admin, as an author ---------------------------------------------------------------------


def test_an_author_adding_a_3_mb_body_sees_the_limit_on_the_field_and_nothing_is_stored(
    client, author
):
    client.force_login(author)
    release = Release(title="Огромный релиз", kind="news", language="ru", summary="Лид")

    response = client.post(
        reverse("admin:news_release_add"), release_form_data(release, body=big_body(THREE_MB))
    )

    assert response.status_code == 200
    [message] = response.context["adminform"].form.errors["body"]
    assert says_size(message, limit=django_settings.NEWS_BODY_MAX_CHARS, size=THREE_MB)
    assert not Release.objects.exists()


def test_an_author_saving_a_3_mb_body_over_a_draft_keeps_the_draft_as_it_was(client, author):
    release = ReleaseFactory(created_by=author)
    client.force_login(author)
    url = reverse("admin:news_release_change", args=[release.pk])

    response = client.post(url, release_form_data(release, body=big_body(THREE_MB)))

    assert response.status_code == 200
    assert "body" in response.context["adminform"].form.errors
    stored = Release.objects.get(pk=release.pk)
    assert stored.body == release.body
    assert stored.version == release.version


def test_changes_to_a_live_release_over_the_limit_are_not_kept_as_a_version(
    client, editor, settings
):
    settings.NEWS_BODY_MAX_CHARS = 5_000
    release = PublishedReleaseFactory()
    client.force_login(editor)
    url = reverse("admin:news_release_change", args=[release.pk])

    response = client.post(url, release_form_data(release, body=big_body(5_001)))

    assert response.status_code == 200
    assert "body" in response.context["adminform"].form.errors
    release.refresh_from_db()
    assert release.pending_revision is None


def test_a_send_back_comment_over_the_limit_is_refused_and_the_release_stays_as_it_was(
    client, editor
):
    release = ReleaseFactory(state=State.SUBMITTED)
    client.force_login(editor)
    url = reverse("admin:news_release_transition", args=[release.pk, "send_back"])

    response = client.post(url, {"comment": "я" * (SHORT_TEXT_MAX_CHARS + 1)}, follow=True)

    [message] = [str(m) for m in response.context["messages"]]
    assert says_size(message, limit=SHORT_TEXT_MAX_CHARS, size=SHORT_TEXT_MAX_CHARS + 1)
    release.refresh_from_db()
    assert release.state == State.SUBMITTED
    assert not AuditEntry.objects.filter(release=release).exists()


# The importers ------------------------------------------------------------------------------


def test_a_jsonl_line_with_a_3_mb_body_is_reported_in_one_line_and_nothing_is_stored(tmp_path):
    path = tmp_path / "releases.jsonl"
    lines = [
        {"title": "Обычный релиз", "body": "<p>Текст.</p>"},
        {"title": "Огромный релиз", "body": big_body(THREE_MB)},
    ]
    path.write_text("\n".join(json.dumps(line, ensure_ascii=False) for line in lines) + "\n")

    with pytest.raises(ImportFailed) as failed:
        import_jsonl_file(path)

    report = str(failed.value)
    assert "\n" not in report
    assert report.startswith(f"{path}:2: ")
    assert not Release.objects.exists()


def test_a_jsonl_body_over_the_limit_is_refused_with_the_limit_and_its_size(tmp_path):
    limit = django_settings.NEWS_BODY_MAX_CHARS
    path = tmp_path / "releases.jsonl"
    lines = [
        {"title": "Обычный релиз", "body": "<p>Текст.</p>"},
        {"title": "Длинный релиз", "body": big_body(limit + 50_000)},
    ]
    path.write_text("\n".join(json.dumps(line, ensure_ascii=False) for line in lines) + "\n")

    with pytest.raises(ImportFailed) as failed:
        import_jsonl_file(path)

    report = str(failed.value)
    assert report.startswith(f"{path}:2: body: ")
    assert says_size(report, limit=limit, size=limit + 50_000)
    assert not Release.objects.exists()


def test_a_jsonl_line_with_a_long_lead_is_refused(tmp_path):
    path = tmp_path / "releases.jsonl"
    line = {"title": "Релиз", "summary": "я" * (SHORT_TEXT_MAX_CHARS + 1)}
    path.write_text(json.dumps(line, ensure_ascii=False) + "\n")

    with pytest.raises(ImportFailed, match=r":1: summary"):
        import_jsonl_file(path)
    assert not Release.objects.exists()


def test_a_text_file_with_a_body_over_the_limit_is_refused_and_nothing_is_stored(
    tmp_path: Path, settings
):
    settings.NEWS_BODY_MAX_CHARS = 20_000
    paragraphs = ["Стороны обсудили сотрудничество в области связи."] * 500
    path = tmp_path / "release.txt"
    path.write_text("Заголовок релиза\n\nЛид.\n\n" + "\n\n".join(paragraphs), encoding="utf-8")

    with pytest.raises(ImportFailed) as failed:
        import_text_file(path)

    assert "\n" not in str(failed.value)
    assert str(failed.value).startswith(f"{path}: body")
    size = len(read_text_file(path).body)
    assert size > 20_000
    assert says_size(str(failed.value), limit=20_000, size=size)
    assert not Release.objects.exists()


def test_a_text_file_longer_than_any_release_is_refused_before_it_is_parsed(
    tmp_path: Path, settings
):
    settings.NEWS_BODY_MAX_CHARS = 20_000
    path = tmp_path / "release.txt"
    path.write_text("Заголовок релиза\n\n" + "Стороны обсудили связь. " * 2_000, encoding="utf-8")

    with pytest.raises(ImportFailed) as failed:
        read_text_file(path)

    assert "\n" not in str(failed.value)
    assert says_size(str(failed.value), limit=20_000, size=len(path.read_text(encoding="utf-8")))


# Recognition and feeds --------------------------------------------------------------------


def test_recognition_reads_at_most_its_bound_and_says_so(monkeypatch):
    monkeypatch.setattr(recognition, "TEXT_MAX_CHARS", 1_000)
    CountryFactory(code="RS")
    CountryFactory(code="CN")
    text = "Визит делегации Сербии. " + "Стороны обсудили сотрудничество. " * 100 + "Китай."

    report = find_mentions(text, "ru")

    assert len(report.text) <= 1_000
    assert report.truncated
    assert text.startswith(report.text)
    assert {m.entity.code for m in report.countries} == {"RS"}


def test_recognition_of_a_short_text_reads_all_of_it():
    CountryFactory(code="RS")
    report = find_mentions("Визит делегации Сербии.", "ru")
    assert report.text == "Визит делегации Сербии."
    assert not report.truncated
    assert [m.entity.code for m in report.countries] == ["RS"]


def test_release_text_stops_reading_a_huge_body_soon_after_the_bound(monkeypatch):
    monkeypatch.setattr(recognition, "TEXT_MAX_CHARS", 1_000)
    release = ReleaseFactory.build(title="Заголовок", summary="Лид", body=big_body(THREE_MB))

    text = release_text(release)

    assert 1_000 < len(text) < 100_000
