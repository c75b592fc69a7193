"""The rich-text editor's toolbar in the admin's language, in a real browser."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "not-a-real-password-1"


@pytest.mark.parametrize(
    ("language", "bold", "heading", "link"),
    [
        ("ru", "Полужирный", "Заголовок 2", "Вставить ссылку"),
        ("be", "Тоўсты", "Загаловак 2", "Уставіць спасылку"),
    ],
)
def test_the_toolbar_speaks_the_admins_language(
    new_page, live_server, django_user_model, language, bold, heading, link
):
    # A superuser: the role groups' permissions do not survive another browser test's flush.
    django_user_model.objects.create_superuser("chief", password=PASSWORD)
    page = new_page()
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "chief")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    page.goto(live_server.url + reverse("admin:news_release_add"))

    menu = page.locator(".prose-editor .prose-menubar")
    menu.wait_for()
    page.wait_for_function(
        "t => document.querySelector('.prose-menubar [data-name=bold]')?.title === t", arg=bold
    )
    titles = menu.locator("[title]").evaluate_all("els => els.map(e => e.title)")
    texts = menu.evaluate("m => m.textContent")

    assert link in titles
    assert heading in texts
    assert [t for t in titles if re.search(r"[A-Za-z]{3,}", t)] == []
    assert not re.search(r"Heading|Paragraph", texts)
