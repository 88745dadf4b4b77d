"""SQLite and PostgreSQL timed side by side, in one process and in the same rounds.

Two runs of the bench, one per database, meet different moments of a shared machine; their
figures cannot be divided. Here the same tier is also written into a migrated SQLite file, and
the pages are timed on each database in turn, round after round, by pointing the `default`
connection at one then the other (every query of the portal goes through it).
"""

from __future__ import annotations

import contextlib
import statistics
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import dj_database_url
from django.contrib.contenttypes.models import ContentType
from django.db import connections
from django.db.utils import load_backend

from bench import Tier, data
from bench.pages import dashboard_plan, fetch, follow_ups, pages, staff_client


def sqlite_connection(path: Path) -> Any:
    """A connection to the SQLite file `path`, with the options portal/settings.py gives
    SQLite, named `default` so that code asking for the default connection gets it."""
    settings_dict = dj_database_url.parse(f"sqlite:///{path.resolve()}", conn_max_age=60)
    settings_dict["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "timeout": 20,
    }
    settings_dict = connections.configure_settings({"default": settings_dict})["default"]
    return load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, "default")


@contextlib.contextmanager
def using(wrapper: Any) -> Iterator[None]:
    """Every use of the default connection goes to `wrapper` inside the block."""
    previous = connections["default"]
    setattr(connections._connections, "default", wrapper)  # noqa: B010 - the handler's store
    ContentType.objects.clear_cache()  # ids read from one database mean nothing in the other
    try:
        yield
    finally:
        setattr(connections._connections, "default", previous)  # noqa: B010
        ContentType.objects.clear_cache()


def side_by_side(
    path: Path, tier: Tier, *, seed: int, repetitions: int, say: Callable[[str], None]
) -> dict[str, Any]:
    """Write `tier` into the migrated SQLite file `path` (empty: no facilities), then time the
    complete dashboard and the heaviest pages on both databases, interleaved."""
    postgres = connections["default"]
    sqlite = sqlite_connection(path)
    with using(sqlite):
        say(f"  writing the same tier into {path}…")
        clock = time.perf_counter()
        data.generate(tier, seed=seed, start=0, stop=tier.facilities)
        data.ensure_staff_user()
        generation = time.perf_counter() - clock
        sqlite_client = staff_client()
    postgres_client = staff_client()
    _plan, as_of = dashboard_plan()
    found = pages(as_of)
    dashboard = [
        found["dashboard"],
        *follow_ups(postgres_client.get(found["dashboard"]).content.decode()),
    ]
    timed = {
        "dashboard_complete": dashboard,
        **{
            name: [found[name]]
            for name in (
                "facility_list",
                "facility_list_T2_drill_down",
                "facility_detail",
                "completeness",
                "review_queue",
            )
            if name in found
        },
    }
    sides = {"postgresql": (postgres, postgres_client), "sqlite": (sqlite, sqlite_client)}
    times: dict[str, dict[str, list[float]]] = {side: {n: [] for n in timed} for side in sides}
    for round_ in range(max(3, repetitions) + 1):
        for side, (wrapper, client) in sides.items():
            with using(wrapper):
                for name, urls in timed.items():
                    started = time.perf_counter()
                    for url in urls:
                        response = fetch(client, url)
                        assert response.status_code == 200, (side, url, response.status_code)
                    if round_ > 0:  # the first round warms both up
                        times[side][name].append(time.perf_counter() - started)
    sqlite.close()
    medians = {
        side: {name: statistics.median(values) * 1000 for name, values in by_name.items()}
        for side, by_name in times.items()
    }
    return {
        "sqlite_file": str(path),
        "sqlite_generation_seconds": generation,
        "rounds": max(3, repetitions),
        "p50_ms": medians,
        "sqlite_over_postgresql": {
            name: medians["sqlite"][name] / medians["postgresql"][name] for name in timed
        },
        "sqlite_seconds": medians["sqlite"]["dashboard_complete"] / 1000,
        "postgresql_seconds": medians["postgresql"]["dashboard_complete"] / 1000,
        "ratio": medians["sqlite"]["dashboard_complete"]
        / medians["postgresql"]["dashboard_complete"],
    }
