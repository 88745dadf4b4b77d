"""`make bench`: the portal's speed at provincial and national scale, against the targets of
issue #15 and against floors.

- `data.py` writes a tier's synthetic programme straight into the tables (PostgreSQL COPY,
  SQLite executemany), deterministic for a seed, without history rows;
- `floor.py` is the hand-written SQL (JIT off) and the naive Python loop the engine is
  measured against;
- `pages.py` opens every page, form and export: query counts against a cap, timings, each
  page's true floor (its template from a prepared context), the dashboard as a user gets it;
- `measures.py` times the engine, the XLSX writers, approvals and the registry import;
  `child.py` measures the quarterly report and the whole export in fresh processes;
- `sides.py` times SQLite beside PostgreSQL in the same process;
- `load.py` serves the portal with gunicorn as the Dockerfile does and drives it with locust;
- `targets.py` judges the figures and writes the README's table.

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
