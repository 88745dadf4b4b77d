"""Every page, form and export a department user opens: their query counts against a stated
cap, their timings, the dashboard as a user gets it, and each page's true floor.

The objects opened are the ones with the most children (the facility with the most
self-reports, the outreach with the most participants...), so a count that grows with the
children shows at any tier.
"""

from __future__ import annotations

import contextlib
import datetime
import re
import statistics
import time
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Model, QuerySet
from django.template import loader
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from assessments.models import Assessment, SelfReport, SupportOrganisation
from bench.data import STAFF_USERNAME
from facilities.models import Facility, OutreachActivity
from portal.models import User
from programs.models import AgencyTask, Course, Official, Plan, SupportProject
from reporting import freshness
from reporting.dashboards import drill_down
from reporting.models import ReportRun

# The most queries any page, form or export may run, whatever the data's size: a page above it
# runs queries per row or per child somewhere. The dashboard is six parts on one page (cards,
# the year series, areas, sectors, reporting, energy), each read in a fixed number of queries.
QUERY_CAP = 40
QUERY_CAPS = {"dashboard": 50}


def staff_client() -> Client:
    # A host the settings allow (the test client's "testserver" is allowed only under tests).
    hosts = [host for host in settings.ALLOWED_HOSTS if "*" not in host and host[0] != "."]
    client = Client(HTTP_HOST=hosts[0] if hosts else "testserver", raise_request_exception=False)
    client.force_login(
        User.objects.get(username=STAFF_USERNAME),
        backend="django.contrib.auth.backends.ModelBackend",
    )
    return client


def dashboard_plan() -> tuple[Plan, datetime.date]:
    """The plan and date the dashboard shows by default (reporting.dashboards)."""
    plan = Plan.objects.shown_by_default()
    assert plan is not None, "no plan: the migrations ship one"
    return plan, min(timezone.localdate(), datetime.date(plan.end_year, 12, 31))


def _most(queryset: QuerySet[Any], children: str) -> Model | None:
    """The object with the most `children` (the lowest id among equals: the same at any tier)."""
    return queryset.annotate(_children=Count(children)).order_by("-_children", "pk").first()


def _add(found: dict[str, str], name: str, route: str, *args: Any, query: str = "") -> None:
    with contextlib.suppress(NoReverseMatch):  # a page not shipped yet
        found[name] = reverse(route, args=args) + (f"?{query}" if query else "")


def _add_on_most(
    found: dict[str, str], queryset: QuerySet[Any], children: str, **routes: str
) -> Model | None:
    """Each of `routes` (name=route) opened on the object with the most `children`, if any."""
    instance = _most(queryset, children)
    if instance is not None:
        for name, route in routes.items():
            _add(found, name, route, instance.pk)
    return instance


def pages(as_of: datetime.date) -> dict[str, str]:
    """Every list, detail, completeness, review and dashboard page, lists also filtered the way
    the dashboard's drill-downs filter them."""
    found: dict[str, str] = {}
    _add(found, "dashboard", "dashboard")
    _add(found, "unit_list", "facilities:unit_list")
    _add(found, "facility_list", "reporting:facility_list")
    _add(found, "facility_list_last_page", "reporting:facility_list", query="page=last")
    # A tax-code prefix every bench facility has.
    _add(found, "facility_search", "reporting:facility_list", query="q=29")
    for code in ("T1", "T2", "T4"):
        if url := drill_down(code, as_of=as_of):
            found[f"facility_list_{code}_drill_down"] = url
    facility = _add_on_most(
        found, Facility.objects.all(), "self_reports", facility_detail="reporting:facility_detail"
    )
    if facility is not None:
        _add_on_most(
            found,
            SelfReport.objects.filter(facility=facility),
            "consumptions",
            selfreport_detail="assessments:selfreport_detail",
        )
    _add_on_most(
        found,
        Assessment.objects.all(),
        "options",
        assessment_detail="assessments:assessment_detail",
    )
    _add(found, "outreach_list", "facilities:outreach_list")
    _add_on_most(
        found,
        OutreachActivity.objects.all(),
        "participations",
        outreach_detail="facilities:outreach_detail",
    )
    _add(found, "assessment_list", "assessments:assessment_list")
    _add(found, "organisation_list", "assessments:organisation_list")
    _add_on_most(
        found,
        SupportOrganisation.objects.all(),
        "assessments",
        organisation_detail="assessments:organisation_detail",
    )
    _add(found, "selfreport_list", "assessments:selfreport_list")
    _add(found, "review_queue", "assessments:review_queue")
    _add(found, "review_queue_all", "assessments:review_queue", query="status=")
    _add(found, "review_queue_warnings", "assessments:review_queue", query="warnings=yes")
    _add(found, "completeness", "reporting:completeness")
    _add(
        found,
        "completeness_q4_2020",
        "reporting:completeness",
        query="year=2020&quarter=4",
    )
    _add(found, "plan_list", "programs:plan_list")
    plan, _day = dashboard_plan()
    _add(found, "plan_detail", "programs:plan_detail", plan.pk)
    _add(found, "project_list", "programs:project_list")
    _add(found, "course_list", "programs:course_list")
    _add(found, "official_list", "programs:official_list")
    _add(found, "award_list", "programs:award_list")
    _add(found, "task_list", "programs:task_list")
    _add_on_most(found, AgencyTask.objects.all(), "updates", task_detail="programs:task_detail")
    _add(found, "report_list", "reporting:run_list")
    return found


def forms() -> dict[str, str]:
    """Every edit form, opened on the object with the most children."""
    found: dict[str, str] = {}
    _add(found, "facility_create", "facilities:facility_create")
    _add_on_most(
        found, Facility.objects.all(), "products", facility_edit="facilities:facility_edit"
    )
    _add_on_most(
        found,
        OutreachActivity.objects.all(),
        "participations",
        outreach_edit="facilities:outreach_edit",
    )
    _add_on_most(
        found,
        Assessment.objects.filter(baseline__isnull=False),
        "options",
        assessment_edit="assessments:assessment_edit",
        baseline_edit="assessments:baseline_edit",
        option_create="assessments:option_create",
    )
    organisation = SupportOrganisation.objects.order_by("pk").first()
    if organisation is not None:
        _add(found, "organisation_edit", "assessments:organisation_edit", organisation.pk)
    plan, _day = dashboard_plan()
    _add(found, "plan_edit", "programs:plan_edit", plan.pk)
    for model, children, name in (
        (SupportProject, "facilities", "project_edit"),
        (Course, "participants", "course_edit"),
        (Official, "courses", "official_edit"),
        (AgencyTask, "updates", "task_edit"),
    ):
        _add_on_most(found, model.objects.all(), children, **{name: f"programs:{name}"})
    return found


def exports() -> dict[str, str]:
    """Every download the portal writes: the facility export (the whole registry), the import
    template and the quarterly report's files if a run is done. (An assessment's or a project's
    PDF is a file someone uploaded: the bench's data have none.)"""
    found: dict[str, str] = {}
    _add(found, "facility_export", "reporting:facility_export")
    _add(found, "import_template", "facilities:import_template")
    run = ReportRun.objects.filter(status=ReportRun.Status.DONE).order_by("-pk").first()
    if run is not None:
        for fmt in ("pdf", "xlsx"):
            _add(found, f"report_{fmt}", "reporting:run_download", run.pk, fmt)
    return found


def fetch(client: Client, url: str) -> Any:
    """GET `url` and read the whole body (a streamed export runs its queries while read)."""
    response = client.get(url)
    if getattr(response, "streaming", False):
        response.content_length = sum(len(chunk) for chunk in response.streaming_content)
    return response


# Pages whose request may queue a background job after its commit (a long export).
_QUEUEING = ("facility_export",)


class _HeldBack(Exception):
    pass


def _request_alone(client: Client, url: str) -> Any:
    """GET `url` inside a transaction rolled back at the end, so that the job it queues after
    its commit is never started: without a broker Celery would run it in place, and the count
    would be the job's (two queries per 2,000 rows written), not the request's. The job is
    measured on its own (`measures.full_export`)."""
    try:
        with transaction.atomic():
            raise _HeldBack(fetch(client, url))
    except _HeldBack as held:
        return held.args[0]


def query_counts(client: Client, urls: dict[str, str]) -> dict[str, dict[str, Any]]:
    counts = {}
    for name, url in urls.items():
        get = _request_alone if name in _QUEUEING else fetch
        with CaptureQueriesContext(connection) as captured:
            response = get(client, url)
        counts[name] = {
            "url": url,
            "queries": len(captured),
            "status": response.status_code,
            "over_cap": len(captured) > QUERY_CAPS.get(name, QUERY_CAP),
        }
    return counts


# What a page loads right after it arrives: an htmx request fired on load or when revealed.
_FOLLOW_UP = re.compile(
    r"hx-get=\"(?P<url>[^\"]+)\"[^>]*hx-trigger=\"(?:load|revealed|intersect)[^\"]*\""
)


def follow_ups(html: str) -> list[str]:
    """The requests a browser makes for the page's content once it has it (not static files):
    htmx fragments triggered on load, and the charts' URL wherever the page names it."""
    urls = [match["url"].replace("&amp;", "&") for match in _FOLLOW_UP.finditer(html)]
    with contextlib.suppress(NoReverseMatch):
        charts = reverse("dashboard_charts")
        if f'"{charts}' in html and not any(url.startswith(charts) for url in urls):
            urls.append(charts)
    return urls


@contextlib.contextmanager
def _captured_render() -> Iterator[list[tuple[Any, dict[str, Any], Any]]]:
    """The template, context and request of every `render()` a view makes while inside."""
    captured: list[tuple[Any, dict[str, Any], Any]] = []
    original = loader.render_to_string

    def capturing(template_name: Any, context: Any = None, request: Any = None, **kw: Any) -> str:
        captured.append((template_name, dict(context or {}), request))
        return original(template_name, context, request, **kw)

    loader.render_to_string = capturing
    try:
        yield captured
    finally:
        loader.render_to_string = original


def render_floor(client: Client, url: str) -> Callable[[], str] | None:
    """A page's true floor: its template rendered with the context its view prepared, which
    holds the figures already read (querysets keep their results). None for a page that does
    not render a template through `render()`."""
    with _captured_render() as captured:
        response = client.get(url)
    if response.status_code != 200 or not captured:
        return None
    template_name, context, request = captured[-1]

    def render() -> str:
        return loader.render_to_string(template_name, context, request)

    render()  # a first render fills what the templates read lazily, as the view's did
    return render


def _seconds(action: Callable[[], Any]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def timings(
    client: Client, urls: dict[str, str], repetitions: int, *, floors: bool = True
) -> dict[str, dict[str, Any]]:
    """Median milliseconds of each page and of its true floor, in interleaved rounds after a
    warm-up, with the queries the floor still runs (templates that query as they render)."""
    floor_of: dict[str, Callable[[], str] | None] = {}
    floor_queries: dict[str, int] = {}
    for name, url in urls.items():
        floor_of[name] = render_floor(client, url) if floors else None
        if floor_of[name] is not None:
            with CaptureQueriesContext(connection) as captured:
                floor_of[name]()  # type: ignore[misc]
            floor_queries[name] = len(captured)
    times: dict[str, list[float]] = {name: [] for name in urls}
    floor_times: dict[str, list[float]] = {name: [] for name in urls}
    for _round in range(max(1, repetitions)):
        for name, url in urls.items():
            times[name].append(_seconds(lambda url=url: fetch(client, url)))
            if (floor := floor_of[name]) is not None:
                floor_times[name].append(_seconds(floor))
    results = {}
    for name in urls:
        p50 = statistics.median(times[name]) * 1000
        entry: dict[str, Any] = {"p50_ms": p50, "runs": len(times[name])}
        if floor_times[name]:
            floor = statistics.median(floor_times[name]) * 1000
            entry |= {
                "floor_ms": floor,
                "floor_queries": floor_queries[name],
                "over_floor": p50 / floor if floor else None,
            }
        results[name] = entry
    return results


def dashboard_complete(client: Client, repetitions: int) -> dict[str, Any]:
    """The dashboard as a user gets it: the page, then what it loads right after, summed; and
    its floor, the same templates rendered from contexts prepared in advance."""
    url = reverse("dashboard")
    first = client.get(url)
    assert first.status_code == 200, first.status_code
    requests = [url, *follow_ups(first.content.decode())]
    floors = [render_floor(client, request) for request in requests]
    # The first view after a write: the facts' version changes (as any write changes it), so
    # every figure is computed again, then cached for the views that follow.
    colds = []
    for _round in range(3):
        with transaction.atomic():
            freshness.changed()
        colds.append(sum(_seconds(lambda r=r: fetch(client, r)) for r in requests))
    totals, floor_totals = [], []
    for _round in range(max(5, repetitions)):
        totals.append(sum(_seconds(lambda r=r: fetch(client, r)) for r in requests))
        floor_totals.append(sum(_seconds(floor) for floor in floors if floor is not None))
    p50 = statistics.median(totals) * 1000
    floor = statistics.median(floor_totals) * 1000
    return {
        "requests": requests,
        "follow_ups": len(requests) - 1,
        "p50_ms": p50,
        "after_a_write_ms": statistics.median(colds) * 1000,
        "runs": len(totals),
        "floor_ms": floor,
        "over_floor": p50 / floor if floor else None,
    }
