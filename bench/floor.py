"""What the engine is measured against: one hand-written SQL query, and a naive Python loop.

Both compute the numbers of `reporting.indicators.compute()` (T1–T5, A1–A4: numerator,
denominator, value) as of a date, from the same rows, by the same rules:

- the SQL is the floor: the database doing the whole job in one statement (CTEs and window
  functions, which SQLite ≥ 3.25 and PostgreSQL share; two date expressions differ);
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
from reporting.indicators import WORK_MEM, _period_end

Numbers = dict[str, tuple[Any, Any, Any]]  # code → (value, numerator, denominator)


def _params(day: datetime.date) -> dict[str, Any]:
    last_quarter = (day.year * 4 + (day.month - 1) // 3) - 1  # quarter index of the last ended
    quarter_end_month = 3 * ((day.month - 1) // 3 + 1)
    next_month = datetime.date(day.year + quarter_end_month // 12, quarter_end_month % 12 + 1, 1)
    if day == next_month - datetime.timedelta(days=1):
        last_quarter += 1  # `day` is itself the last day of its quarter
    end_of_day = dates.end_of_day(day)
    postgres = connection.vendor == "postgresql"
    return {
        "day": day if postgres else day.isoformat(),
        "year_start": (
            datetime.date(day.year, 1, 1) if postgres else datetime.date(day.year, 1, 1).isoformat()
        ),
        "year": day.year,
        "eod": end_of_day
        if postgres
        else end_of_day.astimezone(datetime.UTC).replace(tzinfo=None).isoformat(sep=" "),
        "last_quarter": last_quarter,
        "last_year": day.year if (day.month, day.day) == (12, 31) else day.year - 1,
    }


def _dates() -> tuple[str, str]:
    """(31/12 of a baseline's year, the end of a report's period), as each database writes it."""
    if connection.vendor == "postgresql":
        return (
            "make_date(b.year, 12, 31)",
            "CASE WHEN r.period_kind = 'year' THEN make_date(r.year, 12, 31) ELSE "
            "(make_date(r.year, 3 * r.quarter, 1) + interval '1 month'"
            " - interval '1 day')::date END",
        )
    return (
        "printf('%%04d-12-31', b.year)",
        "CASE WHEN r.period_kind = 'year' THEN printf('%%04d-12-31', r.year) ELSE "
        "date(printf('%%04d-%%02d-01', r.year, 3 * r.quarter), '+1 month', '-1 day') END",
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
    SELECT r.id, r.facility_id, r.period_kind, r.year, r.quarter, r.version, r.output,
           r.output_unit,
           ROW_NUMBER() OVER (PARTITION BY r.facility_id, r.period_kind, r.year, r.quarter
                              ORDER BY r.version DESC) AS latest
    FROM assessments_selfreport r JOIN baseline b ON b.facility_id = r.facility_id
    WHERE r.id IN ({in_force}) AND r.year > b.year
      AND ((r.period_kind = 'quarter' AND r.year * 4 + r.quarter - 1 <= %(last_quarter)s)
           OR (r.period_kind = 'year' AND r.year <= %(last_year)s))
), ranked AS (
    SELECT r.*, ROW_NUMBER() OVER (
        PARTITION BY r.facility_id
        ORDER BY CASE WHEN r.period_kind = 'year' THEN 1 ELSE 0 END DESC, r.year DESC,
                 COALESCE(r.quarter, 4) DESC, r.version DESC, r.id DESC) AS pick
    FROM in_force r WHERE r.latest = 1
), compared AS (
    SELECT r.facility_id, r.id AS report_id, r.output AS report_output, {report_end} AS report_end,
           b.baseline_id, b.output AS baseline_output, {baseline_end} AS baseline_end
    FROM ranked r JOIN baseline b ON b.facility_id = r.facility_id
    WHERE r.pick = 1 AND r.output_unit = b.output_unit
), energy_lines AS (
    SELECT c.facility_id, 'b' AS side, l.quantity,
           (SELECT cf.toe_per_unit FROM assessments_conversionfactor cf
            WHERE cf.resource_id = l.resource_id AND cf.valid_from <= c.baseline_end
              AND (cf.valid_to IS NULL OR cf.valid_to >= c.baseline_end)
            ORDER BY cf.valid_from DESC LIMIT 1) AS factor
    FROM compared c JOIN assessments_baselineconsumption l ON l.baseline_id = c.baseline_id
    JOIN assessments_resource res ON res.id = l.resource_id
    WHERE res.kind IN ('electricity', 'fuel') AND l.quantity <> 0
    UNION ALL
    SELECT c.facility_id, 'r', l.quantity,
           (SELECT cf.toe_per_unit FROM assessments_conversionfactor cf
            WHERE cf.resource_id = l.resource_id AND cf.valid_from <= c.report_end
              AND (cf.valid_to IS NULL OR cf.valid_to >= c.report_end)
            ORDER BY cf.valid_from DESC LIMIT 1)
    FROM compared c JOIN assessments_selfreportconsumption l ON l.report_id = c.report_id
    JOIN assessments_resource res ON res.id = l.resource_id
    WHERE res.kind IN ('electricity', 'fuel') AND l.quantity <> 0
), toe AS (
    SELECT facility_id,
           CASE WHEN COUNT(CASE WHEN side = 'b' AND factor IS NULL THEN 1 END) > 0 THEN NULL
                ELSE COALESCE(SUM(CASE WHEN side = 'b' THEN quantity * factor END), 0)
           END AS baseline_toe,
           CASE WHEN COUNT(CASE WHEN side = 'r' AND factor IS NULL THEN 1 END) > 0 THEN NULL
                ELSE COALESCE(SUM(CASE WHEN side = 'r' THEN quantity * factor END), 0)
           END AS report_toe
    FROM energy_lines GROUP BY facility_id
), parts AS (
    -- Energy as one TOE total: saving of (toe / output), None where it cannot be computed.
    SELECT c.facility_id,
           CASE WHEN c.baseline_output <> 0 AND c.report_output <> 0 AND t.baseline_toe <> 0
                     AND t.report_toe IS NOT NULL
                THEN (t.baseline_toe / c.baseline_output - t.report_toe / c.report_output)
                     / (t.baseline_toe / c.baseline_output)
           END AS part
    FROM compared c JOIN toe t ON t.facility_id = c.facility_id
    UNION ALL
    -- Each material consumed on both sides.
    SELECT c.facility_id,
           CASE WHEN c.baseline_output <> 0 AND c.report_output <> 0 AND bl.quantity <> 0
                THEN (bl.quantity / c.baseline_output - rl.quantity / c.report_output)
                     / (bl.quantity / c.baseline_output)
           END
    FROM compared c
    JOIN assessments_baselineconsumption bl ON bl.baseline_id = c.baseline_id
    JOIN assessments_resource res ON res.id = bl.resource_id AND res.kind = 'material'
    JOIN assessments_selfreportconsumption rl
      ON rl.report_id = c.report_id AND rl.resource_id = bl.resource_id
), savings AS (
    SELECT facility_id, AVG(part) AS saving FROM parts WHERE part IS NOT NULL
    GROUP BY facility_id
), ordered AS (
    SELECT saving, ROW_NUMBER() OVER (ORDER BY saving) AS position,
           COUNT(*) OVER () AS total
    FROM savings
), t3 AS (
    SELECT (SELECT AVG(saving) FROM ordered
            WHERE position IN ((total + 1) / 2, (total + 2) / 2)) AS median,
           (SELECT COUNT(*) FROM savings) AS with_figure,
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
                           AND ((proposed_on >= %(year_start)s AND proposed_on <= %(day)s)
                                OR (proposed_on IS NULL AND year = %(year)s)) THEN 1 END) AS a2
    FROM programs_supportproject
), assessed AS (
    SELECT COUNT(CASE WHEN kind = 'quick' THEN 1 END) AS a3,
           COUNT(CASE WHEN kind = 'detailed' THEN 1 END) AS a4
    FROM assessments_assessment
    WHERE started_on >= %(year_start)s AND started_on <= %(day)s
)
SELECT s.denominator, s.aware, s.applying, s.cp_unit,
       t3.median, t3.reaching_floor, t3.with_figure,
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


def sql_floor(day: datetime.date, *, t3_floor: Decimal | None) -> Numbers:
    """The indicators' numbers as of `day` in one SQL statement."""
    baseline_end, report_end = _dates()
    rules = _Rules()
    sql = FLOOR_SQL.format(
        den=rules.sql(Facility.objects.in_denominator_on(day).values("pk")),
        aware=rules.facility_ids(aware_sources(day), all_=True),
        applying=rules.facility_ids(applying_sources(day), all_=False),
        cp_unit=rules.facility_ids(cp_unit_sources(day), all_=True),
        in_force=rules.sql(SelfReport.objects.in_force(on=day).values("pk")),
        baseline_end=baseline_end,
        report_end=report_end,
    )
    params = _params(day) | rules.params | {"t3_floor": t3_floor if t3_floor is not None else 10**9}
    if connection.vendor != "postgresql":
        params["t3_floor"] = float(params["t3_floor"])
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The same room for hash tables as the engine gets (indicators.WORK_MEM).
            cursor.execute("SET LOCAL work_mem = %s", [WORK_MEM])
        cursor.execute(sql, params)
        row = cursor.fetchone()
    (den, aware, applying, cp_unit, median, reaching, with_figure) = row[:7]
    trained, dedicated, a1, a2, a3, a4 = row[7:]
    return {
        "T1": _share(aware, den),
        "T2": _share(applying, den),
        "T3": (median, reaching if t3_floor is not None else None, with_figure),
        "T4": _share(cp_unit, den),
        "T5": _share(trained, dedicated),
        "A1": (Decimal(a1), a1, None),
        "A2": (Decimal(a2), a2, None),
        "A3": (Decimal(a3), a3, None),
        "A4": (Decimal(a4), a4, None),
    }


def naive_loop(day: datetime.date, *, t3_floor: Decimal | None) -> Numbers:
    """The same numbers by reading every row involved into Python and counting there."""
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
    reports = {
        pk: row
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
    latest_approved: dict[tuple[Any, ...], int] = {}
    for facility, status, reviewed, kind, year, quarter, version, *_rest in reports.values():
        if status == "approved" and reviewed is not None and reviewed < end_of_day:
            key = (facility, kind, year, quarter)
            latest_approved[key] = max(version, latest_approved.get(key, 0))
    for report_id, implemented in SelfReportMeasure.objects.values_list(
        "report_id", "implemented_on"
    ):
        facility, status, reviewed, kind, year, quarter, version = reports[report_id][:7]
        if (
            latest_approved.get((facility, kind, year, quarter)) == version
            and status == "approved"
            and implemented <= day
        ):
            applying.add(facility)
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

    # T3: the latest completed detailed assessment's baseline, the chosen report, the savings.
    completed = {
        pk: (facility, completed_on)
        for pk, facility, kind, status, completed_on in Assessment.objects.values_list(
            "pk", "facility_id", "kind", "status", "completed_on"
        )
        if kind == "detailed" and status == "completed" and completed_on and completed_on <= day
    }
    baselines: dict[int, tuple[tuple[datetime.date, int], int, int, Decimal, str]] = {}
    for pk, assessment, year, output, unit in Baseline.objects.values_list(
        "pk", "assessment_id", "year", "output", "output_unit"
    ):
        if assessment in completed and completed[assessment][0] in applying_here:
            facility, completed_on = completed[assessment]
            rank = (completed_on, assessment)
            if facility not in baselines or rank > baselines[facility][0]:
                baselines[facility] = (rank, pk, year, output, unit)
    in_force: dict[tuple[Any, ...], tuple[Any, ...]] = {}
    for pk, (
        facility,
        status,
        reviewed,
        kind,
        year,
        quarter,
        version,
        output,
        unit,
    ) in reports.items():
        if (
            facility in baselines
            and status == "approved"
            and reviewed is not None
            and reviewed < end_of_day
        ):
            key = (facility, kind, year, quarter)
            if key not in in_force or version > in_force[key][0]:
                in_force[key] = (version, pk, output, unit)
    chosen: dict[int, tuple[Any, ...]] = {}
    for (facility, kind, year, quarter), (version, pk, output, unit) in in_force.items():
        end = _period_end(kind == "year", year, quarter)
        if year <= baselines[facility][2] or end > day:
            continue
        rank = (kind == "year", year, quarter or 4, version, pk)
        if facility not in chosen or rank > chosen[facility][0]:
            chosen[facility] = (rank, pk, output, unit, end)
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
        baseline_lines[baseline][resource] = quantity
    wanted = {entry[1] for entry in chosen.values()}
    report_lines: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for report, resource, quantity in SelfReportConsumption.objects.values_list(
        "report_id", "resource_id", "quantity"
    ).iterator(chunk_size=20_000):
        if report in wanted:
            report_lines[report][resource] = quantity

    def ratio_saving(before: Any, after: Any) -> Any:
        if before is None or before == 0 or after is None:
            return None
        return (before - after) / before

    def toe(quantities: dict[int, Decimal], on: datetime.date) -> Decimal | None:
        total = Decimal(0)
        for resource, quantity in quantities.items():
            if kinds[resource] in ("electricity", "fuel") and quantity != 0:
                factor = factor_on(resource, on)
                if factor is None:
                    return None
                total += quantity * factor
        return total

    savings = []
    for facility, (_rank, report, output, unit, end) in chosen.items():
        _brank, baseline, year, base_output, base_unit = baselines[facility]
        if unit != base_unit:
            continue
        before, after = baseline_lines[baseline], report_lines[report]

        def per_unit(quantity: Any, out: Any) -> Any:
            return None if quantity is None or not out else quantity / out

        parts = [
            ratio_saving(
                per_unit(toe(before, datetime.date(year, 12, 31)), base_output),
                per_unit(toe(after, end), output),
            )
        ]
        for resource, quantity in before.items():
            if kinds[resource] == "material":
                parts.append(
                    ratio_saving(
                        per_unit(quantity, base_output), per_unit(after.get(resource), output)
                    )
                )
        available = [part for part in parts if part is not None]
        if available:
            savings.append(sum(available, Decimal(0)) / len(available))
    savings.sort()
    middle = len(savings) // 2
    median = None
    if savings:
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
    year_start = datetime.date(day.year, 1, 1)
    a1 = a2 = 0
    for funding, year, status, approved_on, proposed_on in SupportProject.objects.values_list(
        "funding", "year", "status", "approved_on", "proposed_on"
    ):
        if (
            funding == "provincial"
            and year == day.year
            and status in ("approved", "in_progress", "completed")
            and (approved_on is None or approved_on <= day)
        ):
            a1 += 1
        if funding == "central" and (
            (proposed_on is not None and year_start <= proposed_on <= day)
            or (proposed_on is None and year == day.year)
        ):
            a2 += 1
    a3 = a4 = 0
    for kind, started in Assessment.objects.values_list("kind", "started_on"):
        if started is not None and year_start <= started <= day:
            a3 += kind == "quick"
            a4 += kind == "detailed"
    return {
        "T1": _share(aware, denominator),
        "T2": _share(len(applying_here), denominator),
        "T3": (
            median,
            sum(1 for s in savings if s >= t3_floor) if t3_floor is not None else None,
            len(savings),
        ),
        "T4": _share(cp_unit, denominator),
        "T5": _share(sum(1 for pk in dedicated if pk in trained), len(dedicated)),
        "A1": (Decimal(a1), a1, None),
        "A2": (Decimal(a2), a2, None),
        "A3": (Decimal(a3), a3, None),
        "A4": (Decimal(a4), a4, None),
    }


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
