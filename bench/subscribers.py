"""The subscriber benchmark (issue #17): one release published to 100,000 subscribers.

    python bench/subscribers.py                         # SQLite (bench/.data/subscribers.sqlite3)
    python bench/subscribers.py --database postgres     # PostgreSQL (database ministry_subs_bench)
    python bench/subscribers.py --subscribers 10000

It fills its own database once (the demo content, then confirmed subscribers with mixed
scopes, languages and frequencies; a later run reuses them), and on each run:

- starts a real SMTP server (bench/smtp_sink.py: aiosmtpd in its own process, on a free port)
  that counts what arrives, and points the web and the worker at it with EMAIL_URL;
- imports the demo release again as a new story, approved, and counts the subscribers whose
  scopes it falls in;
- starts gunicorn (one worker: the web process), logs in as a publisher and publishes the
  release with the admin's own button, a real HTTP POST, timed by the client;
- runs ONE queue worker (`manage.py db_worker`), as production does, and waits until the SMTP
  server has every immediate message.

Prints the machine, then a Markdown table of the figures against the issue's targets: the
publish request (< 1 s), publication to all deliveries stored and all send_batch tasks queued
(< 30 s), and messages a second received by the SMTP server (>= 200). Only 127.0.0.1 is
contacted.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import json
import os
import platform
import secrets
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

from run import DATA, PY, ROOT, VERSIONS, Server, ensure_database, free_port, manage

PG_URL = "postgres://postgres@127.0.0.1:5432/ministry_subs_bench"
SINK = str(ROOT / "bench" / "smtp_sink.py")

# Confirmed subscribers: what they follow (weights), two subscriptions for some; languages;
# how often (the fastest of an address's matching subscriptions wins).
FILL = """
import os, random
from django.db import transaction
from django.utils import timezone
from news.models import Country, Delegation, Official, Organisation, Release, Topic
from news.models.release_choices import Kind
from news.models.subscriptions import Subscriber, Subscription
from news.synthetic import COUNTRIES, TOPICS

wanted = int(os.environ["BENCH_SUBSCRIBERS"])
have = Subscriber.objects.count()
rng = random.Random(17 + have)
topics = [Topic.objects.get_or_create(name=name)[0].pk for name in TOPICS[:20]]
seed_topics = list(Topic.objects.filter(news_taggedrelease_items__isnull=False)
                   .distinct().values_list("pk", flat=True))
countries = [Country.objects.get_or_create(code=code)[0].pk for code, *_ in COUNTRIES]
countries += list(Country.objects.values_list("pk", flat=True))
keys = {
    "topic": [str(pk) for pk in seed_topics + topics],
    "official": [str(pk) for pk in Official.objects.values_list("pk", flat=True)],
    "organisation": [str(pk) for pk in Organisation.objects.values_list("pk", flat=True)],
    "country": [str(pk) for pk in sorted(set(countries))],
    "delegation": [str(pk) for pk in Delegation.objects.values_list("pk", flat=True)],
    "kind": list(Kind.values),
}
SCOPES = ["everything", "topic", "official", "organisation", "country", "delegation", "kind"]
WEIGHTS = [20, 30, 10, 10, 15, 5, 10]
now = timezone.now()

def subscription(subscriber, scope, language):
    frequency = rng.choices(["immediately", "daily", "weekly"], [60, 30, 10])[0]
    key = "" if scope == "everything" else rng.choice(keys[scope])
    return Subscription(subscriber=subscriber, scope=scope, key=key, language=language,
                        frequency=frequency, created_at=now, confirmed_at=now)

for start in range(have, wanted, 5000):
    with transaction.atomic():
        batch = Subscriber.objects.bulk_create([
            Subscriber(email=f"reader{n}@bench.example", corrections=rng.random() < 0.8)
            for n in range(start, min(start + 5000, wanted))
        ])
        rows = []
        for subscriber in batch:
            language = rng.choices(["ru", "be", "en"], [70, 20, 10])[0]
            scopes = rng.choices(SCOPES, WEIGHTS, k=2)
            rows.append(subscription(subscriber, scopes[0], language))
            if rng.random() < 0.3 and scopes[1] != scopes[0]:
                rows.append(subscription(subscriber, scopes[1], language))
        Subscription.objects.bulk_create(rows)
print(Subscriber.objects.count(), Subscription.objects.count())
"""

# Before each run: no deliveries or tasks left from the last; a new story (the demo release
# imported again), approved; a publisher to publish it; who it will reach.
PREPARE_RUN = """
import json, os
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django_tasks_db.models import DBTaskResult
from news.demo import SEED_FILE, SEED_TAGS
from news.importing.text import import_text_file
from news.models import Delegation, Release
from news.models.release_choices import Kind, State
from news.models.subscriptions import Delivery, DigestRun, Frequency, Subscription
from news.subscriptions.scopes import matching, release_scopes

Delivery.objects.all().delete()
DigestRun.objects.all().delete()
DBTaskResult.objects.all().delete()
seed = Release.objects.published().filter(lead_image__isnull=False).order_by("pk").first()
release = import_text_file(SEED_FILE, language="ru", allow_duplicates=True)
release.kind, release.place, release.lead_image = Kind.VISIT, seed.place, seed.lead_image
release.state = State.APPROVED
release.save()
release.delegations.set(Delegation.objects.all())
release.tags.add(*SEED_TAGS)
User = get_user_model()
user, _ = User.objects.get_or_create(username="bench-publisher", defaults={"is_staff": True})
password = os.environ["BENCH_PASSWORD"]
user.set_password(password)
user.save()
user.groups.set([Group.objects.get(name="Publisher")])
reached = Subscription.objects.confirmed().filter(
    matching(release_scopes(release)), subscriber__bouncing_at__isnull=True
)
print(json.dumps({
    "release": release.pk,
    "version": release.version,
    "subscribers": Subscription.objects.values("subscriber").distinct().count(),
    "subscriptions": Subscription.objects.count(),
    "matching": reached.values("subscriber").distinct().count(),
    "immediate": reached.filter(frequency=Frequency.IMMEDIATELY)
        .values("subscriber").distinct().count(),
}))
"""

# After the run: what the queue and the deliveries say (times as Unix time).
COLLECT = """
import json, os
from django.db.models import Count, Max, Min
from django_tasks_db.models import DBTaskResult
from news.models import Release
from news.models.subscriptions import Delivery
release = Release.objects.get(pk=int(os.environ["BENCH_RELEASE"]))
tasks = DBTaskResult.objects.all()
notify = tasks.get(task_path__endswith=".notify_release")
batches = tasks.filter(task_path__endswith=".send_batch")
sent = Delivery.objects.filter(release=release, status="sent").aggregate(
    first=Min("sent_at"), last=Max("sent_at"))
print(json.dumps({
    "state": release.state,
    "notify": {
        "status": notify.status,
        "enqueued": notify.enqueued_at.timestamp(),
        "started": notify.started_at.timestamp(),
        "finished": notify.finished_at.timestamp(),
        "returned": notify.return_value,
    },
    "send_batch": dict(batches.values_list("status").annotate(n=Count("pk"))),
    "last_batch_enqueued": batches.aggregate(t=Max("enqueued_at"))["t"].timestamp(),
    "deliveries": {f"{s}, {f}": n for s, f, n in Delivery.objects.filter(release=release)
                   .values_list("status", "frequency").annotate(n=Count("pk"))},
    "first_sent": sent["first"].timestamp() if sent["first"] else None,
    "last_sent": sent["last"].timestamp() if sent["last"] else None,
}))
"""


class SMTPSink:
    """bench/smtp_sink.py in its own process; status() is what it has counted so far."""

    def __init__(self) -> None:
        self.port = free_port()
        self.path = DATA / f"smtp-{self.port}.json"
        self.process = subprocess.Popen([PY, SINK, str(self.port), str(self.path)])
        for _ in range(100):
            if self.path.exists():
                return
            time.sleep(0.1)
        raise SystemExit("the SMTP server did not start")

    def status(self) -> dict[str, float]:
        return json.loads(self.path.read_text())

    def stop(self) -> dict[str, float]:
        self.process.terminate()
        self.process.wait(timeout=10)
        status = self.status()
        self.path.unlink()
        return status


class Browser:
    """An editor's browser, as far as the admin needs: cookies, the CSRF token, forms."""

    def __init__(self, url: str) -> None:
        self.host, self.port = urllib.parse.urlsplit(url).netloc.split(":")
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, str]:
        connection = http.client.HTTPConnection(self.host, int(self.port), timeout=60)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            form = {**form, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        text = response.read().decode()
        connection.close()
        return response.status, response.getheader("Location") or text

    def log_in(self, username: str, password: str) -> None:
        self.request("GET", "/admin/login/")
        status, location = self.request(
            "POST",
            "/admin/login/",
            {"username": username, "password": password, "otp_token": "", "next": "/admin/"},
        )
        if status != 302 or "sessionid" not in self.cookies:
            raise SystemExit(f"could not log in as {username}: {status}")


def uptime_load() -> str:
    return ", ".join(Path("/proc/loadavg").read_text().split()[:3])


def describe_machine(env: dict[str, str], database: str) -> str:
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")),
        platform.processor(),
    )  # fmt: skip
    memory = int(Path("/proc/meminfo").read_text().split()[1]) / 1024**2
    versions = manage(env, "shell", "-v0", "-c", VERSIONS, capture=True).strip()
    return (
        f"{os.cpu_count()} CPUs ({cpu}), {memory:.0f} GiB; {platform.platform()}; "
        f"{versions}; {database}"
    )


def prepare(env: dict[str, str], database: str, subscribers: int) -> None:
    if database == "postgres":
        ensure_database(env["DATABASE_URL"].rsplit("/", 1)[1])
    manage(env, "migrate", "--noinput", "-v0")
    count = "from news.models import Release; print(Release.objects.count())"
    if int(manage(env, "shell", "-v0", "-c", count, capture=True)) == 0:
        manage(env, "load_demo", "--no-admin", "-v0")
    started = time.monotonic()
    fill = {**env, "BENCH_SUBSCRIBERS": str(subscribers)}
    counts = manage(fill, "shell", "-v0", "-c", FILL, capture=True).split()
    print(
        f"Subscribers: {int(counts[0]):,} with {int(counts[1]):,} confirmed subscriptions "
        f"(ready in {time.monotonic() - started:.0f} s)",
        flush=True,
    )
    manage(env, "collectstatic", "--noinput", "-v0")


def wait_for_mail(sink: SMTPSink, expected: int, stall: float) -> dict[str, float]:
    """Until the SMTP server has expected messages, or nothing new came for stall seconds."""
    seen, since = -1, time.monotonic()
    while True:
        status = sink.status()
        if status["count"] >= expected:
            return status
        if status["count"] != seen:
            seen, since = status["count"], time.monotonic()
            print(f"  {seen:,} of {expected:,} messages received", end="\r", flush=True)
        elif time.monotonic() - since > stall:
            print(f"\n  nothing new for {stall:.0f} s: stopping at {seen:,}", flush=True)
            return status
        time.sleep(0.5)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--subscribers", type=int, default=100_000)
    parser.add_argument(
        "--messages",
        type=int,
        help="stop after this many messages (a quick measure of the rate; default: all)",
    )
    parser.add_argument(
        "--stall", type=float, default=60, help="seconds without a new message before giving up"
    )
    options = parser.parse_args()

    DATA.mkdir(parents=True, exist_ok=True)
    sink = SMTPSink()
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_COOKIES": "0",
        "SECURE_HSTS_SECONDS": "0",
        "LOG_LEVEL": "WARNING",
        "REQUEST_LOG": "0",
        "MEDIA_ROOT": str(DATA / "media"),
        "SITE_URL": "http://127.0.0.1:8000",
        "EMAIL_URL": f"smtp://127.0.0.1:{sink.port}",
        "DATABASE_URL": PG_URL
        if options.database == "postgres"
        else f"sqlite:///{DATA / 'subscribers.sqlite3'}",
    }
    env["ENV_FILE"] = ""  # never a developer's .env
    worker = server = None
    try:
        prepare(env, options.database, options.subscribers)
        password = secrets.token_urlsafe(16)
        setup = {**env, "BENCH_PASSWORD": password}
        run = json.loads(manage(setup, "shell", "-v0", "-c", PREPARE_RUN, capture=True))
        print(f"Machine: {describe_machine(env, options.database)}")
        print(f"Load average before the run: {uptime_load()}")
        print(
            f"Data: {run['subscribers']:,} confirmed subscribers, {run['subscriptions']:,} "
            f"subscriptions; the release reaches {run['matching']:,} of them, "
            f"{run['immediate']:,} at once (the others in a digest).\n",
            flush=True,
        )

        server = Server(env, 1)
        browser = Browser(server.url)
        browser.log_in("bench-publisher", password)
        change = f"/admin/news/release/{run['release']}/change/"
        status, _page = browser.request("GET", change)
        assert status == 200, status
        worker = subprocess.Popen(
            [PY, "manage.py", "db_worker", "--no-reload", "-v0"], cwd=ROOT, env=env
        )
        time.sleep(3)  # started and polling the queue, as a worker in production is

        started = time.time()
        status, location = browser.request(
            "POST",
            f"/admin/news/release/{run['release']}/transition/publish/",
            {"version": run["version"], "at": "", "silent": ""},
        )
        publish_seconds = time.time() - started
        if status != 302 or not location.endswith(change):
            raise SystemExit(f"publishing failed: {status} {location[:300]}")
        print(f"Published in {publish_seconds * 1000:.0f} ms; sending...", flush=True)
        wait_for_mail(sink, min(run["immediate"], options.messages or 10**9), options.stall)
        time.sleep(1)  # the worker records the last batch
        load_after = uptime_load()
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=60)
        if server is not None:
            server.stop()
        received = sink.stop()
    collect = {**env, "BENCH_RELEASE": str(run["release"])}
    result = json.loads(manage(collect, "shell", "-v0", "-c", COLLECT, capture=True))
    print(f"\nLoad average after the run: {load_after}")
    report(options, run, publish_seconds, started, received, result)


def report(options, run, publish_seconds, started, received, result) -> None:
    notify = result["notify"]
    enqueue = notify["finished"] - started
    count = received["count"]
    span = received["last"] - received["first"] if count > 1 else 0
    rate = (count - 1) / span if span else 0.0
    whole = received["last"] - started if count else 0
    rows = [
        ("Publish request (HTTP POST to the admin, client's clock)", f"{publish_seconds:.3f} s",
         "< 1 s", publish_seconds < 1),
        ("Publication -> deliveries stored and send_batch tasks queued", f"{enqueue:.1f} s",
         "< 30 s", enqueue < 30),
        ("  of which notify_release ran", f"{notify['finished'] - notify['started']:.1f} s",
         "", None),
        ("Messages a second received by the SMTP server, one worker", f"{rate:.0f}",
         ">= 200", rate >= 200),
        ("Immediate messages received / expected", f"{count:,} / {run['immediate']:,}",
         "all", None if options.messages else count == run["immediate"]
         and not received["malformed"]),
        ("Publication -> last message received", f"{whole:.0f} s", "", None),
    ]  # fmt: skip
    print(f"\nSubscribers: {run['subscribers']:,}; reached by the release: {run['matching']:,}")
    print("\n| Figure | Measured | Target | Met |")
    print("|---|---:|---|---|")
    for name, value, target, met in rows:
        verdict = "" if met is None else ("met" if met else "**not met**")
        print(f"| {name} | {value} | {target} | {verdict} |")
    print(f"\nRelease state: {result['state']}; notify_release: {notify['status']}, returned "
          f"{notify['returned']}; send_batch tasks: {result['send_batch']}")  # fmt: skip
    print(f"Deliveries (status, frequency): {result['deliveries']}")
    if received["malformed"]:
        print(f"Malformed messages (no To or no List-Unsubscribe): {received['malformed']}")
    print(f"Finished {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC")


if __name__ == "__main__":
    sys.exit(main())
