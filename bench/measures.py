"""The measures of `make bench`, each returning plain data for the JSON file.

Timings are medians of interleaved repetitions after one warm-up, so a slow moment of the
machine (two cores shared) falls on every contender alike.
"""

from __future__ import annotations

import datetime
import importlib.util
import io
import os
import re
import statistics
import tempfile
import threading
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable
from typing import Any

import openpyxl
from django.core.management import call_command, get_commands
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from stdnum.vn import mst

from assessments import services as assessment_services
from assessments.models import SelfReport
from bench import child
from bench.data import STAFF_USERNAME
from bench.floor import mismatches, naive_loop, sql_floor
from bench.pages import dashboard_plan, fetch, follow_ups, staff_client
from facilities.models import Facility
from portal.models import User
from reporting import excel, freshness, indicators
from reporting.forms import with_list_columns
from reporting.registry import export_rows


def _seconds(action: Callable[[], Any]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def interleaved(
    contenders: dict[str, Callable[[], Any]],
    repetitions: int,
    *,
    only_once: set[str] = frozenset(),
    warm_up: bool = True,
) -> dict[str, float]:
    """Median seconds of each contender, run in turn, after one warm-up round (`only_once`:
    contenders too slow to repeat, timed once, in the first timed round)."""
    times: dict[str, list[float]] = {name: [] for name in contenders}
    first = 0 if warm_up else 1
    for round_ in range(first, repetitions + 1):
        for name, action in contenders.items():
            if name in only_once and round_ != 1:
                continue
            elapsed = _seconds(action)
            if round_ > 0:
                times[name].append(elapsed)
    return {name: statistics.median(values) for name, values in times.items()}


def indicators_against_floors(repetitions: int, *, naive_repetitions: int) -> dict[str, Any]:
    """Measures 1 and 2: the dashboard request against the SQL floor and the naive loop, and
    whether all three give the engine's numbers."""
    plan, as_of = dashboard_plan()
    figures = indicators.compute(plan, as_of=as_of)
    t3_floor = figures["T3"].floor
    engine = {code: (f.value, f.numerator, f.denominator) for code, f in figures.items()}
    naive: dict[str, Any] = {}
    problems = {"sql": mismatches(engine, sql_floor(as_of, t3_floor=t3_floor))}
    # Which like periods T3's figures compared (untimed): agreement on T3 means something only
    # if the data make the engine, the floor and the loop choose both kinds.
    t3_periods = Counter(
        "quarters" if len(comparison.reports) > 1 else "year"
        for comparison in indicators.savings_comparisons(as_of).values()
        if comparison.combined is not None
    )
    client = staff_client()
    first = client.get(reverse("dashboard"))
    assert first.status_code == 200, first.status_code
    # As a user gets it: the page, then what it loads right after.
    requests = [reverse("dashboard"), *follow_ups(first.content.decode())]

    def dashboard() -> None:
        for url in requests:
            response = fetch(client, url)
            assert response.status_code == 200, (url, response.status_code)

    def loop() -> None:
        naive.update(naive_loop(as_of, t3_floor=t3_floor))

    def computed(action: Callable[[], Any]) -> Callable[[], None]:
        """`action` with every figure computed again: the facts' version changes first, as on
        any write (else the cache serves the figures, and a floor compares nothing)."""

        def run() -> None:
            with transaction.atomic():
                freshness.changed()
            action()

        return run

    contenders = {
        "dashboard": computed(dashboard),
        "dashboard_cached": dashboard,
        "engine": computed(lambda: indicators.compute(plan, as_of=as_of)),
        "sql_floor": lambda: sql_floor(as_of, t3_floor=t3_floor),
        "naive_loop": loop,
    }
    # At national size the loop takes minutes: it is run once, with no warm-up of its own.
    slow = {"naive_loop"} if naive_repetitions < repetitions else set()
    medians = interleaved(contenders, repetitions, only_once=slow)
    problems["naive"] = mismatches(engine, naive)
    return {
        "as_of": as_of.isoformat(),
        "dashboard_requests": requests,
        "floor_jit": "off" if connection.vendor == "postgresql" else None,
        "repetitions": repetitions,
        "naive_repetitions": 1 if slow else repetitions,
        "seconds": medians,
        "dashboard_over_floor": medians["dashboard"] / medians["sql_floor"],
        "engine_over_floor": medians["engine"] / medians["sql_floor"],
        "dashboard_over_naive": medians["dashboard"] / medians["naive_loop"],
        "mismatches": problems,
        "figures": {code: [_plain(v) for v in numbers] for code, numbers in engine.items()},
        "t3_periods": dict(sorted(t3_periods.items())),
    }


def _jit(setting: str | None = None) -> str:
    with connection.cursor() as cursor:
        if setting is not None:
            cursor.execute(f"SET jit = {'on' if setting == 'on' else 'off'}")
        cursor.execute("SHOW jit")
        return cursor.fetchone()[0]


def jit_comparison(repetitions: int) -> dict[str, Any]:
    """PostgreSQL only: the complete dashboard, its figures computed again, with the portal's
    connection compiling its queries (JIT on) and not (off), interleaved; and what the portal's
    connection uses."""
    if connection.vendor != "postgresql":
        return {"measured": False, "reason": "JIT is PostgreSQL's"}
    client = staff_client()
    connection.ensure_connection()
    portal_setting = _jit()
    requests = [reverse("dashboard")]
    requests += follow_ups(client.get(requests[0]).content.decode())
    held = []

    def dashboard(setting: str) -> Callable[[], None]:
        def action() -> None:
            _jit(setting)
            with transaction.atomic():
                freshness.changed()  # the figures computed again, not served from the cache
            for url in requests:
                fetch(client, url)
            held.append(_jit() == setting)  # the session kept the setting through the request

        return action

    medians = interleaved({"on": dashboard("on"), "off": dashboard("off")}, max(3, repetitions))
    _jit(portal_setting)
    return {
        "measured": all(held),
        "portal_connection_jit": portal_setting,
        "dashboard_ms": {setting: seconds * 1000 for setting, seconds in medians.items()},
        "faster": min(medians, key=medians.__getitem__),
        "off_over_on": medians["off"] / medians["on"],
    }


def _plain(value: Any) -> Any:
    return float(value) if value is not None and not isinstance(value, int) else value


# The writers are compared on at most this many rows at 10× (the rows are held in memory, so
# that only the writers are timed); the whole registry's export is measured on its own.
XLSX_MAX_ROWS = 50_000


def _facility_rows(limit: int) -> list[list[Any]]:
    """The export's rows of the first `limit` facilities, as the export view reads them."""
    today = timezone.localdate()
    queryset = with_list_columns(Facility.objects.order_by("pk")[:limit], today)
    return list(export_rows(queryset.iterator(chunk_size=2000), today=today))


def _openpyxl_export(rows: list[list[Any]]) -> int:
    output = excel.facility_rows_xlsx(iter(rows))
    size = output.seek(0, os.SEEK_END)
    output.close()
    return size


def _xlsxwriter_export(rows: list[list[Any]]) -> int:
    """The same rows and columns with XlsxWriter's constant-memory mode: the yardstick."""
    import xlsxwriter

    with tempfile.NamedTemporaryFile(suffix=".xlsx") as handle:
        workbook = xlsxwriter.Workbook(handle.name, {"constant_memory": True})
        sheet = workbook.add_worksheet("Cơ sở")
        dates = workbook.add_format({"num_format": "dd/mm/yyyy"})
        bold = workbook.add_format({"bold": True})
        sheet.write_row(0, 0, [title for title, _width in excel.facility_columns()], bold)
        for number, values in enumerate(rows, start=1):
            for column, value in enumerate(values):
                if isinstance(value, datetime.date):
                    sheet.write_datetime(number, column, value, dates)
                elif value is not None:
                    sheet.write(number, column, value)
        workbook.close()
        return os.path.getsize(handle.name)


def _peak_bytes(action: Callable[[], Any]) -> int:
    """Peak bytes Python allocated during `action` (tracemalloc: the cells and XML buffers;
    both writers keep their data in Python or in files)."""
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        action()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def xlsx_export(repetitions: int) -> dict[str, Any]:
    """The facility export's writer at 1× and 10× the facilities (a tenth of the registry, then
    all of it: distinct facilities, never the same rows again), openpyxl (the portal's) against
    XlsxWriter's constant-memory mode. The rows are read first and timed apart, so the
    comparison is of the writers alone."""
    ten = min(Facility.objects.count(), XLSX_MAX_ROWS)
    one = max(1, ten // 10)
    clock = time.perf_counter()
    rows_1x = _facility_rows(one)
    read_1x = time.perf_counter() - clock
    clock = time.perf_counter()
    rows_10x = _facility_rows(ten)
    read_10x = time.perf_counter() - clock
    # XlsxWriter comes with the bench's extra dependencies (`pip install -e ".[bench]"`); the
    # suite runs the tiny bench without them.
    yardstick = importlib.util.find_spec("xlsxwriter") is not None
    contenders = {
        "openpyxl_1x": lambda: _openpyxl_export(rows_1x),
        "openpyxl_10x": lambda: _openpyxl_export(rows_10x),
    }
    if yardstick:
        contenders["xlsxwriter_1x"] = lambda: _xlsxwriter_export(rows_1x)
        contenders["xlsxwriter_10x"] = lambda: _xlsxwriter_export(rows_10x)
    times = interleaved(contenders, max(1, min(repetitions, 3)))
    memory = {
        "openpyxl_1x": _peak_bytes(lambda: _openpyxl_export(rows_1x)),
        "openpyxl_10x": _peak_bytes(lambda: _openpyxl_export(rows_10x)),
    }
    return {
        "facilities_1x": len(rows_1x),
        "facilities_10x": len(rows_10x),
        "read_seconds": {"1x": read_1x, "10x": read_10x},
        "seconds": times,
        "rows_per_second_10x": len(rows_10x) / times["openpyxl_10x"],
        "peak_bytes": memory,
        "memory_10x_over_1x": memory["openpyxl_10x"] / max(1, memory["openpyxl_1x"]),
        "time_over_xlsxwriter_10x": (
            times["openpyxl_10x"] / times["xlsxwriter_10x"] if yardstick else None
        ),
    }


def _registry_workbook(rows: int, *, updates: list[str]) -> bytes:
    """A registry of `rows` facilities as a Department sends it: new facilities with fresh tax
    codes, and `updates` (tax codes already in the registry) changed in place."""
    from facilities.importer import FIELDS

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append([str(item.label_vi) for item in FIELDS])
    units = ["Diễn Châu", "Thành phố Vinh", "Quỳnh Lưu", "Nghi Lộc", "Hưng Nguyên"]
    products = [("Gạch xây", "nghìn viên"), ("Nước mắm", "lít"), ("Gỗ xẻ", "m³"), ("", "")]
    number = 0
    for index in range(rows):
        if index < len(updates):
            code = updates[index]
        else:
            code = ""
            while not code:
                number += 1
                base = f"39{number:07d}"
                check = mst.calc_check_digit(base)
                code = base + check if len(check) == 1 else ""
        product, unit = products[index % len(products)]
        sheet.append(
            [
                f"Công ty TNHH Sản xuất Nhập từ tệp số {index + 1}",
                code,
                "Công ty TNHH",
                f"Xóm {index % 20 + 1}, xã Thử Nghiệm",
                units[index % len(units)],
                "",
                "239" if index % 2 else "101",
                ["Siêu nhỏ", "Nhỏ", "Vừa", "Lớn"][index % 4],
                10 + index % 300,
                "Nguyễn Văn A",
                "0912345678",
                "lienhe@example.vn",
                # Updates keep their dates: a start after a recorded closing is refused.
                "15/03/2021" if index >= len(updates) else "",
                "Có",
                product,
                unit,
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class _RssPeak:
    """The process's resident memory sampled every 50 ms: how far it rose above the start
    (openpyxl, the rows and the database driver, C allocations included)."""

    def __init__(self) -> None:
        self.start = child.rss_bytes()
        self.peak = self.start
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(0.05):
            self.peak = max(self.peak, child.rss_bytes())

    def __enter__(self) -> _RssPeak:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, child.rss_bytes())

    @property
    def growth(self) -> int:
        return self.peak - self.start


def registry_import(rows: int) -> dict[str, Any]:
    """Measure 6: the registry import of `rows` rows (a tenth of them updates), the dry run
    and the write as the tasks run them (facilities.importer.run_check, run_apply). It writes
    to the registry, so the bench takes it last."""
    from django.core.files.base import ContentFile

    from facilities import importer
    from facilities.models import FacilityImport

    updates = list(Facility.objects.order_by("pk").values_list("tax_code", flat=True)[: rows // 10])
    content = _registry_workbook(rows, updates=updates)
    batch = FacilityImport(
        uploaded_by=User.objects.get(username=STAFF_USERNAME), original_name="bench.xlsx"
    )
    batch.file.save("bench.xlsx", ContentFile(content), save=True)
    with batch.file.open("rb") as handle:
        mapping = importer.guess_mapping(importer.read_headers(handle))
    FacilityImport.objects.filter(pk=batch.pk).update(
        status=FacilityImport.Status.CHECKING,
        mapping={key: index for key, index in mapping.items() if index is not None},
    )
    with _RssPeak() as memory:
        check_seconds = _seconds(lambda: importer.run_check(batch.pk))
        batch.refresh_from_db()
        checked = dict(batch.result)
        FacilityImport.objects.filter(pk=batch.pk).update(status=FacilityImport.Status.APPLYING)
        apply_seconds = _seconds(lambda: importer.run_apply(batch.pk))
    batch.refresh_from_db()
    batch.file.delete(save=False)  # the bench leaves no upload behind in MEDIA_ROOT
    return {
        "rows": rows,
        "updates": len(updates),
        "file_bytes": len(content),
        "checked": {key: checked.get(key) for key in ("to_create", "to_update", "error_count")},
        "status": batch.status,
        "message": batch.message,
        "created": batch.created_count,
        "updated": batch.updated_count,
        "seconds": {
            "dry_run": check_seconds,
            "write": apply_seconds,
            "total": check_seconds + apply_seconds,
        },
        "rss_growth_bytes": memory.growth,
    }


def quarterly_report() -> dict[str, Any]:
    """The quarterly report of the dashboard's plan (Q4 of its last year, to the province, its
    full annex), generated as the worker does it, in a fresh process: seconds and the
    process's peak memory. It stays as a done run, for the load test's downloads."""
    from reporting.models import Audience, ReportRun

    plan, as_of = dashboard_plan()
    year = min(as_of.year, plan.end_year)
    run = ReportRun.objects.create(
        plan=plan,
        year=year,
        quarter=4,
        audience=Audience.PROVINCE,
        as_of=datetime.date(year, 12, 31),
        version=1 + ReportRun.objects.filter(plan=plan, year=year, quarter=4).count(),
        requested_by=User.objects.get(username=STAFF_USERNAME),
    )
    if not child.shares_the_database():
        # A test's in-memory database: measured here, the peak then is this process's.
        return child.report(run.pk) | {"fresh_process": False}
    return child.in_fresh_process("report", run.pk) | {"fresh_process": True}


def full_export() -> dict[str, Any]:
    """The whole registry's export through its view, in a fresh process: time, memory growth."""
    url = reverse("reporting:facility_export")
    warm = f"{url}?q=khong-co-co-so-nao"
    rows = Facility.objects.count()
    if not child.shares_the_database():
        return child.export(url, warm) | {"rows": rows, "fresh_process": False}
    return child.in_fresh_process("export", url, warm) | {"rows": rows, "fresh_process": True}


def approval(count: int) -> dict[str, Any]:
    """Approving a submitted report through the service the review page calls, `count` times,
    and what keeping the figures adds to it: the facility's kept figures rebuilt alone (what
    the approval's receivers do in its transaction), timed again after each approval. The
    approval without them is the difference. It changes the figures, so the bench takes it
    last."""
    try:
        from reporting.kept import refresh
    except ImportError:  # a portal without kept figures
        refresh = None
    reviewer = User.objects.get(username=STAFF_USERNAME)
    submitted = list(
        SelfReport.objects.filter(status=SelfReport.Status.SUBMITTED).order_by("pk")[:count]
    )
    times, kept, problems = [], [], []
    for report in submitted:
        started = time.perf_counter()
        try:
            assessment_services.approve_self_report(report, by=reviewer, confirm_warnings=True)
        except Exception as error:  # noqa: BLE001 - reported in the figures
            problems.append(f"{type(error).__name__}: {error}")
            continue
        times.append(time.perf_counter() - started)
        if refresh is not None:
            kept.append(_seconds(lambda report=report: refresh([report.facility_id])))
    median = statistics.median(times) * 1000 if times else None
    keeping = statistics.median(kept) * 1000 if kept else None
    return {
        "approved": len(times),
        "median_ms": median,
        "keeping_figures_ms": keeping,
        "without_keeping_ms": None if median is None or keeping is None else median - keeping,
        "problems": problems[:3],
    }


# The command that rebuilds the kept figures from scratch (issue #15).
REBUILD_COMMAND = "keep_figures"


def rebuild() -> dict[str, Any]:
    """The kept figures rebuilt from scratch by their command (a portal without them: none)."""
    if REBUILD_COMMAND not in get_commands():
        return {"measured": False, "reason": f"no `{REBUILD_COMMAND}` command yet"}
    output = io.StringIO()
    started = time.perf_counter()
    call_command(REBUILD_COMMAND, stdout=output)
    text = output.getvalue()
    # Each part's seconds, as the command prints them ("Kept figures rebuilt: …, 12.3 s; …").
    parts = {
        name: float(match[1])
        for name, label in (("kept_seconds", "Kept figures"), ("flags_seconds", "Warning flags"))
        if (match := re.search(rf"{label}[^\n]*?([\d.]+) s;", text))
    }
    return {
        "measured": True,
        "seconds": time.perf_counter() - started,
        **parts,
        "output": text[-2000:],
    }
