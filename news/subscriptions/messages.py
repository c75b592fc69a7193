"""The messages subscribers get, HTML and plain text, each with its unsubscribe headers."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from news.models import Release
from news.models.subscriptions import Delivery, Notice, Subscriber, Subscription
from news.subscriptions.headers import SubscriberMessage
from news.subscriptions.tokens import UNSUBSCRIBE, confirm_token, subscriber_token

LEAD_IMAGE_WIDTH = 640


def absolute(path: str) -> str:
    return path if "://" in path else settings.SITE_URL + path


def in_language(release: Release, language: str) -> Release:
    """The release's public translation into language, where one exists; else the release."""
    if release.language == language:
        return release
    translated = release.translations().published().filter(language=language).first()
    return translated or release


def release_context(release: Release) -> dict[str, Any]:
    """What a message says of a release: title, lead, image, link, source, officials."""
    image = None
    if release.lead_image_id:
        image = release.lead_image.shared(LEAD_IMAGE_WIDTH, absolute)
    return {
        "release": release,
        "url": absolute(release.get_absolute_url()),
        "image": image,
        "source": release.primary_source,
        "officials": release.officials_with_positions(),
    }


def _links(subscriber: Subscriber) -> dict[str, str]:
    manage = reverse("subscriptions:manage", args=[subscriber_token(subscriber)])
    unsubscribe = reverse(
        "subscriptions:unsubscribe", args=[subscriber_token(subscriber, UNSUBSCRIBE)]
    )
    return {"manage_url": absolute(manage), "unsubscribe_url": absolute(unsubscribe)}


def _message(
    *, to: str, subject: str, template: str, context: dict[str, Any], unsubscribe: str = ""
) -> EmailMultiAlternatives:
    text = render_to_string(f"subscriptions/email/{template}.txt", context)
    html = render_to_string(f"subscriptions/email/{template}.html", context)
    headers = {"Auto-Submitted": "auto-generated"}
    if unsubscribe:
        # RFC 8058: mail programs offer "unsubscribe" and POST List-Unsubscribe=One-Click there.
        headers["List-Unsubscribe"] = f"<{unsubscribe}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message = SubscriberMessage(
        subject=" ".join(subject.split())[:200], body=text, to=[to], headers=headers
    )
    message.attach_alternative(html, "text/html")
    return message


class DeliveryMessages:
    """Builds the message of each delivery of a batch: a release, or a correction or withdrawal
    of one. What a release says in a language (its translation, image, source, officials) is
    read once for the batch, not once per subscriber."""

    def __init__(self) -> None:
        self.releases: dict[tuple[int, str], dict[str, Any]] = {}

    def release(self, release: Release, language: str) -> dict[str, Any]:
        key = (release.pk, language)
        if key not in self.releases:
            self.releases[key] = release_context(in_language(release, language))
        return self.releases[key]

    def __call__(self, delivery: Delivery) -> EmailMultiAlternatives:
        with translation.override(delivery.language):
            links = _links(delivery.subscriber)
            context = {**self.release(delivery.release, delivery.language), **links}
            title = context["release"].title
            if delivery.notice == Notice.CORRECTION:
                note = delivery.change_note
                context["note"] = note
                context["diff_url"] = absolute(note.get_absolute_url())
                subject = _("Corrected: %(title)s") % {"title": title}
            elif delivery.notice == Notice.WITHDRAWAL:
                subject = _("Withdrawn: %(title)s") % {"title": title}
            else:
                subject = title
            return _message(
                to=delivery.subscriber.email,
                subject=subject,
                template=delivery.notice,
                context=context,
                unsubscribe=links["unsubscribe_url"],
            )


def digest_message(
    subscriber: Subscriber, language: str, groups: list[tuple[str, list[Release]]], weekly: bool
) -> EmailMultiAlternatives:
    """One message with the releases of a day or a week, under the scope each was followed by."""
    with translation.override(language):
        links = _links(subscriber)
        groups_in_language = [
            (label, [release_context(in_language(r, language)) for r in releases])
            for label, releases in groups
        ]
        subject = _("Weekly digest of releases") if weekly else _("Daily digest of releases")
        return _message(
            to=subscriber.email,
            subject=subject,
            template="digest",
            context={"groups": groups_in_language, "weekly": weekly, **links},
            unsubscribe=links["unsubscribe_url"],
        )


def confirmation_message(subscription: Subscription, label: str) -> EmailMultiAlternatives:
    """The only message sent before the address is confirmed: the link to confirm it."""
    with translation.override(subscription.language):
        url = absolute(reverse("subscriptions:confirm", args=[confirm_token(subscription)]))
        return _message(
            to=subscription.subscriber.email,
            subject=_("Confirm your subscription to the ministry's releases"),
            template="confirm",
            context={"confirm_url": url, "scope": label, "subscription": subscription},
        )
