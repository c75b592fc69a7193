"""Several workers on one queue (the database backend, on one or many machines): each message
is still sent once."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker

from news import workflow
from news.models import Delivery, Release, State, Subscriber, Subscription
from news.models.subscriptions import DeliveryStatus
from news.subscriptions import fanout
from news.subscriptions.messages import DeliveryMessages
from news.subscriptions.sending import send_deliveries
from news.subscriptions.tasks import notify_release, send_batch
from tests import smtp
from tests.factories import ReleaseFactory, UserFactory

smtp_server = smtp.smtp_server  # the fixture

SUBSCRIBERS = 60


def worker(name: str) -> Worker:
    return Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=name,
        excluded_queue_names=[],
    )


def run_in_thread(worker: Worker, errors: list[BaseException]) -> threading.Thread:
    def run() -> None:
        try:
            worker.run()
        except BaseException as error:  # noqa: BLE001 (reported by the test)
            errors.append(error)
        finally:
            connection.close()

    return threading.Thread(target=run)


# SQLite's in-memory test database locks whole tables between threads; the processes below
# share a database file instead, as on one machine.
@pytest.mark.skipif(connection.vendor == "sqlite", reason="threads on SQLite's memory database")
@pytest.mark.django_db(transaction=True)
def test_two_workers_on_the_same_tasks_send_each_message_once(smtp_server):
    for number in range(SUBSCRIBERS):
        subscriber = Subscriber.objects.create(email=f"r{number}@example.org")
        Subscription.objects.create(
            subscriber=subscriber,
            scope="everything",
            language="ru",
            frequency="immediately",
            confirmed_at=timezone.now(),
        )
    author = UserFactory(username="author", roles=["Author"])
    publisher = UserFactory(username="publisher", roles=["Publisher"])
    release = ReleaseFactory(state=State.APPROVED, created_by=author, last_edited_by=author)
    workflow.release_publish(release=release, user=publisher)
    # The same work queued again, as a retried or duplicated task would: both workers race.
    notify_release.enqueue(release.pk)
    notify_release.enqueue(release.pk)

    errors: list[BaseException] = []
    threads = [run_in_thread(worker(name), errors) for name in ("one", "two")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    pks = list(Delivery.objects.values_list("pk", flat=True))
    send_batch.enqueue(pks)
    smtp.run_worker()

    assert errors == []
    title = Release.objects.get(pk=release.pk).title
    recipients = [m["To"] for m in smtp_server.messages if m["Subject"] == title]
    assert len(recipients) == SUBSCRIBERS
    assert len(set(recipients)) == SUBSCRIBERS
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}


SEED = """
from django.utils import timezone
from news.models import Release, State, Subscriber, Subscription
from news.subscriptions import fanout
from news.subscriptions.tasks import send_batch
for number in range({count}):
    subscriber = Subscriber.objects.create(email=f"r{{number}}@example.org")
    Subscription.objects.create(subscriber=subscriber, scope="everything", language="ru",
        frequency="immediately", confirmed_at=timezone.now())
release = Release.objects.create(title="Один раз", state=State.PUBLISHED,
    published_at=timezone.now())
fanout.release_deliveries(release)
pks = fanout.pending_now(release, "release", None)
for _ in range(4):  # the same messages in four tasks: the two workers race for each
    send_batch.enqueue(pks)
"""


@pytest.mark.django_db
def test_two_worker_processes_on_one_database_send_each_message_once(smtp_server, tmp_path):
    manage = [sys.executable, str(Path(__file__).resolve().parent.parent / "manage.py")]
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_server.port}",
        "ENV_FILE": "",
        "DEBUG": "1",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, capture_output=True)
    seed = SEED.format(count=SUBSCRIBERS)
    subprocess.run([*manage, "shell", "-c", seed], env=env, check=True, capture_output=True)

    worker = [*manage, "db_worker", "--batch", "--no-startup-delay", "--no-reload", "-v0"]
    workers = [subprocess.Popen([*worker, "--worker-id", name], env=env) for name in "ab"]
    codes = [process.wait(timeout=120) for process in workers]

    assert codes == [0, 0]
    recipients = [m["To"] for m in smtp_server.messages]
    assert len(recipients) == SUBSCRIBERS
    assert len(set(recipients)) == SUBSCRIBERS


@pytest.mark.django_db
def test_a_batch_is_claimed_built_and_recorded_in_the_same_queries_whatever_its_size(
    smtp_server,
):
    for number in range(30):
        subscriber = Subscriber.objects.create(email=f"r{number}@example.org")
        Subscription.objects.create(
            subscriber=subscriber,
            scope="everything",
            language="ru",
            frequency="immediately",
            confirmed_at=timezone.now(),
        )
    release = ReleaseFactory(state=State.PUBLISHED, published_at=timezone.now())
    fanout.release_deliveries(release)
    pks = fanout.pending_now(release, "release", None)

    counts = []
    for batch in (pks[:5], pks[5:]):
        with CaptureQueriesContext(connection) as queries:
            send_deliveries(batch, DeliveryMessages())
        counts.append(len(queries))

    assert counts[0] == counts[1]
    assert len(smtp_server.messages) == 30
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}
