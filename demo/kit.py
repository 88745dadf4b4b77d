"""The kit every demo step shares: draw from one generator, then bulk-create what is missing.

Each step (facilities, assessments, programme) first draws all its records from `rng` into plain
specs without looking at the database, then writes only the specs whose natural keys are
missing. Drawing before looking is what makes a second run with the same seed a no-op. The
helpers here keep the draws of every step alike (so a seed tells the same story in each) and the
writes alike (history rows with one change reason, batches within the parameter limits).
"""

from __future__ import annotations

import datetime
import random
from bisect import bisect
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from itertools import accumulate
from typing import TypeVar
from unittest import mock
from zoneinfo import ZoneInfo

from django.db import models
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

SCALES = ("demo", "province", "national")

# The demo's "today": statuses, due dates and late tasks follow from it, so a seed loaded next
# year shows the same programme.
TODAY = datetime.date(2026, 11, 28)
TZ = ZoneInfo("Asia/Ho_Chi_Minh")

# Rows per INSERT and per history INSERT: within every database's parameter limit.
BATCH_SIZE = 2000
CHANGE_REASON = "Dữ liệu minh họa"

M = TypeVar("M", bound=models.Model)
S = TypeVar("S")
K = TypeVar("K", bound=Hashable)


def check_scale(scale: str) -> None:
    if scale not in SCALES:
        raise ValueError(f"scale must be one of {SCALES}")


# --- Drawing ------------------------------------------------------------------------------------


def cumulative(weights: Sequence[float]) -> list[float]:
    return list(accumulate(weights))


def at(day: datetime.date, minutes: int) -> datetime.datetime:
    """`minutes` after midnight of `day`, in the province's time."""
    return datetime.datetime.combine(day, datetime.time(minutes // 60, minutes % 60), tzinfo=TZ)


def weekday(day: datetime.date) -> datetime.date:
    """The day itself, or the Monday after a weekend: offices work on working days."""
    return day + datetime.timedelta(days=7 - day.weekday() if day.weekday() >= 5 else 0)


class Drawer:
    """Draws from one `rng`; a step's drawing class adds what is particular to its records."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def pick(self, options: Mapping[str, float]) -> str:
        """A key of `options`, with probability in proportion to its weight."""
        return self.rng.choices(list(options), weights=list(options.values()))[0]

    def index_by(self, cumulative_weights: Sequence[float]) -> int:
        """An index drawn against precomputed cumulative weights (see `cumulative`)."""
        return bisect(cumulative_weights, self.rng.random() * cumulative_weights[-1])

    def day_between(self, first: datetime.date, last: datetime.date) -> datetime.date:
        return first + datetime.timedelta(days=self.rng.randint(0, (last - first).days))


# --- Writing ------------------------------------------------------------------------------------


def bulk(objects: list[M], model: type[M]) -> list[M]:
    """Create `objects` with their history rows, like every other write to programme data."""
    return bulk_create_with_history(
        objects, model, batch_size=BATCH_SIZE, default_change_reason=CHANGE_REASON
    )


def create_missing(
    specs: Sequence[S],
    model: type[M],
    *,
    existing: Mapping[K, int],
    key: Callable[[S], K],
    row_key: Callable[[M], K],
    build: Callable[[S], M],
) -> list[int]:
    """Bulk-create the specs whose natural key is not in `existing` (key → id of the rows already
    there); return the id of every spec, in draw order."""
    ids = dict(existing)
    for row in bulk([build(spec) for spec in specs if key(spec) not in ids], model):
        ids[row_key(row)] = row.pk
    return [ids[key(spec)] for spec in specs]


def link_missing(through: type[models.Model], names: tuple[str, str], pairs: set[tuple]) -> None:
    """Add the many-to-many links `pairs` (ids in the order of `names`) that are not there yet.

    Links have no history of their own, so they are plain bulk inserts."""
    first, second = names
    present = set(
        through.objects.filter(**{f"{first}__in": {pair[0] for pair in pairs}}).values_list(
            first, second
        )
    )
    through.objects.bulk_create(
        [through(**dict(zip(names, pair, strict=True))) for pair in sorted(pairs - present)],
        batch_size=BATCH_SIZE,
    )


@contextmanager
def clock_at(moment: datetime.datetime) -> Iterator[None]:
    """Django's clock stopped at `moment`, for replaying the past through the services.

    The workflow services stamp what they write (submission and review times, transitions,
    history rows) with timezone.now(); the demo tells a story that happened before TODAY, so it
    runs each step with the clock at the drawn moment instead of rewriting the stamps after."""
    with mock.patch.object(timezone, "now", return_value=moment):
        yield
