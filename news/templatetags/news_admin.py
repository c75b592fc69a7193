"""The editors' desk on the admin's first page: what waits for whom (news.desk)."""

from __future__ import annotations

from typing import Any

from django import template
from django_otp import user_has_device

from news.desk import desk_tiles
from news.notifications import desk_notices

register = template.Library()


@register.inclusion_tag("admin/news/desk.html", takes_context=True)
def editors_desk(context: template.Context) -> dict[str, Any]:
    user = context["request"].user
    if not user.has_perm("news.view_release"):
        return {"tiles": []}
    tiles = desk_tiles(user)
    return {
        "tiles": tiles,
        "all_empty": not any(tile.count for tile in tiles),
        "review": next((tile for tile in tiles if tile.queue.key == "review"), None),
        "notices": desk_notices(user),
        "may_write": user.has_perm("news.add_release"),
        "two_factor_on": user_has_device(user),
    }
