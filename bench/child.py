"""Measures taken in a fresh process: the quarterly report as the worker makes it, and the
whole registry's export as the view streams it.

A process that has already built the bench's data and rendered pages holds memory it will
reuse, which hides what one job costs; a fresh one shows it whole. `in_fresh_process` starts
`manage.py shell` on the same database, runs one of the functions below there and reads back
its figures (peak resident memory of the whole process, not a per-page share).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

MANAGE = str(Path(settings.BASE_DIR) / "manage.py")


def database_url() -> str:
    """The URL of the database this process uses, for another process to open."""
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{Path(database['NAME']).resolve()}"
    return (
        f"postgres://{database['USER']}:{database.get('PASSWORD') or ''}@"
        f"{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}/{database['NAME']}"
    )


def shares_the_database() -> bool:
    """Whether another process would see this process's data: not a test's in-memory SQLite
    database, nor rows written in a transaction not yet committed (a test's)."""
    name = str(connection.settings_dict["NAME"])
    in_memory = connection.vendor == "sqlite" and (name == ":memory:" or "memorydb" in name)
    return not in_memory and not connection.in_atomic_block


def rss_bytes() -> int:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _peak_rss_bytes() -> int:
    """The process's peak resident memory since it started this program (VmHWM). Not
    getrusage's ru_maxrss: Linux carries that over exec from the parent at fork, so a child of
    a large bench process would report the parent's size."""
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def _reset_peak() -> None:
    """Make the current resident memory the peak from here on (Linux ≥ 4.0)."""
    with open("/proc/self/clear_refs", "w") as handle:
        handle.write("5")


def report(run_id: int) -> dict[str, Any]:
    """The report run generated as the worker does it (reporting.services.generate): snapshot,
    PDF with its full annex, Word file and workbook, stored. The peak is the process's."""
    from reporting import services
    from reporting.models import ReportRun

    start = rss_bytes()
    started = time.perf_counter()
    run = services.generate(run_id)
    seconds = time.perf_counter() - started
    run = ReportRun.objects.get(pk=run.pk)
    return {
        "status": run.status,
        "error": run.error,
        "seconds": seconds,
        "pdf_pages": run.pdf_pages,
        "bytes": {
            fmt: getattr(run, fmt).size for fmt in ("pdf", "docx", "xlsx") if getattr(run, fmt)
        },
        "rss_at_start_bytes": start,
        "peak_bytes": _peak_rss_bytes(),
    }


def export(url: str, warm_url: str) -> dict[str, Any]:
    """The facility export of `url` through the view, read to its end; memory growth is the
    peak above what the process held after `warm_url` (an export of no rows: the modules and
    the connection in place). A list too long for the request is sent to a background job
    (the view redirects to its page): the job is then run here, as the worker would, and
    timed with the request."""
    from django.urls import resolve

    from bench.pages import fetch, staff_client

    client = staff_client()
    warm = fetch(client, warm_url)
    _reset_peak()
    start = rss_bytes()
    started = time.perf_counter()
    response = fetch(client, url)
    result: dict[str, Any] = {"status": response.status_code, "background": False}
    if response.status_code == 302:
        match = resolve(response["Location"].split("?")[0])
        if match.view_name == "reporting:export_detail":
            from reporting import exports
            from reporting.models import FacilityExport

            # Without a broker Celery ran the job within the request already; else here.
            exports.run(match.kwargs["pk"])
            export = FacilityExport.objects.get(pk=match.kwargs["pk"])
            result = {"status": export.status, "background": True}
    seconds = time.perf_counter() - started
    return result | {
        "warm_status": warm.status_code,
        "seconds": seconds,
        "bytes": getattr(response, "content_length", len(getattr(response, "content", b""))),
        "peak_bytes": _peak_rss_bytes(),
        "growth_bytes": max(0, _peak_rss_bytes() - start),
    }


def in_fresh_process(function: str, *args: Any, timeout: float = 1800) -> dict[str, Any]:
    """Run `function` of this module in a new `manage.py shell` on this database."""
    code = (
        "import json\n"
        f"from bench.child import {function}\n"
        f"print('BENCH-RESULT ' + json.dumps({function}(*{args!r}), default=str))\n"
    )
    environment = os.environ | {"DATABASE_URL": database_url(), "LOG_LEVEL": "WARNING"}
    completed = subprocess.run(
        [sys.executable, MANAGE, "shell", "--no-imports", "-c", code],
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    for line in completed.stdout.splitlines():
        if line.startswith("BENCH-RESULT "):
            return json.loads(line.removeprefix("BENCH-RESULT "))
    raise RuntimeError(f"{function} failed: {completed.stderr.strip()[-2000:]}")
