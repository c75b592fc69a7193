"""Send hostile values to every public URL pattern of a running site; exit 1 on any 5xx.

    .venv/bin/python scripts/hostile_scan.py --base http://127.0.0.1:8000

Reads the URL patterns from ministry.urls (the admin left out), fills each path parameter and
each query parameter in turn with bad values (punctuation, emoji, digits of other scripts,
huge and negative numbers, NUL, over-long strings, broken percent-encoding, path traversal,
CRLF), and prints how many answers of each status class came back and every 5xx with its URL.
tests/test_hostile_input.py reuses the patterns and values against the test client.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

# Values as a reader could type them; quote() encodes them for the address. One of each kind
# first (CORE_VALUES: what the test suite sends everywhere), then more of the same kinds.
CORE_TEXT = ["!!", ":*", "—", "😀"]  # punctuation only, an emoji
CORE_TEXT += ["¹", "¹.²", "٣", "۴.۴", "߅", "０", "๓", "Ⅻ"]  # digits and numerals of other scripts
CORE_TEXT += [str(10**30), f"{10**30}.{10**30}", "-1", "1", "9999"]  # huge, negative, edge years
# Over-long: past a file name's 255 bytes yet within a server's request line, and far past.
CORE_TEXT += ["\x00", "y" * 300, "x" * 10_000, "../../../etc/passwd", "a\r\nSet-Cookie: x=1"]
CORE_TEXT += ["<script>alert(1)</script>"]
MORE_TEXT = ["'", '"', "(((", "%", "«»", "１２", "一二", "-1.-1", "0", "1e9", "a\x00b", " "]
MORE_TEXT += ["..\\..\\windows\\win.ini"]
# Already in the address as they are: percent-encoding that decodes to nothing valid.
CORE_ENCODED = ["%ZZ", "%C0%80", "%ED%A0%80", "%"]
MORE_ENCODED = ["%FF%FE", "%2e%2e%2f%2e%2e%2f"]

CORE_VALUES = [quote(text, safe="") for text in CORE_TEXT] + CORE_ENCODED
BAD_VALUES = CORE_VALUES + [quote(text, safe="") for text in MORE_TEXT] + MORE_ENCODED

# Query parameters the public pages read (paging, search, the low-vision switch).
PAGE_PARAMETERS = ["before", "after", "page", "q", "kind", "date_from", "date_to", "tag"]
PAGE_PARAMETERS += ["p", "mode", "next"]
PREFIXES = ["", "be/", "en/"]

_PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


@dataclass(frozen=True)
class Route:
    """A public URL pattern: its route ("news/<slug:slug>/") and whether it takes /be/ and /en/."""

    route: str
    name: str
    translated: bool
    view: str = ""

    @property
    def parameters(self) -> list[str]:
        return [match["name"] for match in _PARAMETER.finditer(self.route)]

    @property
    def section(self) -> str:
        """The first word of the route that says what it lists: "officials", "releases"..."""
        for part in re.split(r"[/.<>-]", self.route):
            if part and part not in {"feeds", "api", "v1"} and not _PARAMETER.match(part):
                return part
        return ""

    def fill(self, values: dict[str, str]) -> str:
        return "/" + _PARAMETER.sub(lambda match: values[match["name"]], self.route)


def as_route(pattern: str) -> str:
    """A route of a regular expression pattern: "^api/v1/(?P<rest>.+)/$" is "api/v1/<rest>/"."""
    if not pattern.startswith("^"):
        return pattern
    return re.sub(r"\(\?P<(\w+)>[^)]*\)", r"<\1>", pattern).strip("^$").replace("\\", "")


def public_routes() -> list[Route]:
    """Every URL pattern of ministry.urls but the admin's."""
    from django.urls import URLResolver, get_resolver
    from django.urls.resolvers import LocalePrefixPattern

    found: list[Route] = []

    def walk(patterns: list, prefix: str, translated: bool) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if str(pattern.pattern).startswith("admin/"):
                    continue
                locale = isinstance(pattern.pattern, LocalePrefixPattern)
                inner = "" if locale else as_route(str(pattern.pattern))
                walk(pattern.url_patterns, prefix + inner, translated or locale)
            else:
                view = getattr(pattern.callback, "view_class", type(pattern.callback))
                if view is type(lambda: None):
                    view = pattern.callback
                route = prefix + as_route(str(pattern.pattern))
                found.append(Route(route, pattern.name or "", translated, view.__qualname__))

    walk(get_resolver().url_patterns, "", False)
    return found


def sample(route: Route, parameter: str, samples: dict[str, str]) -> str:
    """A value that exists for a route's parameter: "officials.slug", else "slug", else "1"."""
    return samples.get(f"{route.section}.{parameter}", samples.get(parameter, "1"))


def bad_paths(
    route: Route, samples: dict[str, str], values: list[str], *, every_parameter: bool = True
) -> Iterator[str]:
    """The route with each parameter in turn replaced by each bad value, the others real; or,
    not every_parameter, each value once, in a parameter that changes each time.

    Translated routes take the prefixes in turn: every value meets each language once in three.
    """
    real = {name: sample(route, name, samples) for name in route.parameters}
    pairs = [(name, value) for name in route.parameters for value in values]
    if not every_parameter:
        pairs = [(route.parameters[i % len(route.parameters)], v) for i, v in enumerate(values)]
    for count, (name, value) in enumerate(pairs):
        prefix = PREFIXES[count % len(PREFIXES)] if route.translated else ""
        yield "/" + prefix + route.fill({**real, name: value})[1:]


def bad_queries(
    path: str, parameters: list[str], values: list[str], *, offset: int = 0, translated=False
) -> Iterator[str]:
    """The path with each bad value once, in a parameter that changes each time (from offset);
    a translated path takes the prefixes in turn."""
    for index, value in enumerate(values):
        name = parameters[(index + offset) % len(parameters)]
        prefix = PREFIXES[index % len(PREFIXES)] if translated else ""
        yield f"/{prefix}{path[1:]}?{name}={value}"


def reads_query(path: str) -> bool:
    """Listings (by cursor or by page number), the low-vision switch and sitemaps read ?...=."""
    from django.urls import resolve
    from django.views.generic.list import MultipleObjectMixin

    view = resolve(path).func
    listing = issubclass(getattr(view, "view_class", object), MultipleObjectMixin)
    return listing or getattr(view, "__name__", "") in {"low_vision", "sitemap", "index"}


def api_query_parameters(schema: dict) -> dict[str, list[str]]:
    """The query parameters of each GET operation of an OpenAPI schema, by path template."""
    found = {}
    for template, operations in schema.get("paths", {}).items():
        parameters = operations.get("get", {}).get("parameters", [])
        names = [p["name"] for p in parameters if p.get("in") == "query"]
        if names:
            found[template] = names
    return found


# The scan ------------------------------------------------------------------------------------


def say(line: str) -> None:
    sys.stdout.write(line + "\n")


def discover_samples(get) -> dict[str, str]:
    """Real slugs and codes from the site's API, so that each route's other parameters exist."""
    samples = {"year": "2024", "month": "08", "day": "28", "kind": "visit", "language": "ru"}
    samples |= {"section": "releases", "code": "RS", "token": "x", "pk": "1", "note": "1"}
    for section, field, names in [
        ("releases", "slug", ["news.slug", "releases.key"]),
        ("officials", "slug", ["officials.slug"]),
        ("organisations", "slug", ["organisations.slug"]),
        ("countries", "code", ["countries.code"]),
        ("delegations", "slug", ["delegations.slug"]),
        ("tags", "slug", ["topics.slug", "tags.slug"]),
    ]:
        status, body = get(f"/api/v1/{section}")
        if status != 200:
            continue
        data = json.loads(body)
        items = data["items"] if isinstance(data, dict) else data
        if items:
            for name in names:
                samples[name] = quote(str(items[0][field]), safe="")
            if section == "releases" and items[0].get("published_at"):
                samples["year"], samples["month"], samples["day"] = items[0]["published_at"][
                    :10
                ].split("-")
    return samples


def scan_urls(samples: dict[str, str], schema: dict) -> Iterator[str]:
    for route in public_routes():
        yield from bad_paths(route, samples, BAD_VALUES)
        real = route.fill({name: sample(route, name, samples) for name in route.parameters})
        if route.route.startswith("api/"):
            continue
        # Every value in every parameter where the page reads them; elsewhere each value once.
        for offset in range(len(PAGE_PARAMETERS) if reads_query(real) else 1):
            yield from bad_queries(
                real, PAGE_PARAMETERS, BAD_VALUES, offset=offset, translated=route.translated
            )
    for template, names in api_query_parameters(schema).items():
        path = re.sub(r"\{(\w+)\}", lambda match: samples.get(match[1], "x"), template)
        for name in names:
            yield from bad_queries(path, [name], BAD_VALUES)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000", help="the running site")
    parser.add_argument("--max-requests", type=int, default=20_000)
    parser.add_argument("--max-seconds", type=float, default=900.0)
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds for each request")
    arguments = parser.parse_args()

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ministry.settings")
    os.environ.setdefault("SECRET_KEY", "hostile-scan-reads-the-url-patterns-only")
    import django

    django.setup()

    base = urlsplit(arguments.base)
    connection_class = (
        http.client.HTTPSConnection if base.scheme == "https" else http.client.HTTPConnection
    )
    connection = connection_class(base.netloc, timeout=arguments.timeout)

    def get(path: str) -> tuple[int, bytes]:
        nonlocal connection
        for attempt in (1, 2):
            try:
                connection.request("GET", base.path.rstrip("/") + path)
                response = connection.getresponse()
                return response.status, response.read()
            except (http.client.HTTPException, OSError):
                connection.close()
                connection = connection_class(base.netloc, timeout=arguments.timeout)
                if attempt == 2:
                    return 0, b""
        return 0, b""

    status, body = get("/api/v1/openapi.json")
    schema = json.loads(body) if status == 200 else {}
    samples = discover_samples(get)

    started = time.monotonic()
    statuses: Counter[int] = Counter()
    failures: list[tuple[int, str]] = []
    requests = 0
    for url in scan_urls(samples, schema):
        if requests >= arguments.max_requests or time.monotonic() - started > arguments.max_seconds:
            say(f"Stopped at the limit: {requests} requests.")
            break
        status, _body = get(url)
        requests += 1
        statuses[status] += 1
        if status == 0 or status >= 500:
            failures.append((status, url))

    elapsed = time.monotonic() - started
    say(f"{requests} requests in {elapsed:.0f} s to {arguments.base}")
    for kind in sorted({status // 100 for status in statuses}):
        codes = {status: n for status, n in sorted(statuses.items()) if status // 100 == kind}
        detail = ", ".join(f"{status}: {n}" for status, n in codes.items())
        say(f"  {f'{kind}xx' if kind else 'no answer'}: {sum(codes.values())} ({detail})")
    for status, url in failures:
        shown = url if len(url) <= 300 else url[:300] + f"... ({len(url)} characters)"
        say(f"  {status or 'no answer'} {shown}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
