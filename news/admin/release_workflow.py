"""The workflow panel of a release's change page, and the views its buttons post to.

The views call the services (news.workflow, news.corrections, news.editing, news.preview_links,
news.bin) and nothing else: the rules live there and in news.roles, so a forged request is
refused the same way a hidden button would have been, with the same message.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
)
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from news import history, revisions, workflow
from news.admin.release_forms import TransitionForm
from news.admin.subscribers import delivery_progress
from news.bin import release_untrash
from news.editing import release_link_entities, revision_restore
from news.mentions import EntityType, find_mentions, recognise, release_text
from news.mentions.linking import linked_keys, mention_key
from news.models import PreviewLink, Release, Revision, State, snapshot_of
from news.preview_links import (
    may_create_preview_link,
    may_revoke_preview_link,
    preview_link_create,
    preview_link_revoke,
)
from news.workflow_reasons import unavailable_transitions

# The change page's own addresses, after the release's: each served by the view <name>_view
# and named news_release_<name>.
WORKFLOW_URLS = [
    ("transition/<str:name>/", "transition"),
    ("revisions/", "revisions"),
    ("revisions/<int:revision_id>/restore/", "restore"),
    ("preview-links/", "preview_link"),
    ("preview-links/<int:link_id>/revoke/", "preview_revoke"),
    ("mentions/", "mentions"),
    ("untrash/", "untrash"),
]

MENTION_TYPE_LABELS = {
    EntityType.OFFICIAL: _("official"),
    EntityType.ORGANISATION: _("organisation"),
    EntityType.COUNTRY: _("country"),
    EntityType.TOPIC: _("topic"),
}


def refusal_messages(error: PermissionDenied | ValidationError) -> list[str]:
    """What a service's refusal says to the person refused."""
    if isinstance(error, ValidationError):
        return error.messages
    return [str(error) or gettext("You may not do this.")]


def back_to(release: Release) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("admin:news_release_change", args=[release.pk]))


def run_service(
    request: HttpRequest,
    release: Release,
    service: Callable[..., Any],
    done: Callable[[Any], str] | str,
    /,
    **inputs: Any,
) -> HttpResponseRedirect:
    """Run service(user=..., **inputs), back to the release saying what it did or why it refused.

    done is the message of success, or makes it from what the service returned.
    """
    try:
        result = service(user=request.user, **inputs)
    except (PermissionDenied, ValidationError) as error:
        for text in refusal_messages(error):
            messages.error(request, text)
    else:
        messages.success(request, done(result) if callable(done) else done)
    return back_to(release)


def transition_if_unchanged(
    *, transition: workflow.Transition, release: Release, user: Any, version: int | None, **needs
) -> None:
    """Make the move, unless the release changed after the page with the button was opened."""
    with transaction.atomic():
        current = Release.objects.select_for_update().get(pk=release.pk)
        if version is not None and version != current.version:
            raise ValidationError(
                _("The release changed after you opened it. Look at it again before you decide."),
                code="stale",
            )
        transition.service(release=release, user=user, **needs)


class ReleaseWorkflowMixin:
    """For the ModelAdmin of releases: the workflow panel, revisions and the buttons' views."""

    def get_urls(self) -> list:
        wrap = self.admin_site.admin_view
        return [
            *(
                path(
                    f"<path:object_id>/{route}",
                    wrap(getattr(self, f"{name}_view")),
                    name=f"news_release_{name}",
                )
                for route, name in WORKFLOW_URLS
            ),
            *super().get_urls(),
        ]

    def _release_or_404(self, request: HttpRequest, object_id: str) -> Release:
        try:
            release = Release.objects.get(pk=unquote(object_id))
        except (Release.DoesNotExist, ValueError, ValidationError) as error:
            # The address is typed input: an id that is no number names no release.
            raise Http404 from error
        if not self.has_view_permission(request, release):
            raise PermissionDenied
        return release

    def _part_or_404(
        self, request: HttpRequest, object_id: str, model: type[Revision | PreviewLink], pk: int
    ) -> tuple[Release, Any]:
        """The release of the address and one of its revisions or preview links."""
        release = self._release_or_404(request, object_id)
        return release, get_object_or_404(model, pk=pk, release=release)

    # The change page -----------------------------------------------------------------------

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        object_id = unquote(object_id)
        # Typed input: only ASCII digits name a release ("abc" or "¹" would fail in the lookup).
        is_pk = object_id.isascii() and object_id.isdigit()
        release = Release.objects.filter(pk=object_id).first() if is_pk else None
        if release is not None:
            extra_context = {**(extra_context or {}), **self._workflow_context(request, release)}
        return super().change_view(request, object_id, form_url, extra_context)

    def _workflow_context(self, request: HttpRequest, release: Release) -> dict[str, Any]:
        user = request.user
        links = release.preview_links.active().select_related("release")
        last_send_back = release.audit_entries.filter(action="send_back").first()
        return {
            "transitions": workflow.available_transitions(release=release, user=user),
            "unavailable": unavailable_transitions(release=release, user=user),
            **self._history_context(release),
            "pending_revision": release.pending_revision,
            "send_back": last_send_back if release.state == State.DRAFT else None,
            # The address lets anyone read the release: shown only to who may revoke it.
            "preview_links": [
                link for link in links if may_revoke_preview_link(link=link, user=user)
            ],
            "may_preview": may_create_preview_link(release=release, user=user),
            "may_untrash": release.deleted_at is not None and user.has_perm("news.delete_release"),
            "publishable_releases": Release.objects.published().exclude(pk=release.pk)[:50],
            "delivery": delivery_progress(release),
            **self._mentions_context(request, release),
        }

    def _history_context(self, release: Release) -> dict[str, Any]:
        """The one history, with the two versions its "Compare" starts from ticked."""
        items = history.release_history(release)
        stored = [item for item in items if item.revision]
        compare_to = next((item for item in stored if item.kind == history.PENDING), None)
        compare_to = compare_to or next(iter(stored), None)
        live = next((item for item in stored if item.kind == history.LIVE), None)
        earlier = [item for item in stored if item is not compare_to]
        compare_from = live if live and live is not compare_to else next(iter(earlier), None)
        if compare_from is None:  # one revision: compared with the release as it is now
            compare_from, compare_to = compare_to, None
        return {
            "history": items,
            "compare_from": compare_from.revision.pk if compare_from else None,
            "compare_to": compare_to.revision.pk if compare_to else None,
        }

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        """Django's object history: the release has one history, on its change page."""
        release = self._release_or_404(request, object_id)
        url = reverse("admin:news_release_change", args=[release.pk])
        return HttpResponseRedirect(f"{url}#history")

    def _mentions_context(self, request: HttpRequest, release: Release) -> dict[str, Any]:
        """What the text mentions, which of it is linked, and what may be linked with a click."""
        report = find_mentions(release_text(release), release.language)
        linked = linked_keys(release)
        rows = [
            {
                "key": mention_key(m),
                "mention": m,
                "type_label": MENTION_TYPE_LABELS[m.type],
                "linked": mention_key(m) in linked,
                "words": sorted({span.text for span in m.spans}),
            }
            for m in sorted(
                report.mentions, key=lambda m: (list(EntityType).index(m.type), str(m.entity))
            )
        ]
        return {
            "mention_rows": rows,
            "mention_report": report,
            "mentions_to_link": sum(
                1 for r in rows if not r["linked"] and r["mention"].is_confident
            ),
            "may_link_mentions": release.can_be_edited_by(request.user),
            "mentions_read_chars": number_format(recognise.TEXT_MAX_CHARS, force_grouping=True),
        }

    def render_change_form(self, request: HttpRequest, context: dict[str, Any], **kwargs: Any):
        form = context["adminform"].form
        context["conflict"] = getattr(form, "conflict", None)
        return super().render_change_form(request, context, **kwargs)

    def revisions_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Two versions side by side: revisions, the published version ("live") or the
        release as it is now ("current": its unpublished changes when it has them)."""
        release = self._release_or_404(request, object_id)
        a_id, b_id = request.GET.get("a", ""), request.GET.get("b") or "current"
        # Ids in ASCII digits: "abc", "1.5" or "¹" would fail in the lookup itself (a 500).
        side = "live|current|[0-9]{1,18}"
        if not re.fullmatch(side, a_id) or not re.fullmatch(side, b_id):
            raise Http404
        if b_id == "current" and release.pending_revision_id:
            b_id = str(release.pending_revision_id)
        if a_id == b_id == str(release.pending_revision_id) and release.is_published:
            # "Compare" on the unpublished changes: with what readers see now.
            a_id = "live"
        a, b = self._side(release, a_id), self._side(release, b_id)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Compare revisions"),
            "release": release,
            "a": a,
            "b": b,
            "changes": revisions.compare(a["data"], b["data"]),
            "may_restore": release.can_be_edited_by(request.user),
        }
        return TemplateResponse(request, "admin/news/release/revisions.html", context)

    def _side(self, release: Release, key: str) -> dict[str, Any]:
        """One side of a comparison: its label, content and revision (if it is one)."""
        if key in ("live", "current"):
            label = history.LABELS[history.LIVE if release.is_published else history.LATEST]
            return {"label": label, "data": snapshot_of(release), "revision": None}
        revision = get_object_or_404(release.revisions.select_related("user"), pk=key)
        label = history.revision_label(release, revision)
        return {"label": label, "data": revision.data, "revision": revision}

    # The buttons: each calls one service ---------------------------------------------------

    @method_decorator(require_http_methods(["GET", "POST"]))
    def transition_view(self, request: HttpRequest, object_id: str, name: str) -> HttpResponse:
        release = self._release_or_404(request, object_id)
        transition = workflow.TRANSITIONS.get(name)
        if transition is None:
            raise Http404
        if request.method == "GET":
            if not transition.confirm:
                return HttpResponseNotAllowed(["POST"])
            return self._confirm_transition(request, release, transition)
        form = TransitionForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                messages.error(request, " ".join(errors))
            return back_to(release)
        data = form.cleaned_data

        def done(_result: None) -> str:
            entry = release.audit_entries.first()
            return format_html(
                "«{}»: {}", release.title, entry.get_action_display() if entry else ""
            )

        return run_service(
            request,
            release,
            transition_if_unchanged,
            done,
            transition=transition,
            release=release,
            version=data["version"],
            **{need: data[need] for need in transition.needs},
        )

    def _confirm_transition(
        self, request: HttpRequest, release: Release, transition: workflow.Transition
    ) -> HttpResponse:
        """The page a destructive move asks on first: what readers will see after it."""
        try:
            workflow.require_transition(release=release, user=request.user, name=transition.name)
        except (PermissionDenied, ValidationError) as error:
            for text in refusal_messages(error):
                messages.error(request, text)
            return back_to(release)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": format_html("{} «{}»?", transition.label, release.title),
            "original": release,
            "t": transition,
            "publishable_releases": Release.objects.published().exclude(pk=release.pk)[:50],
        }
        return TemplateResponse(request, "admin/news/release/confirm_transition.html", context)

    @method_decorator(require_POST)
    def restore_view(self, request: HttpRequest, object_id: str, revision_id: int) -> HttpResponse:
        release, revision = self._part_or_404(request, object_id, Revision, revision_id)
        done = _("The revision is restored as the newest version.")
        return run_service(request, release, revision_restore, done, revision=revision)

    @method_decorator(require_POST)
    def preview_link_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        release = self._release_or_404(request, object_id)
        try:
            days = int(request.POST.get("days", 7))
        except ValueError:
            days = 0
        return run_service(
            request,
            release,
            preview_link_create,
            lambda link: format_html(
                "{} {}", _("Preview link:"), request.build_absolute_uri(link.get_absolute_url())
            ),
            release=release,
            days=days,
            pending=bool(request.POST.get("pending")),
        )

    @method_decorator(require_POST)
    def preview_revoke_view(self, request: HttpRequest, object_id: str, link_id: int):
        release, link = self._part_or_404(request, object_id, PreviewLink, link_id)
        done = _("The preview link no longer works.")
        return run_service(request, release, preview_link_revoke, done, link=link)

    @method_decorator(require_POST)
    def mentions_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Link the mentions the editor ticked, or every confident one not linked yet."""
        release = self._release_or_404(request, object_id)
        report = find_mentions(release_text(release), release.language)
        chosen = set(request.POST.getlist("mention"))
        if "link_confident" in request.POST:
            chosen |= {mention_key(m) for m in report.confident}
        # Only what the text really mentions can be linked this way, whatever was posted.
        picked = [m for m in report.mentions if mention_key(m) in chosen]
        if not picked:
            messages.warning(request, _("Nothing was chosen to link."))
            return back_to(release)
        entities = {t: [m.entity for m in picked if m.type == t] for t in EntityType}
        return run_service(
            request,
            release,
            release_link_entities,
            format_html("{} {}", _("Linked:"), ", ".join(str(m.entity) for m in picked)),
            release=release,
            officials=entities[EntityType.OFFICIAL],
            organisations=entities[EntityType.ORGANISATION],
            countries=entities[EntityType.COUNTRY],
            topics=entities[EntityType.TOPIC],
        )

    @method_decorator(require_POST)
    def untrash_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        release = self._release_or_404(request, object_id)
        done = _("The release is back from the bin.")
        return run_service(request, release, release_untrash, done, release=release)
