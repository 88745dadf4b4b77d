"""One bench run: generate the tier, take every measure, judge the goals, print, save."""

from __future__ import annotations

import datetime
import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

from bench import TIERS, data, measures
from facilities.models import Facility

# The goals of issue #8, each a (label, test on the results, the figure shown).
Goal = tuple[str, Callable[[dict[str, Any]], bool | None], Callable[[dict[str, Any]], str]]


def _get(results: dict[str, Any], *path: str) -> Any:
    node: Any = results
    for key in path:
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    return node


def _check(value: Any, test: Callable[[Any], bool]) -> bool | None:
    return None if value is None else bool(test(value))


GOALS: list[Goal] = [
    (
        "dashboard ≤ 2 × SQL floor",
        lambda r: _check(_get(r, "indicators", "dashboard_over_floor"), lambda v: v <= 2),
        lambda r: f"{_get(r, 'indicators', 'dashboard_over_floor') or 0:.2f}×",
    ),
    (
        "engine = SQL floor = naive loop",
        lambda r: _check(
            _get(r, "indicators", "mismatches"), lambda v: not v["sql"] and not v["naive"]
        ),
        lambda r: json.dumps(_get(r, "indicators", "mismatches"), ensure_ascii=False),
    ),
    (
        "dashboard ≤ 0.4 × naive loop",
        lambda r: _check(_get(r, "indicators", "dashboard_over_naive"), lambda v: v <= 0.4),
        lambda r: f"{_get(r, 'indicators', 'dashboard_over_naive') or 0:.3f}×",
    ),
    (
        "query counts equal at 1/10 and 1×",
        lambda r: _check(_get(r, "query_counts", "differences"), lambda v: not v),
        lambda r: json.dumps(_get(r, "query_counts", "differences"), ensure_ascii=False),
    ),
    (
        "XLSX memory 10× rows ≤ 1.2 × 1×",
        lambda r: _check(_get(r, "xlsx", "memory_10x_over_1x"), lambda v: v <= 1.2),
        lambda r: f"{_get(r, 'xlsx', 'memory_10x_over_1x') or 0:.2f}×",
    ),
    (
        "XLSX time ≤ 2 × XlsxWriter constant-memory",
        lambda r: _check(_get(r, "xlsx", "time_over_xlsxwriter_10x"), lambda v: v <= 2),
        lambda r: f"{_get(r, 'xlsx', 'time_over_xlsxwriter_10x') or 0:.2f}×",
    ),
    (
        "PDF time at 4× annex ≤ 4.6 × 1×",
        lambda r: _check(_get(r, "pdf", "time_4x_over_1x"), lambda v: v <= 4.6),
        lambda r: f"{_get(r, 'pdf', 'time_4x_over_1x') or 0:.2f}×",
    ),
    (
        "PDF ≤ 12 MB per page",
        lambda r: _check(
            _get(r, "pdf", "4x", "peak_bytes_per_page"), lambda v: v <= 12 * 1024 * 1024
        ),
        lambda r: f"{(_get(r, 'pdf', '4x', 'peak_bytes_per_page') or 0) / 2**20:.2f} MB",
    ),
    (
        "SQLite dashboard ≤ 8 × PostgreSQL",
        lambda r: _check(_get(r, "sqlite_vs_postgres", "ratio"), lambda v: v <= 8),
        lambda r: f"{_get(r, 'sqlite_vs_postgres', 'ratio') or 0:.2f}×",
    ),
    (
        "SQLite dashboard < 1 s",
        lambda r: _check(_get(r, "sqlite_vs_postgres", "sqlite_seconds"), lambda v: v < 1),
        lambda r: f"{_get(r, 'sqlite_vs_postgres', 'sqlite_seconds') or 0:.3f} s",
    ),
    (
        "import 20,000 rows ≤ 60 s (PostgreSQL)",
        lambda r: (
            _check(
                _get(r, "import", "seconds", "total"),
                lambda v: v <= 60 and _get(r, "import", "status") == "applied",
            )
            if r.get("database") == "postgresql" and _get(r, "import", "rows") == 20_000
            else None
        ),
        lambda r: f"{_get(r, 'import', 'seconds', 'total') or 0:.1f} s",
    ),
    (
        "import memory growth ≤ 200 MB",
        lambda r: _check(_get(r, "import", "rss_growth_bytes"), lambda v: v <= 200 * 2**20),
        lambda r: f"{(_get(r, 'import', 'rss_growth_bytes') or 0) / 2**20:.0f} MB",
    ),
    (
        "load: 0 errors",
        lambda r: _check(_get(r, "load", "loaded", "errors"), lambda v: v == 0),
        lambda r: str(_get(r, "load", "loaded", "errors")),
    ),
    (
        "load: p95 ≤ 40 × single-user p50",
        lambda r: _check(_get(r, "load", "p95_over_single_p50"), lambda v: v <= 40),
        lambda r: f"{_get(r, 'load', 'p95_over_single_p50') or 0:.1f}×",
    ),
]


def run(
    *,
    tier_name: str,
    seed: int,
    reuse: bool,
    skip_load: bool,
    compare_with: Path | None,
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
    if reuse:
        say("Reusing the data already in the database (query counts at 1× only).")
    else:
        say(f"Generating the {tier.name} tier ({tier.facilities:,} facilities)…")
        clock = time.perf_counter()
        rows = data.generate(tier, seed=seed, start=0, stop=tier.facilities // 10)
        tenth = measures.query_counts()
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
    data.ensure_staff_user()
    results["facilities_in_database"] = Facility.objects.count()

    say("Query counts of every page…")
    full = measures.query_counts()
    differences = {}
    if tenth is not None:
        for name, found in full.items():
            small = tenth.get(name)
            if small is None or small["queries"] != found["queries"]:
                differences[name] = {
                    "tenth": small and small["queries"],
                    "full": found["queries"],
                }
    results["query_counts"] = {
        "tenth": tenth,
        "full": full,
        "differences": differences if tenth is not None else None,
        "errors": {name: c["status"] for name, c in full.items() if c["status"] >= 400},
    }

    say("Dashboard against the SQL floor and the naive loop…")
    big = tier.facilities >= 50_000
    results["indicators"] = measures.indicators_against_floors(
        tier.repetitions, naive_repetitions=1 if big else tier.repetitions
    )

    say("XLSX export…")
    results["xlsx"] = measures.xlsx_export(1_000, tier.repetitions)

    say("PDF report…")
    results["pdf"] = measures.pdf_report(tier.repetitions, annex_rows=250)

    if compare_with is not None and compare_with.exists():
        other = json.loads(compare_with.read_text())
        by_vendor = {
            connection.vendor: results["indicators"]["seconds"]["dashboard"],
            other["database"]: other["indicators"]["seconds"]["dashboard"],
        }
        if {"sqlite", "postgresql"} <= by_vendor.keys():
            results["sqlite_vs_postgres"] = {
                "sqlite_seconds": by_vendor["sqlite"],
                "postgresql_seconds": by_vendor["postgresql"],
                "ratio": by_vendor["sqlite"] / by_vendor["postgresql"],
                "compared_with": str(compare_with),
            }
    if "sqlite_vs_postgres" not in results:
        results["sqlite_vs_postgres"] = {
            f"{connection.vendor}_seconds": results["indicators"]["seconds"]["dashboard"],
            "note": "the other database was not measured (see --compare-with)",
        }

    if skip_load:
        results["load"] = {"skipped": True}
    else:
        say("Load test: gunicorn, 2 workers; locust, 1 then 16 users…")
        results["load"] = load_test_or_reason(work)

    # Last: it adds facilities to the registry, which the measures above must not see.
    import_rows = 20_000 if tier.facilities >= 5_000 else 200
    say(f"Registry import of {import_rows:,} rows (dry run, then write)…")
    results["import"] = measures.registry_import(import_rows)

    results["total_seconds"] = time.perf_counter() - started
    results["goals"] = {
        label: {"met": test(results), "figure": shown(results)} for label, test, shown in GOALS
    }
    return results


def load_test_or_reason(work: Path) -> dict[str, Any]:
    from bench.load import load_test

    try:
        return load_test(work=work)
    except Exception as error:  # noqa: BLE001 - the rest of the bench still counts
        return {"failed": f"{type(error).__name__}: {error}"}


def table(results: dict[str, Any]) -> str:
    """The figures a reader wants, one per line."""
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
    lines.append(
        f"  dashboard/floor {results['indicators']['dashboard_over_floor']:.2f}×   "
        f"engine/floor {results['indicators']['engine_over_floor']:.2f}×   "
        f"dashboard/naive {results['indicators']['dashboard_over_naive']:.3f}×"
    )
    counts = results["query_counts"]
    lines.append("  queries per page (1/10 → 1×):")
    for name, found in counts["full"].items():
        small = (counts["tenth"] or {}).get(name, {}).get("queries", "–")
        lines.append(f"    {name:<26}{small!s:>5} → {found['queries']:<5} HTTP {found['status']}")
    xlsx = results["xlsx"]
    lines.append(
        f"  XLSX {xlsx['rows_1x']:,}/{xlsx['rows_10x']:,} rows: "
        f"openpyxl {xlsx['seconds']['openpyxl_1x']:.2f}/{xlsx['seconds']['openpyxl_10x']:.2f} s, "
        f"XlsxWriter {xlsx['seconds'].get('xlsxwriter_1x', 0):.2f}/"
        f"{xlsx['seconds'].get('xlsxwriter_10x', 0):.2f} s, "
        f"{xlsx['rows_per_second_10x']:,.0f} rows/s, peak "
        f"{xlsx['peak_bytes']['openpyxl_1x'] / 2**20:.1f}/"
        f"{xlsx['peak_bytes']['openpyxl_10x'] / 2**20:.1f} MB"
    )
    pdf = results["pdf"]
    if pdf.get("available"):
        for key in ("1x", "4x"):
            run_ = pdf[key]
            lines.append(
                f"  PDF {key} ({pdf[f'annex_rows_{key}']} annex rows): {run_['seconds']:.2f} s, "
                f"{run_['pages']} pages, {run_['seconds_per_page']:.3f} s/page, "
                f"{run_['peak_bytes_per_page'] / 2**20:.2f} MB/page"
            )
        for key in ("1x", "4x"):
            run_ = pdf["xlsx"][key]
            lines.append(
                f"  report XLSX {key}: {run_['rows']} rows in {run_['seconds']:.2f} s "
                f"({run_['rows_per_second']:.0f} rows/s), {run_['peak_bytes'] / 2**20:.1f} MB peak"
            )
    else:
        lines.append(f"  PDF: not available ({pdf.get('reason')})")
    registry = results.get("import")
    if registry:
        lines.append(
            f"  import {registry['rows']:,} rows ({registry['updates']:,} updates): dry run "
            f"{registry['seconds']['dry_run']:.1f} s, write {registry['seconds']['write']:.1f} s, "
            f"{registry['status']}, memory +{registry['rss_growth_bytes'] / 2**20:.0f} MB"
        )
    comparison = results.get("sqlite_vs_postgres")
    if comparison and "ratio" in comparison:
        lines.append(
            f"  SQLite {comparison['sqlite_seconds'] * 1000:.0f} ms vs PostgreSQL "
            f"{comparison['postgresql_seconds'] * 1000:.0f} ms: {comparison['ratio']:.2f}×"
        )
    load = results.get("load", {})
    if "loaded" in load:
        single, loaded = load["single_user"], load["loaded"]
        lines.append(
            f"  load ({load['users']} users, {load['seconds']} s, {load['workers']} workers): "
            f"{loaded['requests_per_second']:.1f} req/s, p50 {loaded['p50_ms']:.0f} ms, "
            f"p95 {loaded['p95_ms']:.0f} ms, p99 {loaded['p99_ms']:.0f} ms, "
            f">1 s {loaded['share_over_1s']:.1%}, errors {loaded['errors']}; "
            f"single-user p50 {single['p50_ms']:.0f} ms"
        )
    elif load:
        lines.append(f"  load: {load.get('failed') or 'skipped'}")
    lines.append("  goals:")
    for label, goal in results["goals"].items():
        mark = {True: "met", False: "MISSED", None: "not measured"}[goal["met"]]
        lines.append(f"    {mark:<13}{label:<44}{goal['figure']}")
    return "\n".join(lines)


def default_work_dir(tier: str) -> Path:
    return Path(settings.BASE_DIR) / "var" / f"bench-{tier}-{connection.vendor}"
