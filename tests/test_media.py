"""Uploaded media served by the site itself (ministry.media), as `make serve` runs it."""

from __future__ import annotations

import posixpath

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from ministry.media import media_urlpatterns
from news.models import Attachment
from tests.factories import ImageFactory, PublishedReleaseFactory, ReleaseFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("production")]

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture
def production():
    with override_settings(DEBUG=False):
        yield


@pytest.fixture
def rendition(db) -> str:
    image = ImageFactory()
    return f"{posixpath.dirname(image.file)}/320.avif"


def put(name: str, content: bytes) -> str:
    return default_storage.save(name, SimpleUploadedFile(name, content))


def test_a_rendition_is_served_for_good_with_its_type_and_no_sniffing(client, rendition):
    response = client.get(f"/media/{rendition}")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == default_storage.open(rendition).read()
    assert response["Content-Type"] == "image/avif"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "attachment" not in response.get("Content-Disposition", "")


def test_the_master_is_a_jpeg(client, rendition):
    response = client.get(f"/media/{posixpath.dirname(rendition)}/original.jpg")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"


def test_an_unchanged_file_answers_304(client, rendition):
    first = client.get(f"/media/{rendition}")

    again = client.get(f"/media/{rendition}", headers={"If-Modified-Since": first["Last-Modified"]})

    assert again.status_code == 304


def test_a_document_downloads_and_is_not_kept_for_good(client):
    name = put("documents/programme.pdf", PDF)

    response = client.get(f"/media/{name}")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert "immutable" not in response["Cache-Control"]


@pytest.mark.parametrize("name", ["page.html", "drawing.svg", "script.js"])
def test_other_files_download_as_bytes_never_as_pages(client, name):
    stored = put(f"misc/{name}", b"<html><script>alert(1)</script></html>")

    response = client.get(f"/media/{stored}")

    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    "path",
    [
        "/media/../manage.py",
        "/media/%2e%2e/manage.py",
        "/media/images/../../manage.py",
        "/media/..%2fmanage.py",
        "/media//etc/passwd",
        "/media/.hidden",
    ],
)
def test_paths_out_of_the_media_folder_are_not_found(client, settings, path):
    settings.MEDIA_ROOT.mkdir(parents=True, exist_ok=True)
    (settings.MEDIA_ROOT / ".hidden").write_text("secret")
    (settings.MEDIA_ROOT.parent / "manage.py").write_text("secret")

    response = client.get(path)

    assert response.status_code == 404
    assert b"secret" not in b"".join(getattr(response, "streaming_content", [response.content]))


def test_folders_and_missing_files_are_not_found(client, rendition):
    assert client.get("/media/").status_code == 404
    assert client.get(f"/media/{posixpath.dirname(rendition)}/").status_code == 404
    assert client.get("/media/images/missing.jpg").status_code == 404


@pytest.mark.parametrize("name", ["y" * 300, "images/" + "y" * 5000 + ".jpg", "a%00b.jpg"])
def test_names_the_file_system_cannot_take_are_not_found(client, name):
    assert client.get(f"/media/{name}").status_code == 404


@pytest.mark.parametrize("factory", [ReleaseFactory, PublishedReleaseFactory])
def test_attachments_are_never_served_by_their_file_address(client, factory):
    release = factory()
    attachment = Attachment(
        release=release, title="Программа", file=SimpleUploadedFile("programme.pdf", PDF)
    )
    attachment.full_clean()
    attachment.save()

    response = client.get(f"/media/{attachment.file.name}")

    assert attachment.file.name.startswith("attachments/")
    assert default_storage.exists(attachment.file.name)
    assert response.status_code == 404


def test_media_accept_only_reads(client, rendition):
    assert client.post(f"/media/{rendition}").status_code == 405


def test_a_proxy_or_a_bucket_serves_media_instead(settings):
    assert media_urlpatterns()
    settings.SERVE_MEDIA = False
    assert media_urlpatterns() == []
    settings.SERVE_MEDIA = True
    settings.S3_BUCKET = "press-media"
    assert media_urlpatterns() == []
