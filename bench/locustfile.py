"""The simulated users of `make bench`'s load test (run by bench/load.py, not by hand).

Each user is a department staff member with their own session (cookies made by load.py),
reading the main pages with a short pause between clicks. Every response time and failure is
written to BENCH_LOAD_OUT when locust quits, so load.py computes the percentiles itself.
"""

from __future__ import annotations

import itertools
import json
import os
import random
from typing import Any

from locust import HttpUser, between, events, task

SESSIONS = itertools.cycle(os.environ["BENCH_SESSIONS"].split(","))
FACILITY_IDS = [int(pk) for pk in os.environ["BENCH_FACILITY_IDS"].split(",")]
PAGES = json.loads(os.environ["BENCH_PAGES"])
SAMPLES: list[tuple[str, float, bool]] = []


@events.request.add_listener
def _record(name: str, response_time: float, exception: Any, response: Any, **_: Any) -> None:
    failed = exception is not None or response is None or response.status_code >= 400
    SAMPLES.append((name, response_time, failed))


@events.quitting.add_listener
def _write(**_: Any) -> None:
    with open(os.environ["BENCH_LOAD_OUT"], "w") as handle:
        json.dump(SAMPLES, handle)


class DepartmentStaff(HttpUser):
    wait_time = between(0.5, 2)

    def on_start(self) -> None:
        self.client.cookies.set("sessionid", next(SESSIONS))

    def _get(self, name: str, url: str) -> None:
        with self.client.get(url, name=name, allow_redirects=False, catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"HTTP {r.status_code}")

    @task(3)
    def dashboard(self) -> None:
        self._get("dashboard", PAGES["dashboard"])
        if "dashboard_charts" in PAGES:  # what the page then loads with htmx
            self._get("dashboard_charts", PAGES["dashboard_charts"])

    @task(3)
    def facility_list(self) -> None:
        page = random.randint(1, 20)
        self._get("facility_list", f"{PAGES['facility_list']}?page={page}")

    @task(1)
    def facility_search(self) -> None:
        self._get("facility_search", f"{PAGES['facility_list']}?q=gach+{random.randint(1, 99)}")

    @task(2)
    def facility_detail(self) -> None:
        pk = random.choice(FACILITY_IDS)
        self._get("facility_detail", PAGES["facility_detail"].replace("/0/", f"/{pk}/"))

    @task(1)
    def assessment_list(self) -> None:
        self._get("assessment_list", PAGES["assessment_list"])

    @task(1)
    def review_queue(self) -> None:
        # The self-report list sends department staff here (HTTP 302).
        self._get("review_queue", PAGES["review_queue"])

    @task(1)
    def outreach_list(self) -> None:
        self._get("outreach_list", PAGES["outreach_list"])

    @task(1)
    def plan_detail(self) -> None:
        self._get("plan_detail", PAGES["plan_detail"])

    @task(1)
    def static_file(self) -> None:
        self._get("static", PAGES["static"])
