"""Topics whose names have nothing to transliterate: the site stays up, every slug is a slug."""

from __future__ import annotations

import importlib
import json
import re

import pytest
from django.apps import apps
from django.urls import reverse
from taggit.models import Tag

from news import workflow
from news.demo import load_catalogue
from news.editing import release_stage_changes
from news.importing.jsonl import import_jsonl_file
from news.models import Delegation, Official, Organisation, Release, State, Topic, snapshot_of
from news.revisions import show_pending_version
from news.slugs import latin_slug, slug_for, unique_slug
from tests.factories import CountryFactory, PublishedReleaseFactory

pytestmark = pytest.mark.django_db

URL_SAFE = re.compile(r"^[-a-zA-Z0-9_]+$")
# Names that transliterate to nothing, or to Latin only through unidecode.
HOSTILE_NAMES = ["—", ">", "?", "😀", "!!!", "«»", "экономика"]


def assert_url_safe_and_distinct(slugs: list[str]) -> None:
    assert all(URL_SAFE.match(slug) for slug in slugs), slugs
    assert len(set(slugs)) == len(slugs), slugs


def public_urls(release: Release, topic: Tag) -> list[str]:
    return [
        "/",
        "/en/",
        "/be/",
        reverse("news:kind-list", kwargs={"kind": release.kind}),
        release.get_absolute_url(),
        reverse("news:country-detail", kwargs={"code": "RS"}),
        "/api/v1/releases",
        "/api/v1/tags",
        f"/api/v1/tags/{topic.slug}",
        reverse("news:tag-detail", kwargs={"slug": topic.slug}),
        reverse("news:tag-feed-rss", kwargs={"slug": topic.slug}),
        reverse("news:tag-feed-atom", kwargs={"slug": topic.slug}),
        reverse("news:feed-list"),
    ]


def published_with_topics(*names: str) -> Release:
    release = PublishedReleaseFactory(tags=list(names))
    release.countries.add(CountryFactory(code="RS"))
    return release


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_a_published_release_with_the_topic_leaves_every_page_up(client, name):
    release = published_with_topics(name)
    topic = release.tags.get()

    assert topic.name == name
    assert URL_SAFE.match(topic.slug), topic.slug
    for url in public_urls(release, topic):
        assert client.get(url).status_code == 200, url
    assert name in client.get(release.get_absolute_url()).content.decode()
    assert json.loads(client.get("/api/v1/tags").content)["items"][0]["slug"] == topic.slug


def test_a_cyrillic_topic_gets_a_latin_slug():
    release = published_with_topics("Почтовая связь")

    assert release.tags.get().slug == "pochtovaia-sviaz"


def test_two_punctuation_only_topics_get_two_slugs(client):
    release = published_with_topics("—", "?")
    topics = list(release.tags.all())

    assert_url_safe_and_distinct([topic.slug for topic in topics])
    for topic in topics:
        assert client.get(reverse("news:tag-detail", args=[topic.slug])).status_code == 200


def test_every_hostile_name_on_one_release_gets_its_own_slug(client):
    release = published_with_topics(*HOSTILE_NAMES)

    assert_url_safe_and_distinct(list(Tag.objects.values_list("slug", flat=True)))
    assert client.get("/").status_code == 200
    assert client.get(release.get_absolute_url()).status_code == 200


def test_a_topic_keeps_its_slug_whatever_release_it_is_added_to_next():
    first = published_with_topics("—")
    second = PublishedReleaseFactory()
    second.tags.set(["—", "😀"])

    assert Tag.objects.count() == 2
    assert second.tags.get(name="—").slug == first.tags.get().slug


def test_tags_set_and_add_create_topics_with_slugs():
    release = PublishedReleaseFactory()
    release.tags.set(["!!!", "«»"])
    release.tags.add("—")

    assert {type(tag) for tag in release.tags.all()} == {Topic}
    assert_url_safe_and_distinct(list(Tag.objects.values_list("slug", flat=True)))


def test_a_taggit_tag_is_added_as_the_topic_it_is():
    tag = Tag.objects.create(name="связь", slug="sviaz")
    release = PublishedReleaseFactory()

    release.tags.add(tag)
    release.tags.set([tag, "—"])

    assert sorted(release.tags.values_list("pk", flat=True))[0] == tag.pk
    assert Tag.objects.count() == 2


def test_a_withdrawn_release_with_the_topic_keeps_its_page_and_leaves_the_listings(
    client, publisher
):
    release = published_with_topics("—")
    topic = release.tags.get()

    workflow.release_withdraw(release=release, user=publisher, reason="Ошибка в тексте.")

    response = client.get(release.get_absolute_url())
    assert response.status_code == 200
    assert "Ошибка в тексте." in response.content.decode()
    for url in ["/", "/en/", "/be/", "/api/v1/releases", "/api/v1/tags"]:
        assert client.get(url).status_code == 200, url
    # Only topics of published releases have a page.
    assert client.get(reverse("news:tag-detail", args=[topic.slug])).status_code == 404


def test_the_admin_tag_input_gives_slugs(admin_client):
    response = admin_client.post(
        reverse("admin:news_release_add"),
        {
            "title": "Переговоры",
            "kind": "press_release",
            "language": "ru",
            "summary": "Состоялись переговоры.",
            "body": "<p>Текст</p>",
            "tags": "—, 😀, «», экономика",
            "state": State.DRAFT,
            "sources-TOTAL_FORMS": "0",
            "sources-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    release = Release.objects.get()
    assert sorted(release.tags.names()) == sorted(["—", "😀", "«»", "экономика"])
    assert_url_safe_and_distinct(list(Tag.objects.values_list("slug", flat=True)))


def test_a_json_lines_import_gives_slugs(tmp_path, client):
    path = tmp_path / "releases.jsonl"
    records = [
        {"title": "Первый", "body": "<p>Текст</p>", "tags": ["—", "?", "экономика"]},
        {"title": "Второй", "body": "<p>Текст</p>", "tags": ["😀", "—", "!!!"]},
    ]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n")
    published_with_topics(">")

    import_jsonl_file(path, publish_at=Release.objects.get().published_at)

    assert Tag.objects.count() == 6
    assert_url_safe_and_distinct(list(Tag.objects.values_list("slug", flat=True)))
    assert client.get("/").status_code == 200
    for slug in Tag.objects.values_list("slug", flat=True):
        assert client.get(reverse("news:tag-detail", args=[slug])).status_code == 200


def test_a_pending_version_with_new_hostile_topics_links_them(editor):
    release = published_with_topics("связь")
    data = {**snapshot_of(release), "tags": ["—", "😀"]}
    release_stage_changes(release=release, user=editor, data=data)
    release = Release.objects.for_detail().get(pk=release.pk)

    show_pending_version(release)  # as a preview of the pending version shows it

    assert sorted(topic.name for topic in release.topics) == ["—", "😀"]
    assert_url_safe_and_distinct([topic.slug for topic in release.topics])
    for topic in release.topics:
        assert reverse("news:tag-detail", args=[topic.slug])


def test_the_demo_topics_get_latin_slugs():
    load_catalogue()

    assert_url_safe_and_distinct(list(Tag.objects.values_list("slug", flat=True)))


# Other slugged models


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_officials_organisations_and_visits_get_a_slug_from_any_name(name):
    country = CountryFactory(code="RS")
    official = Official.objects.create(full_name=name)
    organisation = Organisation.objects.create(name=name)
    visit = Delegation.objects.create(
        title=name, country=country, start="2024-08-28", end="2024-08-30"
    )
    release = PublishedReleaseFactory(title=name)

    for item in [official, organisation, visit, release]:
        assert URL_SAFE.match(item.slug), (item, item.slug)
        assert item.get_absolute_url()


def test_two_officials_of_punctuation_only_names_get_two_slugs():
    slugs = [Official.objects.create(full_name=name).slug for name in ["—", "—", "?"]]

    assert_url_safe_and_distinct(slugs)


def test_a_slug_given_by_hand_is_kept():
    assert Official.objects.create(full_name="—", slug="ministr").slug == "ministr"


# The slug helpers


@pytest.mark.parametrize("name", [*HOSTILE_NAMES, "", "   ", "\u200b", "-_-"])
def test_slug_for_is_never_empty_and_always_url_safe(name):
    slug = slug_for(name, "topic")

    assert URL_SAFE.match(slug)
    assert slug == slug_for(name, "topic")  # the same name, the same slug


def test_slug_for_tells_punctuation_only_names_apart():
    assert slug_for("—", "topic") != slug_for("?", "topic")
    assert slug_for("Министр связи", "official") == latin_slug("Министр связи")


def test_unique_slug_of_a_name_with_nothing_to_transliterate_uses_the_fallback():
    assert unique_slug("😀", lambda slug: False, fallback="release") == "release"


# Repairing the slugs stored before


def repair_topic_slugs() -> None:
    migration = importlib.import_module("news.migrations.0011_topic_slugs")
    migration.repair_topic_slugs(apps, None)


def test_the_migration_gives_stored_topics_valid_unique_slugs(client):
    release = PublishedReleaseFactory(tags=["—", "?", "экономика", "связь", "Economy"])
    Tag.objects.filter(name="—").update(slug="")
    Tag.objects.filter(name="?").update(slug="_1")
    Tag.objects.filter(name="экономика").update(slug="экономика")
    Tag.objects.filter(name="связь").update(slug="svyaz")
    Tag.objects.filter(name="Economy").update(slug="ekonomika")

    repair_topic_slugs()

    slugs = dict(Tag.objects.values_list("name", "slug"))
    assert_url_safe_and_distinct(list(slugs.values()))
    # Slugs that were valid stay as they were: their pages keep their addresses.
    assert slugs["?"] == "_1"
    assert slugs["связь"] == "svyaz"
    assert slugs["Economy"] == "ekonomika"
    assert slugs["экономика"] != "ekonomika"
    for url in ["/", release.get_absolute_url(), "/api/v1/tags"]:
        assert client.get(url).status_code == 200, url


def test_the_migration_leaves_valid_slugs_alone():
    PublishedReleaseFactory(tags=["связь", "—"])
    before = dict(Tag.objects.values_list("name", "slug"))

    repair_topic_slugs()

    assert dict(Tag.objects.values_list("name", "slug")) == before


@pytest.mark.parametrize(
    ("old", "route"),
    [
        ("экономика", "news:tag-detail"),
        ("экономика", "news:tag-feed-rss"),
        ("экономика", "news:tag-feed-atom"),
        ("экономика_1", "news:tag-detail"),
    ],
)
def test_a_topic_address_from_before_latin_slugs_moves_permanently(client, old, route):
    PublishedReleaseFactory(tags=["Экономика"])
    topic = Topic.objects.get()

    response = client.get(reverse(route, kwargs={"slug": old}))

    assert response.status_code == 301
    assert response["Location"] == reverse(route, kwargs={"slug": topic.slug})


def test_an_old_address_of_a_topic_no_published_release_has_stays_404(client):
    release = PublishedReleaseFactory(tags=["Экономика"])
    Release.objects.filter(pk=release.pk).update(state=State.DRAFT)

    assert client.get(reverse("news:tag-detail", kwargs={"slug": "экономика"})).status_code == 404
    assert client.get(reverse("news:tag-detail", kwargs={"slug": "связь"})).status_code == 404


def test_public_topics_are_those_of_published_releases_each_once():
    PublishedReleaseFactory(tags=["связь", "почта"])
    PublishedReleaseFactory(tags=["связь"])
    draft = PublishedReleaseFactory(tags=["секрет"])
    Release.objects.filter(pk=draft.pk).update(state=State.DRAFT)

    assert sorted(Topic.objects.public().values_list("name", flat=True)) == ["почта", "связь"]
