"""The press service's own pages: contacts, accreditation, accessibility, privacy."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from news.models import Page

pytestmark = pytest.mark.django_db

SLUGS = ["contacts", "accreditation", "accessibility", "privacy"]


@pytest.fixture
def demo():
    call_command("load_demo", "--no-admin")


@pytest.mark.parametrize("prefix", ["", "/be", "/en"])
@pytest.mark.parametrize("slug", SLUGS)
def test_each_demo_page_answers_in_every_language_and_is_in_the_footer(client, demo, prefix, slug):
    page = client.get(f"{prefix}/about/{slug}/")

    assert page.status_code == 200
    footer = page.text.split('<footer class="site-footer">', 1)[1]
    for other in SLUGS:
        assert f'href="{prefix}/about/{other}/"' in footer


def test_a_page_speaks_the_readers_language_and_falls_back_to_russian_marked_as_such(client):
    Page.objects.create(
        slug="contacts",
        title="Контакты",
        body="<p>Звоните</p>",
        title_en="Contacts",
        body_en="<p>Call us</p>",
    )

    english = client.get("/en/about/contacts/").text
    belarusian = client.get("/be/about/contacts/").text

    assert "<h1>Contacts</h1>" in english and "Call us" in english
    assert '<article class="page">' in english
    assert '<article class="page" lang="ru">' in belarusian and "Звоните" in belarusian


def test_a_page_body_is_sanitized_when_saved():
    page = Page.objects.create(
        slug="x", title="X", body='<p onclick="steal()">Текст</p><script>alert(1)</script>'
    )

    page.refresh_from_db()
    assert page.body == "<p>Текст</p>"


def test_an_unknown_page_is_404(client):
    assert client.get("/about/nothing/").status_code == 404


def test_the_pages_are_in_the_sitemap(client, demo):
    sitemap = client.get(reverse("sitemap-section", args=["pages"])).text

    for slug in SLUGS:
        assert f"http://testserver/about/{slug}/</loc>" in sitemap


def test_editors_and_publishers_edit_the_pages_authors_do_not(
    client, demo, author, editor, publisher
):
    page = Page.objects.get(slug="privacy")
    url = f"/admin/news/page/{page.pk}/change/"
    for user, status in [(author, 403), (editor, 200), (publisher, 200)]:
        client.force_login(user)
        assert client.get(url).status_code == status, user


def test_an_editors_change_to_a_page_is_what_readers_then_read(client, demo, editor):
    from tests.admin_forms import change_page_data

    page = Page.objects.get(slug="privacy")
    url = f"/admin/news/page/{page.pk}/change/"
    client.force_login(editor)
    data = change_page_data(client.get(url))
    data["body_en"] = "<p>We keep nothing.</p>"

    response = client.post(url, data)

    assert response.status_code == 302
    client.logout()
    assert "We keep nothing." in client.get("/en/about/privacy/").text


def test_the_footer_follows_a_page_saved_or_deleted_and_costs_no_query(
    client, django_assert_max_num_queries
):
    page = Page.objects.create(slug="privacy", title="Конфиденциальность", body="<p>Т</p>")
    assert "Конфиденциальность" in client.get("/about/privacy/").text  # the footer is kept now

    page.title = "Политика конфиденциальности"
    page.save()
    assert "Политика конфиденциальности</a>" in client.get("/search/?q=x").text
    Page.objects.create(slug="contacts", title="Контакты", body="<p>Т</p>")
    page.delete()
    footer = client.get("/search/?q=y").text.split('<footer class="site-footer">', 1)[1]
    assert "Контакты" in footer and "конфиденциальности" not in footer

    with django_assert_max_num_queries(0):
        from news.pages import footer_pages

        assert footer_pages() == [("/about/contacts/", "Контакты")]
