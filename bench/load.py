"""The portal under load, as production runs it.

gunicorn (the Dockerfile's workers and timeout, DEBUG=0, static files by WhiteNoise from a
collected folder) serves the bench database on 127.0.0.1, with a Celery worker (as
docker-compose starts it) on the Redis of BENCH_BROKER_URL when one answers, so that a long
export is queued as in production rather than written inside the request; locust, in another
process, plays one department staff member until they have made at least 30 requests (the
single-user baseline), then 16 of them for 60 seconds. They read pages, export the registry
and download the quarterly report. A request still unanswered when a run ends counts as
failed. The processes are started here and stopped when it ends.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.urls import reverse

from bench.child import database_url
from bench.pages import dashboard_plan, exports, follow_ups, pages, staff_client
from facilities.models import Facility

MANAGE = str(Path(settings.BASE_DIR) / "manage.py")
LOCUSTFILE = str(Path(__file__).with_name("locustfile.py"))
DOCKERFILE = Path(settings.BASE_DIR) / "Dockerfile"
# The single-user baseline's least number of requests.
BASELINE_REQUESTS = 30
# The broker of the load test's worker: a database of its own on the local Redis, emptied first.
BROKER_URL = os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/14")
# The figures' cache shared by the server's processes and the worker, as docker-compose sets it.
CACHE_URL = os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/15")


def production_gunicorn() -> dict[str, int]:
    """The workers and timeout the Dockerfile starts gunicorn with (its CMD)."""
    text = DOCKERFILE.read_text() if DOCKERFILE.exists() else ""
    found = {"workers": 3, "timeout": 60}
    for option in found:
        if match := re.search(rf'"--{option}",\s*"(\d+)"', text):
            found[option] = int(match[1])
    return found


def _broker() -> str | None:
    """BROKER_URL and CACHE_URL emptied, if their Redis answers; else None (tasks then run in
    the request, and each server process caches figures in its own memory)."""
    import redis

    try:
        for url in (BROKER_URL, CACHE_URL):
            redis.Redis.from_url(url, socket_connect_timeout=2).flushdb()
    except redis.RedisError:
        return None
    return BROKER_URL


def _start(command: list[str], environment: dict[str, str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", *command],
        cwd=settings.BASE_DIR,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=open(log, "w"),  # noqa: SIM115 - closed with the process
    )


def _stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _server_environment(work: Path) -> dict[str, str]:
    return os.environ | {
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url(),
        # Plain HTTP on the loopback: no redirect to HTTPS, cookies not limited to HTTPS.
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "SECURE_HSTS_SECONDS": "0",
        "STATIC_ROOT": str(work / "static"),
        "LOG_LEVEL": "WARNING",
    }


def _sessions(environment: dict[str, str], count: int) -> list[str]:
    """Session cookies of the bench's staff user, signed with the server's own key."""
    code = (
        "from django.test import Client\n"
        "from portal.models import User\n"
        "from bench.data import STAFF_USERNAME\n"
        "user = User.objects.get(username=STAFF_USERNAME)\n"
        f"for _ in range({count}):\n"
        "    client = Client()\n"
        "    client.force_login(user, backend='django.contrib.auth.backends.ModelBackend')\n"
        "    print(client.cookies['sessionid'].value)\n"
    )
    output = subprocess.run(
        [sys.executable, MANAGE, "shell", "--no-imports", "-c", code],
        env=environment,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return [line.strip() for line in output.splitlines() if line.strip()][-count:]


def dashboard_follow_ups() -> list[str]:
    response = staff_client().get(reverse("dashboard"))
    return follow_ups(response.content.decode())


def _wait_until_up(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            # The URL is the local gunicorn's, built by this module.
            with urllib.request.urlopen(url, timeout=5) as response:  # nosec B310
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"gunicorn did not answer {url} within {seconds} s")


def _locust(
    environment: dict[str, str],
    host: str,
    users: int,
    seconds: int,
    out: Path,
    *,
    stop_after: int = 0,
) -> tuple[list[tuple[Any, ...]], float]:
    """The samples of one locust run (name, milliseconds, failed[, unfinished]) and its
    seconds."""
    started = time.monotonic()
    finished = subprocess.run(
        [
            sys.executable,
            "-m",
            "locust",
            "-f",
            LOCUSTFILE,
            "--headless",
            "--only-summary",
            "--users",
            str(users),
            "--spawn-rate",
            str(users),
            "--run-time",
            f"{seconds}s",
            "--stop-timeout",
            "10",
            "--host",
            host,
            "--exit-code-on-error",
            "0",
        ],
        env=environment | {"BENCH_LOAD_OUT": str(out), "BENCH_STOP_AFTER": str(stop_after)},
        capture_output=True,
        text=True,
        timeout=seconds + 120,
    )
    if finished.returncode:
        raise RuntimeError(f"locust stopped with {finished.returncode}: {finished.stderr[-600:]}")
    elapsed = time.monotonic() - started
    return [tuple(sample) for sample in json.loads(out.read_text())], elapsed


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def _summary(samples: list[tuple[Any, ...]], seconds: float) -> dict[str, Any]:
    times = [sample[1] for sample in samples]
    return {
        "requests": len(samples),
        "errors": sum(1 for sample in samples if sample[2]),
        "errors_by_page": dict(Counter(sample[0] for sample in samples if sample[2])),
        # Still waiting for their answer when the run ended (counted in the errors).
        "unfinished": sum(1 for sample in samples if len(sample) > 3 and sample[3]),
        "seconds": seconds,
        "requests_per_second": len(samples) / seconds,
        "p50_ms": _percentile(times, 0.50),
        "p95_ms": _percentile(times, 0.95),
        "p99_ms": _percentile(times, 0.99),
        "share_over_1s": sum(1 for t in times if t > 1000) / len(times) if times else 0.0,
        "by_page_p50_ms": {
            name: statistics.median(sample[1] for sample in samples if sample[0] == name)
            for name in sorted({sample[0] for sample in samples})
        },
    }


def load_test(*, work: Path, users: int = 16, seconds: int = 60) -> dict[str, Any]:
    work.mkdir(parents=True, exist_ok=True)
    environment = _server_environment(work)
    subprocess.run(
        [sys.executable, MANAGE, "collectstatic", "--no-input", "-v0"],
        env=environment,
        check=True,
    )
    _plan, as_of = dashboard_plan()
    found = pages(as_of) | exports()
    facility_ids = list(Facility.objects.order_by("?").values_list("pk", flat=True)[:500])
    # A detail URL with a placeholder id, swapped for a random facility by each request.
    found["facility_detail"] = found["facility_detail"].rsplit("/", 2)[0] + "/0/"
    found["static"] = settings.STATIC_URL + "css/portal.css"
    environment |= {
        "BENCH_SESSIONS": ",".join(_sessions(environment, users)),
        "BENCH_FACILITY_IDS": ",".join(map(str, facility_ids)),
        "BENCH_PAGES": json.dumps(found),
        "BENCH_FOLLOW_UPS": json.dumps(dashboard_follow_ups()),
    }
    gunicorn = production_gunicorn()
    port = _free_port()
    pidfile = work / "gunicorn.pid"
    connection.close()  # the server's workers open their own
    broker = _broker()
    processes = []
    if broker is not None:
        environment |= {
            "CELERY_BROKER_URL": broker,
            "CELERY_RESULT_BACKEND": broker,
            "CACHE_URL": CACHE_URL,
        }
        processes.append(
            _start(
                ["celery", "-A", "portal", "worker", "--loglevel=WARNING", "--concurrency=2"],
                environment,
                work / "worker.log",
            )
        )
    processes.append(
        _start(
            [
                "gunicorn",
                "portal.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(gunicorn["workers"]),
                "--timeout",
                str(gunicorn["timeout"]),
                "--pid",
                str(pidfile),
                "--log-level",
                "warning",
            ],
            environment,
            work / "gunicorn.log",
        )
    )
    host = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(f"{host}/healthz/")
        # One user alone until BASELINE_REQUESTS requests (the run time only a safety net).
        single = _summary(
            *_locust(environment, host, 1, 600, work / "single.json", stop_after=BASELINE_REQUESTS)
        )
        samples, _elapsed = _locust(environment, host, users, seconds, work / "load.json")
        loaded = _summary(samples, seconds)
    finally:
        for process in reversed(processes):
            _stop(process)
    return {
        "celery_worker": broker is not None,
        "figures_cache": "redis" if broker is not None else "per process",
        "workers": gunicorn["workers"],
        "timeout": gunicorn["timeout"],
        "users": users,
        "seconds": seconds,
        "cores": os.cpu_count(),
        "single_user": single,
        "loaded": loaded,
        "p95_over_single_p50": loaded["p95_ms"] / max(single["p50_ms"], 0.001),
    }
