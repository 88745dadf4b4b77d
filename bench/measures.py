"""The measures of `make bench`, each returning plain data for the JSON file.

Timings are medians of interleaved repetitions after one warm-up, so a slow moment of the
machine (two cores shared) falls on every contender alike.
"""

from __future__ import annotations

import contextlib
import datetime
import importlib.util
import io
import itertools
import os
import resource
import statistics
import tempfile
import threading
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import openpyxl
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from stdnum.vn import mst

from assessments.models import Assessment, SelfReport, SupportOrganisation
from bench.data import STAFF_USERNAME
from bench.floor import mismatches, naive_loop, sql_floor
from facilities.models import Facility, OutreachActivity
from portal.models import User
from programs.models import AgencyTask, Plan
from reporting import excel, indicators
from reporting.forms import with_list_columns
from reporting.registry import export_rows


def staff_client() -> Client:
    # A host the settings allow (the test client's "testserver" is allowed only under tests).
    hosts = [host for host in settings.ALLOWED_HOSTS if "*" not in host and host[0] != "."]
    client = Client(HTTP_HOST=hosts[0] if hosts else "testserver", raise_request_exception=False)
    client.force_login(
        User.objects.get(username=STAFF_USERNAME),
        backend="django.contrib.auth.backends.ModelBackend",
    )
    return client


def dashboard_plan() -> tuple[Plan, datetime.date]:
    """The plan and date the dashboard shows by default (reporting.dashboards)."""
    plan = Plan.objects.shown_by_default()
    assert plan is not None, "no plan: the migrations ship one"
    return plan, min(timezone.localdate(), datetime.date(plan.end_year, 12, 31))


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
    url = reverse("dashboard")

    def dashboard() -> None:
        response = client.get(url)
        assert response.status_code == 200, response.status_code

    def loop() -> None:
        naive.update(naive_loop(as_of, t3_floor=t3_floor))

    contenders = {
        "dashboard": dashboard,
        "engine": lambda: indicators.compute(plan, as_of=as_of),
        "sql_floor": lambda: sql_floor(as_of, t3_floor=t3_floor),
        "naive_loop": loop,
    }
    # At national size the loop takes minutes: it is run once, with no warm-up of its own.
    slow = {"naive_loop"} if naive_repetitions < repetitions else set()
    medians = interleaved(contenders, repetitions, only_once=slow)
    problems["naive"] = mismatches(engine, naive)
    return {
        "as_of": as_of.isoformat(),
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


def _plain(value: Any) -> Any:
    return float(value) if value is not None and not isinstance(value, int) else value


def pages() -> dict[str, str]:
    """Every list, detail and dashboard page a department user reads, with the same objects
    at any size of the data (the lowest ids, written first)."""
    facility = (
        Facility.objects.filter(
            assessments__kind=Assessment.Kind.DETAILED, assessments__baseline__isnull=False
        )
        .order_by("pk")
        .first()
    )
    found: dict[str, str] = {}

    def add(name: str, route: str, *args: Any) -> None:
        with contextlib.suppress(NoReverseMatch):  # a page not shipped yet
            found[name] = reverse(route, args=args)

    add("dashboard", "dashboard")
    add("dashboard_charts", "dashboard_charts")  # loaded by the dashboard after its cards
    add("unit_list", "facilities:unit_list")
    add("facility_list", "reporting:facility_list")
    add("facility_list_last_page", "reporting:facility_list")
    found["facility_list_last_page"] += "?page=last"
    add("facility_search", "reporting:facility_list")
    found["facility_search"] += "?q=29"  # a tax-code prefix every bench facility has
    if facility is not None:
        add("facility_detail", "reporting:facility_detail", facility.pk)
        report = SelfReport.objects.filter(facility=facility).order_by("pk").first()
        if report is not None:
            add("selfreport_detail", "assessments:selfreport_detail", report.pk)
        assessment = facility.assessments.order_by("pk").first()
        if assessment is not None:
            add("assessment_detail", "assessments:assessment_detail", assessment.pk)
    add("outreach_list", "facilities:outreach_list")
    activity = OutreachActivity.objects.order_by("pk").first()
    if activity is not None:
        add("outreach_detail", "facilities:outreach_detail", activity.pk)
    add("assessment_list", "assessments:assessment_list")
    add("organisation_list", "assessments:organisation_list")
    organisation = SupportOrganisation.objects.order_by("pk").first()
    if organisation is not None:
        add("organisation_detail", "assessments:organisation_detail", organisation.pk)
    add("selfreport_list", "assessments:selfreport_list")
    add("review_queue", "assessments:review_queue")
    add("completeness", "assessments:completeness")
    add("plan_list", "programs:plan_list")
    plan, _as_of = dashboard_plan()
    add("plan_detail", "programs:plan_detail", plan.pk)
    add("project_list", "programs:project_list")
    add("course_list", "programs:course_list")
    add("official_list", "programs:official_list")
    add("award_list", "programs:award_list")
    add("task_list", "programs:task_list")
    task = AgencyTask.objects.order_by("pk").first()
    if task is not None:
        add("task_detail", "programs:task_detail", task.pk)
    add("report_list", "reporting:run_list")
    return found


def query_counts() -> dict[str, dict[str, int]]:
    """Measure 3: the queries (and status) of each page."""
    client = staff_client()
    counts = {}
    for name, url in pages().items():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        counts[name] = {"queries": len(captured), "status": response.status_code}
    return counts


def _facility_rows(limit: int, copies: int) -> Iterator[list[Any]]:
    """The export's rows (as the export view reads and writes them), `copies` times over."""
    today = timezone.localdate()
    queryset = with_list_columns(Facility.objects.order_by("pk")[:limit], today)
    return itertools.chain.from_iterable(
        export_rows(queryset.iterator(chunk_size=2000), today=today) for _ in range(copies)
    )


def _openpyxl_export(limit: int, copies: int) -> int:
    output = excel.facility_rows_xlsx(_facility_rows(limit, copies))
    size = output.seek(0, os.SEEK_END)
    output.close()
    return size


def _xlsxwriter_export(limit: int, copies: int) -> int:
    """The same rows and columns with XlsxWriter's constant-memory mode: the yardstick."""
    import xlsxwriter

    with tempfile.NamedTemporaryFile(suffix=".xlsx") as handle:
        workbook = xlsxwriter.Workbook(handle.name, {"constant_memory": True})
        sheet = workbook.add_worksheet("Cơ sở")
        dates = workbook.add_format({"num_format": "dd/mm/yyyy"})
        bold = workbook.add_format({"bold": True})
        sheet.write_row(0, 0, [title for title, _width in excel.facility_columns()], bold)
        for number, values in enumerate(_facility_rows(limit, copies), start=1):
            for column, value in enumerate(values):
                if isinstance(value, datetime.date):
                    sheet.write_datetime(number, column, value, dates)
                elif value is not None:
                    sheet.write(number, column, value)
        workbook.close()
        return os.path.getsize(handle.name)


def _peak_bytes(action: Callable[[], Any]) -> int:
    """Peak bytes Python allocated during `action` (tracemalloc: the rows, cells and XML
    buffers; both writers keep their data in Python or in files)."""
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        action()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def xlsx_export(rows: int, repetitions: int) -> dict[str, Any]:
    """Measure 4: the facility export at 1× and 10× the rows; openpyxl (the portal's) against
    XlsxWriter's constant-memory mode, on the same rows read the same way."""
    limit = min(rows, Facility.objects.count())
    # XlsxWriter comes with the bench's extra dependencies (`pip install -e ".[bench]"`); the
    # suite runs the tiny bench without them.
    yardstick = importlib.util.find_spec("xlsxwriter") is not None
    one = {"openpyxl_1x": lambda: _openpyxl_export(limit, 1)}
    ten = {"openpyxl_10x": lambda: _openpyxl_export(limit, 10)}
    if yardstick:
        one["xlsxwriter_1x"] = lambda: _xlsxwriter_export(limit, 1)
        ten["xlsxwriter_10x"] = lambda: _xlsxwriter_export(limit, 10)
    times = interleaved(one, max(1, min(repetitions, 3)))
    # The 1× rounds warmed both writers up; the 10× files are timed once each, in turn.
    times |= interleaved(ten, 1, warm_up=False)
    memory = {
        "openpyxl_1x": _peak_bytes(lambda: _openpyxl_export(limit, 1)),
        "openpyxl_10x": _peak_bytes(lambda: _openpyxl_export(limit, 10)),
    }
    return {
        "rows_1x": limit,
        "rows_10x": limit * 10,
        "seconds": times,
        "rows_per_second_10x": limit * 10 / times["openpyxl_10x"],
        "peak_bytes": memory,
        "memory_10x_over_1x": memory["openpyxl_10x"] / max(1, memory["openpyxl_1x"]),
        "time_over_xlsxwriter_10x": (
            times["openpyxl_10x"] / times["xlsxwriter_10x"] if yardstick else None
        ),
    }


def _rss_bytes() -> int:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _in_child(action: Callable[[], int]) -> dict[str, float]:
    """Run `action` in a forked child: its seconds, its result (pages), and how far the
    child's resident memory rose above what it started with (WeasyPrint allocates in C too,
    which tracemalloc does not see). The child touches no database and leaves by os._exit, so
    the parent's connection stays whole."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(read)
        try:
            start = _rss_bytes()
            started = time.perf_counter()
            pages = action()
            elapsed = time.perf_counter() - started
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
            message = f"{elapsed} {pages} {max(0, peak - start)}"
        except BaseException as error:  # noqa: BLE001 - reported to the parent, never raised
            message = f"error {type(error).__name__}: {error}"
        os.write(write, message.encode())
        os._exit(0)
    os.close(write)
    chunks = []
    while chunk := os.read(read, 65536):
        chunks.append(chunk)
    os.close(read)
    os.waitpid(pid, 0)
    text = b"".join(chunks).decode()
    if text.startswith("error"):
        raise RuntimeError(text)
    seconds, pages, grown = text.split()
    return {"seconds": float(seconds), "pages": int(pages), "peak_bytes": int(grown)}


def pdf_report(repetitions: int, *, annex_rows: int) -> dict[str, Any]:
    """Measure 5: the quarterly report's PDF, with its facility annex at 1× and 4× the rows."""
    try:
        from reporting import builders, pdf
    except ImportError as error:
        return {"available": False, "reason": f"reporting.pdf not available ({error})"}
    plan, as_of = dashboard_plan()
    try:
        snapshot = builders.build(
            plan, year=as_of.year, quarter=4, audience="province", as_of=as_of
        )
    except Exception as error:  # noqa: BLE001 - another team's module, still being written
        return {"available": False, "reason": f"reporting.builders.build failed: {error!r}"}
    annex = next((t for t in snapshot.tables if t.key == "facilities"), None)
    if annex is None:
        return {"available": False, "reason": "the snapshot has no facility annex"}
    rows = list(itertools.islice(iter(annex.rows), annex_rows))
    # Every table read now: the forked children below must not touch the database.
    snapshot.trend.rows = list(snapshot.trend.rows)
    for table in snapshot.tables:
        table.rows = list(table.rows) if table is not annex else rows

    def render(copies: int) -> int:
        annex.rows = [row for _ in range(copies) for row in rows]
        return pdf.render(snapshot).pages

    def workbook(copies: int) -> int:
        """The same report as XLSX; returns the rows written (every table's)."""
        annex.rows = [row for _ in range(copies) for row in rows]
        excel.write(snapshot, io.BytesIO())
        return sum(len(table.rows) for table in [snapshot.trend, *snapshot.tables])

    results: dict[str, list[dict[str, float]]] = {"1x": [], "4x": [], "xlsx_1x": [], "xlsx_4x": []}
    for round_ in range(max(1, min(repetitions, 3)) + 1):
        for key, copies in (("1x", 1), ("4x", 4)):
            result = _in_child(lambda copies=copies: render(copies))
            written = _in_child(lambda copies=copies: workbook(copies))
            if round_ > 0:
                results[key].append(result)
                results[f"xlsx_{key}"].append(written)

    def summary(runs: list[dict[str, float]]) -> dict[str, float]:
        seconds = statistics.median(run["seconds"] for run in runs)
        pages = runs[0]["pages"]
        peak = max(run["peak_bytes"] for run in runs)
        return {
            "seconds": seconds,
            "pages": pages,
            "seconds_per_page": seconds / max(1, pages),
            "peak_bytes": peak,
            "peak_bytes_per_page": peak / max(1, pages),
        }

    def workbook_summary(runs: list[dict[str, float]]) -> dict[str, float]:
        seconds = statistics.median(run["seconds"] for run in runs)
        written = runs[0]["pages"]  # _in_child's count: here the rows written
        return {
            "seconds": seconds,
            "rows": written,
            "rows_per_second": written / seconds if seconds else 0.0,
            "peak_bytes": max(run["peak_bytes"] for run in runs),
        }

    one, four = summary(results["1x"]), summary(results["4x"])
    xlsx_one, xlsx_four = workbook_summary(results["xlsx_1x"]), workbook_summary(results["xlsx_4x"])
    return {
        "available": True,
        "annex_rows_1x": len(rows),
        "annex_rows_4x": len(rows) * 4,
        "1x": one,
        "4x": four,
        "time_4x_over_1x": four["seconds"] / one["seconds"],
        "xlsx": {
            "1x": xlsx_one,
            "4x": xlsx_four,
            "memory_4x_over_1x": xlsx_four["peak_bytes"] / max(1, xlsx_one["peak_bytes"]),
        },
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
        self.start = _rss_bytes()
        self.peak = self.start
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(0.05):
            self.peak = max(self.peak, _rss_bytes())

    def __enter__(self) -> _RssPeak:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, _rss_bytes())

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
