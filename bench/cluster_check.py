"""The checks of bench/cluster.sh: two servers, a primary, a streaming replica and Redis.

Prints one line per check (ok or FAILED, with what was measured) and exits 1 if any failed.
Only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from django_otp.oath import totp

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "cluster-check-not-a-secret-1"
SETUP = """
import json, secrets
from django.contrib.auth.models import Group, User
from django_otp.plugins.otp_totp.models import TOTPDevice
from news.models import Release, State
user, _ = User.objects.get_or_create(username="cluster-publisher")
user.is_staff = True
user.set_password(%(password)r)
user.save()
user.groups.add(Group.objects.get(name="Publisher"))
TOTPDevice.objects.filter(user=user).delete()
device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
run = secrets.token_hex(3)
releases = [
    Release.objects.create(
        title=f"Кластер {run}: публикация {n}", summary="Проверка нескольких серверов.",
        body="<p>Проверка нескольких серверов.</p>", state=State.APPROVED,
    )
    for n in (1, 2)
]
print(json.dumps({"key": device.key, "releases": [
    {"pk": r.pk, "title": r.title, "url": r.get_absolute_url()} for r in releases
]}))
"""

failures: list[str] = []


def check(ok: bool, what: str, measured: str) -> None:
    print(f"{'ok    ' if ok else 'FAILED'}  {what}: {measured}", flush=True)
    if not ok:
        failures.append(what)


class Browser:
    """A person at one server: a reader (no cookies) or an editor (their session)."""

    def __init__(self, base: str, jar: http.cookiejar.CookieJar | None = None) -> None:
        self.base = base
        self.jar = jar
        handlers = [urllib.request.HTTPCookieProcessor(jar)] if jar is not None else []
        self.opener = urllib.request.build_opener(*handlers, NoRedirect)

    def get(self, path: str) -> tuple[int, str, float]:
        started = time.perf_counter()
        try:
            with self.opener.open(self.base + path, timeout=30) as response:
                status, body = response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            status, body = error.code, error.read().decode(errors="replace")
        return status, body, (time.perf_counter() - started) * 1000

    def post(self, path: str, data: dict[str, str]) -> int:
        data = {**data, "csrfmiddlewaretoken": self.csrf()}
        request = urllib.request.Request(
            self.base + path, data=urllib.parse.urlencode(data).encode(), method="POST"
        )
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    def csrf(self) -> str:
        return next(c.value for c in self.jar if c.name == "csrftoken")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def sql(port: int, query: str, database: str = "postgres") -> str:
    return subprocess.run(
        ["psql", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-d", database,
         "-qtAc", query],
        check=True, text=True, capture_output=True,
    ).stdout.strip()  # fmt: skip


def transactions(port: int, database: str) -> int:
    """Table reads (sequential and index scans) of the site's tables on that server.

    Not pg_stat_database's transactions: autovacuum's count there too. Nor the rate limit's
    windows, which search and the API write on every request (on the primary, as writes).
    """
    return int(
        sql(
            port,
            "SELECT coalesce(sum(coalesce(seq_scan, 0) + coalesce(idx_scan, 0)), 0) "
            "FROM pg_stat_user_tables WHERE relname NOT LIKE '%ratewindow%'",
            database,
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    for name in ("--a", "--b", "--database", "--replica", "--redis-dir"):
        parser.add_argument(name, required=True)
    for name in ("--replica-port", "--redis-port", "--redis-db"):
        parser.add_argument(name, type=int, required=True)
    o = parser.parse_args()
    version, cluster = o.replica.split("/")
    primary_port = 5432

    def stats_settle(seconds: float = 1.5) -> None:
        # PostgreSQL publishes a backend's counts when it goes idle, at most once a second;
        # counts it held back then follow after 10 s of idleness.
        time.sleep(seconds)

    def counts() -> tuple[int, int]:
        return transactions(primary_port, o.database), transactions(o.replica_port, o.database)

    def readers_load(label: str, n: int) -> tuple[int, float]:
        """n readers' requests spread over both servers, most of them pages no cache holds."""
        errors, slowest = 0, 0.0
        for i in range(n):
            server = (reader_a, reader_b)[i % 2]
            path = [
                "/",
                "/feeds/rss/",
                f"/search/?q={label}{i}",
                f"/search/?q=%D1%81%D0%B2%D1%8F%D0%B7%D1%8C+{i}",
            ][i % 4]
            status, _, ms = server.get(path)
            errors += status != 200
            slowest = max(slowest, ms)
        return errors, slowest

    started = time.monotonic()
    setup = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), "manage.py", "shell", "-v0", "-c",
         SETUP % {"password": PASSWORD}],
        cwd=ROOT, check=True, text=True, capture_output=True,
    )  # fmt: skip
    data = json.loads(setup.stdout.strip().splitlines()[-1])
    first, second = data["releases"]
    reader_a, reader_b = Browser(o.a), Browser(o.b)
    jar = http.cookiejar.CookieJar()
    editor_a, editor_b = Browser(o.a, jar), Browser(o.b, jar)

    # Readers have read B's pages: they are in the shared cache.
    for path in ("/", "/feeds/rss/"):
        reader_b.get(path)

    print("\nAn editor logs in on A (password and a code from the app) and publishes.")
    editor_a.get("/admin/login/")
    status = editor_a.post(
        "/admin/login/?next=/admin/",
        {
            "username": "cluster-publisher",
            "password": PASSWORD,
            "otp_token": f"{totp(bytes.fromhex(data['key'])):06d}",
            "next": "/admin/",
        },
    )
    check(status == 302, "editor logged in on A", f"HTTP {status}")

    status = editor_a.post(f"/admin/news/release/{first['pk']}/transition/publish/", {})
    published = time.perf_counter()
    check(status == 302, "release published through A's admin", f"HTTP {status}")
    seen: dict[str, float] = {}
    while len(seen) < 3 and time.perf_counter() - published < 5:
        for path in ("/", "/feeds/rss/", first["url"]):
            if path not in seen:
                status, body, _ = reader_b.get(path)
                if status == 200 and first["title"] in body:
                    seen[path] = (time.perf_counter() - published) * 1000
    check(
        len(seen) == 3 and max(seen.values()) < 1000,
        "a reader on B sees it on the listing, the feed and its page",
        ", ".join(f"{path} after {ms:.0f} ms" for path, ms in seen.items()) or "not seen in 5 s",
    )

    print("\nReaders' queries go to the replica.")
    stats_settle()
    before = counts()
    errors, _ = readers_load("count", 40)
    stats_settle()
    after = counts()
    on_primary, on_replica = after[0] - before[0], after[1] - before[1]
    check(
        errors == 0 and on_replica >= 40 and on_primary == 0,
        "40 readers' requests (A and B) read from the replica",
        f"replica {on_replica} table reads, primary {on_primary}, {errors} errors",
    )

    print("\nAn editor's read after a write sees the write (replica replay paused meanwhile).")
    sql(o.replica_port, "SELECT pg_wal_replay_pause()")
    try:
        status = editor_a.post(f"/admin/news/release/{second['pk']}/transition/publish/", {})
        check(status == 302, "second release published through A", f"HTTP {status}")
        status, body, _ = editor_b.get(second["url"])
        check(
            status == 200 and second["title"] in body,
            "the editor on B sees it at once (primary)",
            f"HTTP {status}",
        )
        status, _, _ = reader_b.get(second["url"])
        check(
            status == 404,
            "a reader on B does not yet (replica paused: the lag window)",
            f"HTTP {status}",
        )
    finally:
        sql(o.replica_port, "SELECT pg_wal_replay_resume()")
    resumed = time.perf_counter()
    status = 0
    while status != 200 and time.perf_counter() - resumed < 5:
        status, _, _ = reader_b.get(second["url"])
    check(
        status == 200,
        "the reader sees it once the replica replays",
        f"after {(time.perf_counter() - resumed) * 1000:.0f} ms",
    )

    print("\nThe replica stopped.")
    subprocess.run(["pg_ctlcluster", version, cluster, "stop", "-m", "fast"], check=True)
    stats_settle()
    primary_before = transactions(primary_port, o.database)
    errors, slowest = readers_load("noreplica", 40)
    stats_settle()
    on_primary = transactions(primary_port, o.database) - primary_before
    check(
        errors == 0 and on_primary > 0,
        "40 readers' requests served from the primary without errors",
        f"{errors} errors, slowest {slowest:.0f} ms, primary {on_primary} table reads",
    )
    subprocess.run(["pg_ctlcluster", version, cluster, "start"], check=True)
    # A standby takes connections once its recovery is consistent, a few seconds on a busy
    # machine; then each worker tries a replica it found out again after 2 s.
    for _ in range(60):
        ready = ["pg_isready", "-q", "-h", "127.0.0.1", "-p", str(o.replica_port)]
        if subprocess.run(ready).returncode == 0:
            break
        time.sleep(0.5)
    time.sleep(2.5)
    stats_settle()
    before = counts()
    errors, _ = readers_load("replicaback", 40)
    stats_settle(11)
    after = counts()
    check(
        errors == 0 and after[1] - before[1] >= 40,
        "replica started again: readers read from it again",
        f"replica {after[1] - before[1]} table reads, primary {after[0] - before[0]}, "
        f"{errors} errors",
    )

    print("\nRedis stopped.")
    redis = ["redis-cli", "-p", str(o.redis_port)]
    subprocess.run([*redis, "shutdown", "nosave"], capture_output=True)
    errors, slowest = readers_load("noredis", 40)
    check(
        errors == 0,
        "40 readers' requests served uncached without errors",
        f"{errors} errors, slowest {slowest:.0f} ms",
    )
    status, _, _ = editor_b.get("/admin/news/release/")
    check(status == 200, "the editor's admin on B works without Redis", f"HTTP {status}")
    subprocess.run(
        ["redis-server", "--port", str(o.redis_port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--daemonize", "yes", "--dir", o.redis_dir,
         "--pidfile", f"{o.redis_dir}/redis.pid", "--logfile", f"{o.redis_dir}/redis.log"],
        check=True,
    )  # fmt: skip
    for _ in range(50):
        if subprocess.run([*redis, "ping"], capture_output=True, text=True).stdout.strip():
            break
        time.sleep(0.1)
    for server in (reader_a, reader_b):
        server.get("/")
    status, _, hit_ms = reader_b.get("/")
    keys = int(subprocess.run([*redis, "-n", str(o.redis_db), "dbsize"], capture_output=True,
                              text=True).stdout.strip() or 0)  # fmt: skip
    check(
        status == 200 and keys > 0,
        "Redis started again: pages are cached in it again",
        f"{keys} keys, the listing from it in {hit_ms:.1f} ms",
    )

    print(f"\nChecks: {time.monotonic() - started:.0f} s. ", end="")
    if failures:
        print(f"{len(failures)} FAILED: {'; '.join(failures)}")
        sys.exit(1)
    print("All passed.")


if __name__ == "__main__":
    sys.exit(main())
