from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.utils import get_column_letter

from facilities import importer, services
from facilities.forms import (
    AsOfForm,
    AwarenessForm,
    ContactsForm,
    DedicatedUnitForm,
    FacilityForm,
    InviteManagerForm,
    OutreachFilter,
    OutreachForm,
)
from facilities.models import AdministrativeUnit, Facility, FacilityImport, OutreachActivity
from portal import access
from portal.access import (
    DEPARTMENT,
    PROGRAMME_READERS,
    allow,
)
from portal.models import Role

PAGE_SIZE = 50


@allow(PROGRAMME_READERS)
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


@allow(DEPARTMENT)
def facility_create(request: HttpRequest) -> HttpResponse:
    form = FacilityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        facility = services.save_facility(form.save(commit=False))
        messages.success(request, _("Đã thêm cơ sở %(name)s.") % {"name": facility.name})
        return redirect("reporting:facility_detail", pk=facility.pk)
    return render(request, "facilities/facility_form.html", {"form": form, "facility": None})


@allow(DEPARTMENT)
def facility_edit(request: HttpRequest, pk: int) -> HttpResponse:
    facility = get_object_or_404(Facility.objects.visible_to(request.user), pk=pk)
    form = FacilityForm(request.POST or None, instance=facility)
    if request.method == "POST" and form.is_valid():
        services.save_facility(form.save(commit=False))
        messages.success(request, _("Đã lưu thay đổi."))
        return redirect("reporting:facility_detail", pk=facility.pk)
    return render(request, "facilities/facility_form.html", {"form": form, "facility": facility})


@allow(DEPARTMENT, Role.FACILITY_MANAGER)
def facility_contacts(request: HttpRequest, pk: int) -> HttpResponse:
    facility = get_object_or_404(Facility.objects.visible_to(request.user), pk=pk)
    form = ContactsForm(
        request.POST or None,
        initial={field: getattr(facility, field) for field in services.CONTACT_FIELDS},
    )
    if request.method == "POST" and form.is_valid():
        services.update_facility_contacts(facility, **form.cleaned_data)
        messages.success(request, _("Đã cập nhật thông tin liên hệ."))
        return redirect("reporting:facility_detail", pk=facility.pk)
    return render(
        request, "facilities/facility_contacts.html", {"form": form, "facility": facility}
    )


@allow(DEPARTMENT)
def facility_invite(request: HttpRequest, pk: int) -> HttpResponse:
    facility = get_object_or_404(Facility.objects.visible_to(request.user), pk=pk)
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
            return redirect("reporting:facility_detail", pk=facility.pk)
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
    facility = get_object_or_404(Facility.objects.visible_to(request.user), pk=pk)
    form = form_class(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        record = form.save(commit=False)
        record.facility = facility
        record.save()
        messages.success(request, success)
        return redirect("reporting:facility_detail", pk=facility.pk)
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
            return redirect("reporting:facility_list")
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


@allow(PROGRAMME_READERS)
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


@allow(PROGRAMME_READERS)
def outreach_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_object_or_404(OutreachActivity.objects.select_related("area"), pk=pk)
    # Participants are shown only where the reader may see the facility itself.
    visible = Facility.objects.visible_to(request.user).filter(participations__activity=activity)
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
