"""A release as readers will see it, before it is public, for whoever holds a signed link."""

from __future__ import annotations

from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from news.articles import release_page_context
from news.models import PreviewLink, Release
from news.models.workflow import PREVIEW_SALT, PREVIEW_STATES
from news.revisions import show_pending_version


def release_preview(request: HttpRequest, token: str) -> HttpResponse:
    """A release as readers will see it, for a person holding a signed link; no account needed."""
    try:
        signed = signing.Signer(salt=PREVIEW_SALT).unsign_object(token)
        link = PreviewLink.objects.get(pk=signed["link"], release_id=signed["release"])
    except (
        signing.BadSignature,
        ValueError,
        KeyError,
        TypeError,
        PreviewLink.DoesNotExist,
    ) as error:
        raise Http404(_("No such preview.")) from error
    release = None
    if link.is_active:
        # Only what may still be published: not a withdrawn, unpublished or binned release.
        previewable = Release.objects.not_in_bin().filter(state__in=PREVIEW_STATES)
        release = previewable.for_detail().filter(pk=link.release_id).first()
    if release is None:
        response = render(request, "news/preview_expired.html", {"link": link}, status=410)
    else:
        # A live release shows its published version: its pending changes are unreviewed. Only
        # a link made for them shows them, and only that version, while it is the one pending.
        if link.pending_revision_id and link.pending_revision_id == release.pending_revision_id:
            show_pending_version(release)
        page = release_page_context(release, preview=True)
        context = {"release": release, "is_preview": True, **page}
        response = render(request, "news/release_detail.html", context)
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
