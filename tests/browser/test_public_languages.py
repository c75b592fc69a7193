"""What an English or Belarusian reader sees, in a real Chromium, on a phone and a desktop.

The seed release (load_demo) and its English translation, made the way an editor makes one.
Every run of Cyrillic an English reader sees must stand in an element marked lang="ru" or "be"
(a name given in Russian only, a release in Russian, marked "In Russian"); every hreflang must
lead to a page in that language.

The module's name sorts after test_editorial_flow.py: its tests flush the database (see
test_public_accessibility.py).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.utils import translation

from news import workflow
from news.demo import load_demo
from news.models import Language, Release
from news.translating import release_translate
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 900}}

ENGLISH = {
    "title": "Serbian Minister of Information and Telecommunications visits Belarus",
    "summary": (
        "On 28–30 August 2024 Dejan Ristić, Minister of Information and Telecommunications "
        "of the Republic of Serbia, is on a visit to the Republic of Belarus."
    ),
    "body": (
        "<p>On 28 August the Minister of Communications and Informatization Konstantin Shulgan "
        "held talks with the Serbian delegation.</p>"
        "<p>“We are interested in Serbia’s experience with new technologies: 5G, artificial "
        "intelligence, e-commerce and education,” said Konstantin Shulgan.</p>"
        "<p>The delegation will also visit Minsk Post, the High Technologies Park and the "
        "Great Stone Industrial Park.</p>"
    ),
    "place": "Minsk",
}

# Each text node the reader sees (or hears: alt, aria-label, title, placeholder) that holds
# Cyrillic, with the lang of the element it stands in.
CYRILLIC_RUNS = """() => {
  const cyrillic = /[\\u0400-\\u04FF]+(?:[\\s\\u00a0-]+[\\u0400-\\u04FF]+)*/g;
  const runs = [];
  const langOf = el => (el.closest('[lang]') || document.documentElement).lang;
  const seen = el => el.checkVisibility ? el.checkVisibility() : !!el.getClientRects().length;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    const hidden = el.closest('.visually-hidden');
    if (!hidden && !seen(el)) continue;
    for (const match of node.data.matchAll(cyrillic)) {
      runs.push({text: match[0], lang: langOf(el), where: el.outerHTML.slice(0, 160)});
    }
  }
  for (const el of document.body.querySelectorAll('[alt], [aria-label], [title], [placeholder]')) {
    for (const name of ['alt', 'aria-label', 'title', 'placeholder']) {
      for (const match of (el.getAttribute(name) || '').matchAll(cyrillic)) {
        const where = name + ': ' + el.outerHTML.slice(0, 160);
        runs.push({text: match[0], lang: langOf(el), where});
      }
    }
  }
  return runs;
}"""

# The Latin a Belarusian reader may see unmarked: the site's own names for its feeds and the
# networks it shares to, and what the release itself says.
LATIN_ALLOWED_IN_BE = {"RSS", "Atom", "Telegram", "VK", "Facebook", "E-mail", "EXPO", "G"}
LATIN_ALLOWED_IN_BE |= {"CC", "BY"}  # a licence's own name
LATIN_RUNS = """() => {
  const runs = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if ((el.closest('[lang]') || document.documentElement).lang !== 'be') continue;
    if (el.closest('a[href^="mailto:"], a[href^="http"], .release__source')) continue;
    if (!(el.checkVisibility ? el.checkVisibility() : el.getClientRects().length)) continue;
    for (const match of node.data.matchAll(/[A-Za-z][A-Za-z-]*/g)) runs.push(match[0]);
  }
  return runs;
}"""


@pytest.fixture
def open_page(page_in_context) -> Callable:
    def open_page(viewport: dict[str, int]):
        return page_in_context(locale="en-GB", viewport=viewport)

    return open_page


@pytest.fixture
def seed() -> Release:
    return load_demo()


@pytest.fixture
def english(seed) -> Release:
    """The seed's English translation, made and published as the admin's buttons do."""
    editor = UserFactory(username="editor", is_superuser=True)
    english = release_translate(release=seed, user=editor, language=Language.EN)
    for field, value in ENGLISH.items():
        setattr(english, field, value)
    english.save()
    workflow.release_force_publish(release=english, user=editor, reason="Translation")
    return english


def url_of(release: Release) -> str:
    """The release's page under its own language's prefix."""
    with translation.override(release.language):
        return release.get_absolute_url()


def unmarked_cyrillic(page) -> list[str]:
    """Each Cyrillic run not marked Russian or Belarusian: its text and where it stands."""
    return [
        f"{run['text']} in {run['where']}"
        for run in page.evaluate(CYRILLIC_RUNS)
        if run["lang"] not in ("ru", "be")
    ]


@pytest.mark.parametrize("width", VIEWPORTS)
def test_english_home_shows_english_releases_or_russian_ones_marked(
    open_page, live_server, english, width
):
    page = open_page(VIEWPORTS[width])
    page.goto(f"{live_server.url}/en/")
    items = page.locator("main article.release-summary")
    assert items.count() >= 1
    for index in range(items.count()):
        item = items.nth(index)
        language = item.get_attribute("lang") or page.get_attribute("html", "lang")
        assert language in ("en", "ru"), item.inner_text()
        if language == "ru":
            assert item.locator(".language-mark").is_visible()
            assert item.locator(".language-mark").inner_text() == "In Russian"
    assert english.title in page.inner_text("main")
    leaks = unmarked_cyrillic(page)
    assert not leaks, "\n".join(leaks)
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS[width]["width"]


@pytest.mark.parametrize("width", VIEWPORTS)
def test_english_release_page_shows_no_unmarked_russian(open_page, live_server, english, width):
    page = open_page(VIEWPORTS[width])
    response = page.goto(f"{live_server.url}{url_of(english)}")
    assert response.status == 200
    assert page.get_attribute("html", "lang") == "en"
    assert "Konstantin Shulgan" in page.inner_text("main")
    # Its names in English are linked where first named: Ristić in the lead, Shulgan below.
    mentions = page.locator(".release__lead a.mention, .release__body a.mention")
    assert {"Dejan Ristić", "Konstantin Shulgan"} <= set(mentions.all_inner_texts())
    # The body text English readers see as English: no Russian word outside a marked element.
    leaks = unmarked_cyrillic(page)
    assert not leaks, "\n".join(leaks)
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS[width]["width"]


@pytest.mark.parametrize(
    "path",
    [
        "/en/",
        "/en/officials/konstantin-shulgan/",
        "/en/organisations/minsviazi/",
        "/en/delegations/vizit-delegatsii-serbii-2024-08/",
        "/en/countries/rs/",
        "/en/topics/",
        "/en/archive/2024/8/",
        "/en/search/?q=Serbia",
        "/en/about/contacts/",
        "{english}",
    ],
)
def test_english_pages_show_no_unmarked_russian_in_low_vision_mode_too(
    open_page, live_server, english, path
):
    page = open_page(VIEWPORTS["phone"])
    path = path.format(english=url_of(english))
    page.goto(f"{live_server.url}{path}")
    leaks = unmarked_cyrillic(page)
    assert not leaks, "\n".join([path, *leaks])
    page.goto(f"{live_server.url}/en/low-vision/?mode=on&next={path}")
    assert "low-vision" in page.evaluate("document.documentElement.className")
    leaks = unmarked_cyrillic(page)
    assert not leaks, "\n".join([path, *leaks])


def hreflang_targets(page) -> dict[str, str]:
    return page.evaluate(
        """() => Object.fromEntries(
            [...document.querySelectorAll('link[hreflang], a[hreflang]')]
              .map(el => [el.tagName + ' ' + el.hreflang + ' ' + el.href, el.href]))"""
    )


def main_language(page) -> str:
    return page.evaluate(
        """() => {
          const article = document.querySelector('main article.release');
          return (article && article.lang) || document.documentElement.lang;
        }"""
    )


@pytest.mark.parametrize("width", VIEWPORTS)
def test_every_hreflang_leads_to_a_page_in_that_language(
    open_page, live_server, seed, english, width
):
    page = open_page(VIEWPORTS[width])
    target = open_page(VIEWPORTS[width])
    for url in [url_of(seed), url_of(english), "/be/", "/en/"]:
        page.goto(f"{live_server.url}{url}")
        links = hreflang_targets(page)
        if "/news/" in url:  # the seed has no Belarusian version: nothing points to one
            assert {key.split()[1] for key in links} == {"ru", "en", "x-default"}, url
        for key, href in links.items():
            language = key.split()[1]
            response = target.goto(href)
            assert response.status == 200, (url, key)
            expected = "ru" if language == "x-default" else language
            assert main_language(target) == expected, (url, key)


def test_belarusian_seed_page_shows_no_unmarked_latin(open_page, live_server, seed):
    page = open_page(VIEWPORTS["desktop"])
    page.goto(f"{live_server.url}/be{url_of(seed)}")
    assert page.get_attribute("html", "lang") == "be"
    latin = set(page.evaluate(LATIN_RUNS)) - LATIN_ALLOWED_IN_BE
    assert latin == set()


# Letters Russian has and Belarusian has not: a word with one, unmarked on a Belarusian page,
# is Russian the reader was not told about.
RUSSIAN_ONLY_RUNS = """() => {
  const runs = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if ((el.closest('[lang]') || document.documentElement).lang !== 'be') continue;
    if (!(el.checkVisibility ? el.checkVisibility() : el.getClientRects().length)
        && !el.closest('.visually-hidden')) continue;
    for (const match of node.data.matchAll(/[\\u0400-\\u04FF]*[иИщЩъЪ][\\u0400-\\u04FF]*/g)) {
      runs.push(match[0] + ' in ' + el.outerHTML.slice(0, 160));
    }
  }
  return runs;
}"""


@pytest.mark.parametrize(
    "path",
    ["/be/", "/be/delegations/vizit-delegatsii-serbii-2024-08/", "/be/officials/deian-ristich/"],
)
def test_belarusian_pages_show_no_unmarked_russian(open_page, live_server, seed, path):
    page = open_page(VIEWPORTS["phone"])
    for url in [path, f"/be{url_of(seed)}"]:
        page.goto(f"{live_server.url}{url}")
        leaks = page.evaluate(RUSSIAN_ONLY_RUNS)
        assert not leaks, "\n".join([url, *leaks])
    page.goto(f"{live_server.url}/be/low-vision/?mode=on&next={path}")
    leaks = page.evaluate(RUSSIAN_ONLY_RUNS)
    assert not leaks, "\n".join([path, *leaks])


# English words set inside what is marked Russian: the English chrome around a Russian release.
ENGLISH_IN_RUSSIAN = """() => {
  const runs = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if ((el.closest('[lang]') || document.documentElement).lang !== 'ru') continue;
    if (el.closest('a[href^="mailto:"], .publisher')) continue;
    if (!(el.checkVisibility ? el.checkVisibility() : el.getClientRects().length)
        && !el.closest('.visually-hidden')) continue;
    for (const match of node.data.matchAll(/[A-Za-z]{2,}/g)) {
      runs.push(match[0] + ' in ' + el.outerHTML.slice(0, 160));
    }
  }
  return runs;
}"""
# What the seed release itself writes in Latin letters.
SEED_LATIN = {"EXPO", "CC", "BY"}


@pytest.mark.parametrize("path", ["/en/", "/en/news/{slug}/"])
def test_a_russian_release_in_english_chrome_marks_only_its_own_text_russian(
    open_page, live_server, seed, path
):
    page = open_page(VIEWPORTS["desktop"])
    page.goto(f"{live_server.url}{path.format(slug=seed.slug)}")
    leaks = [run for run in page.evaluate(ENGLISH_IN_RUSSIAN) if run.split()[0] not in SEED_LATIN]
    assert not leaks, "\n".join(leaks)
