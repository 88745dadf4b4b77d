"""Every indicator of the demo programme, recomputed with plain SQL written from the plan's
definitions (README, "Indicators"), equals the engine's at four dates.

The SQL is written here on purpose, apart from the rules in the apps: it is the independent
check a statistician would make of a figure before it is signed.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection

from bench.floor import sql_floor
from portal.lib.dates import end_of_day
from programs.models import Plan
from reporting.indicators import compute

DATES = [
    datetime.date(2016, 12, 31),
    datetime.date(2018, 6, 30),
    datetime.date(2019, 12, 31),
    datetime.date(2020, 12, 31),
]

SHARES_SQL = """
WITH den AS (
    SELECT f.id FROM facilities_facility f
    WHERE f.in_scope
      AND (f.started_on IS NULL OR f.started_on <= %(day)s)
      AND (f.closed_on IS NULL OR f.closed_on > %(day)s)
      AND NOT (f.suspended_on IS NOT NULL AND f.suspended_on <= %(day)s
               AND (f.resumed_on IS NULL OR f.resumed_on > %(day)s))
), reached AS (
    SELECT p.facility_id FROM facilities_outreachparticipation p
    JOIN facilities_outreachactivity a ON a.id = p.activity_id WHERE a.held_on <= %(day)s
), confirmed AS (
    SELECT c.facility_id FROM facilities_awarenessconfirmation c WHERE c.confirmed_on <= %(day)s
), in_force AS (
    -- a report approved by the end of the day that no version approved by then replaced
    SELECT r.id, r.facility_id FROM assessments_selfreport r
    WHERE r.status = 'approved' AND r.reviewed_at < %(eod)s
      AND NOT EXISTS (
          SELECT 1 FROM assessments_selfreport s
          WHERE s.supersedes_id = r.id AND s.status = 'approved' AND s.reviewed_at < %(eod)s)
), applying AS (
    SELECT a.facility_id FROM assessments_cpoption o
    JOIN assessments_assessment a ON a.id = o.assessment_id
    WHERE o.status = 'verified' AND o.implemented_on <= %(day)s AND o.verified_on <= %(day)s
    UNION
    SELECT r.facility_id FROM assessments_selfreportmeasure m
    JOIN in_force r ON r.id = m.report_id WHERE m.implemented_on <= %(day)s
), with_unit AS (
    SELECT u.facility_id FROM facilities_dedicatedunit u
    WHERE u.established_on <= %(day)s AND (u.ended_on IS NULL OR u.ended_on > %(day)s)
)
SELECT
    (SELECT COUNT(*) FROM den),
    (SELECT COUNT(*) FROM den WHERE id IN (SELECT facility_id FROM reached)
                                AND id IN (SELECT facility_id FROM confirmed)),
    (SELECT COUNT(*) FROM den WHERE id IN (SELECT facility_id FROM applying)),
    (SELECT COUNT(*) FROM den WHERE id IN (SELECT facility_id FROM with_unit))
"""

OFFICIALS_SQL = """
SELECT COUNT(*),
       SUM(CASE WHEN EXISTS (
           SELECT 1 FROM programs_courseparticipant p
           JOIN programs_course c ON c.id = p.course_id
           WHERE p.official_id = o.id AND p.completed AND c.qualifies_for_t5
             AND c.ends_on <= %(day)s) THEN 1 ELSE 0 END)
FROM programs_official o
WHERE o.dedicated_from <= %(day)s AND (o.dedicated_to IS NULL OR o.dedicated_to >= %(day)s)
"""

ACTIVITIES_SQL = """
SELECT
    (SELECT COUNT(*) FROM programs_supportproject
     WHERE funding = 'provincial' AND year = %(year)s
       AND status IN ('approved', 'in_progress', 'completed')
       AND (approved_on IS NULL OR approved_on <= %(day)s)),
    (SELECT COUNT(*) FROM programs_supportproject
     WHERE funding = 'central'
       AND ((proposed_on >= %(year_start)s AND proposed_on <= %(until)s)
            OR (proposed_on IS NULL AND year = %(year)s))),
    (SELECT COUNT(*) FROM assessments_assessment
     WHERE kind = 'quick' AND funding <> 'enterprise' AND status = 'completed'
       AND completed_on >= %(year_start)s AND completed_on <= %(until)s),
    (SELECT COUNT(*) FROM assessments_assessment
     WHERE kind = 'detailed' AND funding <> 'enterprise' AND status = 'completed'
       AND completed_on >= %(year_start)s AND completed_on <= %(until)s)
"""


def by_sql(day: datetime.date) -> dict[str, tuple[int, int | None]]:
    """(numerator, denominator) of every indicator but T3 as of `day`, straight from the
    tables."""
    eod = end_of_day(day)
    postgres = connection.vendor == "postgresql"
    params = {
        "day": day,
        "eod": eod if postgres else eod.astimezone(datetime.UTC).replace(tzinfo=None),
        "year": day.year,
        "year_start": datetime.date(day.year, 1, 1),
        "until": min(day, datetime.date(day.year, 12, 31)),
    }
    if not postgres:  # SQLite stores dates and times as ISO text
        params = {
            key: value.isoformat(sep=" ") if isinstance(value, datetime.datetime) else value
            for key, value in params.items()
        }
        params = {
            key: value.isoformat() if isinstance(value, datetime.date) else value
            for key, value in params.items()
        }
    with connection.cursor() as cursor:
        cursor.execute(SHARES_SQL, params)
        den, aware, applying, with_unit = cursor.fetchone()
        cursor.execute(OFFICIALS_SQL, params)
        dedicated, trained = cursor.fetchone()
        cursor.execute(ACTIVITIES_SQL, params)
        a1, a2, a3, a4 = cursor.fetchone()
    return {
        "T1": (aware, den),
        "T2": (applying, den),
        "T4": (with_unit, den),
        "T5": (trained or 0, dedicated),
        "A1": (a1, None),
        "A2": (a2, None),
        "A3": (a3, None),
        "A4": (a4, None),
    }


@pytest.mark.django_db
def test_every_indicator_equals_plain_sql_on_the_demo_at_four_dates(demo_data) -> None:
    plan = Plan.objects.get(start_year=2016, end_year=2020)
    for day in DATES:
        figures = compute(plan, as_of=day)
        expected = by_sql(day)
        found = {code: (figures[code].numerator, figures[code].denominator) for code in expected}
        assert found == expected, day
        for code, (numerator, denominator) in expected.items():
            value = figures[code].value
            if denominator is None:
                assert value == numerator
            else:
                assert value == (Decimal(numerator) / Decimal(denominator) if denominator else None)
        # T3, the median of like-period savings, from the benchmark's hand-written SQL (its
        # rules "in force" and "applying" are compiled from the apps; the savings are not).
        t3 = figures["T3"]
        floor = sql_floor(day, t3_floor=t3.floor)["T3"]
        median, reaching, applying = floor  # SQLite's arithmetic gives the median as a float
        assert (t3.numerator, t3.denominator) == (reaching, applying), day
        assert t3.value == (None if median is None else pytest.approx(Decimal(str(median)))), day
    # The demo has something to count on each of these dates.
    assert all(by_sql(day)["T2"][0] > 0 for day in DATES[1:])
