"""Hostile input: Hypothesis posts generated garbage to every form a signed-in user can submit.

Each form is fetched once to learn its field names and choices (so formsets' management forms
and per-resource fields are covered as the page renders them), then posted with 200 generated
bodies: Vietnamese text with control characters and NUL, huge, negative and zero numbers, dates
out of range, values of the wrong type, repeated and missing fields. The portal must answer every
one without a server error: an invalid form comes back with its errors, a valid one redirects.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Template
from django.test import Client
from django.test.utils import _TestState
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments.models import Assessment, CPOption, SelfReport
from assessments.services import start_self_report
from facilities.importer import template_workbook
from facilities.models import FacilityImport, OutreachActivity
from portal.models import User
from programs.models import Agency, AgencyTask, Plan
from tests.assessments.test_workflow import submitted

FUZZ = settings(
    max_examples=200,
    deadline=None,
    database=None,  # no .hypothesis/ folder in the checkout
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

VIETNAMESE = "ăâđêôơưĂÂĐÊÔƠƯàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ"
CONTROL = "\x00\x01\x08\x0b\x0c\x1b\x1f\x7f\u200b\u202e\ufeff\r\n\t"
ERROR_MARKERS = ("invalid-feedback", "alert-danger", "is-invalid", "errorlist")

hostile_text = st.text(
    alphabet=st.one_of(
        st.sampled_from(VIETNAMESE + CONTROL + "<>\"'&%;=+-@/\\"),
        st.characters(codec="utf-8", exclude_categories=["Cs"]),
    ),
    max_size=300,
)
hostile_number = st.one_of(
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.floats().map(str),
    st.sampled_from(["0", "-0", "-1", "1e309", "1E+9999", "NaN", "Infinity", "1,5", "1.234,5"]),
    st.sampled_from(["9" * 40, "0x1F", "١٢٣", "12 345", "--1", "1-", "+"]),
)
hostile_date = st.one_of(
    st.dates(min_value=datetime.date(1, 1, 1)).map(lambda day: day.strftime("%d/%m/%Y")),
    st.dates(min_value=datetime.date(1, 1, 1)).map(lambda day: day.isoformat()),
    st.sampled_from(["31/02/2024", "00/00/0000", "32/13/2024", "01/01/0001", "31/12/9999"]),
    st.sampled_from(["99/99/99999", "1/1/10000", "2024-13-01", "hôm qua", "29/02/2023"]),
)
wrong_type = st.sampled_from(
    ["", " ", "on", "off", "true", "None", "null", "[]", "{}", "[object Object]", "-1", "0"]
)
hostile_file = st.builds(
    lambda name, content: SimpleUploadedFile(name, content),
    st.sampled_from(["a.pdf", "a.xlsx", "a.exe", "a", "ảnh.png", "..%2f..%2fetc.pdf", "\x00.pdf"]),
    st.one_of(
        st.binary(max_size=2000),
        st.binary(max_size=200).map(lambda tail: b"%PDF-1.4\n" + tail),
        st.just(b"MZ\x90\x00" + bytes(200)),
    ),
)


@dataclass
class FormShape:
    """What a rendered form offers: field names, their choices and current values."""

    fields: dict[str, list[str]] = field(default_factory=dict)
    files: set[str] = field(default_factory=set)


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.shape = FormShape()
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        name = attributes.get("name")
        if tag in ("input", "select", "textarea") and name and name != "csrfmiddlewaretoken":
            values = self.shape.fields.setdefault(name, [])
            if attributes.get("type") == "file":
                self.shape.files.add(name)
            elif attributes.get("value"):
                values.append(attributes["value"] or "")
            self._select = name if tag == "select" else None
        elif tag == "option" and self._select and attributes.get("value"):
            self.shape.fields[self._select].append(attributes["value"] or "")


def form_shape(html: str, extra: tuple[str, ...] = ()) -> FormShape:
    parser = _FormParser()
    parser.feed(html)
    for name in extra:
        parser.shape.fields.setdefault(name, [])
    return parser.shape


def bodies(shape: FormShape) -> st.SearchStrategy[dict[str, Any]]:
    """A body where any field may be missing, hostile, repeated or (sometimes) sensible."""

    def value_for(name: str, known: list[str]) -> st.SearchStrategy[Any]:
        if name in shape.files:
            return hostile_file
        options = [hostile_text, hostile_number, hostile_date, wrong_type]
        if known:
            options.append(st.sampled_from(known))
        single = st.one_of(*options)
        return st.one_of(single, st.lists(single, min_size=2, max_size=3))

    return st.fixed_dictionaries(
        {}, optional={name: value_for(name, known) for name, known in shape.fields.items()}
    )


def assert_answered(response, *, allowed: tuple[int, ...] = (200, 302), bound: bool = True) -> None:
    assert response.status_code < 500
    assert response.status_code in allowed, response.status_code
    # A POST without any text field is read as no submission (`request.POST or None`): the
    # views show the blank form again, which is right.
    if response.status_code == 200 and bound:
        html = response.content.decode()
        assert any(marker in html for marker in ERROR_MARKERS), "re-rendered without an error"


# --- The world every form is posted into ------------------------------------------------------


@dataclass
class World:
    users: dict[str, User]
    clients: dict[str, Client]
    ids: dict[str, int]


@pytest.fixture
def fast_templates(monkeypatch, settings) -> None:
    """Thousands of pages are rendered here: skip the test client's copy of every template's
    context (these tests read only the HTML) and the templates' debug annotations."""
    monkeypatch.setattr(Template, "_render", _TestState.saved_data.template_render)
    settings.DEBUG = False
    settings.TEMPLATES = [
        {**engine, "OPTIONS": {**engine["OPTIONS"], "debug": False}}
        for engine in settings.TEMPLATES
    ]


@pytest.fixture
def world(users, facilities, client_for, fast_templates) -> World:
    own = facilities["own"]
    consultant = users["consultant"]
    consultant.support_organisation.facilities.add(own)
    assessment = Assessment.objects.create(
        facility=own,
        kind=Assessment.Kind.DETAILED,
        status=Assessment.Status.IN_PROGRESS,
        organisation=consultant.support_organisation,
    )
    option = CPOption.objects.create(
        assessment=assessment, technique="housekeeping", description="Sửa rò rỉ khí nén"
    )
    draft = start_self_report(
        own, by=users["facility_manager"], period_kind="quarter", year=2024, quarter=1
    )
    review = submitted(own, users["facility_manager"])
    activity = OutreachActivity.objects.create(
        kind=OutreachActivity.Kind.WORKSHOP, title="Hội thảo SXSH", held_on="2019-05-10"
    )
    # A plan of its own with one target: the shipped plan's dozens of targets would make every
    # re-rendered page of the fuzz slow without testing anything more.
    plan = Plan.objects.create(name="Kế hoạch thử", start_year=2021, end_year=2030)
    plan.targets.create(
        indicator_id="T1", milestone_year=2025, floor=0.5, stretch=0.7, unit="share"
    )
    task = AgencyTask.objects.create(
        plan=plan,
        agency=Agency.objects.get(code="ubnd-425"),
        title="Tuyên truyền SXSH",
        due_on="2030-12-31",
    )
    batch = FacilityImport.objects.create(
        uploaded_by=users["department_staff"],
        file=SimpleUploadedFile("mau.xlsx", template_workbook()),
        original_name="mau.xlsx",
    )
    roles = ("department_staff", "facility_manager", "consultant", "agency_officer")
    return World(
        users=users,
        clients={role: client_for(users[role]) for role in roles} | {"anonymous": client_for(None)},
        ids={
            "own": own.pk,
            "assessment": assessment.pk,
            "option": option.pk,
            "draft": draft.pk,
            "review": review.pk,
            "activity": activity.pk,
            "task": task.pk,
            "batch": batch.pk,
            "org": consultant.support_organisation_id,
            "plan": plan.pk,
        },
    )


@dataclass(frozen=True)
class Target:
    """A form: who submits it, where, and fields a page does not show (POST-only views)."""

    role: str
    url: Callable[[dict[str, int]], str]
    extra: tuple[str, ...] = ()
    form_page: bool = True
    allowed: tuple[int, ...] = (200, 302)
    # Reset the object the form changes before each example, so every one starts alike.
    reset: Callable[[dict[str, int]], None] | None = None

    def __repr__(self) -> str:  # shown in the test id
        return self.role


def _url(name: str, *keys: str) -> Callable[[dict[str, int]], str]:
    return lambda ids: reverse(name, args=[ids[key] for key in keys])


def _back_to_draft(ids: dict[str, int]) -> None:
    SelfReport.objects.filter(pk=ids["draft"]).update(status=SelfReport.Status.DRAFT)


def _back_to_submitted(ids: dict[str, int]) -> None:
    SelfReport.objects.filter(pk=ids["review"]).update(status=SelfReport.Status.SUBMITTED)


def _back_to_uploaded(ids: dict[str, int]) -> None:
    FacilityImport.objects.filter(pk=ids["batch"]).update(status=FacilityImport.Status.UPLOADED)


STAFF, MANAGER, CONSULTANT, OFFICER = (
    "department_staff",
    "facility_manager",
    "consultant",
    "agency_officer",
)
TARGETS = {
    # The registry
    "facility_create": Target(STAFF, _url("facilities:facility_create")),
    "facility_edit": Target(STAFF, _url("facilities:facility_edit", "own")),
    "facility_contacts": Target(MANAGER, _url("facilities:facility_contacts", "own")),
    "facility_invite": Target(STAFF, _url("facilities:facility_invite", "own")),
    "awareness_add": Target(STAFF, _url("facilities:awareness_add", "own")),
    "cp_unit_add": Target(STAFF, _url("facilities:cp_unit_add", "own")),
    "outreach_create": Target(STAFF, _url("facilities:outreach_create")),
    "outreach_edit": Target(STAFF, _url("facilities:outreach_edit", "activity")),
    "import_upload": Target(STAFF, _url("facilities:import_upload")),
    "import_preview": Target(
        STAFF, _url("facilities:import_preview", "batch"), extra=("apply",), reset=_back_to_uploaded
    ),
    # Assessments and self-reports
    "assessment_create": Target(CONSULTANT, _url("assessments:assessment_create")),
    "assessment_edit": Target(CONSULTANT, _url("assessments:assessment_edit", "assessment")),
    "baseline_edit": Target(CONSULTANT, _url("assessments:baseline_edit", "assessment")),
    "option_create": Target(CONSULTANT, _url("assessments:option_create", "assessment")),
    "option_edit": Target(
        CONSULTANT,
        lambda ids: reverse("assessments:option_edit", args=[ids["assessment"], ids["option"]]),
    ),
    "organisation_create": Target(STAFF, _url("assessments:organisation_create")),
    "organisation_edit": Target(STAFF, _url("assessments:organisation_edit", "org")),
    "selfreport_start": Target(
        MANAGER,
        _url("assessments:selfreport_start"),
        extra=("facility", "period_kind", "year", "quarter"),
        form_page=False,
    ),
    "selfreport_detail": Target(
        MANAGER, _url("assessments:selfreport_detail", "draft"), reset=_back_to_draft
    ),
    "selfreport_correct": Target(
        MANAGER,
        _url("assessments:selfreport_correct", "review"),
        # The form is a bare button: fuzz what a forger would add.
        extra=("status", "version", "facility", "supersedes"),
        form_page=False,
    ),
    "selfreport_approve": Target(
        STAFF,
        _url("assessments:selfreport_approve", "review"),
        extra=("comment", "confirm_warnings"),
        form_page=False,
        reset=_back_to_submitted,
    ),
    "selfreport_return": Target(
        STAFF,
        _url("assessments:selfreport_return", "review"),
        extra=("comment",),
        form_page=False,
        reset=_back_to_submitted,
    ),
    "review_queue": Target(
        STAFF, _url("assessments:review_queue"), extra=("report",), reset=_back_to_submitted
    ),
    # The programme
    "plan_create": Target(STAFF, _url("programs:plan_create")),
    "plan_edit": Target(STAFF, _url("programs:plan_edit", "plan")),
    "project_create": Target(STAFF, _url("programs:project_create")),
    "course_create": Target(STAFF, _url("programs:course_create")),
    "official_create": Target(STAFF, _url("programs:official_create")),
    "award_create": Target(STAFF, _url("programs:award_create")),
    "task_create": Target(STAFF, _url("programs:task_create")),
    "task_edit": Target(STAFF, _url("programs:task_edit", "task")),
    "task_update": Target(OFFICER, _url("programs:task_detail", "task")),
    # Accounts
    "login": Target("anonymous", lambda ids: reverse("login"), allowed=(200, 302, 429)),
    "password_change": Target(STAFF, lambda ids: reverse("password_change")),
    "password_reset": Target("anonymous", lambda ids: reverse("password_reset")),
    "set_language": Target(
        STAFF, lambda ids: reverse("set_language"), extra=("language", "next"), form_page=False
    ),
}
# Views that redirect with a message instead of re-rendering a form.
REDIRECTING = {
    "selfreport_start",
    "selfreport_correct",
    "selfreport_approve",
    "selfreport_return",
    "set_language",
}


@pytest.mark.parametrize("name", list(TARGETS))
def test_generated_input_never_causes_a_server_error(world: World, name: str) -> None:
    target = TARGETS[name]
    client = world.clients[target.role]
    url = target.url(world.ids)
    html = ""
    if target.form_page:
        page = client.get(url)
        assert page.status_code == 200, page.status_code
        html = page.content.decode()
    shape = form_shape(html, target.extra)
    assert shape.fields, f"{name}: no field found to fuzz"
    allowed = (302, 429) if name in REDIRECTING else target.allowed

    @FUZZ
    @given(body=bodies(shape))
    def post(body: dict[str, Any]) -> None:
        if target.reset:
            target.reset(world.ids)
        for value in body.values():
            for upload in value if isinstance(value, list) else [value]:
                if isinstance(upload, SimpleUploadedFile):
                    upload.seek(0)
        bound = any(not isinstance(value, SimpleUploadedFile) for value in body.values())
        assert_answered(client.post(url, body), allowed=allowed, bound=bound)

    post()


# --- The admin: every registered model, a fixed set of hostile values -------------------------

# Hypothesis over the admin's ~40 models would take minutes; the admin's failures come from a few
# kinds of value (ids that are not numbers, integers past 64 bits, NUL, dates out of range), so
# each form gets exactly those, once per value in every field and once per field on a real row.
ADMIN_HOSTILE = (
    "abc",
    "99999999999999999999",
    "-99999999999999999999",
    "-1",
    "x" * 3000,
    "a\x00b",
    "99/99/9999",
    "1e309",
)
ADMIN_SELECTIONS = (["abc"], ["99999999999999999999"], ["1", "abc", "-99999999999999999999"])
MANAGEMENT = ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS")


def _admin_models() -> list[str]:
    from django.contrib import admin

    return sorted(
        f"{model._meta.app_label}.{model._meta.model_name}" for model in admin.site._registry
    )


@pytest.fixture
def admin_client(world: World) -> Client:
    root = User.objects.create_superuser("quantri-fuzz", "quantri@example.org", "SxshDemo@2026x")
    return _signed_in(root)


def _signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _admin_body(shape: FormShape, value: str, only: str | None = None) -> dict[str, Any]:
    """The rendered form with `value` in every field (or only in `only`), formsets kept whole."""
    body: dict[str, Any] = {}
    for name, known in shape.fields.items():
        if name.endswith(MANAGEMENT) or name in shape.files:
            body[name] = known[:1] or [""]
        elif only is None or name == only:
            body[name] = value
        else:
            body[name] = known[:1] or [""]
    return body


def _assert_no_server_error(response, what: str) -> None:
    assert response.status_code < 500, f"{what}: {response.status_code}"


@pytest.mark.parametrize("label", _admin_models())
def test_hostile_values_in_the_admin_never_cause_a_server_error(
    admin_client: Client, label: str
) -> None:
    from django.apps import apps
    from django.contrib import admin

    model = apps.get_model(label)
    model_admin = admin.site._registry[model]
    base = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    pages: list[tuple[str, bool]] = []
    add = admin_client.get(reverse(f"{base}_add"))
    _assert_no_server_error(add, "add page")
    if add.status_code == 200:
        pages.append((reverse(f"{base}_add"), False))
    row = model._default_manager.order_by("pk").first()
    if row is not None:
        change_url = reverse(f"{base}_change", args=[row.pk])
        pages.append((change_url, True))
    for url, per_field in pages:
        page = admin_client.get(url)
        _assert_no_server_error(page, url)
        if page.status_code != 200:
            continue
        shape = form_shape(page.content.decode())
        for value in ADMIN_HOSTILE:
            _assert_no_server_error(admin_client.post(url, _admin_body(shape, value)), url)
        if per_field:
            # One field at a time on a valid row reaches what runs only after the other fields
            # are clean: the model's clean(), unique checks, the save itself.
            for name, known in shape.fields.items():
                if name.endswith(MANAGEMENT) or name in shape.files:
                    continue
                if known and not any(value.lstrip("-").isdigit() for value in known):
                    continue  # text and dates: the pass above covers them
                for value in ("abc", "99999999999999999999"):
                    response = admin_client.post(url, _admin_body(shape, value, only=name))
                    _assert_no_server_error(response, f"{url} {name}={value!r}")
    # Object ids in the URL that are not numbers or do not fit a 64-bit integer.
    for object_id in ("abc", "99999999999999999999", "-99999999999999999999"):
        for view in ("change", "delete", "history"):
            response = admin_client.get(reverse(f"{base}_{view}", args=[object_id]))
            _assert_no_server_error(response, f"{view} {object_id}")
    # Every list action with a selection that is not a row id.
    changelist = reverse(f"{base}_changelist")
    request = admin_client.get(changelist).wsgi_request
    for action in model_admin.get_actions(request):
        for selection in ADMIN_SELECTIONS:
            for extra in ({}, {"post": "yes"}):
                body = {"action": action, "_selected_action": selection, "index": "0", **extra}
                _assert_no_server_error(
                    admin_client.post(changelist, body), f"{action} {selection}"
                )
