"""`bench/run.py --peer`: our site against a stock Wagtail news site, page by page.

Both read the same synthetic JSON Lines file (`generate_releases N --seed 1 --jsonl`, which is
also what fills our database with the same seed), both run on PostgreSQL under gunicorn with 2
sync workers, ours with the page cache off, and wrk loads each page of one and then the other,
for --rounds rounds, from a separate process.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import time
import urllib.error
import urllib.request

from run import DATA, ROOT, Server, describe_machine, ensure_database, manage, prepare, wrk

PEER = ROOT / "bench" / "peer"
PEER_PY = PEER / ".venv" / "bin" / "python"
WORKERS = 2
PAGES = ["listing", "deep page", "release page", "tag listing", "feed", "search"]
TARGET = 2.0  # the issue's: every page at least twice Wagtail's requests per second

PEER_PICK_PATHS = """
import json, math, sys
from news.models import NewsIndexPage, NewsPage
ours = json.loads(sys.stdin.read())
index = NewsIndexPage.objects.get()
pages = NewsPage.objects.live()
total = pages.count()
print(json.dumps({
    "releases": total,
    "listing": "/",
    "deep page": "/?page=" + str(min(math.ceil(total / 20), ours["deep index"] // 20 + 1)),
    "release page": pages.get(title=ours["detail title"]).url,
    "tag listing": index.url + index.reverse_subpage("tag_listing", args=[ours["tag name"]]),
    "feed": "/feed/",
    "search": "/search/?query=%D0%A1%D0%B5%D1%80%D0%B1%D0%B8%D0%B8",
}))
"""


def peer_manage(env: dict[str, str], *args: str, stdin: str | None = None) -> str:
    return subprocess.run(
        [str(PEER_PY), "manage.py", *args],
        cwd=PEER, env=env, input=stdin, check=True, text=True, stdout=subprocess.PIPE,
    ).stdout  # fmt: skip


def install_peer() -> None:
    """bench/peer/.venv with bench/peer/requirements.txt, once."""
    if PEER_PY.exists():
        return
    print("Installing the Wagtail site's venv (bench/peer/.venv)...", flush=True)
    python = (ROOT / ".venv" / "bin" / "python").resolve()
    subprocess.run([str(python), "-m", "venv", str(PEER / ".venv")], check=True)
    subprocess.run(
        [str(PEER_PY), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         "-r", str(PEER / "requirements.txt")],
        check=True,
    )  # fmt: skip


def prepare_peer(env: dict[str, str], releases: int, jsonl: str) -> None:
    ensure_database(env["PEER_DATABASE"])
    peer_manage(env, "migrate", "--noinput", "-v0")
    have = int(
        peer_manage(
            env, "shell", "-v0", "-c",
            "from news.models import NewsPage; print(NewsPage.objects.count())",
        ).strip()
    )  # fmt: skip
    if have != releases:
        print(f"Loading {releases:,} releases into the Wagtail site...", flush=True)
        started = time.monotonic()
        peer_manage(env, "load_releases", jsonl)
        print(f"  done in {time.monotonic() - started:.0f} s", flush=True)


def check_ok(url: str) -> None:
    try:
        urllib.request.urlopen(url, timeout=60).close()
    except urllib.error.HTTPError as error:
        raise SystemExit(f"{url}: {error.code}") from error


def compare_with_peer(env: dict[str, str], options: argparse.Namespace) -> None:
    releases = options.releases
    env = {**env, "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/ministry_bench_{releases}"}
    peer_env = {**env, "PEER_DATABASE": f"peer_bench_{releases}"}
    jsonl = DATA / f"releases-{releases}.jsonl"
    if not jsonl.exists():
        manage(env, "generate_releases", str(releases), "--seed", "1", "--jsonl", str(jsonl))
    install_peer()
    # generate_releases N --seed 1 stores the very records the file holds (and the demo
    # release, visits and lead images, which the Wagtail site has no place for).
    prepare(env, "postgres", releases)
    prepare_peer(peer_env, releases, str(jsonl))

    ours_paths = json.loads(
        manage(env, "shell", "-v0", "-c", PICK_PATHS_OURS, capture=True)
    )  # fmt: skip
    peer_paths = json.loads(
        peer_manage(peer_env, "shell", "-v0", "-c", PEER_PICK_PATHS, stdin=json.dumps(ours_paths))
    )
    wagtail = peer_manage(
        peer_env, "shell", "-v0", "-c", "import wagtail; print(wagtail.__version__)"
    )
    print(f"Machine: {describe_machine(env, 'postgres')}; Wagtail {wagtail.strip()}")
    print(
        f"Data: {ours_paths['releases']:,} published releases (ours), "
        f"{peer_paths['releases']:,} news pages (Wagtail), from {jsonl.name}. Load: wrk, "
        f"{options.clients} connections, {options.duration} s a page after a 3 s warm-up, "
        f"{options.rounds} rounds; gunicorn, {WORKERS} sync workers each; our page cache off.\n",
        flush=True,
    )

    ours = Server({**env, "PAGE_CACHE_SECONDS": "0"}, WORKERS)
    peer = Server(
        peer_env, WORKERS, gunicorn=str(PEER / ".venv" / "bin" / "gunicorn"),
        app="peersite.wsgi", cwd=PEER, ready="/feed/",
    )  # fmt: skip
    results: dict[tuple[str, str], list[dict[str, float]]] = {}
    try:
        for page in PAGES:
            for server, paths in ((ours, ours_paths), (peer, peer_paths)):
                check_ok(server.url + paths[page])
        for round_ in range(options.rounds):
            for page in PAGES:
                for name, server, paths in (
                    ("ours", ours, ours_paths),
                    ("wagtail", peer, peer_paths),
                ):
                    url = server.url + paths[page]
                    wrk(url, 3, options.clients)
                    result = wrk(url, options.duration, options.clients)
                    results.setdefault((name, page), []).append(result)
                    print(
                        f"  round {round_ + 1} {name:8} {page:14} {result['rps']:7.1f} req/s "
                        f"p99 {result['p99']:6.0f} ms",
                        flush=True,
                    )
    finally:
        ours.stop()
        peer.stop()

    print("\n| Page | Ours (address) | Wagtail (address) |")
    print("|---|---|---|")
    for page in PAGES:
        print(f"| {page} | `{ours_paths[page][:44]}` | `{peer_paths[page][:44]}` |")
    print(
        "\n| Page | Ours req/s | Wagtail req/s | Ratio | Ours p99 ms | Wagtail p99 ms "
        f"| ≥ {TARGET:.0f}× Wagtail |"
    )
    print("|---|---:|---:|---:|---:|---:|---|")
    for page in PAGES:
        a, b = results["ours", page], results["wagtail", page]
        ratio = sum(r["rps"] for r in a) / sum(r["rps"] for r in b)
        errors = sum(r["errors"] for r in a + b)
        print(
            f"| {page} | {rates(a)} | {rates(b)} | {ratio:.2f} | {p99s(a)} | {p99s(b)} | "
            f"{'met' if ratio >= TARGET else 'not met'}{f' ({errors} non-2xx)' if errors else ''} |"
        )


def rates(results: list[dict[str, float]]) -> str:
    return ", ".join(f"{r['rps']:.{0 if r['rps'] >= 100 else 1}f}" for r in results)


def p99s(results: list[dict[str, float]]) -> str:
    return ", ".join(f"{r['p99']:.0f}" for r in results)


PICK_PATHS_OURS = """
import json
from urllib.parse import quote
from django.db.models import Count
from taggit.models import Tag
from news.models import Release
from news.paging import Cursor
published = Release.objects.published().order_by("-published_at", "-pk")
total = published.count()
deep_index = max(0, min(total - 21, 4999 * 20 - 1))
deep = published.values_list("published_at", "pk")[deep_index]
middle = published.only("slug", "language", "title")[total // 2]
tag = Tag.objects.annotate(n=Count("news_taggedrelease_items")).order_by("-n").first()
print(json.dumps({
    "releases": total,
    "deep index": deep_index,
    "detail title": middle.title,
    "tag name": tag.name,
    "listing": "/",
    "deep page": "/?before=" + str(Cursor(*deep)),
    "release page": middle.get_absolute_url(),
    "tag listing": quote(f"/topics/{tag.slug}/"),
    "feed": "/feeds/rss/",
    "search": "/search/?q=%D0%A1%D0%B5%D1%80%D0%B1%D0%B8%D0%B8",
}))
"""
