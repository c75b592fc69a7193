"""Subscribing without an account: the form, the confirmation, one-click unsubscribe and the
signed management page. None of these pages is cached; only the links' signatures open them."""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from news.api.throttling import client_address
from news.models.release_choices import Language
from news.models.subscriptions import Scope, Subscriber, Subscription
from news.subscriptions import services
from news.subscriptions.forms import CorrectionsForm, SettingsForm, SubscribeForm
from news.subscriptions.scopes import scope_label, scope_object
from news.subscriptions.tokens import (
    UNSUBSCRIBE,
    confirmed_request,
    subscriber_token,
    token_subscriber,
)


def _language() -> str:
    language = get_language() or Language.RU
    return language if language in Language.values else Language.RU


def _invalid_link(request: HttpRequest) -> HttpResponse:
    return render(request, "subscriptions/invalid.html", status=404)


# The subscribe form sits on cached public pages, which carry no CSRF token; forging it gains
# nothing a direct request would not: the address must confirm, and requests are rate-limited.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = SubscribeForm(request.POST)
        if form.is_bot:
            return redirect("subscriptions:sent")
        if form.is_valid():
            data = form.cleaned_data
            if not services.request_allowed(client=client_address(request), email=data["email"]):
                message = _("Too many requests: please try again later.")
                form.add_error(None, message)
                return render(request, "subscriptions/subscribe.html", {"form": form}, status=429)
            services.subscription_request(
                email=data["email"],
                scope=data["scope"],
                key=data["key"],
                language=data["language"],
                frequency=data["frequency"],
            )
            return redirect("subscriptions:sent")
        status = 400
    else:
        scope = request.GET.get("scope", Scope.EVERYTHING)
        key = request.GET.get("key", "")
        if scope not in Scope.values or scope_object(scope, key) is None:
            scope, key = Scope.EVERYTHING, ""
        form = SubscribeForm(initial={"scope": scope, "key": key, "language": _language()})
        status = 200
    scope, key = form["scope"].value(), form["key"].value() or ""
    label = scope_label(scope, key) if scope in Scope.values else ""
    return render(
        request, "subscriptions/subscribe.html", {"form": form, "label": label}, status=status
    )


@require_safe
def sent(request: HttpRequest) -> HttpResponse:
    return render(request, "subscriptions/sent.html")


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks (mail scanners follow links); POST confirms and opens the management page."""
    subscription = confirmed_request(token)
    if subscription is None:
        return _invalid_link(request)
    if request.method == "POST":
        services.subscription_confirm(subscription=subscription)
        return redirect("subscriptions:manage", token=subscriber_token(subscription.subscriber))
    label = scope_label(subscription.scope, subscription.key)
    return render(
        request, "subscriptions/confirm.html", {"subscription": subscription, "label": label}
    )


# RFC 8058: mail programs POST "List-Unsubscribe=One-Click" here with no cookie and no token.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    subscriber = token_subscriber(token, UNSUBSCRIBE)
    if subscriber is None:
        return _invalid_link(request)
    manage_token = subscriber_token(subscriber)
    if request.method == "POST":
        services.subscriber_unsubscribe(subscriber=subscriber)
        return render(request, "subscriptions/unsubscribed.html", {"token": manage_token})
    return render(request, "subscriptions/unsubscribe.html", {"subscriber": subscriber})


def _manage_post(request: HttpRequest, subscriber: Subscriber) -> HttpResponse | None:
    """Carry out one action of the management page; a page to show instead of the list."""
    action = request.POST.get("action")
    if action == "delete":
        services.subscriber_delete(subscriber=subscriber)
        return render(request, "subscriptions/deleted.html")
    if action == "corrections":
        form = CorrectionsForm(request.POST)
        form.is_valid()
        subscriber.corrections = form.cleaned_data.get("corrections", False)
        subscriber.save(update_fields=["corrections"])
        return None
    pk = request.POST.get("subscription", "")
    subscription = get_object_or_404(
        subscriber.subscriptions.confirmed(), pk=int(pk) if pk.isascii() and pk.isdigit() else 0
    )
    if action == "drop":
        subscription.delete()
    elif action == "change":
        form = SettingsForm(request.POST)
        if not form.is_valid():
            return HttpResponse(status=400)
        services.subscription_change(subscription=subscription, **form.cleaned_data)
    return None


def initial(subscription: Subscription) -> dict[str, str]:
    return {"language": subscription.language, "frequency": subscription.frequency}


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def manage(request: HttpRequest, token: str) -> HttpResponse:
    """The address's subscriptions: change or drop each, notices on or off, export, delete."""
    subscriber = token_subscriber(token)
    if subscriber is None:
        return _invalid_link(request)
    if request.method == "POST":
        response = _manage_post(request, subscriber)
        return response or redirect("subscriptions:manage", token=token)
    subscriptions = [
        (s, scope_label(s.scope, s.key), SettingsForm(initial=initial(s), auto_id=f"id_s{s.pk}_%s"))
        for s in subscriber.subscriptions.confirmed().order_by("created_at", "pk")
    ]
    context = {
        "subscriber": subscriber,
        "subscriptions": subscriptions,
        "corrections": CorrectionsForm(initial={"corrections": subscriber.corrections}),
        "token": token,
    }
    return render(request, "subscriptions/manage.html", context)


@never_cache
@require_safe
def export(request: HttpRequest, token: str) -> HttpResponse:
    subscriber = token_subscriber(token)
    if subscriber is None:
        return _invalid_link(request)
    data = json.dumps(services.subscriber_export(subscriber=subscriber), ensure_ascii=False)
    response = HttpResponse(data, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="subscriptions.json"'
    return response
