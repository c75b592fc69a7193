"""Documents attached to releases, downloaded under their own names."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.cache import add_never_cache_headers

from ministry.admin_site import second_factor_redirect, staff_access
from news.models import Attachment, Release


def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    """A document of a release on record, under its own name (Cyrillic kept, RFC 5987).

    Staff who may view releases get documents of unpublished ones too, never cached, on the
    admin's terms: with the second factor when the two-factor rule asks it of them.
    """
    attachment = get_object_or_404(Attachment, pk=pk)
    public = Release.objects.on_record().filter(pk=attachment.release_id).exists()
    if not public:
        if not (request.user.is_staff and request.user.has_perm("news.view_release")):
            raise Http404
        if not staff_access(request):
            response = second_factor_redirect(request)
            add_never_cache_headers(response)
            return response
    try:
        file = attachment.file.open("rb")
    except OSError:
        raise Http404 from None
    # FileResponse writes filename*=utf-8''... for a name that is not ASCII.
    response = FileResponse(
        file,
        as_attachment=True,
        filename=attachment.download_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    if not public:
        add_never_cache_headers(response)
    return response
