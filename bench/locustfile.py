"""The simulated users of `make bench`'s load test (run by bench/load.py, not by hand).

Each user is a department staff member with their own session (cookies made by load.py),
reading the main pages, exporting the registry and downloading the quarterly report, with a
short pause between clicks. Every response time and failure is written to BENCH_LOAD_OUT when
locust quits, so load.py computes the percentiles itself; a request still waiting for its answer
then is written as failed, with the time it had waited. With BENCH_STOP_AFTER, the run ends
once that many requests are answered.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import time
from typing import Any

from locust import HttpUser, between, events, task

SESSIONS = itertools.cycle(os.environ["BENCH_SESSIONS"].split(","))
FACILITY_IDS = [int(pk) for pk in os.environ["BENCH_FACILITY_IDS"].split(",")]
PAGES = json.loads(os.environ["BENCH_PAGES"])
FOLLOW_UPS = json.loads(os.environ.get("BENCH_FOLLOW_UPS") or "[]")
REPORTS = [name for name in ("report_pdf", "report_xlsx") if name in PAGES]
STOP_AFTER = int(os.environ.get("BENCH_STOP_AFTER") or 0)
SAMPLES: list[tuple[str, float, bool]] = []
# Requests sent and not answered yet: (name, when sent), by a number of their own.
WAITING: dict[int, tuple[str, float]] = {}
NUMBERS = itertools.count()
# Set when the run time is up: from then on a user sends nothing new. Without it, a user killed
# as it woke from its pause could send one more request first and be killed inside it.
STOPPING = False


@events.test_stopping.add_listener
def _stopping(**_: Any) -> None:
    global STOPPING
    STOPPING = True


@events.request.add_listener
def _record(name: str, response_time: float, exception: Any, response: Any, **_: Any) -> None:
    failed = exception is not None or response is None or response.status_code >= 400
    SAMPLES.append((name, response_time, failed))


@events.quitting.add_listener
def _write(**_: Any) -> None:
    now = time.monotonic()
    unfinished = [(name, (now - sent) * 1000, True, True) for name, sent in WAITING.values()]
    with open(os.environ["BENCH_LOAD_OUT"], "w") as handle:
        json.dump(SAMPLES + unfinished, handle)


class DepartmentStaff(HttpUser):
    # Half a second between a user's requests on average: with 0.5–2 s (1.25 s on average) 16
    # users could ask for at most 16 / 1.25 = 12.8 requests a second however fast the portal
    # answered, below the 15 the target asks it to serve.
    wait_time = between(0.25, 0.75)

    def on_start(self) -> None:
        self.client.cookies.set("sessionid", next(SESSIONS))

    def _get(self, name: str, url: str, *, answers: tuple[int, ...] = (200,)) -> None:
        if STOPPING:
            return
        number = next(NUMBERS)
        WAITING[number] = (name, time.monotonic())
        with self.client.get(url, name=name, allow_redirects=False, catch_response=True) as r:
            del WAITING[number]
            if r.status_code not in answers:
                r.failure(f"HTTP {r.status_code}")
            else:
                # A download is answered once its last byte has arrived.
                _ = r.content
        if STOP_AFTER and len(SAMPLES) >= STOP_AFTER:
            self.environment.runner.quit()

    @task(3)
    def dashboard(self) -> None:
        self._get("dashboard", PAGES["dashboard"])
        for url in FOLLOW_UPS:  # what the page then loads (htmx), as a browser would
            self._get("dashboard_follow_up", url)

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
    def facility_export(self) -> None:
        # A list too long for the request goes to a background job: the answer is its page.
        self._get("facility_export", PAGES["facility_export"], answers=(200, 302))

    @task(1)
    def report_download(self) -> None:
        if REPORTS:
            name = random.choice(REPORTS)
            self._get(name, PAGES[name])

    @task(1)
    def completeness(self) -> None:
        self._get("completeness", PAGES["completeness"])

    @task(1)
    def static_file(self) -> None:
        self._get("static", PAGES["static"])
