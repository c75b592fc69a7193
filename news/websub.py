"""WebSub: the feeds name the hub (WEBSUB_HUB_URL), and each change pings it for every feed it
changes, through the queue, so that subscribers hear at once instead of polling."""

from __future__ import annotations

import datetime
import logging
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings
from django.tasks import task
from django.urls import reverse
from django.utils import timezone, translation

from news.models import Release

log = logging.getLogger(__name__)

ATTEMPTS = 5
TIMEOUT = 20


def _feeds(name: str, **kwargs: object) -> list[str]:
    return [reverse(f"news:{name}-rss", kwargs=kwargs), reverse(f"news:{name}-atom", kwargs=kwargs)]


def feed_urls(release: Release) -> list[str]:
    """Every feed, in every language of the interface, that lists the release."""
    day = timezone.localtime(release.published_at).date()
    paths: list[str] = []
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            paths += _feeds("feed")
            paths += _feeds("language-feed", language=release.language)
            paths += _feeds("kind-feed", kind=release.kind)
            for name, related, field in (
                ("tag-feed", release.tags, "slug"),
                ("official-feed", release.officials, "slug"),
                ("organisation-feed", release.organisations, "slug"),
                ("country-feed", release.countries, "code"),
                ("delegation-feed", release.delegations, "slug"),
            ):
                for value in related.values_list(field, flat=True):
                    paths += _feeds(name, **{field: value})
            paths += _feeds("archive-year-feed", year=day.year)
            paths += _feeds("archive-month-feed", year=day.year, month=day.month)
            paths += _feeds("archive-day-feed", year=day.year, month=day.month, day=day.day)
    return [settings.SITE_URL + path for path in dict.fromkeys(paths)]


def ping(url: str) -> bool:
    """Tell the hub the feed at url changed; False when it should be tried again."""
    data = urllib.parse.urlencode({"hub.mode": "publish", "hub.url": url}).encode()
    request = urllib.request.Request(settings.WEBSUB_HUB_URL, data=data)
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT):  # noqa: S310
            return True
    except urllib.error.HTTPError as error:
        if error.code < 500 and error.code != 429:
            log.warning("The WebSub hub refused %s: %s", url, error)
            return True
    except OSError as error:
        log.info("The WebSub hub did not answer for %s: %s", url, error)
    return False


@task()
def ping_hub(urls: list[str], attempt: int = 1) -> int:
    """Ping the hub for each feed; those it did not take are tried again later."""
    if not settings.WEBSUB_HUB_URL:
        return 0
    failed = [url for url in urls if not ping(url)]
    if failed and attempt < ATTEMPTS:
        later = timezone.now() + datetime.timedelta(
            seconds=settings.NEWS_MAIL_RETRY_SECONDS * 4 ** (attempt - 1)
        )
        ping_hub.using(run_after=later).enqueue(failed, attempt + 1)
    return len(urls) - len(failed)


@task()
def ping_release(release_id: int) -> int:
    """Ping the hub for the feeds of a release (worked out here, not in the publishing request)."""
    release = Release.objects.filter(pk=release_id, published_at__isnull=False).first()
    if release is None or not settings.WEBSUB_HUB_URL:
        return 0
    return ping_hub.call(feed_urls(release))


def release_changed(release: Release) -> None:
    """Called by news.outbound in the service's transaction: at the release's minute if later."""
    if not settings.WEBSUB_HUB_URL or release.published_at is None:
        return
    at = release.published_at if release.published_at > timezone.now() else None
    ping_release.using(run_after=at).enqueue(release.pk)
