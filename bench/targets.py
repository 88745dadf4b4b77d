"""The targets of issue #15 and the bench's own checks, each judged on a run's figures, and the
README's performance table written from them.

A target is set for the national tier; at a smaller tier it is judged all the same (a target
missed at province is missed at national too) and the table says which tier measured it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MB = 2**20


def get(results: dict[str, Any], *path: str) -> Any:
    node: Any = results
    for key in path:
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    return node


@dataclass(frozen=True)
class Target:
    measure: str
    target: str
    # The run's figure as shown, and whether it meets the target (None: not measured).
    figure: Callable[[dict[str, Any]], str]
    met: Callable[[dict[str, Any]], bool | None]


def _ms(value: float | None) -> str:
    return "–" if value is None else f"{value:,.0f} ms"


def _slowest_page(results: dict[str, Any]) -> tuple[str, float] | None:
    timed = get(results, "timings", "pages") or {}
    reading = {name: t["p50_ms"] for name, t in timed.items() if name != "dashboard"}
    if not reading:
        return None
    name = max(reading, key=reading.__getitem__)
    return name, reading[name]


def _pages_figure(results: dict[str, Any]) -> str:
    slowest = _slowest_page(results)
    if slowest is None:
        return "not measured"
    over = sum(
        1
        for name, t in get(results, "timings", "pages").items()
        if name != "dashboard" and t["p50_ms"] > 300
    )
    return f"slowest {slowest[0]} {_ms(slowest[1])}; {over} over 300 ms"


def _load_met(results: dict[str, Any]) -> bool | None:
    loaded = get(results, "load", "loaded")
    if loaded is None:
        return None
    return (
        loaded["errors"] == 0 and loaded["p95_ms"] <= 1500 and loaded["requests_per_second"] >= 15
    )


def _load_figure(results: dict[str, Any]) -> str:
    loaded = get(results, "load", "loaded")
    if loaded is None:
        return get(results, "load", "failed") or "not measured"
    return (
        f"{loaded['errors']} errors of {loaded['requests']:,}, p95 {_ms(loaded['p95_ms'])}, "
        f"{loaded['requests_per_second']:.1f} req/s"
    )


def _export_met(results: dict[str, Any]) -> bool | None:
    export = results.get("export")
    if not export or "status" not in export:
        return None
    # Sent within the request (HTTP 200), or written by its background job ("done").
    return export["status"] in (200, "done") and export["growth_bytes"] <= 50 * MB


def _export_figure(results: dict[str, Any]) -> str:
    export = results.get("export")
    if not export or "status" not in export:
        return (export or {}).get("failed", "not measured")
    return (
        f"{export['rows']:,} rows, "
        f"{'background job ' if export.get('background') else 'HTTP '}{export['status']}, "
        f"{export['seconds']:.1f} s, "
        f"+{export['growth_bytes'] / MB:.0f} MB"
    )


def _report_met(results: dict[str, Any]) -> bool | None:
    report = results.get("report")
    if not report or "seconds" not in report:
        return None
    return (
        report["status"] == "done" and report["seconds"] <= 30 and report["peak_bytes"] <= 300 * MB
    )


def _report_figure(results: dict[str, Any]) -> str:
    report = results.get("report")
    if not report or "seconds" not in report:
        return (report or {}).get("failed", "not measured")
    return (
        f"{report['seconds']:.1f} s (PDF {report['pdf_pages']} pages, Word, XLSX), "
        f"peak {report['peak_bytes'] / MB:.0f} MB"
    )


def _approval_figure(results: dict[str, Any]) -> str:
    approval = results.get("approval") or {}
    if approval.get("median_ms") is None:
        return "not measured"
    if approval.get("keeping_figures_ms") is None:
        return f"{_ms(approval['median_ms'])} (no kept figures to add)"
    return (
        f"{_ms(approval['median_ms'])}: +{approval['keeping_figures_ms']:.0f} ms for the kept "
        f"figures on {_ms(approval['without_keeping_ms'])}"
    )


def _rebuild_figure(results: dict[str, Any]) -> str:
    rebuild = results.get("rebuild") or {}
    if not rebuild.get("measured"):
        return rebuild.get("reason", "not measured")
    if "kept_seconds" not in rebuild:
        return f"{rebuild['seconds']:.1f} s"
    flags = rebuild.get("flags_seconds")
    return f"{rebuild['kept_seconds']:.1f} s" + (
        f" (then the review queue's warning flags, not a figure: {flags:.1f} s)"
        if flags is not None
        else ""
    )


def _rebuild_seconds(results: dict[str, Any]) -> float | None:
    """The kept figures' part of the rebuild (the whole command's time when it is not split)."""
    rebuild = results.get("rebuild") or {}
    if not rebuild.get("measured"):
        return None
    return rebuild.get("kept_seconds", rebuild["seconds"])


def _dashboard_figure(results: dict[str, Any]) -> str:
    follow_ups = f"{get(results, 'dashboard', 'follow_ups')} follow-up requests"
    cold = get(results, "dashboard", "after_a_write_ms")
    after = f"; the first view after a write {_ms(cold)}" if cold is not None else ""
    return f"{_ms(get(results, 'dashboard', 'p50_ms'))} ({follow_ups}{after})"


TARGETS: list[Target] = [
    Target(
        "dashboard page complete (cards and charts, as a user gets it)",
        "p50 ≤ 300 ms single user",
        _dashboard_figure,
        lambda r: None if get(r, "dashboard") is None else get(r, "dashboard", "p50_ms") <= 300,
    ),
    Target(
        "every list, detail, completeness and review page, any filter",
        "p50 ≤ 300 ms",
        _pages_figure,
        lambda r: None if _slowest_page(r) is None else _slowest_page(r)[1] <= 300,
    ),
    Target(
        "16 users for 60 s, gunicorn as in the Dockerfile",
        "0 errors, p95 ≤ 1.5 s, ≥ 15 requests/s",
        _load_figure,
        _load_met,
    ),
    Target(
        "facility export (the whole registry)",
        "completes, memory growth ≤ 50 MB",
        _export_figure,
        _export_met,
    ),
    Target("quarterly report PDF + XLSX", "≤ 30 s, peak ≤ 300 MB", _report_figure, _report_met),
    Target(
        "approving a report",
        "≤ 100 ms more than today's approval",
        _approval_figure,
        lambda r: _check(get(r, "approval", "keeping_figures_ms"), lambda v: v <= 100),
    ),
    Target(
        "rebuild of kept figures from scratch",
        "≤ 2 min",
        _rebuild_figure,
        lambda r: _check(_rebuild_seconds(r), lambda v: v <= 120),
    ),
]


def _check(value: Any, test: Callable[[Any], bool]) -> bool | None:
    return None if value is None else bool(test(value))


# The bench's own checks: a fast portal that is wrong, or fast only on small data, fails them.
CHECKS: list[tuple[str, Callable[[dict[str, Any]], bool | None], Callable[[dict], str]]] = [
    (
        "engine = SQL floor = naive loop",
        lambda r: _check(
            get(r, "indicators", "mismatches"), lambda v: not v["sql"] and not v["naive"]
        ),
        lambda r: str(get(r, "indicators", "mismatches")),
    ),
    (
        "query counts equal at 1/10 and 1×",
        lambda r: _check(get(r, "query_counts", "differences"), lambda v: not v),
        lambda r: str(get(r, "query_counts", "differences")),
    ),
    (
        "every page, form and export within the query cap",
        lambda r: _check(get(r, "query_counts", "over_cap"), lambda v: not v),
        lambda r: (
            f"cap {get(r, 'query_counts', 'cap')} ({get(r, 'query_counts', 'caps')}), "
            f"over: {get(r, 'query_counts', 'over_cap')}"
        ),
    ),
    (
        "every page, form and export answers",
        lambda r: _check(get(r, "query_counts", "errors"), lambda v: not v),
        lambda r: str(get(r, "query_counts", "errors")),
    ),
    (
        "single-user baseline ≥ 30 requests",
        lambda r: _check(get(r, "load", "single_user", "requests"), lambda v: v >= 30),
        lambda r: str(get(r, "load", "single_user", "requests")),
    ),
    (
        "XLSX writer memory at 10× the facilities ≤ 1.2 × 1×",
        lambda r: _check(get(r, "xlsx", "memory_10x_over_1x"), lambda v: v <= 1.2),
        lambda r: f"{get(r, 'xlsx', 'memory_10x_over_1x') or 0:.2f}×",
    ),
    (
        "XLSX writer time ≤ 2 × XlsxWriter constant-memory",
        lambda r: _check(get(r, "xlsx", "time_over_xlsxwriter_10x"), lambda v: v <= 2),
        lambda r: f"{get(r, 'xlsx', 'time_over_xlsxwriter_10x') or 0:.2f}×",
    ),
    (
        "import 20,000 rows ≤ 60 s, memory growth ≤ 200 MB",
        lambda r: (
            _check(
                get(r, "import", "seconds", "total"),
                lambda v: (
                    v <= 60
                    and get(r, "import", "status") == "applied"
                    and get(r, "import", "rss_growth_bytes") <= 200 * MB
                ),
            )
            if get(r, "import", "rows") == 20_000
            else None
        ),
        lambda r: (
            f"{get(r, 'import', 'seconds', 'total') or 0:.1f} s, "
            f"+{(get(r, 'import', 'rss_growth_bytes') or 0) / MB:.0f} MB"
        ),
    ),
]


def judge(results: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The targets and the checks, each with its figure and whether it is met."""
    targets = {
        t.measure: {"target": t.target, "figure": t.figure(results), "met": t.met(results)}
        for t in TARGETS
    }
    checks = {
        label: {"figure": shown(results), "met": test(results)} for label, test, shown in CHECKS
    }
    return targets, checks


def verdict(met: bool | None) -> str:
    return {True: "met", False: "not met", None: "not measured"}[met]


START = "<!-- bench:table:start -->"
END = "<!-- bench:table:end -->"


def readme_table(results: dict[str, Any]) -> str:
    """The README's performance table: the issue's targets with the run's figures."""
    where = (
        f"{results['tier']} tier ({results.get('facilities_in_database', 0):,} facilities), "
        f"{results['database']}, {results['cores']} cores, {results['started_at'][:10]}"
    )
    lines = [
        f"Figures of `make bench` at the {where}; targets are the national tier's (issue #15).",
        "",
        "| measure | target | figure | |",
        "|---|---|---|---|",
    ]
    for measure, target in results["targets"].items():
        lines.append(
            f"| {measure} | {target['target']} | {target['figure']} | {verdict(target['met'])} |"
        )
    extra = []
    if floor := get(results, "indicators", "seconds", "sql_floor"):
        extra.append(
            f"dashboard complete, its figures computed again (as after a write) / SQL floor "
            f"(JIT off) {get(results, 'indicators', 'dashboard_over_floor'):.2f}× "
            f"({_ms(floor * 1000)})"
        )
    if get(results, "dashboard", "floor_ms"):
        extra.append(
            f"dashboard / its true floor (templates rendered from a prepared context) "
            f"{get(results, 'dashboard', 'over_floor'):.1f}× "
            f"({_ms(get(results, 'dashboard', 'floor_ms'))})"
        )
    jit = results.get("jit") or {}
    if jit.get("dashboard_ms"):
        extra.append(
            f"dashboard, figures computed again, with JIT on {_ms(jit['dashboard_ms']['on'])}, off "
            f"{_ms(jit['dashboard_ms']['off'])} (the portal's connection: JIT "
            f"{jit['portal_connection_jit']})"
        )
    sides = results.get("sqlite_vs_postgres") or {}
    if "ratio" in sides:
        extra.append(
            f"SQLite / PostgreSQL, same process and rounds: dashboard "
            f"{_ms(sides['sqlite_seconds'] * 1000)} / {_ms(sides['postgresql_seconds'] * 1000)}"
            f" = {sides['ratio']:.2f}×"
        )
    if extra:
        lines += ["", *[f"- {line}" for line in extra]]
    return "\n".join(lines)


def rewrite_readme(readme: Path, results: dict[str, Any]) -> None:
    """Replace the table between the README's markers with this run's."""
    text = readme.read_text()
    pattern = re.compile(re.escape(START) + r".*?" + re.escape(END), re.DOTALL)
    if not pattern.search(text):
        raise ValueError(f"{readme} has no {START} … {END} markers")
    replacement = f"{START}\n{readme_table(results)}\n{END}"
    readme.write_text(pattern.sub(lambda _match: replacement, text))
