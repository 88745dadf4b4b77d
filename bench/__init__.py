"""`make bench`: the portal's speed at provincial and national scale, as ratios against floors.

- `data.py` writes a tier's synthetic programme straight into the tables (PostgreSQL COPY,
  SQLite executemany), deterministic for a seed, without history rows;
- `floor.py` is the hand-written SQL and the naive Python loop the engine is measured against;
- `measures.py` times the pages, counts their queries, and measures the XLSX and PDF exports;
- `load.py` serves the portal with gunicorn and drives it with locust from another process.

`python manage.py bench --tier tiny|province|national` runs them all and prints the table.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Tier:
    name: str
    facilities: int
    # Quarters of self-reports per facility, the last ending on 31/12/2020 (the plan's end).
    # At least five, so that T3 can compare four consecutive quarters approved by then.
    quarters: int
    # Timed repetitions of each measure (their median is reported), after one warm-up.
    repetitions: int


TIERS = {
    "tiny": Tier("tiny", facilities=50, quarters=8, repetitions=1),
    "province": Tier("province", facilities=5_000, quarters=20, repetitions=5),
    "national": Tier("national", facilities=200_000, quarters=20, repetitions=5),
}
