"""What a subscription can follow: everything, or one public topic, official, organisation,
country, visit or kind; which scopes a release falls in; how a scope is named to a reader."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext as _

from news.models import Country, Delegation, Official, Organisation, Release, Topic
from news.models.release_choices import Kind
from news.models.subscriptions import Scope

# Each scope of an entity: its model (whose public() says what readers may follow) and the
# release's relation to it.
ENTITY_SCOPES: dict[str, tuple[type[models.Model], str]] = {
    Scope.TOPIC: (Topic, "tags"),
    Scope.OFFICIAL: (Official, "officials"),
    Scope.ORGANISATION: (Organisation, "organisations"),
    Scope.COUNTRY: (Country, "countries"),
    Scope.DELEGATION: (Delegation, "delegations"),
}


def scope_object(scope: str, key: str) -> models.Model | str | None:
    """The public thing scope and key name (a Kind for kinds, "" for everything), or None."""
    if scope == Scope.EVERYTHING:
        return "" if key == "" else None
    if scope == Scope.KIND:
        return Kind(key) if key in Kind.values else None
    if scope not in ENTITY_SCOPES or not key.isascii() or not key.isdigit() or len(key) > 18:
        return None
    model, _relation = ENTITY_SCOPES[scope]
    return model.objects.public().filter(pk=int(key)).first()


def scope_label(scope: str, key: str) -> str:
    """How a subscription is named on the management page and in a digest's headings."""
    if scope == Scope.EVERYTHING:
        return _("All releases")
    thing = scope_object(scope, key)
    if thing is None:
        return _("A page no longer public")
    if scope == Scope.KIND:
        return str(Kind(key).label).capitalize()
    return f"{Scope(scope).label.capitalize()}: {thing}"


def release_scopes(release: Release) -> list[tuple[str, str]]:
    """Every (scope, key) a release falls in, everything first. A few queries."""
    keys = [(Scope.EVERYTHING.value, ""), (Scope.KIND.value, release.kind)]
    for scope, (_model, relation) in ENTITY_SCOPES.items():
        pks = getattr(release, relation).values_list("pk", flat=True)
        keys += [(str(scope), str(pk)) for pk in pks]
    return keys


def matching(keys: list[tuple[str, str]]) -> models.Q:
    """The subscriptions that follow any of keys."""
    query = models.Q(pk__in=[])
    by_scope: dict[str, list[str]] = {}
    for scope, key in keys:
        by_scope.setdefault(scope, []).append(key)
    for scope, values in by_scope.items():
        query |= models.Q(scope=scope, key__in=values)
    return query
