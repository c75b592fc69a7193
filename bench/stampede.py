"""After a publication: many readers on one page at once. How many renders, how long they wait.

    python bench/stampede.py --database-url postgres://postgres@127.0.0.1:5432/ministry_e
    python bench/stampede.py ... --redis redis://127.0.0.1:6379/5 --clients 50 --rounds 5

Starts gunicorn as `make serve` does (sync workers; with --threads, gthread), warms the home
page, then for each round moves the public version on (manage.py refresh_public_site: every
cached page goes at once, as after a publication) and sends --clients simultaneous requests
for the home page. Prints, per round, how many of them the server rendered (X-Page-Cache: miss)
and the p50 and p99 latency. With the local cache each worker process is its own "server"
(its own cache and lock); with Redis the lock is shared by all of them.
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import sys
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.run import Server, manage  # noqa: E402


def one_round(url: str, clients: int) -> tuple[int, list[float]]:
    start = threading.Barrier(clients)
    misses, times = [], []

    def read() -> None:
        start.wait()
        began = time.perf_counter()
        with urllib.request.urlopen(url, timeout=60) as answer:
            answer.read()
            misses.append(answer.headers.get("X-Page-Cache") == "miss")
        times.append((time.perf_counter() - began) * 1000)

    threads = [threading.Thread(target=read) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(misses), times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--redis", default="", help="REDIS_URL for a shared page cache")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--threads", type=int, default=1)
    options = parser.parse_args()
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_COOKIES": "0",
        "SECURE_HSTS_SECONDS": "0",
        "LOG_LEVEL": "WARNING",
        "DATABASE_URL": options.database_url,
        "REDIS_URL": options.redis,
        "PAGE_CACHE_SECONDS": "3600",
        "GUNICORN_CMD_ARGS": f"--threads {options.threads}",
    }
    manage(env, "collectstatic", "--noinput", "-v0")
    server = Server(env, options.workers)
    try:
        url = server.url + "/"
        for _ in range(3):
            one_round(url, options.clients)
        print(
            f"{options.clients} clients on / right after a publication; {options.workers} "
            f"workers x {options.threads} threads; cache: {options.redis or 'local memory'}"
        )
        print("| Round | Renders | p50 ms | p99 ms |\n|---:|---:|---:|---:|")
        for number in range(1, options.rounds + 1):
            manage(env, "refresh_public_site", "-v0")
            renders, times = one_round(url, options.clients)
            p99 = statistics.quantiles(times, n=100)[98]
            print(f"| {number} | {renders} | {statistics.median(times):.0f} | {p99:.0f} |")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
