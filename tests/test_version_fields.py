"""What a version of a release holds is declared once (news.revisions): every field of a release
is either in it or excluded with a reason, and each field in it survives every way a version
moves."""

from __future__ import annotations

import dataclasses
import datetime

import pytest
from django.contrib.admin.sites import site
from django.contrib.admin.utils import flatten_fieldsets
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.urls import reverse
from django.utils.text import capfirst

from news import corrections, revisions
from news.editing import release_stage_changes
from news.models import Kind, Language, Release
from tests.factories import (
    ContactFactory,
    CountryFactory,
    DelegationFactory,
    ImageFactory,
    OfficialFactory,
    OrganisationFactory,
    PublishedReleaseFactory,
    ReleaseFactory,
)
from tests.test_attachments import pdf_bytes


def test_every_field_of_a_release_is_in_its_versions_or_excluded_with_a_reason():
    names = {field.name for field in Release._meta.get_fields()}

    undeclared = names - set(revisions.FIELD_NAMES) - set(revisions.EXCLUDED)

    assert not undeclared, (
        f"Add {sorted(undeclared)} to VERSION_FIELDS in news/revisions.py, or to EXCLUDED "
        "with the reason a version does not hold it."
    )


def test_the_declared_fields_are_fields_of_a_release_and_each_declared_once():
    names = {field.name for field in Release._meta.get_fields()}

    assert set(revisions.FIELD_NAMES) <= names
    assert set(revisions.EXCLUDED) <= names
    assert not set(revisions.FIELD_NAMES) & set(revisions.EXCLUDED)
    assert len(revisions.FIELD_NAMES) == len(set(revisions.FIELD_NAMES))
    assert all(reason.strip() for reason in revisions.EXCLUDED.values())


def test_every_field_of_a_version_is_on_the_change_form_or_in_its_inlines():
    admin = site._registry[Release]
    layout = flatten_fieldsets(admin.fieldsets)
    inlines = [
        inline.model._meta.get_field("release").remote_field.get_accessor_name()
        for inline in admin.inlines
    ]

    assert [name for name in revisions.FIELD_NAMES if name not in layout + inlines] == []


PDF = pdf_bytes()


def sample_values() -> dict:
    """A value for each field of a version, unlike a new release's."""
    values = {
        "title": "Визит в Белград",
        "slug": "vizit-v-belgrad",
        "kind": Kind.VISIT,
        "language": Language.BE,
        "summary": "Делегация министерства посетила Сербию.",
        "body": "<p>Стороны подписали <strong>меморандум</strong>.</p>",
        "event_start": datetime.date(2024, 8, 28),
        "event_end": datetime.date(2024, 8, 30),
        "place": "Белград",
        "contact": ContactFactory(),
        "officials": [OfficialFactory(), OfficialFactory()],
        "organisations": [OrganisationFactory()],
        "countries": [CountryFactory(code="RS")],
        "delegations": [DelegationFactory()],
        "tags": ["связь", "почта, телеграф"],
        "lead_image": (photo := ImageFactory()),
        "sources": [
            {"url": "https://mpt.gov.by/news/1", "title": "Сайт министерства", "is_primary": True},
            {"url": "https://belta.by/1", "publisher": "БелТА"},
        ],
        "gallery_items": [{"image": ImageFactory(), "position": 2}, {"image": photo}],
        "attachments": [
            {
                "title": "Меморандум",
                "file": SimpleUploadedFile("memorandum.pdf", PDF, "application/pdf"),
                "position": 1,
            }
        ],
    }
    for name in revisions.FIELD_NAMES:
        field = Release._meta.get_field(name)
        # A plain text field added later needs no sample of its own.
        if name not in values and isinstance(field, models.CharField | models.TextField):
            if not field.choices:
                values[name] = f"{field.verbose_name}: образец"
    return values


def release_with(values: dict) -> Release:
    links = {
        name: value for name, value in values.items() if Release._meta.get_field(name).many_to_many
    }
    rows = {name: value for name, value in values.items() if name in revisions.ROWS}
    release = ReleaseFactory(
        **{k: v for k, v in values.items() if k not in links and k not in rows}
    )
    for name, items in links.items():
        getattr(release, name).set(items)
    for name, items in rows.items():
        for item in items:
            row = getattr(release, name).model(release=release, **item)
            row.full_clean()
            row.save()
    return Release.objects.get(pk=release.pk)


def rows_posted(name: str, rows: list[dict]) -> tuple[dict, dict]:
    """What the inline of these rows posts when they are typed into its empty forms."""
    field = revisions.ROWS[name]
    data = {f"{name}-TOTAL_FORMS": str(len(rows)), f"{name}-INITIAL_FORMS": "0"}
    files = {}
    for index, row in enumerate(rows):
        for column in field.columns:
            value = row.get(column)
            key = f"{name}-{index}-{column}"
            if column == "file":
                files[key] = SimpleUploadedFile(row["filename"], PDF, "application/pdf")
            elif value is True:
                data[key] = "on"
            elif (
                value is not None and value is not False and column not in ("content_type", "size")
            ):
                data[key] = value
    return data, files


def without_ids(rows: list[dict]) -> list[dict]:
    return [{k: v for k, v in row.items() if k not in ("id", "file")} for row in rows]


@pytest.mark.django_db
@pytest.mark.parametrize("name", revisions.FIELD_NAMES)
def test_each_field_of_a_version_round_trips_to_another_release(name):
    values = sample_values()
    assert name in values, f"Give {name} a sample value in sample_values()"
    source = release_with(values)
    data = revisions.snapshot(source)
    source.delete()  # its slug is free for the other release
    other = ReleaseFactory()
    assert revisions.snapshot(other)[name] != data[name]

    revisions.apply(other, data)

    applied = revisions.snapshot(Release.objects.get(pk=other.pk))[name]
    if name in revisions.ROWS:  # rows of its own, made anew
        assert without_ids(applied) == without_ids(data[name])
    else:
        assert applied == data[name]


@pytest.mark.django_db
# A live release keeps its address: the change form does not offer its slug.
@pytest.mark.parametrize("name", [name for name in revisions.FIELD_NAMES if name != "slug"])
def test_each_field_of_a_version_is_staged_from_the_admin_and_published(
    admin_client, publisher, name
):
    source = release_with(sample_values())
    data = revisions.snapshot(source)
    source.delete()
    release = PublishedReleaseFactory()
    assert revisions.snapshot(release)[name] != data[name]
    form = {
        key: value
        for key, value in data.items()
        if value is not None and key != "slug" and key not in revisions.ROWS
    }
    form["tags"] = ", ".join(f'"{tag}"' for tag in data["tags"])
    form["seen_version"] = release.version
    files = {}
    for rows in revisions.ROWS:
        posted, uploaded = rows_posted(rows, data[rows])
        form.update(posted)
        files.update(uploaded)

    response = admin_client.post(
        reverse("admin:news_release_change", args=[release.pk]), {**form, **files}
    )

    assert response.status_code == 302
    release.refresh_from_db()
    staged = release.pending_revision.data[name]
    if name in revisions.ROWS:
        # New rows, with no id until they are published; a document's file is stored anew.
        assert without_ids(staged) == without_ids(data[name])
    else:
        assert staged == data[name]
    corrections.release_publish_changes(release=release, user=publisher, minor=True)
    published = revisions.snapshot(Release.objects.get(pk=release.pk))[name]
    if name in revisions.ROWS:
        assert without_ids(published) == without_ids(data[name])
    else:
        assert published == data[name]


@pytest.mark.django_db
def test_the_public_change_page_names_each_public_field_by_its_label(client, editor, publisher):
    source = release_with(sample_values())
    sample = revisions.snapshot(source)
    source.delete()
    release = PublishedReleaseFactory()
    public = [field.name for field in revisions.VERSION_FIELDS if field.public]
    edited = {
        **revisions.snapshot(release),
        **{name: sample[name] for name in public},
        "slug": "novyi-adres",  # not shown to readers
    }
    release_stage_changes(release=release, user=editor, data=edited)
    note = corrections.release_publish_changes(release=release, user=publisher, note="Уточнили.")

    response = client.get(note.get_absolute_url())

    labels = [change.label for change in response.context["changes"]]
    assert labels == [field.label for field in revisions.VERSION_FIELDS if field.public]
    assert Release._meta.get_field("slug").verbose_name not in labels
    for label in labels:
        assert f"<dt>{capfirst(label)}</dt>" in response.content.decode()


@pytest.mark.django_db
def test_a_field_made_public_in_the_list_shows_on_the_public_change_page(
    client, editor, publisher, monkeypatch
):
    release = PublishedReleaseFactory(kind=Kind.NEWS)
    edited = {**revisions.snapshot(release), "kind": Kind.STATEMENT}
    release_stage_changes(release=release, user=editor, data=edited)
    note = corrections.release_publish_changes(release=release, user=publisher, note="Уточнили.")
    kind = next(field for field in revisions.VERSION_FIELDS if field.name == "kind")
    monkeypatch.setattr(revisions, "PUBLIC_FIELDS", [dataclasses.replace(kind, public=True)])

    response = client.get(note.get_absolute_url())

    assert [change.label for change in response.context["changes"]] == [kind.label]
