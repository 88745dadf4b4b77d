"""What the engine is measured against: one hand-written SQL query, and a naive Python loop.

Both compute the numbers of `reporting.indicators.compute()` (T1–T5, A1–A4: numerator,
denominator, value) as of a date, from the same rows, by the same rules:

- the SQL is the floor: the database doing the whole job in one statement (CTEs and window
  functions, which SQLite ≥ 3.25 and PostgreSQL share; one date expression differs). Its
  rules are compiled from the apps' one definition of each; T3's like periods are chosen with
  window functions over quarter indexes, and the savings are computed in SQL too;
- the loop is what a first draft would do: read every row of every table involved into Python
  and count there.

The bench checks that all three agree, so a fast engine cannot be fast by being wrong.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import QuerySet

from assessments.models import (
    Assessment,
    Baseline,
    BaselineConsumption,
    ConversionFactor,
    CPOption,
    Resource,
    SelfReport,
    SelfReportConsumption,
    SelfReportMeasure,
    applying_sources,
)
from facilities.models import (
    AwarenessConfirmation,
    DedicatedUnit,
    Facility,
    OutreachActivity,
    OutreachParticipation,
    aware_sources,
    cp_unit_sources,
)
from portal.lib import dates
from programs.models import Course, CourseParticipant, Official, SupportProject

Numbers = dict[str, tuple[Any, Any, Any]]  # code → (value, numerator, denominator)


def _period_end(kind: str, year: int, quarter: int | None) -> datetime.date:
    """The last day of a year or of a quarter (written again here: the loop is a check)."""
    if kind != "quarter" or quarter is None:
        return datetime.date(year, 12, 31)
    next_start = (
        datetime.date(year + 1, 1, 1) if quarter == 4 else datetime.date(year, 3 * quarter + 1, 1)
    )
    return next_start - datetime.timedelta(days=1)


def _params(day: datetime.date, year: int) -> dict[str, Any]:
    last_quarter = (day.year * 4 + (day.month - 1) // 3) - 1  # quarter index of the last ended
    if day == _period_end("quarter", day.year, (day.month - 1) // 3 + 1):
        last_quarter += 1  # `day` is itself the last day of its quarter
    # The yearly counts (A1–A4) read `year` as far as it is known on `day`.
    year_start, year_end = datetime.date(year, 1, 1), min(day, datetime.date(year, 12, 31))
    postgres = connection.vendor == "postgresql"

    def on(value: datetime.date) -> Any:
        return value if postgres else value.isoformat()

    return {
        "day": on(day),
        "year_start": on(year_start),
        "year_end": on(year_end),
        "year": year,
        "last_quarter": last_quarter,
        "last_year": day.year if (day.month, day.day) == (12, 31) else day.year - 1,
    }


def _factor_day() -> str:
    """The last day of the quarter whose index (year * 4 + quarter - 1) is `ln.end_q`, as each
    database writes it: the compared period's end, whose factors convert both sides."""
    if connection.vendor == "postgresql":
        return (
            "(make_date(ln.end_q / 4, 3 * (ln.end_q %% 4) + 3, 1) + interval '1 month'"
            " - interval '1 day')::date"
        )
    return (
        "date(printf('%%04d-%%02d-01', ln.end_q / 4, 3 * (ln.end_q %% 4) + 3),"
        " '+1 month', '-1 day')"
    )


FLOOR_SQL = """
WITH den(id) AS (
    {den}
), aware(id) AS (
    {aware}
), applying(id) AS (
    {applying}
), cp_unit(id) AS (
    {cp_unit}
), shares AS (
    SELECT COUNT(*) AS denominator, COUNT(aw.id) AS aware, COUNT(ap.id) AS applying,
           COUNT(cu.id) AS cp_unit
    FROM den LEFT JOIN aware aw ON aw.id = den.id LEFT JOIN applying ap ON ap.id = den.id
    LEFT JOIN cp_unit cu ON cu.id = den.id
), baselines AS (
    SELECT a.facility_id, b.id AS baseline_id, b.year, b.output, b.output_unit,
           ROW_NUMBER() OVER (PARTITION BY a.facility_id
                              ORDER BY a.completed_on DESC, a.id DESC) AS rank
    FROM assessments_baseline b JOIN assessments_assessment a ON a.id = b.assessment_id
    WHERE a.kind = 'detailed' AND a.status = 'completed' AND a.completed_on <= %(day)s
      AND a.facility_id IN (SELECT den.id FROM den JOIN applying ap ON ap.id = den.id)
), baseline AS (
    SELECT * FROM baselines WHERE rank = 1
), in_force AS (
    -- The periods in force after the baseline year and ended by `day`, each with the index of
    -- the last quarter it covers (year * 4 + quarter - 1; a year's is its fourth quarter's),
    -- and the facility's baseline carried along: what follows needs no join back to it.
    SELECT r.id, r.facility_id, r.period_kind, r.output, r.output_unit, b.baseline_id,
           b.output AS baseline_output, b.output_unit AS baseline_unit,
           CASE WHEN r.period_kind = 'year' THEN r.year * 4 + 3
                ELSE r.year * 4 + r.quarter - 1 END AS last_q,
           ROW_NUMBER() OVER (PARTITION BY r.facility_id, r.period_kind, r.year, r.quarter
                              ORDER BY r.version DESC) AS latest
    FROM assessments_selfreport r JOIN baseline b ON b.facility_id = r.facility_id
    WHERE r.id IN ({in_force}) AND r.year > b.year
      AND ((r.period_kind = 'quarter' AND r.year * 4 + r.quarter - 1 <= %(last_quarter)s)
           OR (r.period_kind = 'year' AND r.year <= %(last_year)s))
), runs AS (
    -- A quarter closes four consecutive ones when the third quarter before it in the
    -- facility's list is the one three indexes back.
    SELECT f.*,
           CASE WHEN f.period_kind = 'quarter'
                     AND LAG(f.last_q, 3) OVER (PARTITION BY f.facility_id, f.period_kind
                                                ORDER BY f.last_q) = f.last_q - 3
                THEN f.last_q END AS closes
    FROM in_force f WHERE f.latest = 1
), ends AS (
    SELECT r.*,
           MAX(r.closes) OVER (PARTITION BY r.facility_id) AS quarters_end,
           MAX(CASE WHEN r.period_kind = 'year' THEN r.last_q END)
               OVER (PARTITION BY r.facility_id) AS year_end
    FROM runs r
), chosen AS (
    -- Like periods: the four quarters when they end later than the latest year report (a
    -- tie goes to the year report), else that year report.
    SELECT e.*,
           CASE WHEN e.quarters_end > COALESCE(e.year_end, -1) THEN 'quarter' ELSE 'year'
           END AS kind,
           CASE WHEN e.quarters_end > COALESCE(e.year_end, -1) THEN e.quarters_end
                ELSE e.year_end END AS end_q
    FROM ends e
), period_reports AS (
    -- The period's reports, with its output summed (unknown if one report lacks it) and the
    -- number of them counting output in another unit than the baseline (then no comparison).
    SELECT c.id, c.facility_id, c.baseline_id, c.baseline_output, c.last_q, c.end_q,
           CASE WHEN COUNT(c.output) OVER (PARTITION BY c.facility_id)
                     = COUNT(*) OVER (PARTITION BY c.facility_id)
                THEN SUM(c.output) OVER (PARTITION BY c.facility_id) END AS output,
           COUNT(CASE WHEN c.output_unit <> c.baseline_unit THEN 1 END)
               OVER (PARTITION BY c.facility_id) AS other_units
    FROM chosen c
    WHERE c.period_kind = c.kind AND c.last_q <= c.end_q
      AND c.last_q > c.end_q - CASE WHEN c.kind = 'quarter' THEN 4 ELSE 1 END
), lines AS (
    -- The baseline's lines (once per facility: beside the period's last report) and the
    -- period's lines, each with what the facility's comparison needs.
    SELECT pr.facility_id, pr.end_q, pr.baseline_output, pr.output, l.resource_id,
           l.quantity AS base_qty, NULL AS period_qty
    FROM period_reports pr JOIN assessments_baselineconsumption l ON l.baseline_id = pr.baseline_id
    WHERE pr.last_q = pr.end_q AND pr.other_units = 0
    UNION ALL
    SELECT pr.facility_id, pr.end_q, pr.baseline_output, pr.output, l.resource_id, NULL,
           l.quantity
    FROM period_reports pr JOIN assessments_selfreportconsumption l ON l.report_id = pr.id
    WHERE pr.other_units = 0
), quantities AS (
    -- Per facility and resource, the baseline's and the period's quantities (NULL: no line).
    SELECT ln.facility_id, ln.baseline_output, ln.output, ln.resource_id, res.kind,
           {factor_day} AS factor_day, SUM(ln.base_qty) AS base_qty,
           SUM(ln.period_qty) AS period_qty
    FROM lines ln JOIN assessments_resource res ON res.id = ln.resource_id
    GROUP BY ln.facility_id, ln.end_q, ln.baseline_output, ln.output, ln.resource_id, res.kind
), resources AS (
    -- Each energy resource consumed on either side with the ONE factor for both sides (the
    -- factor valid on the period's last day), each material with its saving. (1.0 * keeps
    -- SQLite from dividing whole numbers as integers.)
    SELECT q.facility_id, q.baseline_output, q.output, q.kind,
           COALESCE(q.base_qty, 0) AS base_qty, COALESCE(q.period_qty, 0) AS period_qty,
           CASE WHEN q.kind IN ('electricity', 'fuel')
                     AND (COALESCE(q.base_qty, 0) <> 0 OR COALESCE(q.period_qty, 0) <> 0)
                THEN 1 ELSE 0 END AS consumed,
           (SELECT cf.toe_per_unit FROM assessments_conversionfactor cf
            WHERE cf.resource_id = q.resource_id AND cf.valid_from <= q.factor_day
              AND (cf.valid_to IS NULL OR cf.valid_to >= q.factor_day)
            ORDER BY cf.valid_from DESC LIMIT 1) AS factor,
           CASE WHEN q.kind = 'material' AND q.baseline_output <> 0 AND q.output <> 0
                     AND q.base_qty <> 0 AND q.period_qty IS NOT NULL
                THEN (1.0 * q.base_qty / q.baseline_output - 1.0 * q.period_qty / q.output)
                     / (1.0 * q.base_qty / q.baseline_output)
           END AS material_saving
    FROM quantities q
), facility_parts AS (
    SELECT facility_id, baseline_output, output,
           COUNT(CASE WHEN consumed = 1 AND factor IS NULL THEN 1 END) AS missing_factors,
           SUM(CASE WHEN consumed = 1 THEN base_qty * factor END) AS base_toe,
           SUM(CASE WHEN consumed = 1 THEN period_qty * factor END) AS period_toe,
           COUNT(CASE WHEN kind = 'material' THEN 1 END) AS materials,
           COUNT(material_saving) AS material_savings, AVG(material_saving) AS material
    FROM resources GROUP BY facility_id, baseline_output, output
), facility_savings AS (
    -- Energy: the TOE saving per unit of product, none when a factor is missing. The main
    -- material: the mean of its resources' savings, none if one lacks a saving.
    SELECT CASE WHEN missing_factors = 0 AND baseline_output <> 0 AND output <> 0
                     AND base_toe <> 0
                THEN (1.0 * base_toe / baseline_output - 1.0 * period_toe / output)
                     / (1.0 * base_toe / baseline_output) END AS energy,
           CASE WHEN materials > 0 AND material_savings = materials THEN material END
               AS material
    FROM facility_parts
), savings AS (
    -- A facility's figure: the mean of its energy and main-material savings, both needed.
    SELECT (energy + material) / 2 AS saving FROM facility_savings
    WHERE energy IS NOT NULL AND material IS NOT NULL
), ordered AS (
    SELECT saving, ROW_NUMBER() OVER (ORDER BY saving) AS position,
           COUNT(*) OVER () AS total
    FROM savings
), t3 AS (
    SELECT (SELECT AVG(saving) FROM ordered
            WHERE position IN ((total + 1) / 2, (total + 2) / 2)) AS median,
           (SELECT COUNT(*) FROM savings WHERE saving >= %(t3_floor)s) AS reaching_floor
), t5 AS (
    SELECT COUNT(*) AS dedicated,
           COUNT(CASE WHEN EXISTS (
               SELECT 1 FROM programs_courseparticipant cp
               JOIN programs_course co ON co.id = cp.course_id
               WHERE cp.official_id = o.id AND cp.completed AND co.qualifies_for_t5
                 AND co.ends_on <= %(day)s) THEN 1 END) AS trained
    FROM programs_official o
    WHERE o.dedicated_from <= %(day)s AND (o.dedicated_to IS NULL OR o.dedicated_to >= %(day)s)
), projects AS (
    SELECT COUNT(CASE WHEN funding = 'provincial' AND year = %(year)s
                           AND status IN ('approved', 'in_progress', 'completed')
                           AND (approved_on IS NULL OR approved_on <= %(day)s) THEN 1 END) AS a1,
           COUNT(CASE WHEN funding = 'central'
                           AND ((proposed_on >= %(year_start)s AND proposed_on <= %(year_end)s)
                                OR (proposed_on IS NULL AND year = %(year)s)) THEN 1 END) AS a2
    FROM programs_supportproject
), assessed AS (
    -- Supported (not paid by the enterprise alone) and completed in the year by `day`.
    SELECT COUNT(CASE WHEN kind = 'quick' THEN 1 END) AS a3,
           COUNT(CASE WHEN kind = 'detailed' THEN 1 END) AS a4
    FROM assessments_assessment
    WHERE funding <> 'enterprise' AND status = 'completed'
      AND completed_on >= %(year_start)s AND completed_on <= %(year_end)s
)
SELECT s.denominator, s.aware, s.applying, s.cp_unit, t3.median, t3.reaching_floor,
       t5.trained, t5.dedicated, p.a1, p.a2, x.a3, x.a4
FROM shares s, t3, t5, projects p, assessed x
"""


def _share(numerator: int, denominator: int) -> tuple[Any, Any, Any]:
    return (
        Decimal(numerator) / Decimal(denominator) if denominator else None,
        numerator,
        denominator,
    )


class _Rules:
    """The domain's rules (operating, aware, applying, CP unit, in force) as SQL for the floor's
    statement: compiled from their one definition in the apps, never written again here, with
    their parameters renamed into the statement's named ones."""

    def __init__(self) -> None:
        self.params: dict[str, Any] = {}

    def sql(self, queryset: QuerySet[Any]) -> str:
        text, params = queryset.order_by().query.sql_with_params()
        parts = text.split("%s")
        out = [parts[0]]
        for value, part in zip(params, parts[1:], strict=True):
            name = f"rule_{len(self.params)}"
            self.params[name] = value
            out.append(f"%({name})s{part}")
        return "".join(out)

    def facility_ids(self, sources: list[tuple[QuerySet[Any], str]], *, all_: bool) -> str:
        glue = "\n    INTERSECT\n    " if all_ else "\n    UNION\n    "
        return glue.join(self.sql(rows.values(path)) for rows, path in sources)


def sql_floor(day: datetime.date, *, t3_floor: Decimal | None, year: int | None = None) -> Numbers:
    """The indicators' numbers as of `day` in one SQL statement (A1–A4: of `year`, by default
    the year of `day`, as `compute`)."""
    rules = _Rules()
    sql = FLOOR_SQL.format(
        den=rules.sql(Facility.objects.in_denominator_on(day).values("pk")),
        aware=rules.facility_ids(aware_sources(day), all_=True),
        applying=rules.facility_ids(applying_sources(day), all_=False),
        cp_unit=rules.facility_ids(cp_unit_sources(day), all_=True),
        in_force=rules.sql(SelfReport.objects.in_force(on=day).values("pk")),
        factor_day=_factor_day(),
    )
    params = _params(day, day.year if year is None else year) | rules.params
    params["t3_floor"] = t3_floor if t3_floor is not None else 10**9
    if connection.vendor != "postgresql":
        params["t3_floor"] = float(params["t3_floor"])
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # No JIT, whatever the connection says: compiling this statement took over half of
            # its time at national size, and a floor must be the fastest the database answers,
            # not a slower reference. (work_mem is the portal connection's, as the engine's.)
            cursor.execute("SET LOCAL jit = off")
        cursor.execute(sql, params)
        row = cursor.fetchone()
    den, aware, applying, cp_unit, median, reaching = row[:6]
    trained, dedicated, a1, a2, a3, a4 = row[6:]
    return {
        "T1": _share(aware, den),
        "T2": _share(applying, den),
        # Reaching the floor is counted out of ALL applying facilities, as the engine does.
        "T3": (median, reaching if t3_floor is not None else None, applying),
        "T4": _share(cp_unit, den),
        "T5": _share(trained, dedicated),
        "A1": (Decimal(a1), a1, None),
        "A2": (Decimal(a2), a2, None),
        "A3": (Decimal(a3), a3, None),
        "A4": (Decimal(a4), a4, None),
    }


# A report as the loop keeps it: facility, status, reviewed at, period kind, year, quarter,
# version, output, output unit.
_Report = tuple[int, str, Any, str, int, int | None, int, Decimal | None, str]


def naive_loop(day: datetime.date, *, t3_floor: Decimal | None, year: int | None = None) -> Numbers:
    """The same numbers by reading every row involved into Python and counting there."""
    year = day.year if year is None else year
    end_of_day = dates.end_of_day(day)
    facilities = [
        pk
        for pk, in_scope, started, closed, suspended, resumed in Facility.objects.values_list(
            "pk", "in_scope", "started_on", "closed_on", "suspended_on", "resumed_on"
        )
        if in_scope
        and (started is None or started <= day)
        and (closed is None or closed > day)
        and not (suspended is not None and suspended <= day and (resumed is None or resumed > day))
    ]
    held = dict(OutreachActivity.objects.values_list("pk", "held_on"))
    reached = {
        f
        for a, f in OutreachParticipation.objects.values_list("activity_id", "facility_id")
        if held[a] <= day
    }
    confirmed = {
        f
        for f, on in AwarenessConfirmation.objects.values_list("facility_id", "confirmed_on")
        if on <= day
    }
    assessed_facility = dict(Assessment.objects.values_list("pk", "facility_id"))
    applying = {
        assessed_facility[a]
        for a, status, implemented, verified in CPOption.objects.values_list(
            "assessment_id", "status", "implemented_on", "verified_on"
        )
        if status == "verified" and implemented and implemented <= day and verified <= day
    }
    reports: dict[int, _Report] = {
        pk: tuple(row)  # type: ignore[misc]
        for pk, *row in SelfReport.objects.values_list(
            "pk",
            "facility_id",
            "status",
            "reviewed_at",
            "period_kind",
            "year",
            "quarter",
            "version",
            "output",
            "output_unit",
        )
    }
    # A period's figures in force: its latest version approved by the end of `day`.
    in_force: dict[tuple[int, str, int, int | None], tuple[int, int]] = {}
    for pk, (facility, status, reviewed, kind, year_, quarter, version, *_r) in reports.items():
        if status == "approved" and reviewed is not None and reviewed < end_of_day:
            key = (facility, kind, year_, quarter)
            if key not in in_force or version > in_force[key][0]:
                in_force[key] = (version, pk)
    in_force_ids = {pk for _version, pk in in_force.values()}
    for report_id, implemented in SelfReportMeasure.objects.values_list(
        "report_id", "implemented_on"
    ):
        if report_id in in_force_ids and implemented <= day:
            applying.add(reports[report_id][0])
    with_unit = {
        f
        for f, established, ended in DedicatedUnit.objects.values_list(
            "facility_id", "established_on", "ended_on"
        )
        if established <= day and (ended is None or ended > day)
    }
    denominator = len(facilities)
    in_denominator = set(facilities)
    aware = len(in_denominator & reached & confirmed)
    applying_here = in_denominator & applying
    cp_unit = len(in_denominator & with_unit)
    savings = _naive_savings(day, applying_here, reports, in_force)
    median = None
    if savings:
        savings.sort()
        middle = len(savings) // 2
        median = (
            savings[middle] if len(savings) % 2 else (savings[middle - 1] + savings[middle]) / 2
        )

    dedicated = [
        pk
        for pk, since, until in Official.objects.values_list("pk", "dedicated_from", "dedicated_to")
        if since <= day and (until is None or until >= day)
    ]
    courses = {
        pk
        for pk, qualifies, ends in Course.objects.values_list("pk", "qualifies_for_t5", "ends_on")
        if qualifies and ends <= day
    }
    trained = {
        official
        for official, course, completed_ in CourseParticipant.objects.values_list(
            "official_id", "course_id", "completed"
        )
        if completed_ and course in courses
    }
    # The yearly counts: `year` as far as it is known on `day`.
    year_start, year_end = datetime.date(year, 1, 1), min(day, datetime.date(year, 12, 31))
    a1 = a2 = 0
    for funding, of_year, status, approved_on, proposed_on in SupportProject.objects.values_list(
        "funding", "year", "status", "approved_on", "proposed_on"
    ):
        if (
            funding == "provincial"
            and of_year == year
            and status in ("approved", "in_progress", "completed")
            and (approved_on is None or approved_on <= day)
        ):
            a1 += 1
        if funding == "central" and (
            (proposed_on is not None and year_start <= proposed_on <= year_end)
            or (proposed_on is None and of_year == year)
        ):
            a2 += 1
    a3 = a4 = 0
    for kind, status, completed_on, funding in Assessment.objects.values_list(
        "kind", "status", "completed_on", "funding"
    ):
        # Supported by the programme (not the enterprise's own money), completed in the year.
        if (
            funding != "enterprise"
            and status == "completed"
            and completed_on is not None
            and year_start <= completed_on <= year_end
        ):
            a3 += kind == "quick"
            a4 += kind == "detailed"
    return {
        "T1": _share(aware, denominator),
        "T2": _share(len(applying_here), denominator),
        "T3": (
            median,
            sum(1 for s in savings if s >= t3_floor) if t3_floor is not None else None,
            len(applying_here),
        ),
        "T4": _share(cp_unit, denominator),
        "T5": _share(sum(1 for pk in dedicated if pk in trained), len(dedicated)),
        "A1": (Decimal(a1), a1, None),
        "A2": (Decimal(a2), a2, None),
        "A3": (Decimal(a3), a3, None),
        "A4": (Decimal(a4), a4, None),
    }


def _naive_savings(
    day: datetime.date,
    applying: set[int],
    reports: dict[int, _Report],
    in_force: dict[tuple[int, str, int, int | None], tuple[int, int]],
) -> list[Decimal]:
    """The T3 figures of the applying facilities on `day`, one per facility that has one."""
    # The baseline of each facility's latest detailed assessment completed by `day`.
    completed = {
        pk: (facility, completed_on)
        for pk, facility, kind, status, completed_on in Assessment.objects.values_list(
            "pk", "facility_id", "kind", "status", "completed_on"
        )
        if kind == "detailed" and status == "completed" and completed_on and completed_on <= day
    }
    baselines: dict[int, tuple[tuple[datetime.date, int], int, int, Decimal | None, str]] = {}
    for pk, assessment, year, output, unit in Baseline.objects.values_list(
        "pk", "assessment_id", "year", "output", "output_unit"
    ):
        if assessment in completed and completed[assessment][0] in applying:
            facility, completed_on = completed[assessment]
            rank = (completed_on, assessment)
            if facility not in baselines or rank > baselines[facility][0]:
                baselines[facility] = (rank, pk, year, output, unit)

    # The periods in force after the baseline year and ended by `day`, per facility.
    periods: dict[int, dict[tuple[str, int, int | None], int]] = defaultdict(dict)
    for (facility, kind, year, quarter), (_version, pk) in in_force.items():
        if (
            facility in baselines
            and year > baselines[facility][2]
            and _period_end(kind, year, quarter) <= day
        ):
            periods[facility][(kind, year, quarter)] = pk

    # Like periods: the latest year report, or the latest four consecutive quarters if they end
    # later (on the same end, the year report). Quarters as indexes: year * 4 + quarter - 1.
    chosen: dict[int, tuple[list[int], datetime.date]] = {}
    for facility, found in periods.items():
        years = [year for kind, year, _q in found if kind == "year"]
        indexes = {year * 4 + q - 1 for kind, year, q in found if kind == "quarter" and q}
        closing = [i for i in indexes if {i - 1, i - 2, i - 3} <= indexes]
        last_year = max(years, default=None)
        if closing and (last_year is None or max(closing) > last_year * 4 + 3):
            last = max(closing)
            keys = [("quarter", i // 4, i % 4 + 1) for i in range(last - 3, last + 1)]
        elif last_year is not None:
            keys = [("year", last_year, None)]
        else:
            continue
        kind, year, quarter = keys[-1]
        chosen[facility] = ([found[key] for key in keys], _period_end(kind, year, quarter))

    kinds = dict(Resource.objects.values_list("pk", "kind"))
    factors: dict[int, list[tuple[datetime.date, datetime.date | None, Decimal]]] = defaultdict(
        list
    )
    for resource, factor, since, until in ConversionFactor.objects.values_list(
        "resource_id", "toe_per_unit", "valid_from", "valid_to"
    ):
        factors[resource].append((since, until, factor))

    def factor_on(resource: int, on: datetime.date) -> Decimal | None:
        valid = [f for f in factors[resource] if f[0] <= on and (f[1] is None or f[1] >= on)]
        return max(valid, key=lambda f: f[0])[2] if valid else None

    baseline_lines: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for baseline, resource, quantity in BaselineConsumption.objects.values_list(
        "baseline_id", "resource_id", "quantity"
    ):
        baseline_lines[baseline][resource] = (
            baseline_lines[baseline].get(resource, Decimal(0)) + quantity
        )
    wanted = {pk for pks, _end in chosen.values() for pk in pks}
    report_lines: dict[int, list[tuple[int, Decimal]]] = defaultdict(list)
    for report, resource, quantity in SelfReportConsumption.objects.values_list(
        "report_id", "resource_id", "quantity"
    ).iterator(chunk_size=20_000):
        if report in wanted:
            report_lines[report].append((resource, quantity))

    def saving(before: Any, output_before: Any, after: Any, output_after: Any) -> Any:
        if before is None or not output_before or after is None or not output_after:
            return None
        before, after = before / output_before, after / output_after
        return None if before == 0 else (before - after) / before

    savings = []
    for facility, (pks, factor_day) in chosen.items():
        _rank, baseline, _year, base_output, base_unit = baselines[facility]
        if any(reports[pk][8] != base_unit for pk in pks):
            continue  # another unit of output: nothing to compare
        outputs = [reports[pk][7] for pk in pks]
        output = None if None in outputs else sum(outputs, Decimal(0))
        before = baseline_lines[baseline]
        after: dict[int, Decimal] = {}
        for pk in pks:
            for resource, quantity in report_lines[pk]:
                after[resource] = after.get(resource, Decimal(0)) + quantity

        # Energy in TOE, both sides by the factors of the period's last day.
        before_toe: Decimal | None = Decimal(0)
        after_toe: Decimal | None = Decimal(0)
        for resource in {*before, *after}:
            if kinds[resource] not in ("electricity", "fuel"):
                continue
            if not before.get(resource) and not after.get(resource):
                continue
            factor = factor_on(resource, factor_day)
            if factor is None:
                before_toe = after_toe = None
                break
            before_toe += before.get(resource, Decimal(0)) * factor  # type: ignore[operator]
            after_toe += after.get(resource, Decimal(0)) * factor  # type: ignore[operator]
        energy = saving(before_toe, base_output, after_toe, output)

        materials = [
            saving(before.get(resource), base_output, after.get(resource), output)
            for resource in {*before, *after}
            if kinds[resource] == "material"
        ]
        if energy is None or not materials or None in materials:
            continue
        material = sum(materials, Decimal(0)) / len(materials)
        savings.append((energy + material) / 2)
    return savings


def mismatches(expected: Numbers, found: Numbers) -> list[str]:
    """What differs between two sets of numbers (values within a relative 1e-9: SQLite
    computes savings in floating point)."""
    problems = []
    for code, (value, numerator, denominator) in expected.items():
        other = found.get(code)
        if other is None:
            problems.append(f"{code}: missing")
            continue
        if (numerator, denominator) != (other[1], other[2]):
            problems.append(f"{code}: {numerator}/{denominator} ≠ {other[1]}/{other[2]}")
        elif (value is None) != (other[0] is None) or (
            value is not None
            and abs(float(value) - float(other[0])) > 1e-9 * max(1.0, abs(float(value)))
        ):
            problems.append(f"{code}: {value} ≠ {other[0]}")
    return problems
