"""Who may open what: every role against the admin's pages and actions and the public site.

The workflow's moves, role by role, are in test_workflow.py; here each person meets each page,
and a refused action is shown to have changed nothing.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from news import roles, workflow
from news.models import Release, State
from tests.factories import (
    OfficialFactory,
    OrganisationFactory,
    PublishedReleaseFactory,
    ReleaseFactory,
)
from tests.test_workflow import MOVES, OWN_WORK

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "author", "editor", "publisher", "superuser"]
OK, LOGIN, FORBIDDEN = 200, 302, 403


@pytest.fixture
def people(author, editor, publisher, superuser):
    return {
        "anonymous": None,
        "author": author,
        "editor": editor,
        "publisher": publisher,
        "superuser": superuser,
    }


@pytest.fixture
def world(author):
    draft = ReleaseFactory(created_by=author, last_edited_by=author)
    live = PublishedReleaseFactory(created_by=author)
    official, organisation = OfficialFactory(), OrganisationFactory()
    live.officials.add(official)
    live.organisations.add(organisation)
    # What an author added for the draft: private until a published release mentions it.
    draft_official = OfficialFactory()
    draft_organisation = OrganisationFactory(website="https://example.org/")
    draft.officials.add(draft_official)
    draft.organisations.add(draft_organisation)
    live.tags.add("связь")
    return {
        "topic": live.tags.get(),
        "draft": draft,
        "live": live,
        "official": official,
        "organisation": organisation,
        "draft official": draft_official,
        "draft organisation": draft_organisation,
    }


def as_role(client, people, role):
    if people[role] is not None:
        client.force_login(people[role])
    return client


# (page, expected status for anonymous, author, editor, publisher, superuser)
ADMIN_PAGES = [
    ("admin:index", [], (LOGIN, OK, OK, OK, OK)),
    ("admin:news_release_changelist", [], (LOGIN, OK, OK, OK, OK)),
    ("admin:news_release_add", [], (LOGIN, OK, OK, OK, OK)),
    ("admin:news_release_change", ["draft"], (LOGIN, OK, OK, OK, OK)),
    ("admin:news_delegation_changelist", [], (LOGIN, OK, OK, OK, OK)),
    ("admin:news_country_changelist", [], (LOGIN, OK, OK, OK, OK)),
    ("admin:news_official_changelist", [], (LOGIN, OK, OK, OK, OK)),
    ("admin:news_organisation_changelist", [], (LOGIN, OK, OK, OK, OK)),
    # Anyone writing a release may add who and what it mentions (private until published).
    ("admin:news_official_add", [], (LOGIN, OK, OK, OK, OK)),
    ("admin:news_organisation_add", [], (LOGIN, OK, OK, OK, OK)),
    ("admin:news_delegation_add", [], (LOGIN, OK, OK, OK, OK)),
    # Topics: every role reads them and their other names; reviewers give those names. New
    # topics are typed on a release, never added here.
    ("admin:taggit_tag_changelist", [], (LOGIN, OK, OK, OK, OK)),
    ("admin:taggit_tag_change", ["topic"], (LOGIN, OK, OK, OK, OK)),
    ("admin:taggit_tag_add", [], (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK)),
    ("admin:taggit_tag_delete", ["topic"], (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK)),
    ("admin:taggit_tag_merge_tags", [], (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK)),
    ("admin:news_auditentry_changelist", [], (LOGIN, FORBIDDEN, OK, OK, OK)),
    ("admin:auth_user_changelist", [], (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK)),
    ("admin:auth_group_changelist", [], (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK)),
    ("admin:auth_user_add", [], (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK)),
]


@pytest.mark.parametrize(("name", "args", "expected"), ADMIN_PAGES)
@pytest.mark.parametrize("role", ROLES)
def test_admin_pages_by_role(client, people, world, name, args, expected, role):
    url = reverse(name, args=[world[arg].pk for arg in args])
    response = as_role(client, people, role).get(url)
    assert response.status_code == expected[ROLES.index(role)], (role, name)
    if response.status_code == LOGIN:
        assert response.url.startswith(reverse("admin:login"))


PUBLIC_PAGES = [
    lambda w: reverse("news:release-list"),
    lambda w: w["live"].get_absolute_url(),
    lambda w: w["official"].get_absolute_url(),
    lambda w: w["organisation"].get_absolute_url(),
    lambda w: reverse("news:feed-rss"),
    lambda w: reverse("news:feed-atom"),
    lambda w: reverse("health"),
]


@pytest.mark.parametrize("page", PUBLIC_PAGES)
@pytest.mark.parametrize("role", ROLES)
def test_public_pages_are_the_same_for_everyone(client, people, world, page, role):
    assert as_role(client, people, role).get(page(world)).status_code == OK


@pytest.mark.parametrize("role", ROLES)
def test_drafts_stay_private_whoever_asks_on_the_public_site(client, people, world, role):
    response = as_role(client, people, role).get(world["draft"].get_absolute_url())
    assert response.status_code == 404


@pytest.mark.parametrize("thing", ["draft official", "draft organisation"])
@pytest.mark.parametrize("role", ROLES)
def test_what_only_a_draft_mentions_stays_private_whoever_asks(client, people, world, thing, role):
    entity = world[thing]
    kind = entity._meta.model_name
    for url in [
        entity.get_absolute_url(),
        reverse(f"news:{kind}-feed-rss", args=[entity.slug]),
        reverse(f"news:{kind}-feed-atom", args=[entity.slug]),
    ]:
        assert as_role(client, people, role).get(url).status_code == 404, url


# Admin actions that change something: who is let through, and that a refusal stores nothing.
ACTIONS = {
    "submit": ("admin:news_release_transition", "draft", {"name": "submit"}),
    "approve": ("admin:news_release_transition", "draft", {"name": "approve"}),
    "publish": ("admin:news_release_transition", "draft", {"name": "publish"}),
    "withdraw": ("admin:news_release_transition", "live", {"name": "withdraw"}),
    "unpublish": ("admin:news_release_transition", "live", {"name": "unpublish"}),
    "preview link": ("admin:news_release_preview_link", "draft", {}),
}


@pytest.mark.parametrize("action", ACTIONS)
def test_anonymous_actions_go_to_the_login_and_change_nothing(client, world, action):
    name, target, kwargs = ACTIONS[action]
    release = world[target]
    before = (release.state, release.version)
    url = reverse(name, kwargs={"object_id": release.pk, **kwargs})

    response = client.post(url, {"reason": "x", "comment": "x", "version": release.version})

    assert response.status_code == LOGIN
    assert response.url.startswith(reverse("admin:login"))
    release.refresh_from_db()
    assert (release.state, release.version) == before
    assert not release.preview_links.exists()


GROUPS = {"author": "Author", "editor": "Editor", "publisher": "Publisher"}


def may(role: str, transition: workflow.Transition) -> bool:
    """What the table of roles says; a superuser may make every move."""
    return role == "superuser" or transition.permission in roles.ROLES[GROUPS[role]]


@pytest.mark.parametrize("role", ["author", "editor", "publisher", "superuser"])
@pytest.mark.parametrize("move", list(workflow.TRANSITIONS))
def test_each_role_gets_the_buttons_and_moves_the_table_of_roles_gives_it(
    client, people, author, move, role
):
    transition = workflow.TRANSITIONS[move]
    # The author's release in the state the move starts from (with the actor's own work).
    make_release = MOVES[move][0]
    release = make_release(author, people[role]) if move in OWN_WORK else make_release(author)
    allowed = may(role, transition)
    as_role(client, people, role)
    before = (release.state, release.version, release.audit_entries.count())

    page = client.get(reverse("admin:news_release_change", args=[release.pk]))
    assert (f'data-move="{move}"' in page.content.decode()) is allowed
    response = client.post(
        reverse("admin:news_release_transition", args=[release.pk, move]),
        {
            "comment": "Проверено",
            "reason": "Срочно",
            "note": "Уточнена дата",
            "version": release.version,
        },
    )

    release.refresh_from_db()
    if allowed:
        assert response.status_code == 302  # back to the release, with what was done
        assert release.audit_entries.first().user == people[role]
        assert release.version > before[1]
    else:
        assert response.status_code == 302  # back to the release, saying why
        assert (release.state, release.version, release.audit_entries.count()) == before


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("author", False), ("editor", False), ("publisher", False), ("superuser", True)],
)
def test_only_a_superuser_manages_accounts(client, people, world, role, allowed):
    response = as_role(client, people, role).post(
        reverse("admin:auth_user_add"),
        {"username": "intruder", "password1": "x-Long-enough-9", "password2": "x-Long-enough-9"},
    )
    created = people["superuser"].__class__.objects.filter(username="intruder").exists()
    assert created is allowed
    if not allowed:
        assert response.status_code == FORBIDDEN


def test_the_matrix_covers_every_release_state_nobody_outside_sees(client, world):
    hidden = [s for s in State if s not in (State.PUBLISHED, State.WITHDRAWN)]
    for state in hidden:
        release = ReleaseFactory(state=state)
        assert client.get(release.get_absolute_url()).status_code in (404, 410), state
    assert Release.objects.count() == 2 + len(hidden)


@pytest.mark.parametrize(
    ("role", "may_change"),
    [("author", False), ("editor", True), ("publisher", True), ("superuser", True)],
)
def test_only_reviewers_change_the_catalogue_readers_already_see(people, role, may_change):
    user = people[role]
    for model in ["official", "appointment", "organisation", "delegation"]:
        assert user.has_perm(f"news.add_{model}"), (role, model)
        assert user.has_perm(f"news.change_{model}") is may_change, (role, model)
        assert not user.has_perm(f"news.delete_{model}") or role == "superuser"


@pytest.mark.parametrize("role", ["author", "editor", "publisher"])
def test_only_a_superuser_merges_topics(client, people, world, role):
    other_release = PublishedReleaseFactory(tags=["почта"])
    other = other_release.tags.get()
    client = as_role(client, people, role)
    session = client.session
    session["selected_tag_ids"] = f"{world['topic'].pk},{other.pk}"
    session.save()

    response = client.post(reverse("admin:taggit_tag_merge_tags"), {"new_tag_name": "связь"})
    assert response.status_code == FORBIDDEN
    assert set(world["live"].tags.names()) == {"связь"}
    assert set(other_release.tags.names()) == {"почта"}
    changelist = client.post(
        reverse("admin:taggit_tag_changelist"),
        {"action": "render_tag_form", "_selected_action": [other.pk]},
    )
    assert "merge-tags" not in changelist.get("Location", "")
