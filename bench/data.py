"""A tier's synthetic programme, written straight into the tables.

Not the demo (demo/): the demo tells a believable story through the ORM with history
rows, at ~12 s per 3,000 facilities; a bench needs millions of rows in minutes. So rows are made
as tuples and written with PostgreSQL's COPY (foreign-key triggers off for the session, as in a
restore) or SQLite's executemany, with explicit ids, and no history rows.

The proportions follow the plan era (2014–2020): about three quarters of facilities reached by
outreach, a third with a dedicated unit, one in eight quickly assessed and one in sixteen
assessed in detail (with a baseline), every facility reporting every quarter of the tier with a
CP measure now and then (of those with a baseline, half also yearly, a fifth yearly instead), so
the indicators land in the plan's bands.

Generation is additive and deterministic per chunk of facilities: `generate(tier, start=0,
stop=n/10)` then `generate(tier, start=n/10, stop=n)` gives the same database as one call, so
the bench measures query counts at a tenth of the tier and at the tier in one run.
"""

from __future__ import annotations

import datetime
import io
import itertools
import random
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone
from stdnum.vn import mst

from assessments.models import (
    Assessment,
    Baseline,
    BaselineConsumption,
    CPOption,
    Resource,
    SelfReport,
    SelfReportConsumption,
    SelfReportMeasure,
    SupportOrganisation,
)
from bench import Tier
from facilities.models import (
    AdministrativeUnit,
    AwarenessConfirmation,
    DedicatedUnit,
    Facility,
    IndustrialZone,
    OutreachActivity,
    OutreachParticipation,
    Product,
    Sector,
    SizeClass,
)
from facilities.vietnamese import fold, sort_key
from portal.models import Role, User
from programs.models import (
    Agency,
    AgencyTask,
    Course,
    CourseParticipant,
    Official,
    Plan,
    SupportProject,
)

STAFF_USERNAME = "bench-canbo"
STAFF_PASSWORD = "Bench-Only-Password-2026"
LAST_YEAR = 2020  # the plan to 2020 ends here; its dashboard is as of 31/12/2020
ROWS_PER_BATCH = 50_000

_TRADES = [
    ("Gạch ngói", "t"),
    ("Xi măng", "t"),
    ("Chế biến thủy sản", "t"),
    ("May mặc", "1000pcs"),
    ("Chế biến gỗ", "m3"),
    ("Bia nước giải khát", "1000l"),
    ("Đá xây dựng", "m3"),
    ("Chế biến nông sản", "t"),
    ("Cơ khí", "t"),
    ("Bao bì", "1000pcs"),
    ("Sữa", "1000l"),
    ("Giấy", "t"),
]
_FORMS = [("llc", "Công ty TNHH"), ("jsc", "Công ty Cổ phần"), ("private", "Doanh nghiệp tư nhân")]
_FORMS += [("cooperative", "Hợp tác xã"), ("household", "Cơ sở")]
_PLACES = ["Nghệ An", "Vinh", "Diễn Châu", "Quỳnh Lưu", "Đô Lương", "Nam Đàn", "Hoàng Mai"]
_PLACES += ["Thanh Chương", "Yên Thành", "Nghi Lộc", "Tân Kỳ", "Quỳ Hợp", "Thái Hòa", "Anh Sơn"]
_SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Võ", "Đặng", "Bùi", "Hồ"]
_GIVEN = ["Văn An", "Thị Bình", "Minh Châu", "Quốc Dũng", "Thị Hà", "Văn Hùng", "Thị Lan"]
_TECHNIQUES = ["housekeeping", "input_change", "process_control", "equipment", "technology"]
_TECHNIQUES += ["recovery", "by_product", "product"]
_SIZES = [("micro", 0.40), ("small", 0.35), ("medium", 0.18), ("large", 0.07)]
_EMPLOYEES = {"micro": (3, 10), "small": (11, 100), "medium": (101, 200), "large": (201, 2000)}
_FUELS = ["coal", "diesel", "fuel-oil", "lpg", "firewood", "rice-husk"]
# What a facility with a baseline reports: quarters and years, years only, quarters only.
_FILING = ["quarters+years", "years", "quarters"]
_FILING_WEIGHTS = [0.5, 0.2, 0.3]


def _day(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    return first + datetime.timedelta(days=rng.randrange((last - first).days + 1))


def _d(year: int, month: int = 1, day: int = 1) -> datetime.date:
    return datetime.date(year, month, day)


def _quarter_end(year: int, quarter: int) -> datetime.date:
    return _d(year + (quarter == 4), (3 * quarter) % 12 + 1) - datetime.timedelta(days=1)


def _quarters(count: int) -> list[tuple[int, int]]:
    """The last `count` quarters up to Q4 of LAST_YEAR, oldest first."""
    found: list[tuple[int, int]] = []
    year, quarter = LAST_YEAR, 4
    for _ in range(count):
        found.append((year, quarter))
        year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    return found[::-1]


class _Writer:
    """Rows of plain values into one table, in batches, by the fastest path of the database."""

    def __init__(self) -> None:
        self.postgres = connection.vendor == "postgresql"
        self.counts: dict[str, int] = {}
        self._next: dict[str, int] = {}

    def next_id(self, model: type[models.Model]) -> int:
        table = model._meta.db_table
        if table not in self._next:
            with connection.cursor() as cursor:
                # Table and column names in this module come from model metadata, never input.
                cursor.execute(f'SELECT COALESCE(MAX("id"), 0) + 1 FROM "{table}"')  # nosec B608
                self._next[table] = cursor.fetchone()[0]
        return self._next[table]

    def take_ids(self, model: type[models.Model], count: int) -> int:
        first = self.next_id(model)
        self._next[model._meta.db_table] = first + count
        return first

    def write(
        self, model: type[models.Model], columns: Sequence[str], rows: Iterable[tuple[Any, ...]]
    ) -> int:
        table = model._meta.db_table
        batch: list[tuple[Any, ...]] = []
        written = 0
        for row in rows:
            batch.append(row)
            if len(batch) >= ROWS_PER_BATCH:
                self._flush(table, columns, batch)
                written += len(batch)
                batch = []
        if batch:
            self._flush(table, columns, batch)
            written += len(batch)
        self.counts[table] = self.counts.get(table, 0) + written
        return written

    def _flush(self, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
        names = ", ".join(f'"{name}"' for name in columns)
        with connection.cursor() as cursor:
            if self.postgres:
                # Generated text never holds a tab, a newline or a backslash: no escaping needed.
                text = "\n".join(
                    "\t".join("\\N" if value is None else str(value) for value in row)
                    for row in rows
                )
                cursor.cursor.copy_expert(
                    f'COPY "{table}" ({names}) FROM STDIN', io.StringIO(text + "\n")
                )
            else:
                marks = ", ".join("%s" for _ in columns)
                sql = f'INSERT INTO "{table}" ({names}) VALUES ({marks})'  # nosec B608
                cursor.executemany(sql, rows)

    def stamp(self, moment: datetime.datetime) -> Any:
        """A datetime as each database takes it: aware for PostgreSQL, naive UTC for SQLite."""
        if self.postgres:
            return moment.isoformat(sep=" ")
        return moment.astimezone(datetime.UTC).replace(tzinfo=None).isoformat(sep=" ")

    def reset_sequences(self) -> None:
        if not self.postgres:
            return
        with connection.cursor() as cursor:
            for table in self.counts:
                sql = (
                    f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "  # nosec B608
                    f'(SELECT COALESCE(MAX("id"), 1) FROM "{table}"))'
                )
                cursor.execute(sql)


class _Reference:
    def __init__(self) -> None:
        self.districts = list(
            AdministrativeUnit.objects.filter(level="district").values_list("pk", flat=True)
        )
        self.sectors = list(Sector.objects.filter(level=3).values_list("pk", flat=True))
        self.sizes = dict(SizeClass.objects.values_list("code", "pk"))
        self.zones = list(IndustrialZone.objects.values_list("pk", flat=True))
        self.resources = dict(Resource.objects.values_list("code", "pk"))
        self.agencies = list(Agency.objects.values_list("pk", flat=True))
        self.plan = Plan.objects.order_by("-end_year").first()


def ensure_staff_user() -> User:
    """The department staff account the bench signs in as (and the reviewer of reports)."""
    user, created = User.objects.get_or_create(
        username=STAFF_USERNAME,
        defaults={"full_name": "Cán bộ đo hiệu năng", "role": Role.DEPARTMENT_STAFF},
    )
    if created:
        user.apply_role_flags()
        user.set_password(STAFF_PASSWORD)
        user.save()
    return user


def _tax_code(index: int) -> str:
    # Eleven candidate numbers per facility: at least one has a one-digit check digit.
    for step in range(11):
        first9 = f"29{index * 11 + step + 1:07d}"
        check = mst.calc_check_digit(first9)
        if len(check) == 1:
            return first9 + check
    raise AssertionError("unreachable: a check digit of 10 cannot repeat eleven times")


@transaction.atomic
def generate(tier: Tier, *, seed: int, start: int, stop: int) -> dict[str, int]:
    """Facilities `start`..`stop` of `tier` and everything about them; rows written per table."""
    writer = _Writer()
    if writer.postgres:
        with connection.cursor() as cursor:
            # Foreign keys are not checked row by row during the load (the rows are consistent
            # by construction), as pg_restore does; it lasts until the transaction ends.
            cursor.execute("SET LOCAL session_replication_role = replica")
    ref = _Reference()
    staff = ensure_staff_user()
    rng = random.Random(f"{seed}:{tier.name}:{start}:{stop}")
    count = stop - start
    quarters = _quarters(tier.quarters)
    now = timezone.now()

    # --- facilities ---------------------------------------------------------------------------
    first_facility = writer.take_ids(Facility, count)
    facility_ids = list(range(first_facility, first_facility + count))
    size_codes = [code for code, _w in _SIZES]
    size_weights = [w for _c, w in _SIZES]
    facilities: list[dict[str, Any]] = []
    rows = []
    for offset, pk in enumerate(facility_ids):
        index = start + offset
        legal_form, prefix = rng.choice(_FORMS)
        trade, unit = rng.choice(_TRADES)
        place = rng.choice(_PLACES)
        name = f"{prefix} {trade} {place} {index + 1}"
        tax = _tax_code(index)
        size = rng.choices(size_codes, size_weights)[0]
        started = _day(rng, _d(1995), _d(2019, 6, 30))
        closed = suspended = resumed = None
        roll = rng.random()
        if roll < 0.03:
            closed = _day(rng, max(started, _d(2016)), _d(2022, 12, 31))
        elif roll < 0.05:
            suspended = _day(rng, max(started, _d(2017)), _d(2020, 6, 30))
            if rng.random() < 0.5:
                resumed = suspended + datetime.timedelta(days=rng.randrange(30, 400))
        person = f"{rng.choice(_SURNAMES)} {rng.choice(_GIVEN)}"
        low, high = _EMPLOYEES[size]
        spec = {
            "pk": pk,
            "unit": unit,
            "size": size,
            "started": started,
            "closed": closed,
            "output": rng.uniform(50, 5000) * (4 if size in ("medium", "large") else 1),
        }
        facilities.append(spec)
        rows.append(
            (
                pk,
                name,
                tax,
                legal_form,
                f"Số {rng.randrange(1, 300)}, {place}, Nghệ An",
                rng.choice(ref.districts),
                rng.choice(ref.zones) if rng.random() < 0.2 else None,
                rng.choice(ref.sectors),
                ref.sizes[size],
                rng.randint(low, high),
                person,
                f"0238{rng.randrange(1_000_000):06d}",
                f"lienhe{index + 1}@bench.sxsh.local",
                started,
                suspended,
                resumed,
                closed,
                rng.random() < 0.95,
                size == "large" and rng.random() < 0.3,
                f"{fold(name)} {tax} {tax}",
                sort_key(name),
                writer.stamp(now),
            )
        )
    writer.write(
        Facility,
        [
            "id",
            "name",
            "tax_code",
            "legal_form",
            "address",
            "administrative_unit_id",
            "zone_id",
            "sector_id",
            "size_class_id",
            "employees",
            "contact_name",
            "contact_phone",
            "contact_email",
            "started_on",
            "suspended_on",
            "resumed_on",
            "closed_on",
            "in_scope",
            "is_designated_energy_user",
            "search_text",
            "name_sort_key",
            "created_at",
        ],
        rows,
    )
    first_product = writer.take_ids(Product, count)
    writer.write(
        Product,
        ["id", "facility_id", "name", "unit", "annual_capacity"],
        (
            (first_product + n, f["pk"], "Sản phẩm chính", f["unit"], Decimal(round(f["output"])))
            for n, f in enumerate(facilities)
        ),
    )

    # --- outreach (T1) and dedicated units (T4) -----------------------------------------------
    activity_count = max(3, count // 25)
    first_activity = writer.take_ids(OutreachActivity, activity_count)
    kinds = [choice for choice, _label in OutreachActivity.Kind.choices]
    activities = []
    for n in range(activity_count):
        held = _day(rng, _d(2014), _d(LAST_YEAR, 12, 31))
        activities.append((first_activity + n, held))
    writer.write(
        OutreachActivity,
        ["id", "kind", "title", "held_on", "organiser", "area_id", "channel", "description"],
        (
            (
                pk,
                rng.choice(kinds),
                f"Hội thảo sản xuất sạch hơn số {pk}",
                held,
                "Sở Công Thương Nghệ An",
                rng.choice(ref.districts),
                "",
                "",
            )
            for pk, held in activities
        ),
    )
    participations, confirmations, units = [], [], []
    for f in facilities:
        if rng.random() < 0.75:
            attended = rng.sample(activities, k=min(len(activities), rng.randint(1, 3)))
            for activity_pk, _held in attended:
                participations.append((activity_pk, f["pk"], rng.randint(1, 5)))
            if rng.random() < 0.8:
                first_held = min(held for _pk, held in attended)
                confirmations.append(
                    (f["pk"], first_held + datetime.timedelta(days=rng.randrange(0, 120)))
                )
        if rng.random() < 0.33:
            established = _day(rng, _d(2014), _d(LAST_YEAR, 12, 31))
            ended = established + datetime.timedelta(days=900) if rng.random() < 0.1 else None
            units.append((f["pk"], established, ended))
    first = writer.take_ids(OutreachParticipation, len(participations))
    writer.write(
        OutreachParticipation,
        ["id", "activity_id", "facility_id", "participants"],
        ((first + n, *row) for n, row in enumerate(participations)),
    )
    first = writer.take_ids(AwarenessConfirmation, len(confirmations))
    writer.write(
        AwarenessConfirmation,
        ["id", "facility_id", "confirmed_on", "method", "evidence", "note"],
        ((first + n, pk, day, "survey", "", "") for n, (pk, day) in enumerate(confirmations)),
    )
    first = writer.take_ids(DedicatedUnit, len(units))
    writer.write(
        DedicatedUnit,
        ["id", "facility_id", "established_on", "ended_on", "head", "members", "evidence"],
        (
            (first + n, pk, day, end, "Trưởng ban SXSH", "", "")
            for n, (pk, day, end) in enumerate(units)
        ),
    )

    # --- support organisations, assessments, options, baselines (A3, A4, T2, T3) -------------
    organisation_count = 3 + count // 1000
    first_org = writer.take_ids(SupportOrganisation, organisation_count)
    writer.write(
        SupportOrganisation,
        ["id", "name", "kind", "email", "phone", "address", "expertise"],
        (
            (first_org + n, f"Trung tâm tư vấn SXSH {first_org + n}", "centre", "", "", "", "")
            for n in range(organisation_count)
        ),
    )
    assessments, options, baselines, baseline_lines = [], [], [], []
    baseline_of: dict[int, tuple[int, float]] = {}
    for f in facilities:
        plans = []
        if rng.random() < 0.12:
            plans.append("quick")
        # The first facility always has a baseline: the detail pages measured at every size.
        if rng.random() < 0.06 or f["pk"] == first_facility:
            plans.append("detailed")
        for kind in plans:
            started_on = _day(rng, max(f["started"], _d(2014)), _d(LAST_YEAR, 10, 31))
            done = kind == "quick" or rng.random() < 0.85 or f["pk"] == first_facility
            completed_on = started_on + datetime.timedelta(days=rng.randrange(20, 180))
            assessments.append(
                [
                    f["pk"],
                    kind,
                    "completed" if done else "in_progress",
                    started_on,
                    completed_on if done else None,
                    first_org + rng.randrange(organisation_count),
                    rng.choice(["provincial", "central", "enterprise", "donor"]),
                ]
            )
            if kind == "detailed" and done:
                baselines.append((len(assessments) - 1, started_on.year - 1, f))
    first_assessment = writer.take_ids(Assessment, len(assessments))
    writer.write(
        Assessment,
        [
            "id",
            "facility_id",
            "kind",
            "status",
            "started_on",
            "completed_on",
            "organisation_id",
            "funding",
            "team",
            "findings",
            "report",
        ],
        ((first_assessment + n, *row, "", "", "") for n, row in enumerate(assessments)),
    )
    for n, (_facility_pk, kind, status, _s, completed_on, _o, _f) in enumerate(assessments):
        for _ in range(rng.randint(1, 3) if kind == "quick" else rng.randint(3, 6)):
            fate = rng.random()
            implemented = verified = None
            state = "proposed"
            if status == "completed" and fate < (0.25 if kind == "quick" else 0.45):
                state = "verified"
                implemented = completed_on + datetime.timedelta(days=rng.randrange(30, 300))
                verified = implemented + datetime.timedelta(days=rng.randrange(10, 90))
            elif status == "completed" and fate < 0.6:
                state = "accepted"
            options.append(
                (
                    first_assessment + n,
                    rng.choice(_TECHNIQUES),
                    "Giải pháp sản xuất sạch hơn",
                    rng.randrange(0, 500) * 1_000_000,
                    rng.randrange(0, 300) * 1_000_000,
                    Decimal(rng.randrange(0, 5000)) / 100,
                    Decimal(rng.randrange(0, 2000)),
                    "",
                    state,
                    implemented,
                    verified,
                    staff.pk if verified else None,
                )
            )
    first = writer.take_ids(CPOption, len(options))
    writer.write(
        CPOption,
        [
            "id",
            "assessment_id",
            "technique",
            "description",
            "investment_vnd",
            "savings_vnd_per_year",
            "savings_toe_per_year",
            "savings_water_m3_per_year",
            "savings_material",
            "status",
            "implemented_on",
            "verified_on",
            "verified_by_id",
        ],
        ((first + n, *row) for n, row in enumerate(options)),
    )
    first_baseline = writer.take_ids(Baseline, len(baselines))
    fuel_of: dict[int, str] = {}
    for n, (_assessment_index, year, f) in enumerate(baselines):
        output = f["output"] * 4
        fuel = fuel_of.setdefault(f["pk"], rng.choice(_FUELS))
        for code, per_unit in (("electricity", 150.0), (fuel, 0.05), ("water", 3.0)):
            baseline_lines.append((first_baseline + n, ref.resources[code], output * per_unit))
        baseline_lines.append((first_baseline + n, ref.resources["main-material"], output * 1.2))
        # The later of two baselines of one facility wins, as in the engine.
        baseline_of[f["pk"]] = (year, output)
    writer.write(
        Baseline,
        ["id", "assessment_id", "year", "output", "output_unit"],
        (
            (
                first_baseline + n,
                first_assessment + index,
                year,
                _quantity(f["output"] * 4),
                f["unit"],
            )
            for n, (index, year, f) in enumerate(baselines)
        ),
    )
    first = writer.take_ids(BaselineConsumption, len(baseline_lines))
    writer.write(
        BaselineConsumption,
        ["id", "baseline_id", "resource_id", "quantity"],
        ((first + n, b, r, _quantity(q)) for n, (b, r, q) in enumerate(baseline_lines)),
    )

    # --- self-reports, their consumption and measures (T2, T3) --------------------------------
    _write_reports(writer, rng, facilities, quarters, baseline_of, fuel_of, ref, staff.pk, now)

    # --- programme: projects, courses, officials, tasks (A1, A2, T5) --------------------------
    _write_programme(writer, rng, count, ref, now)

    writer.reset_sequences()
    if writer.postgres:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return writer.counts


def _quantity(value: float) -> Decimal:
    return Decimal(f"{value:.3f}")


def _write_reports(
    writer: _Writer,
    rng: random.Random,
    facilities: list[dict[str, Any]],
    quarters: list[tuple[int, int]],
    baseline_of: dict[int, tuple[int, float]],
    fuel_of: dict[int, str],
    ref: _Reference,
    reviewer: int,
    now: datetime.datetime,
) -> None:
    electricity, material = ref.resources["electricity"], ref.resources["main-material"]
    report_ids = itertools.count(writer.next_id(SelfReport))
    reports: list[tuple[Any, ...]] = []
    lines: list[tuple[int, int, Decimal]] = []
    measures: list[tuple[int, str, datetime.date]] = []
    local = timezone.get_fixed_timezone(7 * 60)

    def report(
        f: dict[str, Any],
        kind: str,
        year: int,
        quarter: int | None,
        end: datetime.date,
        output: float,
        intensity: float,
        version: int = 1,
        supersedes: int | None = None,
        status: str = "approved",
    ) -> int:
        pk = next(report_ids)
        submitted = datetime.datetime.combine(
            end + datetime.timedelta(days=rng.randrange(3, 25)), datetime.time(8), local
        )
        reviewed = (
            submitted + datetime.timedelta(days=rng.randrange(1, 30))
            if status in ("approved", "returned")
            else None
        )
        unit = f["unit"] if rng.random() > 0.01 else "kg"
        reports.append(
            (
                pk,
                f["pk"],
                kind,
                year,
                quarter,
                version,
                supersedes,
                status,
                _quantity(output),
                unit,
                False,
                "",
                writer.stamp(submitted) if status != "draft" else None,
                writer.stamp(reviewed) if reviewed else None,
                reviewer if reviewed else None,
                "",
                writer.stamp(now),
            )
        )
        lines.append((pk, electricity, _quantity(output * 150 * intensity)))
        lines.append((pk, material, _quantity(output * 1.2 * intensity)))
        fuel = fuel_of.get(f["pk"])
        if fuel is not None:
            lines.append((pk, ref.resources[fuel], _quantity(output * 0.05 * intensity)))
        if status == "approved" and rng.random() < 0.035:
            measures.append((pk, rng.choice(_TECHNIQUES), end - datetime.timedelta(days=40)))
        return pk

    def flush() -> None:
        writer.write(
            SelfReport,
            [
                "id",
                "facility_id",
                "period_kind",
                "year",
                "quarter",
                "version",
                "supersedes_id",
                "status",
                "output",
                "output_unit",
                "has_cp_unit",
                "notes",
                "submitted_at",
                "reviewed_at",
                "reviewed_by_id",
                "reviewer_comment",
                "created_at",
            ],
            reports,
        )
        first = writer.take_ids(SelfReportConsumption, len(lines))
        writer.write(
            SelfReportConsumption,
            ["id", "report_id", "resource_id", "quantity"],
            ((first + n, *line) for n, line in enumerate(lines)),
        )
        first = writer.take_ids(SelfReportMeasure, len(measures))
        writer.write(
            SelfReportMeasure,
            [
                "id",
                "report_id",
                "technique",
                "description",
                "implemented_on",
                "cost_vnd",
                "savings_vnd_per_year",
            ],
            (
                (first + n, pk, technique, "Giải pháp tự thực hiện", day, 10_000_000, 5_000_000)
                for n, (pk, technique, day) in enumerate(measures)
            ),
        )
        writer.take_ids(SelfReport, len(reports))
        reports.clear()
        lines.clear()
        measures.clear()

    statuses = ["approved"] * 88 + ["submitted"] * 6 + ["returned"] * 3 + ["draft"] * 3
    for f in facilities:
        baseline = baseline_of.get(f["pk"])
        # Facilities with a baseline cut their intensity by 0–25% over the plan; others drift.
        gain = rng.uniform(0.0, 0.25) if baseline else rng.uniform(-0.05, 0.05)
        # T3 compares a baseline with a like period: the latest year report or, when they end
        # later, the latest four consecutive approved quarters. Facilities with a baseline file
        # quarters and years, years only or quarters only, so both kinds of period (and the
        # gaps that unapproved quarters leave) are compared.
        files = rng.choices(_FILING, _FILING_WEIGHTS)[0] if baseline else "quarters"
        for position, (year, quarter) in enumerate(quarters if "quarters" in files else []):
            end = _quarter_end(year, quarter)
            if f["started"] > end or (f["closed"] and f["closed"] < end):
                continue
            share = (position + 1) / len(quarters)
            intensity = (1 - gain * share) * rng.uniform(0.97, 1.03)
            output = f["output"] * rng.uniform(0.8, 1.2)
            status = rng.choice(statuses)
            pk = report(f, "quarter", year, quarter, end, output, intensity, status=status)
            if status == "approved" and rng.random() < 0.01:
                report(f, "quarter", year, quarter, end, output * 1.01, intensity, 2, pk)
        if baseline and "years" in files:
            for year in range(baseline[0] + 1, LAST_YEAR + 1):
                if f["started"].year <= year and not f["closed"]:
                    intensity = 1 - gain * (year - baseline[0]) / 6
                    report(f, "year", year, None, _d(year, 12, 31), f["output"] * 4, intensity)
        if len(reports) >= ROWS_PER_BATCH:
            flush()
    flush()


def _write_programme(
    writer: _Writer, rng: random.Random, count: int, ref: _Reference, now: datetime.datetime
) -> None:
    years = range(2016, LAST_YEAR + 1)
    projects = []
    for year in years:
        for _ in range(1 + count // 1500):
            funding = rng.choice(["provincial", "provincial", "central", "donor"])
            status = rng.choice(["approved", "in_progress", "completed", "proposed", "rejected"])
            proposed = _day(rng, _d(year), _d(year, 9, 30))
            approved = proposed + datetime.timedelta(days=60) if status != "proposed" else None
            projects.append((year, funding, status, proposed, approved))
    first = writer.take_ids(SupportProject, len(projects))
    writer.write(
        SupportProject,
        [
            "id",
            "title",
            "year",
            "funding",
            "status",
            "budget_vnd",
            "state_support_vnd",
            "proposed_on",
            "ministry_decision",
            "approved_on",
            "outcomes",
            "document",
        ],
        (
            (
                first + n,
                f"Dự án SXSH {first + n}",
                y,
                fu,
                st,
                900_000_000,
                400_000_000,
                p,
                "",
                a,
                "",
                "",
            )
            for n, (y, fu, st, p, a) in enumerate(projects)
        ),
    )
    course_count = max(2, count // 1000)
    first_course = writer.take_ids(Course, course_count)
    courses = []
    for n in range(course_count):
        starts = _day(rng, _d(2014), _d(LAST_YEAR, 11, 30))
        courses.append(
            (
                first_course + n,
                f"Khóa đào tạo SXSH {first_course + n}",
                rng.choice(["trainers", "consultants", "awareness", "technical"]),
                starts,
                starts + datetime.timedelta(days=rng.randrange(1, 10)),
                "Sở Công Thương Nghệ An",
                "Vinh",
                rng.random() < 0.8,
            )
        )
    writer.write(
        Course,
        ["id", "title", "kind", "starts_on", "ends_on", "organiser", "place", "qualifies_for_t5"],
        courses,
    )
    official_count = max(5, count // 40)
    first_official = writer.take_ids(Official, official_count)
    officials, participants = [], []
    for n in range(official_count):
        dedicated = _day(rng, _d(2014), _d(LAST_YEAR, 12, 31))
        until = dedicated + datetime.timedelta(days=1000) if rng.random() < 0.1 else None
        officials.append(
            (
                first_official + n,
                f"{rng.choice(_SURNAMES)} {rng.choice(_GIVEN)}",
                rng.choice(ref.agencies),
                "",
                rng.choice(["province", "district", "sector"]),
                dedicated,
                until,
            )
        )
        for course in rng.sample(courses, k=min(len(courses), rng.randint(0, 2))):
            participants.append((course[0], first_official + n, rng.random() < 0.85, ""))
    writer.write(
        Official,
        ["id", "full_name", "agency_id", "workplace", "level", "dedicated_from", "dedicated_to"],
        officials,
    )
    first = writer.take_ids(CourseParticipant, len(participants))
    writer.write(
        CourseParticipant,
        ["id", "course_id", "official_id", "completed", "certificate_number"],
        ((first + n, *row) for n, row in enumerate(participants)),
    )
    if ref.plan is not None:
        tasks = max(3, count // 500)
        first = writer.take_ids(AgencyTask, tasks)
        writer.write(
            AgencyTask,
            ["id", "plan_id", "agency_id", "title", "description", "due_on", "status", "progress"],
            (
                (
                    first + n,
                    ref.plan.pk,
                    rng.choice(ref.agencies),
                    f"Nhiệm vụ {first + n}",
                    "",
                    _day(rng, _d(2016), _d(LAST_YEAR, 12, 31)),
                    "in_progress",
                    rng.randrange(0, 100),
                )
                for n in range(tasks)
            ),
        )
