"""One bench run: generate the tier, take every measure, judge the goals, print, save."""

from __future__ import annotations

import datetime
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

from bench import TIERS, data, measures, pages, sides, targets
from facilities.models import Facility


def _urls(as_of: datetime.date) -> dict[str, str]:
    return pages.pages(as_of) | pages.forms() | pages.exports()


def run(
    *,
    tier_name: str,
    seed: int,
    reuse: bool,
    skip_load: bool,
    sqlite: Path | None,
    work: Path,
    say: Callable[[str], None],
) -> dict[str, Any]:
    tier = TIERS[tier_name]
    results: dict[str, Any] = {
        "tier": tier.name,
        "facilities": tier.facilities,
        "quarters": tier.quarters,
        "database": connection.vendor,
        "cores": os.cpu_count(),
        "started_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
    }
    started = time.perf_counter()
    tenth = None
    tenth_urls: dict[str, str] = {}
    _plan, as_of = pages.dashboard_plan()
    if reuse:
        say("Reusing the data already in the database (query counts at 1× only).")
        data.ensure_staff_user()
    else:
        say(f"Generating the {tier.name} tier ({tier.facilities:,} facilities)…")
        clock = time.perf_counter()
        rows = data.generate(tier, seed=seed, start=0, stop=tier.facilities // 10)
        data.ensure_staff_user()
        # The rows were written past the portal's services: its kept figures are built after,
        # as after any bulk load.
        measures.rebuild()
        # A report in the archive at 1/10 too, so that both sizes count the same page.
        results["report_at_tenth"] = _or_reason(measures.quarterly_report)
        tenth_urls = _urls(as_of)
        tenth = pages.query_counts(pages.staff_client(), tenth_urls)
        rows_rest = data.generate(
            tier, seed=seed, start=tier.facilities // 10, stop=tier.facilities
        )
        written = {t: rows.get(t, 0) + rows_rest.get(t, 0) for t in {*rows, *rows_rest}}
        results["generation"] = {
            "seconds": time.perf_counter() - clock,
            "rows": sum(written.values()),
            "by_table": dict(sorted(written.items())),
        }
        say(f"  {results['generation']['rows']:,} rows in {results['generation']['seconds']:.1f} s")
    say("Kept figures rebuilt from scratch…")
    results["rebuild"] = measures.rebuild()
    results["facilities_in_database"] = Facility.objects.count()

    say("Quarterly report, as the worker makes it, in a fresh process…")
    results["report"] = _or_reason(measures.quarterly_report)

    say("Query counts of every page, form and export…")
    client = pages.staff_client()
    urls = _urls(as_of)
    full = pages.query_counts(client, urls)
    differences = {}
    if tenth is not None:
        # Compared on the same objects: the one with the most children at 1× may be another
        # (a submitted report where 1/10 chose a draft) whose page runs other queries.
        moved = {n: u for n, u in tenth_urls.items() if n in urls and urls[n] != u}
        same = full | pages.query_counts(client, moved)
        for name, found in same.items():
            small = tenth.get(name)
            if small is not None and small["queries"] != found["queries"]:
                differences[name] = {"tenth": small["queries"], "full": found["queries"]}
    results["query_counts"] = {
        "cap": pages.QUERY_CAP,
        "caps": pages.QUERY_CAPS,
        "tenth": tenth,
        "full": full,
        "differences": differences if tenth is not None else None,
        "over_cap": {name: c["queries"] for name, c in full.items() if c["over_cap"]},
        "errors": {name: c["status"] for name, c in full.items() if c["status"] >= 400},
    }

    say("Every page and form, against its true floor (its template from a prepared context)…")
    results["timings"] = {
        "pages": pages.timings(client, pages.pages(as_of), tier.repetitions),
        "forms": pages.timings(client, pages.forms(), tier.repetitions),
    }
    say("The dashboard as a user gets it…")
    results["dashboard"] = pages.dashboard_complete(client, tier.repetitions)

    say("Dashboard against the SQL floor (JIT off) and the naive loop…")
    big = tier.facilities >= 50_000
    results["indicators"] = measures.indicators_against_floors(
        tier.repetitions, naive_repetitions=1 if big else tier.repetitions
    )
    results["jit"] = measures.jit_comparison(tier.repetitions)

    say("XLSX writers at 1× and 10× the facilities…")
    results["xlsx"] = measures.xlsx_export(tier.repetitions)
    say("The whole registry's export, in a fresh process…")
    results["export"] = _or_reason(measures.full_export)

    if sqlite is not None and connection.vendor == "postgresql" and not reuse:
        say("SQLite and PostgreSQL side by side…")
        results["sqlite_vs_postgres"] = sides.side_by_side(
            sqlite, tier, seed=seed, repetitions=tier.repetitions, say=say
        )
    else:
        results["sqlite_vs_postgres"] = {
            "note": "not measured: give a migrated SQLite file (--sqlite) on a PostgreSQL run"
        }

    if skip_load:
        results["load"] = {"skipped": True}
    else:
        say("Load test: gunicorn as in the Dockerfile; locust, 1 user (≥ 30 requests), then 16…")
        results["load"] = load_test_or_reason(work)

    # Last: these write (approvals change the figures, the import adds facilities).
    say("Approving submitted reports…")
    results["approval"] = measures.approval(10 if tier.facilities >= 5_000 else 3)
    import_rows = 20_000 if tier.facilities >= 5_000 else 200
    say(f"Registry import of {import_rows:,} rows (dry run, then write)…")
    results["import"] = measures.registry_import(import_rows)
    _remove_report_files()

    results["total_seconds"] = time.perf_counter() - started
    results["targets"], results["checks"] = targets.judge(results)
    return results


def _or_reason(measure: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    try:
        return measure()
    except Exception as error:  # noqa: BLE001 - the rest of the bench still counts
        return {"failed": f"{type(error).__name__}: {error}"[:2000]}


def _remove_report_files() -> None:
    """The bench leaves no report or export file behind in MEDIA_ROOT."""
    from reporting import models

    for run in models.ReportRun.objects.all():
        for fmt in ("pdf", "docx", "xlsx"):
            if getattr(run, fmt):
                getattr(run, fmt).delete(save=False)
    if hasattr(models, "FacilityExport"):  # exports written by a background job
        for export in models.FacilityExport.objects.exclude(file=""):
            export.file.delete(save=False)


def load_test_or_reason(work: Path) -> dict[str, Any]:
    from bench.load import load_test

    try:
        return load_test(work=work)
    except Exception as error:  # noqa: BLE001 - the rest of the bench still counts
        return {"failed": f"{type(error).__name__}: {error}"}


def table(results: dict[str, Any]) -> str:
    """The figures a reader wants, one per line, then every target and check with its verdict."""
    get = targets.get
    lines = [
        f"bench: tier {results['tier']}, {results.get('facilities_in_database', 0):,} facilities, "
        f"{results['database']}, {results['cores']} cores",
    ]
    generation = results.get("generation")
    if generation:
        lines.append(f"  generation{generation['rows']:>24,} rows {generation['seconds']:8.1f} s")
    seconds = results["indicators"]["seconds"]
    for name in ("dashboard", "engine", "sql_floor", "naive_loop"):
        lines.append(f"  {name:<22}{seconds[name] * 1000:>12.1f} ms (median)")
    ratios = results["indicators"]
    lines.append(
        f"  dashboard complete, figures computed again/SQL floor (JIT off) "
        f"{ratios['dashboard_over_floor']:.2f}×"
        f"   engine/floor {ratios['engine_over_floor']:.2f}×"
        f"   dashboard/naive {ratios['dashboard_over_naive']:.3f}×"
    )
    dashboard = results["dashboard"]
    lines.append(
        f"  dashboard as a user gets it: {len(dashboard['requests'])} request(s), p50 "
        f"{dashboard['p50_ms']:.0f} ms, true floor {dashboard['floor_ms']:.0f} ms "
        f"({dashboard['over_floor'] or 0:.1f}×)"
    )
    jit = results.get("jit") or {}
    if jit.get("dashboard_ms"):
        lines.append(
            f"  JIT: portal connection {jit['portal_connection_jit']}; dashboard on "
            f"{jit['dashboard_ms']['on']:.0f} ms, off {jit['dashboard_ms']['off']:.0f} ms "
            f"({'held' if jit['measured'] else 'NOT held through the request'})"
        )
    counts = results["query_counts"]
    lines.append(f"  queries (1/10 → 1×, cap {counts['cap']}), p50 and true floor:")
    timed = {**get(results, "timings", "pages"), **get(results, "timings", "forms")}
    for name, found in counts["full"].items():
        small = (counts["tenth"] or {}).get(name, {}).get("queries", "–")
        timing = timed.get(name, {})
        p50 = f"{timing['p50_ms']:8.0f} ms" if timing else " " * 11
        floor = f"floor {timing['floor_ms']:6.1f} ms" if "floor_ms" in timing else ""
        lines.append(
            f"    {name:<30}{small!s:>5} → {found['queries']:<5} HTTP {found['status']} "
            f"{p50} {floor}"
        )
    xlsx = results["xlsx"]
    lines.append(
        f"  XLSX writers, {xlsx['facilities_1x']:,}/{xlsx['facilities_10x']:,} facilities: "
        f"openpyxl {xlsx['seconds']['openpyxl_1x']:.2f}/{xlsx['seconds']['openpyxl_10x']:.2f} s, "
        f"XlsxWriter {xlsx['seconds'].get('xlsxwriter_1x', 0):.2f}/"
        f"{xlsx['seconds'].get('xlsxwriter_10x', 0):.2f} s, peak "
        f"{xlsx['peak_bytes']['openpyxl_1x'] / 2**20:.1f}/"
        f"{xlsx['peak_bytes']['openpyxl_10x'] / 2**20:.1f} MB (rows read apart: "
        f"{xlsx['read_seconds']['10x']:.1f} s at 10×)"
    )
    registry = results.get("import")
    if registry:
        lines.append(
            f"  import {registry['rows']:,} rows ({registry['updates']:,} updates): dry run "
            f"{registry['seconds']['dry_run']:.1f} s, write {registry['seconds']['write']:.1f} s, "
            f"{registry['status']}, memory +{registry['rss_growth_bytes'] / 2**20:.0f} MB"
        )
    comparison = results.get("sqlite_vs_postgres") or {}
    if "ratio" in comparison:
        lines.append("  SQLite / PostgreSQL, same process, interleaved rounds:")
        for name, ratio in comparison["sqlite_over_postgresql"].items():
            lines.append(
                f"    {name:<30}{comparison['p50_ms']['sqlite'][name]:8.0f} / "
                f"{comparison['p50_ms']['postgresql'][name]:.0f} ms = {ratio:.2f}×"
            )
    else:
        lines.append(f"  SQLite / PostgreSQL: {comparison.get('note')}")
    load = results.get("load", {})
    if "loaded" in load:
        single, loaded = load["single_user"], load["loaded"]
        lines.append(
            f"  load ({load['users']} users, {load['seconds']} s, {load['workers']} workers, "
            f"timeout {load['timeout']} s): {loaded['requests_per_second']:.1f} req/s, "
            f"p50 {loaded['p50_ms']:.0f} ms, p95 {loaded['p95_ms']:.0f} ms, "
            f"p99 {loaded['p99_ms']:.0f} ms, >1 s {loaded['share_over_1s']:.1%}, "
            f"errors {loaded['errors']} {loaded['errors_by_page'] or ''}; single user "
            f"{single['requests']} requests, p50 {single['p50_ms']:.0f} ms"
        )
    elif load:
        lines.append(f"  load: {load.get('failed') or 'skipped'}")
    lines.append(
        f"  targets of issue #15 (set for the national tier; measured at {results['tier']}):"
    )
    for measure, target in results["targets"].items():
        lines.append(
            f"    {targets.verdict(target['met']):<13}{measure} ({target['target']}): "
            f"{target['figure']}"
        )
    lines.append("  checks:")
    for label, check in results["checks"].items():
        lines.append(f"    {targets.verdict(check['met']):<13}{label}: {check['figure']}")
    return "\n".join(lines)


def default_work_dir(tier: str) -> Path:
    return Path(settings.BASE_DIR) / "var" / f"bench-{tier}-{connection.vendor}"
