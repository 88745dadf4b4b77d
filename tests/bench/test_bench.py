"""`manage.py bench` at its tiny size: every section is there (timings are for `make bench`),
and the pieces that judge the figures, find a page's follow-up requests and rewrite the README
do what they say."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from bench import pages, targets
from bench.load import production_gunicorn
from bench.sides import sqlite_connection, using
from facilities.models import Facility
from tests.factories import FacilityFactory

SECTIONS = {
    "generation",
    "rebuild",
    "report",
    "query_counts",
    "timings",
    "dashboard",
    "indicators",
    "jit",
    "xlsx",
    "export",
    "sqlite_vs_postgres",
    "load",
    "approval",
    "import",
    "targets",
    "checks",
}


def test_the_tiny_bench_writes_every_section_and_agrees_with_the_engine(db, tmp_path) -> None:
    # One run for every check: the bench renders PDFs and XLSX files, it takes a while.
    path = tmp_path / "bench.json"
    output = io.StringIO()
    call_command("bench", tier="tiny", skip_load=True, json=path, stdout=output)
    results = json.loads(path.read_text())

    assert results.keys() >= SECTIONS
    assert results["tier"] == "tiny"
    assert results["load"] == {"skipped": True}
    # The registry import, taken last, wrote its rows: all of them, a tenth as updates.
    registry = results["import"]
    assert (registry["status"], registry["created"], registry["updated"]) == ("applied", 180, 20)
    assert Facility.objects.count() == 50 + registry["created"]
    # The SQL floor and the naive loop give the engine's numbers.
    assert results["indicators"]["mismatches"] == {"sql": [], "naive": []}
    # T3 among them, and not vacuously: applying facilities have a savings figure, compared
    # over four consecutive quarters for some and over a year report for others.
    median, reaching_floor, applying = results["indicators"]["figures"]["T3"]
    assert median is not None and reaching_floor is not None and applying > 0
    assert results["indicators"]["t3_periods"].keys() == {"quarters", "year"}
    assert results["indicators"]["figures"]["A3"][1] + results["indicators"]["figures"]["A4"][1]
    # Every page, form and export answers, counted at both sizes against the cap.
    counts = results["query_counts"]
    assert counts["errors"] == {}
    assert counts["cap"] == pages.QUERY_CAP
    assert {"dashboard", "facility_list", "facility_detail", "review_queue", "completeness"} <= (
        results["timings"]["pages"].keys()
    )
    assert {"facility_edit", "baseline_edit", "course_edit"} <= results["timings"]["forms"].keys()
    assert {"facility_export", "report_pdf", "report_xlsx"} <= counts["full"].keys()
    assert counts["tenth"]
    # A page's true floor is its template alone: faster than the page.
    facility_list = results["timings"]["pages"]["facility_list"]
    assert 0 < facility_list["floor_ms"] < facility_list["p50_ms"]
    # The XLSX writers ran on ten times the facilities, not the same rows again.
    assert results["xlsx"]["facilities_10x"] == 50 == 10 * results["xlsx"]["facilities_1x"]
    # The quarterly report was generated whole; the registry's export read to its end.
    assert results["report"]["status"] == "done" and results["report"]["pdf_pages"] > 0
    assert results["export"]["status"] in (200, "done") and results["export"]["rows"] == 50
    assert results["approval"]["approved"] > 0
    # Every target of the issue is printed with its figure and its verdict.
    printed = output.getvalue()
    for measure in (target.measure for target in targets.TARGETS):
        assert results["targets"][measure]["met"] in (True, False, None)
        assert measure in printed


def test_it_refuses_a_database_that_already_holds_facilities(db) -> None:
    FacilityFactory()
    with pytest.raises(CommandError, match="already holds facilities"):
        call_command("bench", tier="tiny", skip_load=True, stdout=io.StringIO())


def test_follow_ups_are_what_the_page_loads_on_arrival() -> None:
    html = (
        '<div hx-get="/a/?x=1&amp;y=2" hx-trigger="load"></div>'
        '<div hx-get="/b/" hx-trigger="revealed once"></div>'
        '<button hx-get="/c/" hx-trigger="click">'
    )
    assert pages.follow_ups(html) == ["/a/?x=1&y=2", "/b/"]
    charts = reverse("dashboard_charts")
    assert pages.follow_ups(f'<div data-src="{charts}?on=1"></div>') == [charts]


def _results(**figures) -> dict:
    return {
        "tier": "province",
        "database": "postgresql",
        "cores": 2,
        "started_at": "2026-12-05T01:00:00+00:00",
        "facilities_in_database": 5000,
        **figures,
    }


def test_targets_are_judged_met_not_met_or_not_measured() -> None:
    results = _results(
        dashboard={"p50_ms": 250.0, "follow_ups": 0},
        timings={"pages": {"dashboard": {"p50_ms": 250.0}, "facility_list": {"p50_ms": 420.0}}},
        load={"loaded": {"errors": 0, "requests": 900, "p95_ms": 1400, "requests_per_second": 15}},
        export={"status": 200, "rows": 5000, "seconds": 3.0, "growth_bytes": 60 * targets.MB},
    )
    judged, _checks = targets.judge(results)
    verdicts = {measure: target["met"] for measure, target in judged.items()}
    assert verdicts["dashboard page complete (cards and charts, as a user gets it)"] is True
    assert verdicts["every list, detail, completeness and review page, any filter"] is False
    assert verdicts["16 users for 60 s, gunicorn as in the Dockerfile"] is True
    assert verdicts["facility export (the whole registry)"] is False  # 60 MB > 50 MB
    assert verdicts["quarterly report PDF + XLSX"] is None
    assert (
        "facility_list 420 ms"
        in judged["every list, detail, completeness and review page, any filter"]["figure"]
    )


def test_the_readme_table_is_rewritten_between_its_markers(tmp_path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(f"before\n{targets.START}\nold table\n{targets.END}\nafter\n")
    results = _results(dashboard={"p50_ms": 250.0, "follow_ups": 0, "after_a_write_ms": 2500.0})
    results["targets"], results["checks"] = targets.judge(results)
    targets.rewrite_readme(readme, results)
    text = readme.read_text()
    assert "old table" not in text
    assert text.startswith("before\n") and text.endswith("after\n")
    assert "| dashboard page complete (cards and charts, as a user gets it) |" in text
    assert "| 250 ms (0 follow-up requests; the first view after a write 2,500 ms) | met |" in text
    readme.write_text("no markers")
    with pytest.raises(ValueError, match="markers"):
        targets.rewrite_readme(readme, results)


def test_the_load_test_starts_gunicorn_as_the_dockerfile_does() -> None:
    dockerfile = (Path(__file__).parents[2] / "Dockerfile").read_text()
    found = production_gunicorn()
    assert f'"--workers", "{found["workers"]}"' in dockerfile
    assert f'"--timeout", "{found["timeout"]}"' in dockerfile


def test_the_default_connection_points_at_the_sqlite_file_inside_using(db, tmp_path) -> None:
    path = tmp_path / "side.sqlite3"
    wrapper = sqlite_connection(path)
    before = connection.settings_dict["NAME"]
    with using(wrapper):
        with connection.cursor() as cursor:
            cursor.execute("CREATE TABLE side (n integer)")
        assert Path(connection.settings_dict["NAME"]) == path.resolve()
    wrapper.close()
    assert connection.settings_dict["NAME"] == before
    assert path.exists()
