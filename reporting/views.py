from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal import access
from portal.access import (
    ADMINS,
    DEPARTMENT,
    PROGRAMME_READERS,
    REPORT_REQUESTERS,
    RESTATEMENT_READERS,
    allow,
)
from portal.lib import closing
from portal.lib.dates import local_today
from portal.lib.downloads import private_file_response
from portal.models import ClosedPeriod
from reporting import issuing, services
from reporting.forms import (
    ArchiveFilterForm,
    IssueForm,
    ReopenForm,
    ReportRequestForm,
    ReportSettingsForm,
    ReportTextsForm,
)
from reporting.models import Audience, DownloadLog, ReportRun, ReportSettings

PAGE_SIZE = 30
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@allow(PROGRAMME_READERS)
def run_list(request: HttpRequest) -> HttpResponse:
    """The archive of the reports the user may read, newest first, and (for the Department and
    officials) the form to request one."""
    form = None
    if access.role_of(request.user) in REPORT_REQUESTERS:
        plan = ReportRequestForm.base_fields["plan"].queryset.first()
        year, quarter = services.previous_period(timezone.localdate())
        if plan is not None and year > plan.end_year:
            year, quarter = plan.end_year, 4  # a plan that has ended: its last quarter
        form = ReportRequestForm(
            initial={"plan": plan, "year": year, "quarter": quarter},
            audiences=Audience.for_user(request.user),
        )
    return _archive(request, form)


def _archive(
    request: HttpRequest, form: ReportRequestForm | None, *, status: int = 200
) -> HttpResponse:
    """The archive page: the runs the filters in the query string choose, and `form`."""
    filters = ArchiveFilterForm(request.GET or None)
    runs = ReportRun.objects.visible_to(request.user).select_related("plan", "requested_by")
    if filters.is_valid():
        chosen = {k: v for k, v in filters.cleaned_data.items() if v not in (None, "")}
        runs = runs.filter(**chosen)
    page = Paginator(runs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "reporting/run_list.html",
        {
            "page": page,
            "filters": filters,
            "query": query.urlencode(),
            "form": form,
            "filtered": bool(request.GET.keys() - {"page"}),
            "can_edit_settings": access.role_of(request.user) in ADMINS,
            "can_see_closing": access.role_of(request.user) in DEPARTMENT,
        },
        status=status,
    )


@allow(REPORT_REQUESTERS)
@require_POST
def run_create(request: HttpRequest) -> HttpResponse:
    # An official's form offers their own body's audience only: another one is refused there.
    form = ReportRequestForm(request.POST, audiences=Audience.for_user(request.user))
    if form.is_valid():
        data = form.cleaned_data
        try:
            run, created = services.request_report(
                data["plan"],
                year=data["year"],
                quarter=data["quarter"],
                audience=data["audience"],
                as_of=data["as_of"],
                basis=data["basis"],
                area_grouping=data["area_grouping"],
                requested_by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if created:
                messages.success(request, _("Đã đưa báo cáo vào hàng đợi tạo."))
            else:
                messages.info(
                    request,
                    _(
                        "Báo cáo này đã có (phiên bản %(version)s). "
                        "Muốn tạo lại, bấm “Tạo phiên bản mới”."
                    )
                    % {"version": run.version},
                )
            return redirect("reporting:run_detail", pk=run.pk)
    return _archive(request, form, status=400)


@allow(PROGRAMME_READERS)
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(
        ReportRun.objects.visible_to(request.user).select_related("plan", "requested_by"), pk=pk
    )
    return _run_page(request, run)


def _run_page(
    request: HttpRequest,
    run: ReportRun,
    issue_form: IssueForm | None = None,
    texts_form: ReportTextsForm | None = None,
    *,
    status: int = 200,
) -> HttpResponse:
    versions = ReportRun.objects.same_report(run).order_by("-version")
    may_issue = (
        access.role_of(request.user) in DEPARTMENT
        and run.status == ReportRun.Status.DONE
        and not run.is_issued
    )
    if may_issue and issue_form is None:
        heading = ReportSettings.objects.for_audience(run.audience)
        issue_form = IssueForm(
            initial={"issued_on": local_today(), "signer_name": heading.signer_name}
        )
    return render(
        request,
        "reporting/run_detail.html",
        {
            "run": run,
            "versions": versions,
            "can_regenerate": access.role_of(request.user) in DEPARTMENT,
            # A refused issue shows its errors, even when the run was issued meanwhile.
            "issue_form": issue_form if may_issue or issue_form is not None else None,
            "texts_form": texts_form or (ReportTextsForm(run=run) if may_issue else None),
            "can_restate": access.role_of(request.user) in RESTATEMENT_READERS,
        },
        status=status,
    )


@allow(DEPARTMENT)
@require_POST
def run_issue(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(ReportRun.objects.select_related("plan", "requested_by"), pk=pk)
    form = IssueForm(request.POST)
    if form.is_valid():
        try:
            run = issuing.issue_report(run, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Đã ban hành báo cáo số %(reference)s. Số liệu đến ngày %(date)s đã được chốt.")
                % {"reference": run.reference, "date": run.as_of.strftime("%d/%m/%Y")},
            )
            return redirect("reporting:run_detail", pk=run.pk)
    return _run_page(request, run, form, status=400)


@allow(DEPARTMENT)
@require_POST
def run_texts(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the parts staff wrote and print the PDF and Word file again with them."""
    run = get_object_or_404(ReportRun.objects.select_related("plan", "requested_by"), pk=pk)
    form = ReportTextsForm(request.POST, run=run)
    if form.is_valid():
        try:
            run = issuing.revise_texts(run, by=request.user, texts=form.texts())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Đã lưu nội dung báo cáo; tệp PDF và Word đã được in lại với nội dung này."),
            )
            return redirect("reporting:run_detail", pk=run.pk)
    return _run_page(request, run, texts_form=form, status=400)


@allow(RESTATEMENT_READERS)
def run_restatement(request: HttpRequest, pk: int) -> HttpResponse:
    """An issued report beside its figures recomputed today, and the writes that changed them."""
    run = get_object_or_404(
        ReportRun.objects.visible_to(request.user).select_related("plan", "issued_by"),
        pk=pk,
        issued_at__isnull=False,
    )
    return render(
        request,
        "reporting/run_restatement.html",
        {"run": run, "figures": issuing.restatement(run), "today": local_today()},
    )


@allow(DEPARTMENT)
def closed_period_list(request: HttpRequest) -> HttpResponse:
    """The closed periods, newest first; department admins reopen one from here."""
    periods = ClosedPeriod.objects.select_related("closed_by", "reopened_by")
    page = Paginator(periods, PAGE_SIZE).get_page(request.GET.get("page"))
    for period in page:
        # One form per period, each with its own field ids.
        period.reopen_form = ReopenForm(prefix=f"period-{period.pk}")  # type: ignore[attr-defined]
    return render(
        request,
        "reporting/closed_periods.html",
        {
            "page": page,
            "in_force": closing.in_force(),
            "can_reopen": access.role_of(request.user) in ADMINS,
        },
    )


@allow(ADMINS)
@require_POST
def period_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    period = get_object_or_404(ClosedPeriod, pk=pk)
    form = ReopenForm(request.POST, prefix=f"period-{period.pk}")
    if form.is_valid():
        try:
            closing.reopen(period, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("Đã mở lại kỳ chốt số liệu đến ngày %(date)s (báo cáo số %(label)s).")
                % {"date": period.closed_through.strftime("%d/%m/%Y"), "label": period.label},
            )
    else:
        messages.error(request, _("Vui lòng ghi lý do mở lại kỳ đã chốt."))
    return redirect("reporting:closed_period_list")


@allow(PROGRAMME_READERS)
def run_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress panel alone, polled by htmx every two seconds while the run is not done."""
    run = get_object_or_404(ReportRun.objects.visible_to(request.user), pk=pk)
    response = render(request, "reporting/_run_status.html", {"run": run})
    if run.is_finished and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"  # show the files and figures of the finished run
    return response


@allow(DEPARTMENT)
@require_POST
def run_regenerate(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(ReportRun.objects.select_related("plan"), pk=pk)
    new, _created = services.request_report(
        run.plan,
        year=run.year,
        quarter=run.quarter,
        audience=run.audience,
        as_of=run.as_of,
        basis=run.basis,
        area_grouping=run.area_grouping,
        requested_by=request.user,
        new_version=True,
    )
    messages.success(
        request, _("Đã đưa phiên bản %(version)s vào hàng đợi tạo.") % {"version": new.version}
    )
    return redirect("reporting:run_detail", pk=new.pk)


@allow(PROGRAMME_READERS)
def run_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    run = get_object_or_404(
        ReportRun.objects.visible_to(request.user), pk=pk, status=ReportRun.Status.DONE
    )
    if fmt not in CONTENT_TYPES:
        raise Http404
    services.log_download(
        request.user,
        kind=DownloadLog.Kind(f"report_{fmt}"),
        run=run,
        detail=run.filename(fmt),
    )
    return private_file_response(
        getattr(run, fmt), filename=run.filename(fmt), content_type=CONTENT_TYPES[fmt]
    )


@allow(ADMINS)
def settings_edit(request: HttpRequest, audience: str) -> HttpResponse:
    """How one audience's reports are issued: heading, recipients, archive line and signer."""
    if audience not in Audience.values:
        raise Http404
    form = ReportSettingsForm(
        request.POST or None, instance=ReportSettings.objects.for_audience(audience)
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(
            request,
            _("Đã lưu thể thức báo cáo gửi %(audience)s. Báo cáo tạo từ nay dùng thể thức này.")
            % {"audience": Audience(audience).label},
        )
        return redirect("reporting:settings_edit", audience=audience)
    return render(
        request,
        "reporting/settings_form.html",
        {"form": form, "audience": audience, "audiences": Audience.choices},
        status=400 if form.errors else 200,
    )
