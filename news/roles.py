"""The editorial roles and the rights of each, declared once.

After every migrate the three groups are given exactly these permissions (sync_roles): a right
given or taken here needs no migration. Each workflow move names the permission it asks for in
news.workflow.TRANSITIONS; the admin's buttons and the services both read it from there.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.apps import apps as global_apps
from django.apps.registry import Apps
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, router, transaction
from django.utils.translation import gettext, pgettext_lazy

CATALOGUE = ["official", "appointment", "organisation", "delegation", "programmeitem"]

WRITE_RELEASES = [
    "news.add_release",
    "news.change_release",
    "news.view_release",
    "news.add_sourceurl",
    "news.change_sourceurl",
    "news.delete_sourceurl",
    "news.view_sourceurl",
]
# Photos and documents of a release: the image library, the gallery, the attachments.
ILLUSTRATE_RELEASES = [
    "news.add_image",
    "news.view_image",
    "news.add_releaseimage",
    "news.change_releaseimage",
    "news.delete_releaseimage",
    "news.view_releaseimage",
    "news.add_attachment",
    "news.change_attachment",
    "news.delete_attachment",
    "news.view_attachment",
    "news.view_contact",
]
READ_CATALOGUE = [f"news.view_{model}" for model in [*CATALOGUE, "country"]]
# A new entry is private until a reviewed release that mentions it is published.
ADD_TO_CATALOGUE = [f"news.add_{model}" for model in CATALOGUE]
# Readers see a change of an existing entry at once: only reviewers make it.
CHANGE_CATALOGUE = [f"news.change_{model}" for model in CATALOGUE]
# Topics are taggit's tags, made by typing them on a release; their Belarusian and English
# names are beside them (TopicTranslation). Every role reads them; reviewers name them.
READ_TOPICS = ["taggit.view_tag", "news.view_topictranslation"]
NAME_TOPICS = [
    "taggit.change_tag",
    "news.add_topictranslation",
    "news.change_topictranslation",
]
# The press service's contact list, which every role chooses from (ILLUSTRATE_RELEASES).
MANAGE_CONTACTS = ["news.add_contact", "news.change_contact", "news.delete_contact"]
# The press service's own pages (contacts, accessibility, privacy), and striking a programme point.
MANAGE_PAGES = [
    *(f"news.{action}_page" for action in ["add", "change", "delete", "view"]),
    "news.delete_programmeitem",
]

ROLES: dict[str, frozenset[str]] = {
    "Author": frozenset(
        [
            *WRITE_RELEASES,
            *ILLUSTRATE_RELEASES,
            *READ_CATALOGUE,
            *READ_TOPICS,
            *ADD_TO_CATALOGUE,
            "news.submit_release",
            "news.preview_release",
        ]
    ),
    "Editor": frozenset(
        [
            *WRITE_RELEASES,
            *ILLUSTRATE_RELEASES,
            *READ_CATALOGUE,
            *READ_TOPICS,
            *ADD_TO_CATALOGUE,
            *CHANGE_CATALOGUE,
            *NAME_TOPICS,
            *MANAGE_CONTACTS,
            *MANAGE_PAGES,
            "news.change_image",
            "news.submit_release",
            "news.review_release",
            "news.edit_any_release",
            "news.delete_release",
            "news.preview_release",
            "news.view_auditentry",
            "news.view_subscriber",
        ]
    ),
    "Publisher": frozenset(
        [
            *WRITE_RELEASES,
            *ILLUSTRATE_RELEASES,
            *READ_CATALOGUE,
            *READ_TOPICS,
            *ADD_TO_CATALOGUE,
            *CHANGE_CATALOGUE,
            *NAME_TOPICS,
            *MANAGE_CONTACTS,
            *MANAGE_PAGES,
            "news.change_image",
            "news.edit_any_release",
            "news.publish_release",
            "news.force_publish_release",
            "news.withdraw_release",
            "news.unpublish_release",
            "news.preview_release",
            "news.view_auditentry",
            "news.view_subscriber",
        ]
    ),
}

# How the interface names each role: who may do a thing, and whom to ask for it.
ROLE_NAMES = {
    "Author": (pgettext_lazy("role", "an author"), pgettext_lazy("whom to ask", "another author")),
    "Editor": (pgettext_lazy("role", "an editor"), pgettext_lazy("whom to ask", "another editor")),
    "Publisher": (
        pgettext_lazy("role", "a publisher"),
        pgettext_lazy("whom to ask", "another publisher"),
    ),
}


def _roles_with(right: str, form: int) -> str:
    names = [str(ROLE_NAMES[name][form]) for name, rights in ROLES.items() if right in rights]
    return gettext(" or ").join(names) or gettext("an administrator")


def only_roles_may(right: str) -> str:
    """Which roles hold the right, in one line: "Only an editor can do this." """
    return gettext("Only %(roles)s can do this.") % {"roles": _roles_with(right, 0)}


def ask_another(right: str) -> str:
    """Whom to ask when the same person may not do it twice: "ask another editor"."""
    return gettext("Needs a second person: ask %(roles)s.") % {"roles": _roles_with(right, 1)}


def _permissions(rights: Iterable[str], using: str) -> set[Permission]:
    wanted = {tuple(right.split(".", 1)) for right in rights}
    found = {
        (permission.content_type.app_label, permission.codename): permission
        for permission in Permission.objects.using(using)
        .select_related("content_type")
        .filter(codename__in={codename for _, codename in wanted})
    }
    missing = wanted - found.keys()
    if missing:
        names = ", ".join(sorted(".".join(key) for key in missing))
        raise ImproperlyConfigured(f"news.roles.ROLES names unknown permissions: {names}")
    return {found[key] for key in wanted}


def sync_roles(*, using: str = DEFAULT_DB_ALIAS, apps: Apps = global_apps, **kwargs: Any) -> None:
    """Give each role's group exactly the permissions of ROLES; other groups stay as they are."""
    try:
        apps.get_model("auth", "Group")
    except LookupError:
        return  # auth is not migrated on this database
    if not router.allow_migrate_model(using, Group):
        return
    with transaction.atomic(using=using):
        for name, rights in ROLES.items():
            group, _ = Group.objects.using(using).get_or_create(name=name)
            wanted = _permissions(rights, using)
            held = set(group.permissions.all())
            # Only what differs: each change is written to the security log (news.accounts).
            if wanted - held:
                group.permissions.add(*(wanted - held))
            if held - wanted:
                group.permissions.remove(*(held - wanted))
