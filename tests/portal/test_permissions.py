"""Every URL of the project, for every kind of visitor, answers as this table says.

A URL pattern without an entry fails `test_every_url_pattern_has_an_expected_outcome`, so each
new view must state who may see it here.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from assessments.models import Assessment, CPOption, SelfReport, SelfReportAttachment
from facilities import importer
from facilities.models import FacilityImport, IndustrialZone, OutreachActivity
from portal.lib import closing
from portal.models import Role
from programs.models import (
    AgencyTask,
    Award,
    Course,
    IndicatorDefinition,
    Official,
    Plan,
    SupportProject,
)
from public.models import Article, CaseStudy, PublicDocument
from reporting.models import FacilityExport, ReportRun
from tests.files import PDF

ANON = "anonymous"
# Each role, plus the two who must not reach "own" objects: another district's officer and
# another facility's manager.
ACTORS = [ANON, *[role.value for role in Role], "other_district_officer", "other_facility_manager"]
SAME_ROLE = {
    "other_district_officer": "agency_officer",
    "other_facility_manager": "facility_manager",
}
OWN = "own facility"  # a kwargs value replaced by the pk of the facility fixture's "own"
BATCH = "import batch"  # replaced by the pk of an uploaded, not yet applied, import
ACTIVITY = "outreach activity"  # replaced by the pk of an outreach activity
ASSESSMENT = "assessment"  # a detailed assessment of "own", with a report PDF and one option
OPTION = "option"
REPORT = "self-report"  # a submitted self-report of "own", with one attachment
ATTACHMENT = "attachment"
ORGANISATION = "support organisation"  # the consultant's
PLAN = "plan"  # the shipped plan to 2020
TASK = "agency task"  # a task of the agency officer's district
PROJECT = "support project"
COURSE = "course"
OFFICIAL = "official"
AWARD = "award"
INDICATOR = "catalogue entry"  # an indicator composed in the catalogue (code "C1")
PLACE = "place"  # a shipped industrial zone
ARTICLE = "article"  # a published news article with an image, slug "tin-thu"
CASE_STUDY = "case study"  # a published, consented case study of "own", slug "dien-hinh"
DOCUMENT = "public document"  # a published PDF of the documents library, slug "so-tay"
RUN = "report run"  # a finished quarterly report with its PDF and XLSX
EXPORT = "facility export"  # department staff's finished export of the facility list
ISSUED = "issued report run"  # the same report, issued
CLOSED = "closed period"  # the figures closed through 31/12/2020
LOGIN = "login"  # a redirect to the login page
EVERYONE_SIGNED_IN = {actor: 200 for actor in ACTORS if actor != ANON}


def outcomes(anonymous: int | str, **by_actor: int | str) -> dict[str, int | str]:
    return {ANON: anonymous, **by_actor}


def only(allowed: set[str], status: int = 200) -> dict[str, int | str]:
    """Signed-in actors in `allowed` get `status`, other signed-in actors 403, anonymous login."""
    table: dict[str, int | str] = {ANON: LOGIN}
    for actor in ACTORS[1:]:
        table[actor] = status if SAME_ROLE.get(actor, actor) in allowed else 403
    return table


DEPARTMENT = {"department_admin", "department_staff"}
READERS = DEPARTMENT | {"agency_officer", "official"}
WRITERS = DEPARTMENT | {"consultant"}
REPORTERS = DEPARTMENT | {"facility_manager"}
OUTSIDERS = {"other_district_officer": 404, "other_facility_manager": 404}
NOT_THE_REQUESTER = {
    actor: 404 for actor in (*READERS - {"department_staff"}, "other_district_officer")
}


@dataclass
class Case:
    name: str
    expected: dict[str, int | str]
    kwargs: dict[str, str] = field(default_factory=dict)
    method: str = "get"


CASES = [
    Case("home", outcomes(200, **EVERYONE_SIGNED_IN)),
    Case("healthz", outcomes(200, **EVERYONE_SIGNED_IN)),
    Case("dashboard", outcomes(LOGIN, **EVERYONE_SIGNED_IN)),
    Case(
        "facilities:unit_list",
        only(DEPARTMENT | {"agency_officer", "official"}),
    ),
    Case("facilities:unit_remap", only({"department_admin"})),
    Case("login", outcomes(200, **{a: 302 for a in ACTORS[1:]})),
    Case("logout", outcomes(302, **{a: 302 for a in ACTORS[1:]}), method="post"),
    Case("password_change", outcomes(LOGIN, **EVERYONE_SIGNED_IN)),
    Case("password_change_done", outcomes(LOGIN, **EVERYONE_SIGNED_IN)),
    Case("password_reset", outcomes(200, **EVERYONE_SIGNED_IN)),
    Case("password_reset_done", outcomes(200, **EVERYONE_SIGNED_IN)),
    Case(
        "password_reset_confirm",
        # A wrong token renders the "invalid link" page to anyone.
        outcomes(200, **EVERYONE_SIGNED_IN),
        kwargs={"uidb64": "MQ", "token": "set-password"},
    ),
    Case("password_reset_complete", outcomes(200, **EVERYONE_SIGNED_IN)),
    Case("set_language", outcomes(302, **{a: 302 for a in ACTORS[1:]}), method="post"),
    Case(
        "reporting:facility_list",
        # A manager of a single facility is taken straight to it.
        only(READERS | {"facility_manager", "consultant"})
        | {"facility_manager": 302, "other_facility_manager": 302},
    ),
    Case("reporting:facility_export", only(READERS)),
    # An export is its requester's (department staff here): other readers get 404.
    *[
        Case(f"reporting:{name}", only(READERS) | NOT_THE_REQUESTER, kwargs={"pk": EXPORT})
        for name in ("export_detail", "export_progress", "export_download")
    ],
    Case(
        "reporting:export_cancel",
        only(READERS, status=302) | NOT_THE_REQUESTER,
        kwargs={"pk": EXPORT},
        method="post",
    ),
    Case("facilities:facility_create", only(DEPARTMENT)),
    Case(
        "reporting:facility_detail",
        only(READERS | {"facility_manager", "consultant"}) | OUTSIDERS,
        kwargs={"pk": OWN},
    ),
    Case("facilities:facility_edit", only(DEPARTMENT), kwargs={"pk": OWN}),
    Case(
        "facilities:facility_contacts",
        only(DEPARTMENT | {"facility_manager"}) | {"other_facility_manager": 404},
        kwargs={"pk": OWN},
    ),
    Case("facilities:facility_invite", only(DEPARTMENT), kwargs={"pk": OWN}),
    Case("facilities:awareness_add", only(DEPARTMENT), kwargs={"pk": OWN}),
    Case("facilities:cp_unit_add", only(DEPARTMENT), kwargs={"pk": OWN}),
    Case("facilities:import_upload", only(DEPARTMENT)),
    Case("facilities:import_template", only(DEPARTMENT)),
    # An import is its uploader's (department staff here): another admin or staff gets 404.
    Case(
        "facilities:import_preview",
        only(DEPARTMENT) | {"department_admin": 404},
        kwargs={"pk": BATCH},
    ),
    Case(
        "facilities:import_progress",
        only(DEPARTMENT) | {"department_admin": 404},
        kwargs={"pk": BATCH},
    ),
    Case(
        "facilities:import_cancel",
        only(DEPARTMENT, status=302) | {"department_admin": 404},
        kwargs={"pk": BATCH},
        method="post",
    ),
    # Adding a unit is for department admins; this batch is not theirs.
    Case(
        "facilities:import_add_unit",
        only({"department_admin"}, status=404),
        kwargs={"pk": BATCH},
        method="post",
    ),
    Case("facilities:outreach_list", only(READERS)),
    Case("facilities:outreach_create", only(DEPARTMENT)),
    Case("facilities:outreach_detail", only(READERS), kwargs={"pk": ACTIVITY}),
    Case("facilities:outreach_edit", only(DEPARTMENT), kwargs={"pk": ACTIVITY}),
    Case("assessments:assessment_list", only(READERS | {"consultant"})),
    Case("assessments:assessment_create", only(WRITERS)),
    Case(
        "assessments:assessment_detail",
        only(READERS | {"consultant", "facility_manager"}) | OUTSIDERS,
        kwargs={"pk": ASSESSMENT},
    ),
    Case("assessments:assessment_edit", only(WRITERS), kwargs={"pk": ASSESSMENT}),
    Case(
        "assessments:assessment_report",
        only(READERS | {"consultant", "facility_manager"}) | OUTSIDERS,
        kwargs={"pk": ASSESSMENT},
    ),
    Case("assessments:baseline_edit", only(WRITERS), kwargs={"pk": ASSESSMENT}),
    Case("assessments:option_create", only(WRITERS), kwargs={"pk": ASSESSMENT}),
    Case(
        "assessments:option_edit",
        only(WRITERS),
        kwargs={"pk": ASSESSMENT, "option_pk": OPTION},
    ),
    Case(
        "assessments:selfreport_list",
        only(REPORTERS) | {"department_admin": 302, "department_staff": 302},
    ),
    Case("assessments:selfreport_start", only(REPORTERS, status=302), method="post"),
    Case("assessments:review_queue", only(DEPARTMENT)),
    Case("reporting:completeness", only(READERS)),
    Case("assessments:organisation_list", only(READERS | {"consultant"})),
    Case("assessments:organisation_create", only(DEPARTMENT)),
    Case(
        "assessments:organisation_detail",
        only(READERS | {"consultant"}),
        kwargs={"pk": ORGANISATION},
    ),
    Case("assessments:organisation_edit", only(DEPARTMENT), kwargs={"pk": ORGANISATION}),
    Case(
        "assessments:selfreport_detail",
        only(REPORTERS) | {"other_facility_manager": 404},
        kwargs={"pk": REPORT},
    ),
    Case(
        "assessments:selfreport_approve",
        only(DEPARTMENT, status=302),
        kwargs={"pk": REPORT},
        method="post",
    ),
    Case(
        "assessments:selfreport_return",
        only(DEPARTMENT, status=302),
        kwargs={"pk": REPORT},
        method="post",
    ),
    Case(
        "assessments:selfreport_correct",
        only(REPORTERS, status=302) | {"other_facility_manager": 404},
        kwargs={"pk": REPORT},
        method="post",
    ),
    Case(
        "assessments:selfreport_attachment",
        only(REPORTERS) | {"other_facility_manager": 404},
        kwargs={"pk": REPORT, "attachment_pk": ATTACHMENT},
    ),
    Case("programs:plan_list", only(READERS)),
    Case("programs:plan_create", only(DEPARTMENT)),
    Case("programs:plan_detail", only(READERS), kwargs={"pk": PLAN}),
    Case("programs:plan_edit", only(DEPARTMENT), kwargs={"pk": PLAN}),
    Case("programs:indicator_list", only({"department_admin"})),
    Case("programs:indicator_create", only({"department_admin"})),
    Case("programs:indicator_edit", only({"department_admin"}), kwargs={"code": INDICATOR}),
    Case("reporting:indicator_preview", only({"department_admin"}), method="post"),
    Case("programs:project_list", only(READERS)),
    Case("programs:project_create", only(DEPARTMENT)),
    Case("programs:project_edit", only(DEPARTMENT), kwargs={"pk": PROJECT}),
    Case("programs:project_document", only(READERS), kwargs={"pk": PROJECT}),
    Case("programs:course_list", only(READERS)),
    Case("programs:course_create", only(DEPARTMENT)),
    Case("programs:course_edit", only(DEPARTMENT), kwargs={"pk": COURSE}),
    Case("programs:place_list", only(READERS)),
    Case("programs:place_create", only(DEPARTMENT)),
    Case("programs:place_edit", only(DEPARTMENT), kwargs={"pk": PLACE}),
    Case("programs:official_list", only(READERS)),
    Case("programs:official_create", only(DEPARTMENT)),
    Case("programs:official_edit", only(DEPARTMENT), kwargs={"pk": OFFICIAL}),
    Case("programs:award_list", only(READERS)),
    Case("programs:award_create", only(DEPARTMENT)),
    Case("programs:award_edit", only(DEPARTMENT), kwargs={"pk": AWARD}),
    Case("programs:task_list", only(READERS)),
    Case("programs:task_create", only(DEPARTMENT)),
    Case("programs:task_detail", only(READERS), kwargs={"pk": TASK}),
    Case("programs:task_edit", only(DEPARTMENT), kwargs={"pk": TASK}),
    Case("dashboard_charts", only(READERS)),
    Case("reporting:run_list", only(READERS)),
    # An empty request form is re-rendered with its errors; officials request their body's.
    Case("reporting:run_create", only(DEPARTMENT | {"official"}, status=400), method="post"),
    Case("reporting:settings_edit", only({"department_admin"}), kwargs={"audience": "province"}),
    Case("reporting:run_detail", only(READERS), kwargs={"pk": RUN}),
    Case("reporting:run_status", only(READERS), kwargs={"pk": RUN}),
    Case(
        "reporting:run_regenerate",
        only(DEPARTMENT, status=302),
        kwargs={"pk": RUN},
        method="post",
    ),
    Case("reporting:run_download", only(READERS), kwargs={"pk": RUN, "fmt": "pdf"}),
    # An empty issuing form is re-rendered with its errors.
    Case("reporting:run_issue", only(DEPARTMENT, status=400), kwargs={"pk": RUN}, method="post"),
    Case("reporting:run_texts", only(DEPARTMENT, status=400), kwargs={"pk": RUN}, method="post"),
    Case("reporting:run_restatement", only(DEPARTMENT | {"official"}), kwargs={"pk": ISSUED}),
    Case("reporting:closed_period_list", only(DEPARTMENT)),
    # A reopening without its reason is refused with a message on the list it returns to.
    Case(
        "reporting:period_reopen",
        only({"department_admin"}, status=302),
        kwargs={"pk": CLOSED},
        method="post",
    ),
    Case("reporting:energy_list", only(READERS)),
    Case("reporting:energy_list_file", only(READERS), kwargs={"fmt": "xlsx"}),
    Case(
        "reporting:energy_form",
        only(REPORTERS) | {"other_facility_manager": 404},
        kwargs={"pk": OWN},
    ),
    Case("reporting:energy_form_all", only(DEPARTMENT)),
    Case("reporting:energy_checks", only(DEPARTMENT)),
    Case("public:sitemap", outcomes(200, **EVERYONE_SIGNED_IN)),
    Case("public:news_list", outcomes(200, **EVERYONE_SIGNED_IN)),
    Case("public:news_feed", outcomes(200, **EVERYONE_SIGNED_IN)),
    Case("public:guidance_list", outcomes(200, **EVERYONE_SIGNED_IN)),
    Case(
        "public:article_detail",
        outcomes(200, **EVERYONE_SIGNED_IN),
        kwargs={"pk": ARTICLE, "slug": "tin-thu"},
    ),
    Case("public:article_image", outcomes(200, **EVERYONE_SIGNED_IN), kwargs={"pk": ARTICLE}),
    Case("public:case_study_list", outcomes(200, **EVERYONE_SIGNED_IN)),
    Case(
        "public:case_study_detail",
        outcomes(200, **EVERYONE_SIGNED_IN),
        kwargs={"pk": CASE_STUDY, "slug": "dien-hinh"},
    ),
    Case("public:case_study_image", outcomes(200, **EVERYONE_SIGNED_IN), kwargs={"pk": CASE_STUDY}),
    Case("public:award_list", outcomes(200, **EVERYONE_SIGNED_IN)),
    Case("public:plan_results", outcomes(200, **EVERYONE_SIGNED_IN), kwargs={"pk": PLAN}),
    Case("public:organisation_list", outcomes(200, **EVERYONE_SIGNED_IN)),
    Case("public:document_list", outcomes(200, **EVERYONE_SIGNED_IN)),
    Case(
        "public:document_file",
        outcomes(200, **EVERYONE_SIGNED_IN),
        kwargs={"pk": DOCUMENT, "slug": "so-tay"},
    ),
    Case("public:event_list", outcomes(200, **EVERYONE_SIGNED_IN)),
    Case("public:contact", outcomes(200, **EVERYONE_SIGNED_IN)),
    Case("public:manage_articles", only(DEPARTMENT)),
    Case("public:manage_article_create", only(DEPARTMENT)),
    Case("public:manage_article_edit", only(DEPARTMENT), kwargs={"pk": ARTICLE}),
    Case("public:manage_case_studies", only(DEPARTMENT)),
    Case("public:manage_case_study_create", only(DEPARTMENT)),
    Case("public:manage_case_study_edit", only(DEPARTMENT), kwargs={"pk": CASE_STUDY}),
    Case("public:manage_documents", only(DEPARTMENT)),
    Case("public:manage_document_create", only(DEPARTMENT)),
    Case("public:manage_document_edit", only(DEPARTMENT), kwargs={"pk": DOCUMENT}),
    Case(
        "admin:index",
        # Django's admin sends everyone but department admins to its own login page.
        {**{a: 302 for a in ACTORS}, "department_admin": 200},
    ),
]

# Django's admin guards each of its pages with the same check as its index (admin_view), so the
# index stands for the whole namespace.
DELEGATED_NAMESPACES = {"admin"}


def _pattern_names(resolver: URLResolver, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            names |= _pattern_names(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(f"{namespace}{entry.name}")
    return names


def test_every_url_pattern_has_an_expected_outcome() -> None:
    names = {
        name
        for name in _pattern_names(get_resolver())
        if name.split(":")[0] not in DELEGATED_NAMESPACES
    }
    listed = {case.name for case in CASES}
    assert names - listed == set(), "add these URLs to CASES with who may see them"
    assert listed - names - {"admin:index"} == set(), "CASES names URLs that no longer exist"


def test_every_url_pattern_is_named() -> None:
    def unnamed(resolver: URLResolver) -> list[str]:
        found = []
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                if entry.namespace not in DELEGATED_NAMESPACES:
                    found += unnamed(entry)
            elif not entry.name:
                found.append(str(entry.pattern))
        return found

    assert unnamed(get_resolver()) == []


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_each_actor_gets_the_expected_answer(
    case: Case, users, facilities, import_batch, client_for
) -> None:
    activity = OutreachActivity.objects.create(
        kind="workshop", title="Hội thảo", held_on=datetime.date(2019, 4, 2), organiser="Sở"
    )
    stand_ins = {
        OWN: facilities["own"].pk,
        BATCH: import_batch.pk,
        ACTIVITY: activity.pk,
        **_assessment_and_report(users, facilities["own"]),
        **_programme(users, facilities["own"]),
        **_public_content(facilities["own"]),
        RUN: _report_run(users).pk,
        EXPORT: _facility_export(users).pk,
        ISSUED: _issued_run(users).pk,
        CLOSED: closing.close(
            through=datetime.date(2020, 12, 31),
            label="1/BC-SCT",
            run_id=None,
            by=users["department_staff"],
        ).pk,
    }
    kwargs = {key: stand_ins.get(value, value) for key, value in case.kwargs.items()}
    url = reverse(case.name, kwargs=kwargs or None)
    assert set(case.expected) == set(ACTORS), f"{case.name}: give an outcome for every actor"
    seen = {}
    for actor in ACTORS:
        client = client_for(None if actor == ANON else users[actor])
        response = getattr(client, case.method)(url)
        if case.expected[actor] == LOGIN:
            ok = response.status_code == 302 and response["Location"].startswith(reverse("login"))
            seen[actor] = f"{response.status_code} {response.get('Location', '')}"
        else:
            ok = response.status_code == case.expected[actor]
            seen[actor] = response.status_code
        assert ok, f"{case.name} as {actor}: expected {case.expected[actor]}, got {seen[actor]}"


@pytest.fixture
def import_batch(users) -> FacilityImport:
    batch = FacilityImport(uploaded_by=users["department_staff"], original_name="mau.xlsx")
    batch.file.save("mau.xlsx", ContentFile(importer.template_workbook()))
    return batch


def _report_run(users, version: int = 1) -> ReportRun:
    run = ReportRun.objects.create(
        version=version,
        plan=Plan.objects.get(end_year=2020),
        year=2020,
        quarter=4,
        audience="province",
        as_of=datetime.date(2020, 12, 31),
        trigger="request",
        requested_by=users["department_staff"],
        status="done",
    )
    run.pdf.save("r.pdf", ContentFile(PDF))
    run.xlsx.save("r.xlsx", ContentFile(b"PK"))
    return run


def _facility_export(users) -> FacilityExport:
    export = FacilityExport.objects.create(
        requested_by=users["department_staff"], as_of=datetime.date(2020, 12, 31), status="done"
    )
    export.file.save("co-so.xlsx", ContentFile(b"PK"))
    return export


def _issued_run(users) -> ReportRun:
    run = _report_run(users, version=2)
    run.number, run.symbol, run.issued_year = "1", "SCT", 2021
    run.issued_on, run.issued_at = datetime.date(2021, 1, 15), timezone.now()
    run.figures = {"summary": [], "tables": {}}
    run.save()
    return run


def _assessment_and_report(users, facility) -> dict[str, int]:
    """A detailed assessment and a submitted self-report of `facility`, which the consultant's
    organisation is assigned to."""
    users["consultant"].support_organisation.facilities.add(facility)
    assessment = Assessment.objects.create(
        organisation=users["consultant"].support_organisation,
        facility=facility,
        kind="detailed",
        status="completed",
        funding="provincial",
        started_on=datetime.date(2018, 3, 1),
        completed_on=datetime.date(2018, 6, 1),
    )
    assessment.report.save("bao-cao.pdf", ContentFile(PDF))
    option = CPOption.objects.create(
        assessment=assessment, technique="housekeeping", description="Sửa rò rỉ hơi"
    )
    report = SelfReport.objects.create(
        facility=facility,
        period_kind="quarter",
        year=2019,
        quarter=2,
        status="submitted",
        output=100,
        output_unit="t",
    )
    attachment = SelfReportAttachment(report=report)
    attachment.file.save("dinh-kem.pdf", ContentFile(PDF))
    return {
        ORGANISATION: users["consultant"].support_organisation_id,
        ASSESSMENT: assessment.pk,
        OPTION: option.pk,
        REPORT: report.pk,
        ATTACHMENT: attachment.pk,
    }


def _programme(users, facility) -> dict[str, int]:
    plan = Plan.objects.get(name__startswith="Kế hoạch thực hiện Chiến lược")
    official = Official.objects.create(
        full_name="Lê Thị Hoa", level="district", dedicated_from=datetime.date(2016, 1, 1)
    )
    return {
        PLAN: plan.pk,
        TASK: AgencyTask.objects.create(
            plan=plan,
            agency=users["agency_officer"].agency,
            title="Tuyên truyền SXSH trên địa bàn",
            due_on=datetime.date(2019, 12, 31),
        ).pk,
        PROJECT: _project_with_document().pk,
        COURSE: Course.objects.create(
            title="Đào tạo giảng viên SXSH",
            kind="trainers",
            starts_on=datetime.date(2019, 5, 6),
            ends_on=datetime.date(2019, 5, 10),
            organiser="Bộ Công Thương",
        ).pk,
        OFFICIAL: official.pk,
        PLACE: IndustrialZone.objects.get(name="KCN Bắc Vinh").pk,
        AWARD: Award.objects.create(
            facility=facility, year=2019, title="Bằng khen", issued_by="UBND tỉnh Nghệ An"
        ).pk,
        INDICATOR: IndicatorDefinition.objects.create(
            code="C1",
            name="Cơ sở dệt may áp dụng SXSH",
            kind="facility_share",
            condition="applying",
            sector_prefixes="13, 14",
            definition="Tỷ lệ cơ sở dệt may áp dụng SXSH.",
        ).code,
    }


def _project_with_document() -> SupportProject:
    project = SupportProject.objects.create(
        title="Dự án trình diễn SXSH", year=2019, funding="provincial"
    )
    project.document.save("ho-so.pdf", ContentFile(PDF))
    return project


def _public_content(facility) -> dict[str, int]:
    """One published item of each kind of the public page, with its picture or file."""
    png = (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00"
        b"\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05"
        b"\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
    )
    published = {
        "status": "published",
        "published_at": datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC),
    }
    article = Article(
        kind="news", title="Tin thử", slug="tin-thu", summary="-", body="-", **published
    )
    article.image.save("anh.png", ContentFile(png))
    study = CaseStudy(
        facility=facility,
        title="Điển hình",
        slug="dien-hinh",
        summary="-",
        body="-",
        consent_given=True,
        consent_on=datetime.date(2019, 12, 1),
        **published,
    )
    study.image.save("anh.png", ContentFile(png))
    document = PublicDocument(kind="guide", title="Sổ tay", slug="so-tay", **published)
    document.file.save("so-tay.pdf", ContentFile(PDF))
    return {ARTICLE: article.pk, CASE_STUDY: study.pk, DOCUMENT: document.pk}
