from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments import services
from assessments.forms import (
    AssessmentFilter,
    AssessmentForm,
    BaselineForm,
    CPOptionForm,
    MeasureFormSet,
    ReviewForm,
    ReviewQueueFilter,
    SelfReportForm,
    StartReportForm,
    SupportOrganisationForm,
    cleaned_measures,
    measure_initial,
)
from assessments.models import (
    Assessment,
    Baseline,
    CPOption,
    SelfReport,
    SelfReportAttachment,
    SupportOrganisation,
)
from assessments.savings import baseline_for, plausibility_warnings, plausibility_warnings_for
from facilities.models import Facility
from portal import access
from portal.access import (
    ASSESSMENT_READERS,
    ASSESSMENT_WRITERS,
    DEPARTMENT,
    SELF_REPORT_WRITERS,
    allow,
)
from portal.lib.downloads import private_file_response
from portal.lib.history import recent_changes
from portal.lib.paging import CappedPaginator
from portal.models import Role

PAGE_SIZE = 50
# The warnings filter computes the reports it filters that have no kept flag yet (a moment after
# factors or thresholds change): at most this many at once.
MAX_WARNING_FILTER_ROWS = 5000


@allow(ASSESSMENT_READERS)
def assessment_list(request: HttpRequest) -> HttpResponse:
    assessments = Assessment.objects.visible_to(request.user).select_related(
        "facility__administrative_unit", "organisation"
    )
    filterset = AssessmentFilter(request.GET or None, queryset=assessments)
    page = Paginator(filterset.qs.order_by("-started_on", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "assessments/assessment_list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query.urlencode(),
            "filtered": bool(request.GET.keys() - {"page"}),
            "can_edit": access.role_of(request.user) in ASSESSMENT_WRITERS,
        },
    )


@allow(ASSESSMENT_READERS | {Role.FACILITY_MANAGER})
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_object_or_404(
        Assessment.objects.visible_to(request.user).select_related("facility", "organisation"),
        pk=pk,
    )
    baseline = Baseline.objects.filter(assessment=assessment).first()
    return render(
        request,
        "assessments/assessment_detail.html",
        {
            "assessment": assessment,
            "options": assessment.options.select_related("verified_by"),
            "baseline": baseline,
            "baseline_lines": baseline.consumptions.select_related("resource") if baseline else [],
            "can_edit": access.role_of(request.user) in ASSESSMENT_WRITERS,
            "history": recent_changes(assessment)
            if access.role_of(request.user) in DEPARTMENT
            else None,
        },
    )


@allow(ASSESSMENT_READERS | {Role.FACILITY_MANAGER})
def assessment_report(request: HttpRequest, pk: int) -> FileResponse:
    """The report PDF, only to those who may see the facility (media files are never public)."""
    assessment = get_object_or_404(Assessment.objects.visible_to(request.user), pk=pk)
    return private_file_response(
        assessment.report, filename=f"bao-cao-danh-gia-{assessment.pk}.pdf"
    )


@allow(ASSESSMENT_WRITERS)
def assessment_create(request: HttpRequest) -> HttpResponse:
    return _assessment_form(request, Assessment())


@allow(ASSESSMENT_WRITERS)
def assessment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _assessment_form(
        request, get_object_or_404(Assessment.objects.editable_by(request.user), pk=pk)
    )


def _assessment_form(request: HttpRequest, assessment: Assessment) -> HttpResponse:
    is_consultant = access.role_of(request.user) == Role.CONSULTANT
    form = AssessmentForm(
        request.POST or None,
        request.FILES or None,
        instance=assessment,
        facilities=Facility.objects.visible_to(request.user),
        organisation_fixed=is_consultant,
        initial={"facility": request.GET.get("co_so")} if not assessment.pk else None,
    )
    if request.method == "POST" and form.is_valid():
        creating = assessment.pk is None
        assessment = form.save(commit=False)
        if is_consultant and creating:
            assessment.organisation_id = request.user.support_organisation_id
        assessment.save()
        messages.success(request, _("Đã lưu đánh giá."))
        return redirect("assessments:assessment_detail", pk=assessment.pk)
    return render(
        request, "assessments/assessment_form.html", {"form": form, "assessment": assessment}
    )


@allow(ASSESSMENT_WRITERS)
def baseline_edit(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_object_or_404(Assessment.objects.editable_by(request.user), pk=pk)
    if assessment.kind != Assessment.Kind.DETAILED:
        raise Http404
    baseline = Baseline.objects.filter(assessment=assessment).first() or Baseline(
        assessment=assessment
    )
    form = BaselineForm(request.POST or None, instance=baseline)
    if request.method == "POST" and form.is_valid():
        services.save_baseline(form.save(commit=False), consumptions=form.consumptions())
        messages.success(request, _("Đã lưu số liệu năm cơ sở."))
        return redirect("assessments:assessment_detail", pk=assessment.pk)
    return render(
        request, "assessments/baseline_form.html", {"form": form, "assessment": assessment}
    )


@allow(ASSESSMENT_WRITERS)
def option_create(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_object_or_404(Assessment.objects.editable_by(request.user), pk=pk)
    return _option_form(request, CPOption(assessment=assessment))


@allow(ASSESSMENT_WRITERS)
def option_edit(request: HttpRequest, pk: int, option_pk: int) -> HttpResponse:
    assessment = get_object_or_404(Assessment.objects.editable_by(request.user), pk=pk)
    return _option_form(request, get_object_or_404(CPOption, assessment=assessment, pk=option_pk))


def _option_form(request: HttpRequest, option: CPOption) -> HttpResponse:
    may_verify = access.role_of(request.user) in DEPARTMENT
    form = CPOptionForm(request.POST or None, instance=option, may_verify=may_verify)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_option(form.save(commit=False), by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Đã lưu giải pháp."))
            return redirect("assessments:assessment_detail", pk=option.assessment_id)
    return render(
        request,
        "assessments/option_form.html",
        {"form": form, "option": option, "assessment": option.assessment},
    )


@allow(SELF_REPORT_WRITERS)
def selfreport_list(request: HttpRequest) -> HttpResponse:
    """A facility manager's reports; the Department works from the review queue."""
    if access.role_of(request.user) in DEPARTMENT:
        return redirect("assessments:review_queue")
    facilities = Facility.objects.visible_to(request.user)
    reports = (
        SelfReport.objects.visible_to(request.user)
        .current()
        .select_related("facility")
        .order_by("facility__name_sort_key", "-year", "-quarter")
    )
    today = timezone.localdate()
    start_form = StartReportForm(
        facilities=facilities,
        initial={"year": today.year, "quarter": (today.month - 1) // 3 or None},
    )
    return render(
        request,
        "assessments/selfreport_list.html",
        {"reports": reports[:80], "start_form": start_form, "facilities": facilities},
    )


@allow(SELF_REPORT_WRITERS)
@require_POST
def selfreport_start(request: HttpRequest) -> HttpResponse:
    form = StartReportForm(request.POST, facilities=Facility.objects.visible_to(request.user))
    if form.is_valid():
        try:
            report = services.start_self_report(
                form.cleaned_data["facility"],
                period_kind=form.cleaned_data["period_kind"],
                year=form.cleaned_data["year"],
                quarter=form.cleaned_data["quarter"],
                by=request.user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            return redirect("assessments:selfreport_detail", pk=report.pk)
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    return redirect("assessments:selfreport_list")


@allow(SELF_REPORT_WRITERS)
def selfreport_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(
        SelfReport.objects.visible_to(request.user).select_related("facility", "reviewed_by"), pk=pk
    )
    is_department = access.role_of(request.user) in DEPARTMENT
    editable = report.status in (SelfReport.Status.DRAFT, SelfReport.Status.RETURNED)
    form = formset = None
    if editable:
        data = request.POST if request.method == "POST" else None
        form = SelfReportForm(data, request.FILES or None, instance=report)
        formset = MeasureFormSet(data, initial=measure_initial(report), prefix="measures")
        if request.method == "POST" and form.is_valid() and formset.is_valid():
            try:
                with transaction.atomic():
                    services.save_self_report(
                        report,
                        by=request.user,
                        output=form.cleaned_data["output"],
                        output_unit=form.cleaned_data["output_unit"],
                        has_cp_unit=form.cleaned_data["has_cp_unit"],
                        notes=form.cleaned_data["notes"],
                        consumptions=form.consumptions(),
                        measures=cleaned_measures(formset),
                    )
                    if "submit" in request.POST:
                        services.submit_self_report(report, by=request.user)
                    # Last, so a refused submission leaves no stray file in storage.
                    if form.cleaned_data.get("attachment"):
                        SelfReportAttachment.objects.create(
                            report=report, file=form.cleaned_data["attachment"]
                        )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if "submit" in request.POST:
                    messages.success(request, _("Đã nộp báo cáo. Sở Công Thương sẽ xem xét."))
                else:
                    messages.success(request, _("Đã lưu bản nháp."))
                return redirect("assessments:selfreport_detail", pk=report.pk)
    warnings = plausibility_warnings(report) if is_department else []
    return render(
        request,
        "assessments/selfreport_detail.html",
        {
            "report": report,
            "form": form,
            "formset": formset,
            **_deadline(report),
            **(_reference_figures(report, form) if form is not None else {}),
            "lines": report.consumptions.select_related("resource"),
            "measures": report.measures.all(),
            "history": recent_changes(report) if is_department else None,
            "attachments": report.attachments.all(),
            "transitions": report.transitions.select_related("by"),
            "warnings": warnings,
            "review_form": ReviewForm() if is_department else None,
            "is_department": is_department,
        },
    )


def _deadline(report: SelfReport) -> dict[str, object]:
    """When the report is due and, while the facility still has it, how late it is."""
    due = services.deadline_for(report.period_kind, report.year, report.quarter)
    open_ = report.status in (SelfReport.Status.DRAFT, SelfReport.Status.RETURNED)
    days = (timezone.localdate() - due).days
    return {
        "due": due,
        "days_overdue": days if open_ and days > 0 else 0,
        "days_left": -days if open_ and days <= 0 else None,
        "submitted_late": (
            report.submitted_at is not None and timezone.localtime(report.submitted_at).date() > due
        ),
    }


def _reference_figures(report: SelfReport, form: SelfReportForm) -> dict[str, object]:
    """Beside each quantity the facility enters: the previous period's approved figure and
    the baseline year's (a whole year, from its latest detailed assessment). Four queries
    whatever the facility's history."""
    if report.period_kind == SelfReport.PeriodKind.QUARTER and report.quarter:
        year, quarter = (
            (report.year, report.quarter - 1) if report.quarter > 1 else (report.year - 1, 4)
        )
    else:
        year, quarter = report.year - 1, None
    previous = (
        SelfReport.objects.in_force()
        .filter(
            facility_id=report.facility_id,
            period_kind=report.period_kind,
            year=year,
            quarter=quarter,
        )
        .prefetch_related("consumptions")
        .first()
    )
    baseline = baseline_for(report.facility)
    before = (
        {line.resource_id: line.quantity for line in previous.consumptions.all()}
        if previous
        else {}
    )
    base = (
        {line.resource_id: line.quantity for line in baseline.consumptions.all()}
        if baseline
        else {}
    )
    return {
        "previous": previous,
        "baseline": baseline,
        "resource_rows": [
            {"field": field, "previous": before.get(resource.pk), "baseline": base.get(resource.pk)}
            for resource, field in zip(form.resources, form.resource_fields(), strict=True)
        ],
    }


@allow(DEPARTMENT)
@require_POST
def selfreport_review(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    report = get_object_or_404(SelfReport.objects.visible_to(request.user), pk=pk)
    form = ReviewForm(request.POST)
    form.is_valid()
    try:
        if action == "approve":
            services.approve_self_report(
                report,
                by=request.user,
                confirm_warnings=form.cleaned_data.get("confirm_warnings", False),
                warnings=plausibility_warnings(report),
                comment=form.cleaned_data.get("comment", ""),
            )
            messages.success(request, _("Đã duyệt báo cáo."))
        elif action == "return":
            services.return_self_report(
                report, by=request.user, comment=form.cleaned_data.get("comment", "")
            )
            messages.success(request, _("Đã trả lại báo cáo để cơ sở sửa."))
        else:
            raise Http404
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("assessments:selfreport_detail", pk=report.pk)


@allow(SELF_REPORT_WRITERS)
@require_POST
def selfreport_correct(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(SelfReport.objects.visible_to(request.user), pk=pk)
    try:
        correction = services.correct_self_report(report, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("assessments:selfreport_detail", pk=report.pk)
    messages.success(request, _("Đã tạo bản sửa đổi; bản đã duyệt vẫn được lưu."))
    return redirect("assessments:selfreport_detail", pk=correction.pk)


@allow(SELF_REPORT_WRITERS)
def selfreport_attachment(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    report = get_object_or_404(SelfReport.objects.visible_to(request.user), pk=pk)
    attachment = get_object_or_404(SelfReportAttachment, report=report, pk=attachment_pk)
    return private_file_response(attachment.file, filename=f"dinh-kem-{attachment.pk}.pdf")


def _ids(values: list[str]) -> list[int]:
    """Primary keys from form values; anything that is not a plain small number is dropped."""
    ids = []
    for value in values:
        if value.isascii() and value.isdigit() and len(value) < 12:
            ids.append(int(value))
    return ids


@allow(DEPARTMENT)
def review_queue(request: HttpRequest) -> HttpResponse:
    reports = (
        SelfReport.objects.visible_to(request.user)
        .current()
        .exclude(status=SelfReport.Status.DRAFT)
        .select_related("facility__administrative_unit")
    )
    data = request.GET.copy() if request.GET else QueryDict(mutable=True)
    data.setdefault("status", SelfReport.Status.SUBMITTED)
    filterset = ReviewQueueFilter(data, queryset=reports)
    ordered = filterset.qs.order_by("submitted_at", "pk")
    wanted = filterset.form.cleaned_data.get("warnings", "")
    if wanted:
        # By each report's kept flag (assessments/flags.py); those without one (after a change
        # of factors or thresholds, until they are kept again) are computed here.
        matching = Q(has_warnings=wanted == "yes")
        unknown = list(ordered.filter(has_warnings__isnull=True)[:MAX_WARNING_FILTER_ROWS])
        if unknown:
            found = plausibility_warnings_for(unknown)
            matching |= Q(pk__in=[r.pk for r in unknown if bool(found[r.pk]) == (wanted == "yes")])
        ordered = ordered.filter(matching)
    page = CappedPaginator(ordered, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    warnings = plausibility_warnings_for(rows)
    if request.method == "POST":
        ids = _ids(request.POST.getlist("report"))[:PAGE_SIZE]
        chosen = list(
            SelfReport.objects.visible_to(request.user)
            .filter(pk__in=ids)
            .select_related("facility")
            .order_by("pk")
        )
        chosen_warnings = plausibility_warnings_for(chosen)
        approved, skipped = services.bulk_approve(
            chosen,
            by=request.user,
            warnings_for=lambda report: chosen_warnings.get(report.pk, []),
        )
        messages.success(
            request,
            _(
                "Đã duyệt %(approved)d báo cáo; %(skipped)d báo cáo có cảnh báo hoặc không ở trạng "
                "thái chờ duyệt nên được bỏ qua."
            )
            % {"approved": approved, "skipped": skipped},
        )
        return redirect(f"{request.path}?{request.GET.urlencode()}")
    query = data.copy()
    query.pop("page", None)
    return render(
        request,
        "assessments/review_queue.html",
        {
            "filter": filterset,
            "page": page,
            "rows": [(report, warnings.get(report.pk, [])) for report in rows],
            # The approve button only where a row can be ticked: in review, no warning.
            "approvable": any(
                report.status == SelfReport.Status.SUBMITTED and not warnings.get(report.pk)
                for report in rows
            ),
            "query": query.urlencode(),
        },
    )


@allow(DEPARTMENT, Role.AGENCY_OFFICER, Role.OFFICIAL, Role.CONSULTANT)
def organisation_list(request: HttpRequest) -> HttpResponse:
    organisations = SupportOrganisation.objects.annotate(
        facility_count=Count("facilities", distinct=True),
        consultant_count=Count("consultants", filter=Q(consultants__is_active=True), distinct=True),
        assessment_count=Count("assessments", distinct=True),
    ).order_by("name")
    return render(
        request,
        "assessments/organisation_list.html",
        {
            "organisations": organisations,
            "can_edit": access.role_of(request.user) in DEPARTMENT,
        },
    )


@allow(DEPARTMENT, Role.AGENCY_OFFICER, Role.OFFICIAL, Role.CONSULTANT)
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(SupportOrganisation, pk=pk)
    # The facilities it works for, as far as the reader may see them.
    facilities = (
        Facility.objects.visible_to(request.user)
        .filter(support_organisations=organisation)
        .select_related("administrative_unit")
        .order_by("name_sort_key")
    )
    return render(
        request,
        "assessments/organisation_detail.html",
        {
            "organisation": organisation,
            "consultants": organisation.consultants.filter(is_active=True).order_by("full_name"),
            "facilities": facilities[:300],
            "facility_count": facilities.count(),
            "assessments": Assessment.objects.visible_to(request.user)
            .filter(organisation=organisation)
            .select_related("facility")
            .order_by("-started_on")[:20],
            "can_edit": access.role_of(request.user) in DEPARTMENT,
        },
    )


@allow(DEPARTMENT)
def organisation_create(request: HttpRequest) -> HttpResponse:
    return _organisation_form(request, SupportOrganisation())


@allow(DEPARTMENT)
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _organisation_form(request, get_object_or_404(SupportOrganisation, pk=pk))


def _organisation_form(request: HttpRequest, organisation: SupportOrganisation) -> HttpResponse:
    form = SupportOrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        organisation = services.save_support_organisation(
            form.save(commit=False), assigned=form.cleaned_data["assigned"]
        )
        messages.success(request, _("Đã lưu tổ chức %(name)s.") % {"name": organisation.name})
        return redirect("assessments:organisation_detail", pk=organisation.pk)
    return render(
        request,
        "assessments/organisation_form.html",
        {"form": form, "organisation": organisation},
    )
