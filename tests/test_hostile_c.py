"""Hostile input for the desk's queues, making a translation, duplicates and notices: no 5xx,
nothing stored half, nothing unpublished shown to whom may not see it, markup shown as text."""

from __future__ import annotations

import pytest
from django.urls import reverse

from news import workflow
from news.models import Release, State
from scripts.hostile_scan import CORE_VALUES
from tests.admin_forms import release_form_data
from tests.factories import PublishedReleaseFactory, ReleaseFactory
from tests.test_hostile_input import XSS, live_markup

pytestmark = pytest.mark.django_db

ODD_IDS = ["0", "-1", str(10**30), "x", "%C0%80", "1%00", "..%2F..%2Fadmin", "٣", "😀"]


@pytest.mark.parametrize("role", ["superuser", "author", "editor"])
def test_bad_desk_queue_names_list_nothing_and_never_answer_500(client, request, role):
    ReleaseFactory(title="Черновик", state=State.SUBMITTED)
    client.force_login(request.getfixturevalue(role))
    changelist = reverse("admin:news_release_changelist")

    for value in [*CORE_VALUES, "review%00", "REVIEW", "my-drafts%20"]:
        response = client.get(f"{changelist}?queue={value}")
        assert response.status_code < 500, value
        if response.status_code == 200:
            assert list(response.context["cl"].result_list) == [], value


@pytest.mark.parametrize("method", ["get", "post"])
def test_bad_languages_and_ids_for_a_translation_are_404_and_store_nothing(client, editor, method):
    release = PublishedReleaseFactory()
    client.force_login(editor)
    urls = [f"/admin/news/release/{release.pk}/translate/{value}/" for value in CORE_VALUES]
    urls += [f"/admin/news/release/{value}/translate/en/" for value in ODD_IDS]

    statuses = {url: getattr(client, method)(url).status_code for url in urls}

    assert {url: status for url, status in statuses.items() if status >= 500} == {}
    assert Release.objects.count() == 1


def test_a_person_without_a_role_cannot_make_a_translation_or_see_the_page(
    client, django_user_model
):
    release = ReleaseFactory(title="Черновик")
    visitor = django_user_model.objects.create_user("visitor", password="x" * 12, is_staff=True)
    client.force_login(visitor)
    url = reverse("admin:news_release_translate", args=[release.pk, "en"])

    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    assert Release.objects.count() == 1


@pytest.mark.parametrize("payload", XSS[:12])
def test_a_hostile_title_in_the_duplicate_warning_is_text(client, author, payload):
    ReleaseFactory(title=payload)
    client.force_login(author)
    data = release_form_data(Release(title=payload, kind="news", language="ru"), slug="")

    response = client.post(reverse("admin:news_release_add"), data, follow=True)

    assert response.status_code == 200
    [warning] = [m for m in response.context["messages"] if m.level_tag == "warning"]
    assert live_markup(str(warning)) == []
    assert payload not in response.content.decode()


@pytest.mark.parametrize("payload", XSS[:12])
def test_a_hostile_comment_in_a_desk_notice_is_text(client, author, editor, payload):
    release = ReleaseFactory(title=payload, created_by=author, last_edited_by=author)
    workflow.release_submit(release=release, user=author)
    workflow.release_send_back(release=release, user=editor, comment=payload)
    client.force_login(author)

    response = client.get(reverse("admin:index"))

    html = response.content.decode()
    notices = html[
        html.index('class="desk__notices"') : html.index("</ul>", html.index("desk__notices"))
    ]
    assert response.status_code == 200
    assert live_markup(notices) == []
    assert payload not in html
