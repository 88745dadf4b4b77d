"""Fault drills on the real services (the last step of CI's PostgreSQL + Redis stage).

Each drill breaks something for real: Redis loses the queued reports, PostgreSQL restarts
under requests and a running task, a poison task meets the worker. They restart services, so
they run only when FAULT_DRILLS=1 (CI sets it; a developer's machine is left alone). The kill -9
of a worker mid-report is in tests/reporting/test_worker.py.
"""

from __future__ import annotations

import datetime
import os
import subprocess
import threading
import time
import urllib.error
import urllib.request

import pytest
from django.db import connection
from django.utils import timezone

from programs.models import Plan
from reporting import services
from reporting.models import ReportRun
from reporting.tasks import generate_report

pytestmark = [
    pytest.mark.drill,
    pytest.mark.skipif(
        not (os.environ.get("CELERY_BROKER_URL") and os.environ.get("FAULT_DRILLS") == "1"),
        reason="fault drills restart PostgreSQL and Redis: CI only (FAULT_DRILLS=1)",
    ),
]


def _runs(count: int) -> list[ReportRun]:
    plan = Plan.objects.get(end_year=2020)
    return [
        ReportRun.objects.create(
            plan=plan,
            year=2020,
            quarter=quarter,
            audience="ministry",
            as_of=datetime.date(2020, 12, 31),
            trigger="request",
        )
        for quarter in range(1, count + 1)
    ]


def _wait_all_done(runs: list[ReportRun], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    pks = [run.pk for run in runs]
    while time.monotonic() < deadline:
        try:
            statuses = set(ReportRun.objects.filter(pk__in=pks).values_list("status", flat=True))
        except Exception:  # the database may still be coming back
            connection.close()
            statuses = set()
        if statuses == {ReportRun.Status.DONE}:
            return
        time.sleep(1)
    pytest.fail(f"runs not done within {seconds:.0f} s: {statuses}")


def _restart_redis() -> None:
    subprocess.run(
        ["redis-cli", "-h", "127.0.0.1", "-p", "6379", "shutdown", "nosave"], check=False
    )
    subprocess.run(
        [
            "redis-server",
            "--daemonize",
            "yes",
            "--bind",
            "127.0.0.1",
            "-::1",
            "--port",
            "6379",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            "/var/lib/redis",
            "--logfile",
            "/var/log/redis/ci.log",
        ],
        check=True,
    )
    for _ in range(60):
        if (
            subprocess.run(["redis-cli", "-h", "127.0.0.1", "ping"], capture_output=True).returncode
            == 0
        ):
            return
        time.sleep(0.5)
    pytest.fail("Redis did not come back")


def _restart_postgresql() -> None:
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"],
        check=True,
        timeout=120,
    )
    for _ in range(60):
        if subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1"]).returncode == 0:
            return
        time.sleep(0.5)
    pytest.fail("PostgreSQL did not come back")


def test_reports_lost_with_a_redis_restart_are_queued_again_by_the_sweeper(reference_data) -> None:
    runs = _runs(3)
    # Queued where no worker listens (as behind a long queue), then Redis restarts empty.
    for run in runs:
        generate_report.apply_async((run.pk,), queue="drill-nobody")
    _restart_redis()
    time.sleep(2)
    assert set(ReportRun.objects.values_list("status", flat=True)) == {ReportRun.Status.QUEUED}
    later = timezone.now() + services.QUEUED_GRACE + datetime.timedelta(minutes=1)
    assert sorted(services.requeue_stalled(now=later)) == sorted(run.pk for run in runs)
    _wait_all_done(runs, seconds=180)
    assert services.requeue_stalled(now=later) == []


def test_pages_fail_only_while_postgresql_restarts_and_a_task_retries_to_the_end(
    reference_data, live_server
) -> None:
    runs = _runs(2)
    for run in runs:
        generate_report.delay(run.pk)
    answers: list[tuple[float, int]] = []
    stop = threading.Event()

    def request_pages() -> None:
        while not stop.is_set():
            try:
                with urllib.request.urlopen(f"{live_server.url}/healthz/", timeout=5) as response:
                    status = response.status
            except urllib.error.HTTPError as error:
                status = error.code
            except OSError:
                status = 0
            answers.append((time.monotonic(), status))
            time.sleep(0.05)

    requester = threading.Thread(target=request_pages, daemon=True)
    requester.start()
    time.sleep(1.5)
    began = time.monotonic()
    _restart_postgresql()
    ended = time.monotonic()
    time.sleep(5)
    stop.set()
    requester.join(timeout=10)
    connection.close()  # this test's own connection died with the server

    before = [status for at, status in answers if at < began]
    after = [status for at, status in answers if at > ended + 1]
    assert before and set(before) == {200}
    assert len(after) > 20 and set(after) == {200}, "errors went on after the restart"
    _wait_all_done(runs, seconds=240)


def test_a_poison_report_fails_once_and_shows_as_failed_without_looping(reference_data) -> None:
    (run,) = _runs(1)
    ReportRun.objects.filter(pk=run.pk).update(audience="nobody")  # data no code can render
    assert generate_report.delay(run.pk).get(timeout=120) == "failed"
    time.sleep(3)
    run.refresh_from_db()
    assert run.status == ReportRun.Status.FAILED and "nobody" in run.error
    assert run.attempts == 1
