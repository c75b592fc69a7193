"""The image library: uploads through the admin, pictures on pages, files that never leak."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from PIL import Image as PillowImage

from news import workflow
from news.models import Image, Release, ReleaseImage, State
from news.release_writes import TransitionError
from tests.factories import (
    ImageFactory,
    OfficialFactory,
    PublishedReleaseFactory,
    ReleaseFactory,
    photo_bytes,
)
from tests.test_images import camera_jpeg, encode, photo

pytestmark = pytest.mark.django_db

PHONE_DEVICE_PIXELS = 390 * 2  # an ordinary phone: 390 CSS px at 2x


@pytest.fixture(autouse=True)
def _fast_avif(settings):
    settings.NEWS_IMAGE_AVIF_SPEED = 10


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


def media_files(settings) -> list[str]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def upload(client, data: bytes, name: str = "IMG_0001.jpg", **fields):
    return client.post(
        reverse("admin:news_image_add"),
        {
            "upload": SimpleUploadedFile(name, data, content_type="image/jpeg"),
            "alt": "Министр за столом переговоров",
            "caption": "",
            "credit": "Пресс-служба",
            "licence": "cc_by",
            "licence_text": "",
            **fields,
        },
    )


def bomb() -> bytes:
    """A PNG that says it is 30 000 × 30 000 pixels: 900 megapixels to decode."""
    small = PillowImage.new("1", (30_000, 30_000))
    return encode(small, "PNG", optimize=True)


# Uploading -----------------------------------------------------------------------------


def test_camera_jpeg_uploaded_in_the_admin_is_stored_without_gps_with_renditions(
    admin_client, settings, superuser, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(admin_client, camera_jpeg())

    assert response.status_code == 302
    image = Image.objects.get()
    assert (image.width, image.height) == (80, 120)  # turned upright
    assert image.uploaded_by == superuser
    master = Path(settings.MEDIA_ROOT) / image.file
    with PillowImage.open(master) as stored:
        assert not stored.getexif()
        assert "exif" not in stored.info and "xmp" not in stored.info
    assert b"SN-0451" not in master.read_bytes()
    assert b"GPS" not in master.read_bytes()
    folder = str(Path(image.file).parent)
    assert f"{folder}/80.jpg" in media_files(settings)
    assert f"{folder}/80.webp" in media_files(settings)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "SVG"),
        (b"<script>alert(document.cookie)</script>", "скрипт"),
        (b"#!/bin/sh\nrm -rf /\n", "скрипт"),
        (None, "мегапикселей"),
    ],
    ids=["svg", "html-script-as-jpg", "shell-script-as-jpg", "bomb"],
)
def test_refused_upload_shows_an_error_and_stores_nothing(
    admin_client, settings, django_capture_on_commit_callbacks, content, message
):
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(admin_client, content if content is not None else bomb(), "photo.jpg")

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["upload"]
    assert any(message in error for error in errors)
    assert not Image.objects.exists()
    assert media_files(settings) == []


def test_same_photo_uploaded_again_is_refused_as_a_duplicate(
    admin_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        upload(admin_client, camera_jpeg())
        response = upload(admin_client, camera_jpeg())

    assert response.status_code == 200
    assert "upload" in response.context["adminform"].form.errors
    assert Image.objects.count() == 1


def test_image_list_shows_thumbnails_and_finds_by_credit(admin_client):
    ImageFactory(credit="БелТА", alt="Подписание соглашения")
    ImageFactory(credit="Пресс-служба", alt="Пресс-конференция")

    response = admin_client.get(reverse("admin:news_image_changelist"), {"q": "БелТА"})

    html = response.content.decode()
    assert "Подписание соглашения" in html
    assert "Пресс-конференция" not in html
    assert re.search(r'<img class="image-thumbnail" src="/media/images/[^"]+/320\.jpg"', html)


def test_image_page_lists_the_releases_using_it(admin_client):
    image = ImageFactory()
    release = ReleaseFactory(title="Визит в Белград", lead_image=image)

    response = admin_client.get(reverse("admin:news_image_change", args=[image.pk]))

    assert reverse("admin:news_release_change", args=[release.pk]) in response.content.decode()


def test_release_form_chooses_the_lead_image_by_autocomplete(admin_client):
    ImageFactory(alt="Министр в Белграде")
    response = admin_client.get(reverse("admin:news_release_add"))
    html = response.content.decode()
    assert 'data-field-name="lead_image"' in html  # the autocomplete widget
    assert "gallery_items-TOTAL_FORMS" in html
    assert "attachments-TOTAL_FORMS" in html

    search = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "Белград",
            "app_label": "news",
            "model_name": "release",
            "field_name": "lead_image",
        },
    )
    assert [row["text"] for row in search.json()["results"]] == ["Министр в Белграде"]


# Replacing and deleting ------------------------------------------------------------------


def test_replacing_the_photo_of_an_image_deletes_the_old_files(
    admin_client, settings, django_capture_on_commit_callbacks
):
    image = ImageFactory()
    old_folder = str(Path(image.file).parent)
    url = reverse("admin:news_image_change", args=[image.pk])
    # The change form carries the state it was opened at (news/admin/locking.py).
    lock_token = admin_client.get(url).context["adminform"].form["lock_token"].value()

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            url,
            {
                "lock_token": lock_token,
                "upload": SimpleUploadedFile("new.jpg", photo_bytes(color="orange")),
                "alt": image.alt,
                "caption": "",
                "credit": "",
                "licence": "all_rights",
                "licence_text": "",
            },
        )

    assert response.status_code == 302
    image.refresh_from_db()
    files = media_files(settings)
    assert not any(name.startswith(old_folder) for name in files)
    assert image.file in files


def test_deleting_a_release_keeps_its_images_and_deletes_its_attachments_files(
    settings, django_capture_on_commit_callbacks
):
    from tests.test_attachments import pdf_bytes

    image = ImageFactory()
    release = ReleaseFactory(lead_image=image)
    ReleaseImage.objects.create(release=release, image=ImageFactory(), position=1)
    attachment = release.attachments.create(
        title="Программа", file=SimpleUploadedFile("a.pdf", pdf_bytes()), content_type="x"
    )
    attachment_file = attachment.file.name
    before = set(media_files(settings))

    with django_capture_on_commit_callbacks(execute=True):
        release.delete()

    after = set(media_files(settings))
    assert before - after == {attachment_file}
    assert Image.objects.count() == 2  # the library keeps them for other releases


def test_deleting_an_image_deletes_its_files_only_when_no_row_uses_them(
    settings, django_capture_on_commit_callbacks
):
    kept, doomed = ImageFactory(), ImageFactory()

    with django_capture_on_commit_callbacks(execute=True):
        Image.objects.filter(pk=doomed.pk).delete()

    files = media_files(settings)
    assert not any(name.startswith(str(Path(doomed.file).parent)) for name in files)
    assert kept.file in files


def test_files_shared_by_content_outlive_a_row_deleted_in_a_transaction_that_adds_another(
    settings, django_capture_on_commit_callbacks
):
    image = ImageFactory(content=photo_bytes(color="green"))
    name, sha = image.file, image.sha256

    with django_capture_on_commit_callbacks(execute=True):
        image.delete()
        Image.objects.create(file=name, sha256=sha, width=800, height=600, alt="Снова")

    assert name in media_files(settings)


def test_an_image_in_use_cannot_be_deleted(settings):
    from django.db.models import ProtectedError

    image = ImageFactory()
    ReleaseFactory(lead_image=image)

    with pytest.raises(ProtectedError):
        image.delete()
    assert image.file in media_files(settings)


# Publishing needs descriptions -----------------------------------------------------------


def approved(editor, **kwargs) -> Release:
    return ReleaseFactory(state=State.APPROVED, last_edited_by=editor, **kwargs)


def test_publishing_a_release_whose_lead_image_has_no_alt_text_is_refused(editor, publisher):
    release = approved(editor, lead_image=ImageFactory(alt=""))

    with translation.override("en"), pytest.raises(TransitionError) as caught:
        workflow.release_publish(release=release, user=publisher)

    assert caught.value.code == "alt_text"
    assert "Images without a description (alt text): 1." in caught.value.messages[0]
    release.refresh_from_db()
    assert release.state == State.APPROVED
    assert not release.audit_entries.exists()


def test_scheduling_a_release_with_an_undescribed_gallery_image_is_refused(editor, publisher):
    import datetime

    from django.utils import timezone

    release = approved(editor, lead_image=ImageFactory())
    ReleaseImage.objects.create(release=release, image=ImageFactory(alt="  "))

    with pytest.raises(TransitionError):
        workflow.release_publish(
            release=release, user=publisher, at=timezone.now() + datetime.timedelta(days=1)
        )
    release.refresh_from_db()
    assert release.state == State.APPROVED


def test_force_publishing_without_alt_text_is_refused(superuser):
    release = ReleaseFactory(state=State.DRAFT, lead_image=ImageFactory(alt=""))

    with pytest.raises(TransitionError):
        workflow.release_force_publish(release=release, user=superuser, reason="Срочно")
    release.refresh_from_db()
    assert release.state == State.DRAFT


def test_publishing_with_described_images_goes_through(editor, publisher):
    release = approved(editor, lead_image=ImageFactory())
    ReleaseImage.objects.create(release=release, image=ImageFactory())

    workflow.release_publish(release=release, user=publisher)

    release.refresh_from_db()
    assert release.state == State.PUBLISHED


# The release page ----------------------------------------------------------------------


def sources(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<source type="([^"]+)" srcset="([^"]+)"', html)


def test_release_page_shows_lead_image_and_gallery_as_pictures(client):
    lead = ImageFactory(
        content=encode(photo((1600, 900)), "JPEG"),
        alt="Министры за столом",
        caption="Переговоры",
        credit="Иван Петров",
    )
    release = PublishedReleaseFactory(lead_image=lead)
    ReleaseImage.objects.create(release=release, image=ImageFactory(alt="Второе"), position=2)
    ReleaseImage.objects.create(release=release, image=ImageFactory(alt="Первое"), position=1)

    html = client.get(release.get_absolute_url()).content.decode()

    types = [kind for kind, _ in sources(html)]
    assert "image/webp" in types
    assert re.search(
        r'<img src="[^"]+/960\.jpg" srcset="[^"]+" sizes="[^"]+" width="1600" height="900" '
        r'alt="Министры за столом" fetchpriority="high">',
        html,
    )
    assert html.count('loading="lazy" decoding="async"') == 2  # the gallery, below the fold
    assert html.index('alt="Первое"') < html.index('alt="Второе"')
    assert "Переговоры" in html and "Иван Петров" in html
    assert "style=" not in html


def test_lead_image_at_phone_width_is_under_150_kb(client, settings):
    lead = ImageFactory(content=encode(photo((4000, 3000)), "JPEG", quality=92))
    release = PublishedReleaseFactory(lead_image=lead)

    html = client.get(release.get_absolute_url()).content.decode()

    img = re.search(r'<img src="[^"]+" srcset="([^"]+)"', html).group(1)
    for kind, srcset in [*sources(html), ("image/jpeg", img)]:
        candidates = [c.rsplit(" ", 1) for c in srcset.split(", ")]
        # With sizes 100vw, a browser takes the first candidate covering the device pixels.
        url = next(u for u, w in candidates if int(w[:-1]) >= PHONE_DEVICE_PIXELS)
        size = (Path(settings.MEDIA_ROOT) / url.removeprefix(settings.MEDIA_URL)).stat().st_size
        print(f"{kind} {url.rsplit('/', 1)[1]}: {size / 1024:.0f} KB")  # noqa: T201
        assert size < 150_000, kind


def test_official_page_shows_the_photo_as_a_picture(client):
    official = OfficialFactory(photo=ImageFactory(alt="Портрет"))
    PublishedReleaseFactory().officials.add(official)

    html = client.get(official.get_absolute_url()).content.decode()

    assert '<figure class="picture entity__photo">' in html
    assert f'alt="{official.full_name}"' in html
    assert "width=" in html and "height=" in html


def test_release_page_queries_stay_bounded_with_images_and_attachments(
    client, django_assert_max_num_queries, settings
):
    from tests.test_attachments import pdf_bytes

    # What rendering the page costs, each time: not a copy from the page cache.
    settings.NEWS_PAGE_CACHE_SECONDS = 0
    release = PublishedReleaseFactory(lead_image=ImageFactory())
    for position in range(5):
        ReleaseImage.objects.create(release=release, image=ImageFactory(), position=position)
        release.attachments.create(
            title=f"Документ {position}",
            file=SimpleUploadedFile("a.pdf", pdf_bytes()),
            content_type="application/pdf",
        )
    client.get(release.get_absolute_url())  # warm caches (site contact, sessions)
    with django_assert_max_num_queries(22) as captured:
        response = client.get(release.get_absolute_url())
    assert response.status_code == 200
    few = len(captured.captured_queries)

    for position in range(5, 10):
        ReleaseImage.objects.create(release=release, image=ImageFactory(), position=position)
    with django_assert_max_num_queries(few) as captured:
        client.get(release.get_absolute_url())


# Renditions after a change of sizes ------------------------------------------------------


def test_regenerate_renditions_command_follows_new_widths(settings):
    image = ImageFactory(content=encode(photo((1000, 500)), "JPEG"))
    folder = Path(settings.MEDIA_ROOT) / Path(image.file).parent

    with override_settings(NEWS_IMAGE_WIDTHS=(480,), NEWS_IMAGE_FORMATS=("webp",)):
        call_command("regenerate_renditions", verbosity=0)

    assert sorted(p.name for p in folder.iterdir()) == ["480.jpg", "480.webp", "original.jpg"]


# Storage by configuration ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("env", "backend", "img_src"),
    [
        ({}, "django.core.files.storage.FileSystemStorage", None),
        (
            {"AWS_STORAGE_BUCKET_NAME": "press-media"},
            "storages.backends.s3.S3Storage",
            "https://*.amazonaws.com",
        ),
        (
            {"S3_BUCKET": "press", "AWS_S3_ENDPOINT_URL": "https://storage.yandexcloud.net/"},
            "storages.backends.s3.S3Storage",
            "https://storage.yandexcloud.net",
        ),
    ],
    ids=["local", "aws", "s3-compatible"],
)
def test_a_bucket_in_the_environment_switches_uploads_to_object_storage(env, backend, img_src):
    import json
    import os
    import subprocess
    import sys

    script = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.STORAGES['default']['BACKEND'], "
        "[str(x) for x in s.SECURE_CSP['img-src']]]))"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "S3_", "DJANGO_SET"))}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script],
        env={**clean, "DJANGO_SETTINGS_MODULE": "tests.settings", **env},
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    found_backend, found_img_src = json.loads(result.stdout.strip().splitlines()[-1])
    assert found_backend == backend
    if img_src:
        assert img_src in found_img_src
    else:
        assert len(found_img_src) == 2
