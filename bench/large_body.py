"""How long the admin change page of a release with a large body takes, and that a 3 MB body
is refused (issue: "any author can stall the site").

    DEBUG=1 .venv/bin/python bench/large_body.py        # on the database settings name

It stores a draft with a 1 MB body directly (as a release saved before the limit would be),
opens its change page five times as its author, then posts a 3 MB body through the admin
form. Nothing it makes is left behind.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ministry.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group, User  # noqa: E402
from django.db import transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from news.models import Release  # noqa: E402

PARAGRAPH = "<p>Министр информации и телекоммуникаций Республики Сербия провёл переговоры. </p>"


def body_of(size: int) -> str:
    return (PARAGRAPH * (size // len(PARAGRAPH) + 1))[:size]


class Rollback(Exception):
    pass


def main() -> None:
    setup_test_environment()
    try:
        with transaction.atomic():
            author = User.objects.create_user("bench-author", password="x" * 16, is_staff=True)
            author.groups.add(Group.objects.get(name="Author"))
            release = Release.objects.create(title="Большой текст", created_by=author)
            Release.objects.filter(pk=release.pk).update(body=body_of(1_000_000))
            client = Client()
            client.force_login(author)
            url = f"/admin/news/release/{release.pk}/change/"
            times = []
            for _ in range(5):
                started = time.perf_counter()
                response = client.get(url)
                times.append(time.perf_counter() - started)
                assert response.status_code == 200, response.status_code
            print(
                f"1 MB body, change page as its author: median {statistics.median(times):.2f} s,"
                f" max {max(times):.2f} s over {len(times)} opens"
            )

            data = {
                "title": "Слишком длинный",
                "kind": "press_release",
                "language": "ru",
                "summary": "",
                "body": body_of(3_000_000),
                "tags": "",
                "sources-TOTAL_FORMS": "0",
                "sources-INITIAL_FORMS": "0",
            }
            started = time.perf_counter()
            response = client.post("/admin/news/release/add/", data)
            elapsed = time.perf_counter() - started
            errors = response.context["adminform"].form.errors if response.context else {}
            print(
                f"3 MB body posted as its author: status {response.status_code} in {elapsed:.2f} s;"
                f" body error: {list(errors.get('body', []))};"
                f" stored: {Release.objects.filter(title='Слишком длинный').exists()}"
            )
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    main()
