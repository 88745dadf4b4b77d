"""Reports through Redis and real Celery processes (CI's PostgreSQL + Redis stage): a beat
process triggers the scheduled reports and a worker produces them; a worker killed with -9 in
the middle of a report leaves it to the next worker, and the report is done exactly once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from django_celery_beat.models import ClockedSchedule, PeriodicTask

from demo import run as demo
from programs.models import Plan
from reporting import services
from reporting.models import ReportRun
from reporting.tasks import generate_report

pytestmark = pytest.mark.skipif(
    not os.environ.get("CELERY_BROKER_URL"), reason="needs CELERY_BROKER_URL and a worker"
)
ROOT = Path(settings.BASE_DIR)


def _environment(**extra: str) -> dict[str, str]:
    """The test database and media folder, for processes started by the test."""
    database = settings.DATABASES["default"]
    user, host, port = database["USER"] or "postgres", database["HOST"], database["PORT"]
    url = f"postgres://{user}@{host}:{port}/{database['NAME']}"
    return {**os.environ, "DATABASE_URL": url, "MEDIA_ROOT": str(settings.MEDIA_ROOT), **extra}


@contextmanager
def _process(arguments: list[str], **extra: str) -> Iterator[subprocess.Popen]:
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "portal", *arguments],
        cwd=ROOT,
        env=_environment(**extra),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: the pool's children die with it
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


def _wait(condition, *, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.5)
    pytest.fail(f"{what} within {seconds:.0f} s")


def test_a_beat_trigger_has_the_worker_produce_the_scheduled_reports(reference_data) -> None:
    clocked = ClockedSchedule.objects.create(clocked_time=timezone.now())
    PeriodicTask.objects.create(
        name="Báo cáo Q4/2020 (kiểm thử)",
        task=services.SCHEDULE_TASK,
        clocked=clocked,
        one_off=True,
        kwargs='{"period": "2020-Q4"}',
    )
    with _process(
        [
            "beat",
            "-S",
            "django",
            "--loglevel=WARNING",
            "--max-interval=2",
            f"--schedule={settings.MEDIA_ROOT}/beat-schedule",
        ]
    ):
        _wait(
            lambda: ReportRun.objects.filter(status=ReportRun.Status.DONE).count() == 2,
            seconds=120,
            what="the scheduled reports were not produced",
        )
    runs = ReportRun.objects.order_by("audience")
    assert [(r.audience, r.year, r.quarter, r.trigger) for r in runs] == [
        ("ministry", 2020, 4, "schedule"),
        ("province", 2020, 4, "schedule"),
    ]
    assert all(run.pdf_sha256 and run.xlsx_sha256 and run.notified_at for run in runs)


def test_a_worker_killed_mid_report_leaves_it_to_the_next_and_it_is_done_once(
    reference_data, settings
) -> None:
    settings.DEBUG = True  # the demo refuses to run with DEBUG off
    demo.seed()  # enough facilities that the PDF takes seconds to render
    plan = Plan.objects.get(end_year=2020)
    run = ReportRun.objects.create(
        plan=plan, year=2020, quarter=4, audience="province", as_of="2020-12-31", trigger="request"
    )
    # A queue of its own, so that only the workers of this test take the task; a short
    # visibility timeout, so that the second worker takes back the message the first one lost.
    drill = ["worker", "-Q", "drill-kill", "-c", "1", "--loglevel=WARNING", "-n", "drill@%h"]
    with _process(drill, CELERY_VISIBILITY_TIMEOUT="15") as first:
        _wait(lambda: _ping("drill@"), seconds=60, what="the first worker did not start")
        generate_report.apply_async((run.pk,), queue="drill-kill")
        _wait(
            lambda: ReportRun.objects.get(pk=run.pk).progress >= 60,
            seconds=120,
            what="the first worker did not start the report",
        )
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
    killed = ReportRun.objects.get(pk=run.pk)
    # Whatever the dead worker had written, the run points at no file yet.
    assert killed.status == ReportRun.Status.RUNNING and not killed.pdf

    with _process(drill, CELERY_VISIBILITY_TIMEOUT="15"):
        _wait(
            lambda: ReportRun.objects.get(pk=run.pk).status == ReportRun.Status.DONE,
            seconds=180,
            what="the next worker did not finish the report",
        )
    done = ReportRun.objects.get(pk=run.pk)
    assert done.attempts == 2
    assert ReportRun.objects.count() == 1
    assert Path(done.pdf.path).read_bytes().startswith(b"%PDF")
    assert not list(Path(settings.MEDIA_ROOT, "reports").rglob("*.part"))


def _ping(prefix: str) -> bool:
    from portal.celery import app

    replies = app.control.inspect(timeout=1).ping() or {}
    return any(name.startswith(prefix) for name in replies)
