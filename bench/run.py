"""The benchmark: the production server under load, page by page, beside a trivial view.

    python bench/run.py                         # SQLite, 100,000 releases
    python bench/run.py --database postgres     # PostgreSQL (database ministry_bench)
    python bench/run.py --releases 5000 --duration 5 --soak 600
    python bench/run.py --database postgres --soak 600 --soak-only
    python bench/run.py --database postgres --timing-only    # one core's ms per page, in process
    python bench/run.py --peer                  # against a stock Wagtail site (bench/peer/)

It fills the database (once: a later run reuses it), starts gunicorn as `make serve` does, and
drives it with wrk from a separate process: for each page, first with the page cache on
(pages after the first request come from it), then with it off (PAGE_CACHE_SECONDS=0, every
request renders). The baseline is /health/live/, a view that touches nothing: the ceiling of
Django, gunicorn and the middleware on this machine. It then times the admin change list in
process, and with --soak watches one worker's memory under load for that many seconds.

Prints the machine, then a Markdown table: requests per second, p50 and p99 latency, and each
page's ratio to the baseline served in the same mode. Only 127.0.0.1 is contacted.

With --peer (PostgreSQL, 10,000 releases unless --releases says otherwise) it writes the
synthetic releases once as a JSON Lines file, loads it into our database and into the Wagtail
site of bench/peer/ (its own venv, made on the first run), starts both with 2 sync workers and
our page cache off, and loads each page of both in turn with the same wrk runs, --rounds times:
a table of requests per second and the ratio, ours to Wagtail's.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
DATA = ROOT / "bench" / ".data"
PG_URL = "postgres://postgres@127.0.0.1:5432/ministry_bench"

ALONE = "uncached, 1 client"
# What a reader asks for, named as the issue names it; filled in by pick_paths().
PAGES = ["baseline", "listing", "deep archive page", "detail", "tag listing", "feed", "search"]

PICK_PATHS = """
import json
from django.db.models import Count
from taggit.models import Tag
from news.models import Release
from news.paging import Cursor
published = Release.objects.published().order_by("-published_at", "-pk")
total = published.count()
# Page 5,000 of 20: the release just before it ends the 4,999th page.
deep = published.values_list("published_at", "pk")[max(0, min(total - 21, 4999 * 20 - 1))]
middle = published.only("slug", "language")[total // 2]
tag = Tag.objects.annotate(n=Count("news_taggedrelease_items")).order_by("-n").first()
from urllib.parse import quote
print(json.dumps({
    "releases": total,
    "baseline": "/health/live/",
    "listing": "/",
    "deep archive page": "/?before=" + str(Cursor(*deep)),
    "detail": middle.get_absolute_url(),
    "tag listing": quote(f"/topics/{tag.slug}/"),
    "feed": "/feeds/rss/",
    "search": "/search/?q=%D0%A1%D0%B5%D1%80%D0%B1%D0%B8%D0%B8",
}))
"""

VERSIONS = """
import django, sys
from django.db import connection
connection.ensure_connection()
database = (
    f"SQLite {connection.Database.sqlite_version}" if connection.vendor == "sqlite"
    else f"PostgreSQL {connection.pg_version // 10000}.{connection.pg_version % 10000}"
)
print(f"Python {sys.version.split()[0]}, Django {django.get_version()}, {database}")
"""

# One core's time for each public page with the page cache off (settings from the environment:
# PAGE_CACHE_SECONDS=0), in this process: process CPU, so the database server's is not in it.
# "kept": as after a publication elsewhere (the release's article and the summaries are kept,
# news.articles, news.fragments); "cold": with those emptied before each request too.
PAGE_TIMING = """
import json, statistics, time
from django.core.cache import caches
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.db import connection
paths = PATHS
client = Client(HTTP_HOST="127.0.0.1")
out = {}
for name in ["listing", "deep archive page", "detail", "tag listing", "feed", "search"]:
    url = paths[name]
    for mode in ("kept", "cold"):
        client.get(url)
        times, walls = [], []
        for _ in range(50 if mode == "kept" else 20):
            if mode == "cold":
                caches["articles"].clear(); caches["fragments"].clear()
            with CaptureQueriesContext(connection) as queries:
                cpu, wall = time.process_time(), time.perf_counter()
                response = client.get(url)
                times.append((time.process_time() - cpu) * 1000)
                walls.append((time.perf_counter() - wall) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        out[f"{name}|{mode}"] = {"cpu_ms": statistics.median(times),
                                 "wall_ms": statistics.median(walls), "queries": len(queries)}
print(json.dumps(out))
"""

ADMIN_TIMING = """
import json, statistics, time
from django.contrib.auth import get_user_model
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.db import connection
User = get_user_model()
user = User.objects.filter(username="bench").first() or User.objects.create_superuser(
    "bench", password=None)
client = Client(HTTP_HOST="127.0.0.1")
client.force_login(user)
from news.models import Release
# Page 500 of 100 rows, or the last page of a smaller archive (a page past it redirects).
deep = max(0, min(500, (Release.objects.count() - 1) // 100))
urls = {
    "change list": "/admin/news/release/",
    f"change list, page {deep}": f"/admin/news/release/?p={deep}",
    "filtered: published": "/admin/news/release/?state=published",
    "search: a title word": "/admin/news/release/?q=%D0%A1%D0%B5%D1%80%D0%B1%D0%B8%D1%8F",
}
out = {}
for name, url in urls.items():
    client.get(url)
    times = []
    for _ in range(10):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    out[name] = {"median_ms": statistics.median(times), "max_ms": max(times),
                 "queries": len(queries)}
print(json.dumps(out))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def manage(env: dict[str, str], *args: str, capture: bool = False) -> str:
    result = subprocess.run(
        [PY, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture else None,
    )
    return result.stdout or ""


def ensure_database(name: str) -> None:
    """Create the PostgreSQL database `name` on 127.0.0.1 unless it exists."""
    exists = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc",
         f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],
        check=True, text=True, capture_output=True,
    ).stdout.strip()  # fmt: skip
    if not exists:
        subprocess.run(
            ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f'CREATE DATABASE "{name}"'],
            check=True,
        )


def prepare(env: dict[str, str], database: str, releases: int) -> None:
    if database == "postgres":
        ensure_database(env["DATABASE_URL"].rsplit("/", 1)[1])
    manage(env, "migrate", "--noinput", "-v0")
    have = int(
        manage(
            env, "shell", "-v0", "-c",
            "from news.models import Release; print(Release.objects.count())",
            capture=True,
        ).strip()
    )  # fmt: skip
    if have < releases:
        print(f"Filling the database: {have:,} releases, {releases:,} wanted...", flush=True)
        started = time.monotonic()
        if have == 0:
            manage(env, "load_demo", "--no-admin", "-v0")
        manage(env, "generate_releases", str(releases - have), "--seed", str(have + 1))
        print(f"  done in {time.monotonic() - started:.0f} s", flush=True)
    manage(env, "collectstatic", "--noinput", "-v0")


class Server:
    """gunicorn as `make serve` runs it: 2 x CPUs + 1 sync workers."""

    def __init__(
        self,
        env: dict[str, str],
        workers: int,
        *,
        gunicorn: str = GUNICORN,
        app: str = "ministry.wsgi",
        cwd: Path = ROOT,
        ready: str = "/health/live/",
    ) -> None:
        self.port = free_port()
        self.log = tempfile.NamedTemporaryFile("w+", suffix=".log", delete=False)
        self.process = subprocess.Popen(
            [gunicorn, app, "--bind", f"127.0.0.1:{self.port}",
             "--workers", str(workers), "--forwarded-allow-ips", "127.0.0.1"],
            cwd=cwd, env=env, stdout=self.log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        self.url = f"http://127.0.0.1:{self.port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(self.url + ready, timeout=1)
                return
            except OSError:
                time.sleep(0.2)
        raise SystemExit(f"gunicorn did not start; see {self.log.name}")

    def worker_pids(self) -> list[int]:
        out = subprocess.run(
            ["pgrep", "-P", str(self.process.pid)], text=True, capture_output=True
        ).stdout
        return [int(pid) for pid in out.split()]

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def seconds(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}[unit]


def wrk(url: str, duration: int, clients: int, script: str | None = None) -> dict[str, float]:
    args = [
        "wrk",
        f"-t{min(2, clients)}",
        f"-c{clients}",
        f"-d{duration}s",
        "--latency",
        "--timeout",
        "10s",
    ]
    if script:
        args += ["-s", script]
    out = subprocess.run([*args, url], check=True, text=True, capture_output=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = seconds(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))
    p99 = seconds(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": rps,
        "p50": p50 * 1000,
        "p99": p99 * 1000,
        "errors": int(errors.group(1)) if errors else 0,
    }


def describe_machine(env: dict[str, str], database: str) -> str:
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")),
        platform.processor(),
    )  # fmt: skip
    memory = int(Path("/proc/meminfo").read_text().split()[1]) / 1024**2
    versions = manage(env, "shell", "-v0", "-c", VERSIONS, capture=True).strip()
    wrk_version = subprocess.run(["wrk", "-v"], text=True, capture_output=True).stdout.split()[1]
    return (
        f"{os.cpu_count()} CPUs ({cpu}), {memory:.0f} GiB; {platform.platform()}; "
        f"{versions}; {database}; wrk {wrk_version}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--releases", type=int, help="100,000, or 10,000 with --peer (default)")
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per page")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--soak", type=int, default=0, help="seconds of the memory run")
    parser.add_argument(
        "--soak-only", action="store_true", help="only the memory run (with --soak)"
    )
    parser.add_argument(
        "--timing-only", action="store_true", help="only the in-process timing of each page"
    )
    parser.add_argument(
        "--peer", action="store_true", help="against the Wagtail site of bench/peer/ instead"
    )
    parser.add_argument("--rounds", type=int, default=2, help="wrk runs of each page (--peer)")
    options = parser.parse_args()
    if options.releases is None:
        options.releases = 10_000 if options.peer else 100_000

    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk")
    DATA.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_COOKIES": "0",
        "SECURE_HSTS_SECONDS": "0",
        "LOG_LEVEL": "WARNING",
        "MEDIA_ROOT": str(DATA / "media"),
        "DATABASE_URL": PG_URL
        if options.database == "postgres"
        else f"sqlite:///{DATA / 'bench.sqlite3'}",
    }
    if options.peer:
        from peer_bench import compare_with_peer

        compare_with_peer(env, options)
        return
    prepare(env, options.database, options.releases)
    paths = json.loads(manage(env, "shell", "-v0", "-c", PICK_PATHS, capture=True))
    workers = 2 * (os.cpu_count() or 1) + 1
    print(f"Machine: {describe_machine(env, options.database)}")
    print(
        f"Data: {paths['releases']:,} published releases. Load: wrk, {options.clients} "
        f"connections, {options.duration} s a page after a 3 s warm-up; gunicorn, {workers} "
        "sync workers, on the same machine.\n",
        flush=True,
    )
    if options.soak_only:
        soak(env, workers, paths, options)
        return
    if options.timing_only:
        print_page_timing(env, paths)
        return

    results: dict[tuple[str, str], dict[str, float]] = {}
    for mode, cache_seconds in (("cached", "3600"), ("uncached", "0")):
        server = Server({**env, "PAGE_CACHE_SECONDS": cache_seconds}, workers)
        try:
            for page in PAGES:
                url = server.url + paths[page]
                wrk(url, 3, options.clients)
                results[mode, page] = wrk(url, options.duration, options.clients)
                print(f"  {mode:8} {page:18} {results[mode, page]['rps']:8.0f} req/s", flush=True)
                if mode == "uncached":
                    # One reader alone: how long the server takes for the page, not queueing.
                    results[ALONE, page] = wrk(url, max(3, options.duration // 2), 1)
        finally:
            server.stop()

    print("\n| Page | Address | Mode | Requests/s | p50 ms | p99 ms | Non-2xx | × baseline |")
    print("|---|---|---|---:|---:|---:|---:|---:|")
    for mode in ("cached", "uncached", ALONE):
        baseline = results[mode, "baseline"]["rps"]
        for page in PAGES:
            r = results[mode, page]
            print(
                f"| {page} | `{paths[page][:40]}` | {mode} | {r['rps']:.0f} | {r['p50']:.1f} | "
                f"{r['p99']:.1f} | {r['errors']} | {r['rps'] / baseline:.2f} |"
            )

    print_page_timing(env, paths)
    admin = json.loads(manage(env, "shell", "-v0", "-c", ADMIN_TIMING, capture=True))
    print("\n| Admin page (in process, server time) | Median ms | Max ms | Queries |")
    print("|---|---:|---:|---:|")
    for name, r in admin.items():
        print(f"| {name} | {r['median_ms']:.0f} | {r['max_ms']:.0f} | {r['queries']} |")

    if options.soak:
        soak(env, workers, paths, options)


def print_page_timing(env: dict[str, str], paths: dict) -> None:
    """The in-process table: one core's milliseconds per public page, the page cache off."""
    code = PAGE_TIMING.replace("PATHS", repr(paths))
    timing = json.loads(
        manage({**env, "PAGE_CACHE_SECONDS": "0", "REQUEST_LOG": "0"}, "shell", "-v0", "-c",
               code, capture=True)
    )  # fmt: skip
    print("\n| Page (in process, page cache off) | Mode | CPU ms (median) | Wall ms | Queries |")
    print("|---|---|---:|---:|---:|")
    for key, r in timing.items():
        page, mode = key.split("|")
        print(f"| {page} | {mode} | {r['cpu_ms']:.1f} | {r['wall_ms']:.1f} | {r['queries']} |")


def soak(env: dict[str, str], workers: int, paths: dict, options: argparse.Namespace) -> None:
    """Every page in turn, cached, for options.soak seconds; each worker's memory every 30 s."""
    server = Server({**env, "PAGE_CACHE_SECONDS": "3600"}, workers)
    script = DATA / "soak.lua"
    urls = [paths[page] for page in PAGES]
    script.write_text(
        "local paths = {" + ", ".join(json.dumps(u) for u in urls) + "}\n"
        "local i = 0\n"
        "request = function()\n  i = i + 1\n"
        "  return wrk.format('GET', paths[(i % #paths) + 1])\nend\n"
    )
    try:
        load = subprocess.Popen(
            ["wrk", "-t2", f"-c{options.clients}", f"-d{options.soak}s", "-s", str(script),
             server.url],
            stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        samples: list[list[float]] = []
        started = time.monotonic()
        while load.poll() is None:
            samples.append([rss_mb(pid) for pid in server.worker_pids()])
            time.sleep(30)
        out = load.stdout.read()
    finally:
        server.stop()
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)
    print(f"\nMemory over {time.monotonic() - started:.0f} s of mixed load ({rps} req/s):")
    print("| Sample | " + " | ".join(f"worker {n + 1} MB" for n in range(len(samples[0]))) + " |")
    print("|---|" + "---:|" * len(samples[0]))
    for n, row in enumerate(samples):
        print(f"| {n * 30} s | " + " | ".join(f"{mb:.0f}" for mb in row) + " |")
    growth = [last - first for first, last in zip(samples[1], samples[-1], strict=False)]
    print(f"Growth from 30 s to the end, per worker: {', '.join(f'{g:+.1f} MB' for g in growth)}")
    print(f"Median growth: {statistics.median(growth):+.1f} MB")


if __name__ == "__main__":
    sys.exit(main())
