from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.http import FileResponse, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.utils import get_column_letter

from assessments.savings import FacilitySavings, savings_series
from facilities import excel, importer, services
from facilities.forms import (
    SORTS,
    AwarenessForm,
    ContactsForm,
    DedicatedUnitForm,
    FacilityFilter,
    FacilityForm,
    InviteManagerForm,
    OutreachFilter,
    OutreachForm,
    with_list_columns,
)
from facilities.models import AdministrativeUnit, Facility, FacilityImport, OutreachActivity
from facilities.timeline import facility_timeline
from portal import access
from portal.access import DEPARTMENT, allow
from portal.lib.history import recent_changes
from portal.models import Role
from reporting.models import DownloadLog
from reporting.services import log_download

PAGE_SIZE = 50
# Who may open the registry at all; each sees the rows access.facilities_for() gives them.
REGISTRY_READERS = DEPARTMENT | {
    Role.AGENCY_OFFICER,
    Role.OFFICIAL,
    Role.FACILITY_MANAGER,
    Role.CONSULTANT,
}


class AsOfForm(forms.Form):
    on = forms.DateField(label=gettext_lazy("Tại ngày"), required=False)


@allow(DEPARTMENT, Role.AGENCY_OFFICER, Role.OFFICIAL)
def unit_list(request: HttpRequest) -> HttpResponse:
    """The administrative tree as it stood on a date (today unless asked)."""
    form = AsOfForm(request.GET or None)
    day = timezone.localdate()
    if form.is_valid() and form.cleaned_data["on"]:
        day = form.cleaned_data["on"]
    units = (
        AdministrativeUnit.objects.valid_on(day)
        .filter(level=AdministrativeUnit.Level.DISTRICT)
        .select_related("parent")
        .order_by("code")
    )
    return render(request, "facilities/unit_list.html", {"form": form, "day": day, "units": units})


@allow(REGISTRY_READERS)
def facility_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    facilities = access.facilities_for(request.user)
    if access.role_of(request.user) == Role.FACILITY_MANAGER and facilities.count() == 1:
        return redirect("facilities:facility_detail", pk=facilities.get().pk)
    as_of = AsOfForm(request.GET)
    if as_of.is_valid() and as_of.cleaned_data["on"]:
        today = as_of.cleaned_data["on"]
    filterset = FacilityFilter(request.GET or None, queryset=facilities, today=today)
    page = Paginator(with_list_columns(filterset.qs, today), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    sort = request.GET.get("sort") if request.GET.get("sort") in SORTS else "name"
    return render(
        request,
        "facilities/facility_list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query.urlencode(),
            "columns": _sort_columns(query, sort),
            "total": facilities.count(),
            "can_edit": access.can_edit_facility(request.user),
            "can_export": access.role_of(request.user)
            in DEPARTMENT | {Role.AGENCY_OFFICER, Role.OFFICIAL},
            "filtered": bool(request.GET.keys() - {"page", "sort"}),
        },
    )


SORTABLE_COLUMNS = [
    ("name", gettext_lazy("Tên cơ sở")),
    ("tax_code", gettext_lazy("Mã số thuế")),
    ("area", gettext_lazy("Địa bàn")),
    ("sector", gettext_lazy("Ngành")),
    ("employees", gettext_lazy("Lao động")),
]


def _sort_columns(query: QueryDict, sort: str) -> list[dict[str, object]]:
    """Header links: a click sorts by the column, a second click reverses it."""
    columns = []
    for key, label in SORTABLE_COLUMNS:
        params = query.copy()
        params["sort"] = f"-{key}" if sort == key else key
        direction = "asc" if sort == key else "desc" if sort == f"-{key}" else ""
        columns.append({"label": label, "url": f"?{params.urlencode()}", "direction": direction})
    return columns


@allow(DEPARTMENT, Role.AGENCY_OFFICER, Role.OFFICIAL)
def facility_export(request: HttpRequest) -> HttpResponse:
    """The filtered list as XLSX; rows are written in chunks so memory stays flat."""
    today = timezone.localdate()
    as_of = AsOfForm(request.GET)
    if as_of.is_valid() and as_of.cleaned_data["on"]:
        today = as_of.cleaned_data["on"]
    filterset = FacilityFilter(
        request.GET or None, queryset=access.facilities_for(request.user), today=today
    )
    rows = with_list_columns(filterset.qs, today).iterator(chunk_size=2000)
    log_download(
        request.user, kind=DownloadLog.Kind.FACILITY_EXPORT, detail=request.GET.urlencode()
    )
    response = FileResponse(
        excel.facility_rows_xlsx(rows, today=today),
        as_attachment=True,
        filename=f"danh-sach-co-so-{today:%Y%m%d}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Cache-Control"] = "no-store"
    return response


@allow(REGISTRY_READERS)
def facility_detail(request: HttpRequest, pk: int) -> HttpResponse:
    facility = access.facility_for(request.user, pk)
    facility = (
        Facility.objects.select_related(
            "administrative_unit", "sector__parent", "size_class", "zone"
        )
        .prefetch_related("products", "managers")
        .get(pk=facility.pk)
    )
    today = timezone.localdate()
    is_department = access.can_edit_facility(request.user)
    series = savings_series(facility)
    context = {
        "facility": facility,
        "savings": series[-1] if series else None,
        "savings_chart": savings_chart(series),
        "status": facility.status_on(today),
        "timeline": facility_timeline(facility),
        "can_edit": is_department,
        "can_edit_contacts": access.can_edit_contacts(request.user, facility),
        "history": recent_changes(facility) if is_department else None,
        "awareness_form": AwarenessForm() if is_department else None,
        "cp_unit_form": DedicatedUnitForm() if is_department else None,
        "invite_form": InviteManagerForm() if is_department else None,
    }
    return render(request, "facilities/facility_detail.html", context)


def savings_chart(series: list[FacilitySavings]) -> dict[str, object] | None:
    """The chart's data for json_script: savings as ratios, None where there is no figure."""
    if not series:
        return None

    def ratio(value: Decimal | None) -> float | None:
        return None if value is None else float(value)

    return {
        "labels": [entry.period_label for entry in series],
        "energy": [ratio(entry.energy.saving if entry.energy else None) for entry in series],
        "combined": [ratio(entry.combined) for entry in series],
        "energyLabel": _("Năng lượng (TOE/đơn vị sản phẩm)"),
        "combinedLabel": _("Năng lượng và nguyên liệu"),
        "axisLabel": _("Tiết kiệm so với năm cơ sở"),
    }


@allow(DEPARTMENT)
def facility_create(request: HttpRequest) -> HttpResponse:
    form = FacilityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        facility = services.save_facility(form.save(commit=False))
        messages.success(request, _("Đã thêm cơ sở %(name)s.") % {"name": facility.name})
        return redirect("facilities:facility_detail", pk=facility.pk)
    return render(request, "facilities/facility_form.html", {"form": form, "facility": None})


@allow(DEPARTMENT)
def facility_edit(request: HttpRequest, pk: int) -> HttpResponse:
    facility = access.facility_for(request.user, pk)
    form = FacilityForm(request.POST or None, instance=facility)
    if request.method == "POST" and form.is_valid():
        services.save_facility(form.save(commit=False))
        messages.success(request, _("Đã lưu thay đổi."))
        return redirect("facilities:facility_detail", pk=facility.pk)
    return render(request, "facilities/facility_form.html", {"form": form, "facility": facility})


@allow(DEPARTMENT, Role.FACILITY_MANAGER)
def facility_contacts(request: HttpRequest, pk: int) -> HttpResponse:
    facility = access.facility_for(request.user, pk)
    form = ContactsForm(
        request.POST or None,
        initial={field: getattr(facility, field) for field in services.CONTACT_FIELDS},
    )
    if request.method == "POST" and form.is_valid():
        services.update_facility_contacts(facility, **form.cleaned_data)
        messages.success(request, _("Đã cập nhật thông tin liên hệ."))
        return redirect("facilities:facility_detail", pk=facility.pk)
    return render(
        request, "facilities/facility_contacts.html", {"form": form, "facility": facility}
    )


@allow(DEPARTMENT)
def facility_invite(request: HttpRequest, pk: int) -> HttpResponse:
    facility = access.facility_for(request.user, pk)
    form = InviteManagerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invite_facility_manager(facility, request=request, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Đã gửi thư mời đến %(email)s: người nhận đặt mật khẩu rồi đăng nhập.")
                % {"email": user.email},
            )
            return redirect("facilities:facility_detail", pk=facility.pk)
    return render(request, "facilities/facility_invite.html", {"form": form, "facility": facility})


@allow(DEPARTMENT)
@transaction.atomic
def awareness_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _add_related(request, pk, AwarenessForm, _("Đã ghi nhận xác nhận nhận thức SXSH."))


@allow(DEPARTMENT)
@transaction.atomic
def cp_unit_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _add_related(request, pk, DedicatedUnitForm, _("Đã ghi nhận bộ phận chuyên trách."))


def _add_related(
    request: HttpRequest, pk: int, form_class: type[forms.ModelForm], success: str
) -> HttpResponse:
    facility = access.facility_for(request.user, pk)
    form = form_class(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        record = form.save(commit=False)
        record.facility = facility
        record.save()
        messages.success(request, success)
        return redirect("facilities:facility_detail", pk=facility.pk)
    heading = capfirst(form_class._meta.model._meta.verbose_name)
    return render(
        request,
        "facilities/facility_record_form.html",
        {"form": form, "facility": facility, "heading": heading},
    )


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Tệp Excel (.xlsx)"),
        help_text=gettext_lazy("Tối đa 5 MB. Dòng đầu tiên là tên cột."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def clean_file(self) -> UploadedFile:
        uploaded = self.cleaned_data["file"]
        importer.check_upload(uploaded)
        return uploaded


class MappingForm(forms.Form):
    """Which spreadsheet column holds which field; pre-filled from the column headers."""

    def __init__(self, *args: Any, headers: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("— không có —"))] + [
            (str(index), f"{get_column_letter(index + 1)}: {header}")
            for index, header in enumerate(headers)
        ]
        for field in importer.FIELDS:
            label = f"{field.label_vi} *" if field.required else field.label_vi
            self.fields[field.key] = forms.ChoiceField(label=label, choices=choices, required=False)

    def mapping(self) -> dict[str, int | None]:
        return {
            key: int(value) if value not in ("", None) else None
            for key, value in self.cleaned_data.items()
        }


@allow(DEPARTMENT)
def import_upload(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        batch = FacilityImport.objects.create(
            uploaded_by=request.user, file=uploaded, original_name=uploaded.name[:255]
        )
        return redirect("facilities:import_preview", pk=batch.pk)
    recent = FacilityImport.objects.select_related("uploaded_by")[:10]
    return render(request, "facilities/import_upload.html", {"form": form, "recent": recent})


@allow(DEPARTMENT)
def import_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        importer.template_workbook(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="mau-danh-sach-co-so.xlsx"'
    return response


@allow(DEPARTMENT)
def import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """Dry run with the chosen column mapping; POST with `apply` writes it all or nothing."""
    batch = get_object_or_404(FacilityImport, pk=pk)
    if batch.status == FacilityImport.Status.APPLIED:
        messages.info(request, _("Tệp này đã được nhập; hãy tải lên tệp mới nếu cần nhập lại."))
        return redirect("facilities:import_upload")
    try:
        with batch.file.open("rb") as handle:
            sheet = importer.read_sheet(handle)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("facilities:import_upload")
    except OSError:
        messages.error(request, _("Không còn tệp đã tải lên; hãy tải lên lại."))
        return redirect("facilities:import_upload")
    data = request.POST if request.method == "POST" else None
    initial = {
        key: "" if index is None else str(index)
        for key, index in importer.guess_mapping(sheet.headers).items()
    }
    form = MappingForm(data, headers=sheet.headers, initial=initial)
    mapping = form.mapping() if form.is_valid() else importer.guess_mapping(sheet.headers)
    result = importer.preview(sheet, mapping)
    if request.method == "POST" and "apply" in request.POST and form.is_valid():
        try:
            outcome = importer.apply(result, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            batch.status = FacilityImport.Status.APPLIED
            batch.applied_at = timezone.now()
            batch.created_count, batch.updated_count = outcome.created, outcome.updated
            batch.save()
            messages.success(
                request,
                _("Đã nhập xong: %(created)d cơ sở mới, %(updated)d cơ sở được cập nhật.")
                % {"created": outcome.created, "updated": outcome.updated},
            )
            return redirect("facilities:facility_list")
    rows_with_errors = [row for row in result.rows if row.errors]
    context = {
        "batch": batch,
        "form": form,
        "result": result,
        "fields": importer.FIELDS,
        "error_rows": rows_with_errors[:200],
        "sample_rows": [row for row in result.rows if not row.errors][:20],
        "can_apply": not result.error_count and not result.mapping_errors and result.rows,
    }
    return render(request, "facilities/import_preview.html", context)


@allow(DEPARTMENT, Role.AGENCY_OFFICER, Role.OFFICIAL)
def outreach_list(request: HttpRequest) -> HttpResponse:
    filterset = OutreachFilter(
        request.GET or None,
        queryset=OutreachActivity.objects.select_related("area").annotate(
            participant_count=Count("participations")
        ),
    )
    page = Paginator(filterset.qs.order_by("-held_on", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "facilities/outreach_list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query.urlencode(),
            "can_edit": access.can_edit_facility(request.user),
            "filtered": bool(request.GET.keys() - {"page"}),
        },
    )


@allow(DEPARTMENT, Role.AGENCY_OFFICER, Role.OFFICIAL)
def outreach_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_object_or_404(OutreachActivity.objects.select_related("area"), pk=pk)
    # Participants are shown only where the reader may see the facility itself.
    visible = access.facilities_for(request.user).filter(participations__activity=activity)
    participants = Paginator(
        visible.select_related("administrative_unit").order_by("name_sort_key", "pk"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    total = activity.participations.count()
    return render(
        request,
        "facilities/outreach_detail.html",
        {
            "activity": activity,
            "page": participants,
            "query": "",
            "hidden_count": total - participants.paginator.count,
            "can_edit": access.can_edit_facility(request.user),
        },
    )


@allow(DEPARTMENT)
def outreach_create(request: HttpRequest) -> HttpResponse:
    return _outreach_form(request, OutreachActivity())


@allow(DEPARTMENT)
def outreach_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _outreach_form(request, get_object_or_404(OutreachActivity, pk=pk))


def _outreach_form(request: HttpRequest, activity: OutreachActivity) -> HttpResponse:
    form = OutreachForm(request.POST or None, instance=activity)
    if request.method == "POST" and form.is_valid():
        activity = services.save_outreach_activity(
            form.save(commit=False), participants=form.cleaned_data["participants"]
        )
        messages.success(request, _("Đã lưu hoạt động %(title)s.") % {"title": activity.title})
        return redirect("facilities:outreach_detail", pk=activity.pk)
    return render(request, "facilities/outreach_form.html", {"form": form, "activity": activity})
