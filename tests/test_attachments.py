"""Documents attached to releases: type judged by content, safe names on download."""

from __future__ import annotations

import io
import zipfile
from urllib.parse import quote

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from news.models import Attachment, State
from tests.factories import PublishedReleaseFactory, ReleaseFactory

pytestmark = pytest.mark.django_db


def pdf_bytes() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def odt_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def attach(release, data: bytes, name: str, title: str = "Программа визита") -> Attachment:
    attachment = Attachment(release=release, title=title, file=SimpleUploadedFile(name, data))
    attachment.full_clean()
    attachment.save()
    return attachment


@pytest.mark.parametrize(
    ("data", "name", "content_type"),
    [
        (pdf_bytes(), "programme.pdf", "application/pdf"),
        (
            docx_bytes(),
            "agreement.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (odt_bytes(), "agreement.odt", "application/vnd.oasis.opendocument.text"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), "table.xls", "application/vnd.ms-excel"),
        (pdf_bytes(), "named-wrongly.docx", "application/pdf"),
    ],
)
def test_documents_are_typed_by_content(data, name, content_type):
    attachment = attach(ReleaseFactory(), data, name)
    assert attachment.content_type == content_type
    assert attachment.size == len(data)


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"<!doctype html><script>alert(1)</script>", "programme.pdf"),
        (b"MZ\x90\x00 an executable", "agreement.docx"),
        (b"PK\x03\x04 not really a zip", "table.xlsx"),
        (b"", "empty.pdf"),
    ],
    ids=["html-as-pdf", "exe-as-docx", "broken-zip", "empty"],
)
def test_other_files_are_refused_and_nothing_is_stored(settings, data, name):
    release = ReleaseFactory()
    attachment = Attachment(release=release, title="Документ", file=SimpleUploadedFile(name, data))

    with pytest.raises(ValidationError) as caught:
        attachment.full_clean()

    assert "file" in caught.value.message_dict
    assert not Attachment.objects.exists()
    assert not (settings.MEDIA_ROOT / "attachments").exists()


def test_zip_without_office_parts_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("index.html", "<script>alert(1)</script>")
    with pytest.raises(ValidationError):
        attach(ReleaseFactory(), buffer.getvalue(), "report.docx")


def test_cyrillic_file_name_downloads_with_rfc_5987_disposition(client):
    release = PublishedReleaseFactory()
    attachment = attach(release, pdf_bytes(), "Программа визита «Минск—Белград».pdf")

    response = client.get(attachment.get_absolute_url())

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    expected = quote("Программа визита «Минск—Белград».pdf", safe="")
    assert f"filename*=utf-8''{expected}" in disposition
    assert b"".join(response.streaming_content) == pdf_bytes()


def test_stored_name_is_random_and_never_the_uploaded_one():
    attachment = attach(ReleaseFactory(), pdf_bytes(), "../../etc/Программа.pdf")
    assert attachment.file.name.startswith("attachments/")
    assert attachment.file.name.endswith(".pdf")
    assert "Программа" not in attachment.file.name
    assert attachment.download_name == "Программа.pdf"


def test_download_name_gets_the_right_extension():
    attachment = attach(ReleaseFactory(), pdf_bytes(), "agreement.docx")
    assert attachment.download_name == "agreement.docx.pdf"


def test_attachment_of_a_draft_is_404_for_readers_and_opens_for_staff(client, editor):
    attachment = attach(ReleaseFactory(state=State.DRAFT), pdf_bytes(), "draft.pdf")

    assert client.get(attachment.get_absolute_url()).status_code == 404
    client.force_login(editor)
    response = client.get(attachment.get_absolute_url())
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_release_page_lists_documents_with_title_size_and_type(client):
    release = PublishedReleaseFactory()
    attach(release, pdf_bytes(), "programme.pdf", title="Программа визита")

    html = client.get(release.get_absolute_url()).content.decode()

    assert "Программа визита" in html
    assert reverse("news:attachment-download", args=[release.attachments.get().pk]) in html
    assert "PDF" in html
    assert "байт" in html or "bytes" in html


def test_uploading_an_html_file_named_pdf_in_the_release_admin_is_refused(
    client, superuser, settings
):
    release = ReleaseFactory()
    client.force_login(superuser)
    change = reverse("admin:news_release_change", args=[release.pk])
    form = client.get(change).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and not isinstance(value, list)
    }
    data.update(
        {
            "title": release.title,
            "kind": release.kind,
            "language": release.language,
            "seen_version": release.version,
            "sources-TOTAL_FORMS": 0,
            "sources-INITIAL_FORMS": 0,
            "gallery_items-TOTAL_FORMS": 0,
            "gallery_items-INITIAL_FORMS": 0,
            "attachments-TOTAL_FORMS": 1,
            "attachments-INITIAL_FORMS": 0,
            "attachments-0-title": "Программа",
            "attachments-0-position": 0,
            "attachments-0-file": SimpleUploadedFile("programme.pdf", b"<html><script>x</script>"),
        }
    )

    response = client.post(change, data)

    assert response.status_code == 200
    assert not Attachment.objects.exists()
    assert not (settings.MEDIA_ROOT / "attachments").exists()
