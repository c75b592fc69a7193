"""A warning, not a refusal, when a release saved in the admin looks like one already there."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext

from news.models import Release


def warn_of_duplicates(request: HttpRequest, release: Release, form: Any) -> None:
    """Say which releases have the same title and event date, when either was just set."""
    if not {"title", "event_start"} & set(form.changed_data):
        return
    others = list(
        Release.objects.same_as(title=release.title, event_start=release.event_start)
        .exclude(pk=release.pk)
        .only("title", "state")[:5]
    )
    if not others:
        return
    links = format_html_join(
        ", ",
        '<a href="{}">«{}»</a> ({})',
        (
            (
                reverse("admin:news_release_change", args=[other.pk]),
                other.title,
                other.get_state_display(),
            )
            for other in others
        ),
    )
    messages.warning(
        request,
        format_html(
            "{} {}",
            gettext("A release with the same title and event date exists already:"),
            links,
        ),
    )
