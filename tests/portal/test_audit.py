"""Every model that holds programme data keeps its change history (django-simple-history).

A model added without `history = HistoricalRecords()` fails here unless it is in the allowlist
below with the reason it needs none.
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalChanges

from assessments import services
from assessments.models import SelfReport, SelfReportTransition
from tests.assessments.test_workflow import submitted

PROJECT_APPS = ("portal", "facilities", "assessments", "programs", "reporting")

# "app_label.ModelName": why it keeps no history of its own.
WITHOUT_HISTORY = {
    # Append-only logs: a row is written once and never changed, so it is its own record.
    "assessments.SelfReportTransition": "the workflow's log: who moved a report, when, and why",
    "facilities.FacilityImport": "its own audit record: who uploaded which file, with what result",
    # A convenience, not a record: which column is which, rewritten by the next import of a
    # file with the same headers.
    "facilities.ImportMapping": "a remembered column mapping, rewritten by the next import",
    "reporting.DownloadLog": "a log of downloads, written once per download",
    # A generated artefact, not data anyone types: regenerating makes a new versioned row, and
    # what changes on a row (status, progress, heartbeat) is the task's own bookkeeping.
    "reporting.ReportRun": "a report generation's progress; a new generation is a new version",
    "reporting.FacilityExport": "an export file's progress, like a report run's",
    # Derived, not typed: rebuilt from records that keep their own history (reporting/kept.py).
    "reporting.FacilityState": "each facility's state over time, derived from its records",
    "reporting.FacilitySaving": "each facility's savings over time, derived from its records",
    "reporting.KeptFigures": "when the kept figures were last rebuilt",
    "reporting.FiguresVersion": "a random token that every write of the facts replaces",
}


def _project_models() -> list[type[models.Model]]:
    found = []
    for label in PROJECT_APPS:
        for model in apps.get_app_config(label).get_models():
            if issubclass(model, HistoricalChanges):
                continue  # a history table itself
            found.append(model)
    return found


def _label(model: type[models.Model]) -> str:
    return f"{model._meta.app_label}.{model.__name__}"


def test_every_programme_model_keeps_its_history() -> None:
    missing = [
        _label(model)
        for model in _project_models()
        if _label(model) not in WITHOUT_HISTORY and not hasattr(model, "history")
    ]
    assert not missing, (
        f"add history = HistoricalRecords() (or justify in WITHOUT_HISTORY): {missing}"
    )


def test_the_allowlist_names_only_models_that_exist_and_lack_history() -> None:
    labels = {_label(model): model for model in _project_models()}
    for label in WITHOUT_HISTORY:
        if label.startswith("reporting.") and label not in labels:
            continue  # reporting's models are still being written
        assert label in labels, f"{label} is allowlisted but does not exist"
        assert not hasattr(labels[label], "history"), f"{label} has history: drop it from the list"


def test_many_to_many_links_are_auto_created_join_tables() -> None:
    """Join tables Django makes for a ManyToManyField hold no data of their own; a link with
    data of its own must be a model (like OutreachParticipation) and so is checked above."""
    for label in PROJECT_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if model._meta.auto_created:
                fields = {f.name for f in model._meta.concrete_fields} - {"id"}
                assert len(fields) == 2, f"{model.__name__} carries data: make it a model"


def test_a_change_through_the_portal_records_who_made_it(users, facilities, client_for) -> None:
    facility = facilities["own"]
    client = client_for(users["facility_manager"])
    response = client.post(
        reverse("facilities:facility_contacts", args=[facility.pk]),
        {"contact_name": "Trần Thị Lan", "contact_phone": "0912 345 678", "contact_email": ""},
    )
    assert response.status_code == 302
    latest = facility.history.latest()
    assert latest.contact_name == "Trần Thị Lan"
    assert latest.history_user == users["facility_manager"]


@pytest.mark.parametrize("action", ["return", "approve"])
def test_a_review_through_the_portal_stores_its_comment_in_the_transition(
    users, facilities, client_for, action
) -> None:
    report = submitted(facilities["own"], users["facility_manager"])
    client = client_for(users["department_admin"])
    response = client.post(
        reverse(f"assessments:selfreport_{action}", args=[report.pk]),
        {"comment": "Số liệu điện cần đối chiếu hóa đơn.", "confirm_warnings": "on"},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    transition = report.transitions.latest("pk")
    assert transition.to_status == ("returned" if action == "return" else "approved")
    assert transition.from_status == SelfReport.Status.SUBMITTED
    assert transition.by == users["department_admin"]
    # An approval appends the warnings the reviewer confirmed, if any, after the comment.
    assert transition.comment.startswith("Số liệu điện cần đối chiếu hóa đơn.")
    assert report.history.latest().reviewer_comment == "Số liệu điện cần đối chiếu hóa đơn."


def test_every_step_of_the_workflow_leaves_one_transition(users, facilities) -> None:
    report = submitted(facilities["own"], users["facility_manager"])
    services.return_self_report(report, by=users["department_staff"], comment="Thiếu số liệu.")
    services.submit_self_report(report, by=users["facility_manager"])
    steps = list(
        SelfReportTransition.objects.filter(report=report).values_list("from_status", "to_status")
    )
    assert steps[-3:] == [
        ("draft", "submitted"),
        ("submitted", "returned"),
        ("returned", "submitted"),
    ]


def test_a_new_manager_is_a_version_of_the_facility_shown_in_its_history(
    users, facilities, client_for
) -> None:
    # Who manages a facility decides who sees its data, so a grant must leave a trace.
    facility = facilities["own"]
    client = client_for(users["department_staff"])
    response = client.post(
        reverse("facilities:facility_invite", args=[facility.pk]),
        {"full_name": "Ngô Thị Thu", "email": "thu@example.vn"},
    )
    assert response.status_code == 302
    latest = facility.history.latest()
    assert latest.history_user == users["department_staff"]
    assert "thu@example.vn" in {row.user.email for row in latest.managers.all()}
    page = client.get(reverse("reporting:facility_detail", args=[facility.pk])).content.decode()
    assert "Người quản lý trên cổng" in page
