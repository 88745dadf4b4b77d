"""`manage.py bench` at its tiny size: every section is there (timings are for `make bench`)."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from facilities.models import Facility
from tests.factories import FacilityFactory

SECTIONS = {
    "generation",
    "query_counts",
    "indicators",
    "xlsx",
    "pdf",
    "sqlite_vs_postgres",
    "load",
    "import",
    "goals",
}


def test_the_tiny_bench_writes_every_section_and_agrees_with_the_engine(db, tmp_path) -> None:
    # One run for every check: the bench renders PDFs and XLSX files, it takes a while.
    path = tmp_path / "bench.json"
    call_command("bench", tier="tiny", skip_load=True, json=path, stdout=io.StringIO())
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
    # A3/A4 (supported assessments completed in the year) agree on something other than zero.
    assert results["indicators"]["figures"]["A3"][1] + results["indicators"]["figures"]["A4"][1]
    # Every page answers with bench data, and the query counts were taken at both sizes.
    assert results["query_counts"]["errors"] == {}
    assert {"dashboard", "facility_list", "facility_detail"} <= results["query_counts"][
        "full"
    ].keys()
    assert results["query_counts"]["tenth"]
    assert results["xlsx"]["rows_10x"] == 10 * results["xlsx"]["rows_1x"]
    # The quarterly report, as PDF and as XLSX, with its annex at 1× and 4× the rows.
    assert results["pdf"]["available"], results["pdf"].get("reason")
    assert results["pdf"]["4x"]["pages"] >= results["pdf"]["1x"]["pages"] > 0
    assert results["pdf"]["xlsx"]["4x"]["rows"] > results["pdf"]["xlsx"]["1x"]["rows"] > 0
    assert set(results["goals"]) and all("met" in goal for goal in results["goals"].values())


def test_it_refuses_a_database_that_already_holds_facilities(db) -> None:
    FacilityFactory()
    with pytest.raises(CommandError, match="already holds facilities"):
        call_command("bench", tier="tiny", skip_load=True, stdout=io.StringIO())
