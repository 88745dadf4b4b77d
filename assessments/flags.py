"""Each report's "has warnings" flag (`SelfReport.has_warnings`), kept on write for the review
queue's warnings filter, which would otherwise compute the warnings of every report it filters.

A report's warnings (`plausibility_warnings_for`) read the report and its lines, the facility's
products, its latest baseline and the previous approved report of the period kind, the
schedules' thresholds, the TOE factors and the resources. When one of a facility's records among
them is written, the flags of the facility's reports in review or reviewed (their current
versions) are computed again in the writer's transaction. A threshold, factor or resource
concerns every report: the flags are then forgotten in one statement (None: not known, and the
queue computes those itself) and kept again in the background (`tasks.keep_warning_flags`).
Each night `rebuild` checks them all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.db.models.signals import post_delete, post_save

from assessments import tasks
from assessments.models import (
    Assessment,
    Baseline,
    BaselineConsumption,
    ConversionFactor,
    ReportingSchedule,
    Resource,
    SelfReport,
    SelfReportConsumption,
)
from assessments.savings import plausibility_warnings_for
from facilities.models import Product
from facilities.signals import facts_changed, gathered

# Reports read at once when all are kept: a chunk's warnings hold its lines and baselines.
CHUNK = 2000
# Facilities whose reports are read at once on write (a facility has a report a quarter).
FACILITY_CHUNK = 100


def reviewed() -> models.QuerySet[SelfReport]:
    """The reports the review queue lists: the current versions, drafts left out."""
    return SelfReport.objects.current().exclude(status=SelfReport.Status.DRAFT)


def keep(facility_ids: Iterable[int]) -> None:
    """Compute the flags of the facilities' reviewed reports again, some facilities at a time
    (an import announces thousands; their reports and lines are read by id)."""
    ids = sorted(set(facility_ids))
    for start in range(0, len(ids), FACILITY_CHUNK):
        chunk = ids[start : start + FACILITY_CHUNK]
        _write(plausibility_warnings_for(reviewed().filter(facility_id__in=chunk)))


def forget() -> None:
    """Every flag unknown, after a change that concerns every report; kept again after the
    commit, in the background."""
    SelfReport.objects.filter(has_warnings__isnull=False).update(has_warnings=None)
    transaction.on_commit(tasks.keep_warning_flags.delay)


@dataclass(frozen=True)
class Rebuilt:
    reports: int
    filled: int  # had no flag
    differing: int  # had the other flag: a write that escaped the receivers


def rebuild() -> Rebuilt:
    """Compute every reviewed report's flag and write those that changed, a chunk at a time,
    each chunk's reports locked while it is computed (a write that forgets the flags waits)."""
    reports = filled = differing = 0
    last = 0
    while True:
        with transaction.atomic():
            chunk = list(reviewed().filter(pk__gt=last).order_by("pk").select_for_update()[:CHUNK])
            if not chunk:
                return Rebuilt(reports, filled, differing)
            found = plausibility_warnings_for(chunk)
            changed = {r.pk: found[r.pk] for r in chunk if r.has_warnings != bool(found[r.pk])}
            _write(changed)
        reports += len(chunk)
        filled += sum(1 for r in chunk if r.pk in changed and r.has_warnings is None)
        differing += sum(1 for r in chunk if r.pk in changed and r.has_warnings is not None)
        last = chunk[-1].pk


def _write(found: dict[int, list[str]]) -> None:
    for flag in (True, False):
        pks = [pk for pk, warnings in found.items() if bool(warnings) == flag]
        for start in range(0, len(pks), CHUNK):
            SelfReport.objects.filter(pk__in=pks[start : start + CHUNK]).update(has_warnings=flag)


# --- kept on write --------------------------------------------------------------------------


def _assessment_facility(assessment_id: int) -> list[int]:
    return list(Assessment.objects.filter(pk=assessment_id).values_list("facility_id", flat=True))


# Model → the facilities whose reports' flags a saved or deleted record changes.
_FACILITIES_OF: dict[type[models.Model], Callable[[Any], Iterable[int]]] = {
    # A draft counts for no other report, and the queue does not list it.
    SelfReport: lambda report: (
        [] if report.status == SelfReport.Status.DRAFT else [report.facility_id]
    ),
    SelfReportConsumption: lambda line: (
        SelfReport.objects.filter(pk=line.report_id)
        .exclude(status=SelfReport.Status.DRAFT)
        .values_list("facility_id", flat=True)
    ),
    Product: lambda product: [product.facility_id],
    Assessment: lambda assessment: [assessment.facility_id],
    Baseline: lambda baseline: _assessment_facility(baseline.assessment_id),
    BaselineConsumption: lambda line: Baseline.objects.filter(pk=line.baseline_id).values_list(
        "assessment__facility_id", flat=True
    ),
}
_EVERY_REPORT = (ReportingSchedule, ConversionFactor, Resource)


def _on_write(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return  # fixtures: `rebuild` after loading them
    if sender in _EVERY_REPORT:
        forget()
        return
    ids = list(_FACILITIES_OF[sender](instance))
    if ids and not gathered(ids):
        keep(ids)


def _on_facts_changed(sender: Any, facility_ids: Iterable[int], **kwargs: Any) -> None:
    keep(facility_ids)


def connect() -> None:
    """Called once by the app's `ready()`."""
    for model in (*_FACILITIES_OF, *_EVERY_REPORT):
        post_save.connect(_on_write, sender=model, dispatch_uid=f"flags-{model.__name__}")
        post_delete.connect(_on_write, sender=model, dispatch_uid=f"flags-del-{model.__name__}")
    facts_changed.connect(_on_facts_changed, dispatch_uid="flags-facts")
