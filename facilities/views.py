from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from facilities import geography, importer, services
from facilities.forms import (
    AsOfForm,
    AwarenessForm,
    ContactsForm,
    DedicatedUnitForm,
    FacilityForm,
    ImportMappingForm,
    ImportUploadForm,
    InviteManagerForm,
    OutreachFilter,
    OutreachForm,
    ProductUnitForm,
)
from facilities.models import (
    AdministrativeUnit,
    Facility,
    FacilityImport,
    ImportMapping,
    OutreachActivity,
    OutreachParticipation,
)
from facilities.vietnamese import fold
from portal import access
from portal.access import (
    ADMINS,
    DEPARTMENT,
    PROGRAMME_READERS,
    allow,
    role_of,
)
from portal.models import Role

PAGE_SIZE = 50


@allow(PROGRAMME_READERS)
def unit_list(request: HttpRequest) -> HttpResponse:
    """The administrative tree as it stood on a date (`?ngay=`, today unless asked): before
    July 2025 the district-level units with their communes, after it the communes."""
    asked = request.GET.get("ngay", request.GET.get("on", ""))
    form = AsOfForm({"on": asked} if asked else None)
    day = timezone.localdate()
    if form.is_valid() and form.cleaned_data["on"]:
        day = form.cleaned_data["on"]
    units = list(
        AdministrativeUnit.objects.valid_on(day)
        .exclude(level=AdministrativeUnit.Level.PROVINCE)
        .select_related("parent")
        .order_by("code")
    )
    children: dict[int, list[AdministrativeUnit]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)
    # The top of the tree: the units right under the province (districts, or the new communes).
    tree = [
        (unit, children.get(unit.pk, []))
        for unit in units
        if unit.parent is None or unit.parent.level == AdministrativeUnit.Level.PROVINCE
    ]
    context = {"form": form, "day": day, "units": [unit for unit, _ in tree], "tree": tree}
    context["commune_count"] = sum(unit.level == AdministrativeUnit.Level.COMMUNE for unit in units)
    return render(request, "facilities/unit_list.html", context)


@allow(ADMINS)
def unit_remap(request: HttpRequest) -> HttpResponse:
    """Move facilities from plan-era units to the current communes: the dry run on GET, the
    moves on POST (the same plan, recomputed), those needing a person listed either way."""
    if request.method == "POST":
        plans = geography.apply_remap(actor=request.user)
        moved = sum(plan.new_unit is not None for plan in plans)
        messages.success(
            request,
            _(
                "Đã chuyển %(moved)s cơ sở sang đơn vị cấp xã hiện hành; %(left)s cơ sở cần "
                "người quyết định."
            )
            % {"moved": moved, "left": len(plans) - moved},
        )
        return redirect("facilities:unit_remap")
    plans = geography.plan_remap()
    context = {
        "movable": [plan for plan in plans if plan.new_unit is not None],
        "undecided": [plan for plan in plans if plan.new_unit is None],
    }
    return render(request, "facilities/unit_remap.html", context)


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
        try:
            services.save_facility_and_location(
                form.save(commit=False), changed=form.changed_data, actor=request.user
            )
        except ValidationError as refused:
            form.add_error("administrative_unit", refused.messages[0])
        else:
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


# --- The registry import: upload, mapping, dry run and write (tasks), progress -------------


def _own_import(request: HttpRequest, pk: int) -> FacilityImport:
    """An import is its uploader's alone: anyone else, staff included, gets a 404."""
    return get_object_or_404(FacilityImport, pk=pk, uploaded_by=request.user)


@allow(DEPARTMENT)
def import_upload(request: HttpRequest) -> HttpResponse:
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        batch = FacilityImport.objects.create(
            uploaded_by=request.user, file=uploaded, original_name=uploaded.name[:255]
        )
        return redirect("facilities:import_preview", pk=batch.pk)
    recent = FacilityImport.objects.filter(uploaded_by=request.user)[:10]
    return render(request, "facilities/import_upload.html", {"form": form, "recent": recent})


@allow(DEPARTMENT)
def import_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        importer.template_workbook(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="mau-danh-sach-co-so.xlsx"'
    return response


def _mapping_form(
    request: HttpRequest, batch: FacilityImport, headers: list[str]
) -> tuple[ImportMappingForm, bool]:
    """The mapping form: as posted, else as last chosen for this import or for files with the
    same headers, else guessed from the headers. Also says whether a remembered one was used."""
    remembered = False
    if batch.mapping:
        mapping = {key: batch.mapping.get(key) for key in FIELDS_KEYS}
        defaults = batch.defaults
    else:
        saved = ImportMapping.objects.filter(headers_key=importer.headers_key(headers)).first()
        if saved is not None:
            mapping = importer.remembered_mapping(headers, saved.mapping)
            defaults, remembered = saved.defaults, True
        else:
            mapping, defaults = importer.guess_mapping(headers), {}
    initial: dict[str, str] = {
        key: "" if index is None else str(index) for key, index in mapping.items()
    }
    initial |= {f"default_{key}": value for key, value in defaults.items()}
    required = {item.key for item in importer.FIELDS if importer.is_required(item)}
    form = ImportMappingForm(
        request.POST if request.method == "POST" else None,
        headers=headers,
        fields=importer.FIELDS,
        required=required,
        initial=initial,
    )
    return form, remembered


FIELDS_KEYS = [item.key for item in importer.FIELDS]


def _headers(batch: FacilityImport) -> list[str]:
    """The file's header row, read on the first visit and kept on the import."""
    if not batch.headers:
        with batch.file.open("rb") as handle:
            batch.headers = importer.read_headers(handle)
        FacilityImport.objects.filter(pk=batch.pk).update(headers=batch.headers)
    return batch.headers


@allow(DEPARTMENT)
def import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """One import's page: the mapping, then the dry run's findings, the write, the outcome.

    POST `check` queues the dry run with the mapping, `apply` the write; both run as tasks
    whose progress this page polls (import_progress)."""
    batch = _own_import(request, pk)
    if batch.status == FacilityImport.Status.APPLIED:
        return render(request, "facilities/import_done.html", {"batch": batch})
    if batch.is_running:
        return render(request, "facilities/import_running.html", {"batch": batch})
    try:
        headers = _headers(batch)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("facilities:import_upload")
    except OSError:
        messages.error(request, _("Không còn tệp đã tải lên; vui lòng tải lên lại."))
        return redirect("facilities:import_upload")
    form, remembered = _mapping_form(request, batch, headers)
    if request.method == "POST":
        try:
            if "apply" in request.POST:
                importer.start_apply(
                    batch,
                    by=request.user,
                    formulas_confirmed=bool(request.POST.get("confirm_formulas")),
                )
                return redirect("facilities:import_preview", pk=batch.pk)
            if form.is_valid():
                importer.start_check(
                    batch,
                    by=request.user,
                    headers=headers,
                    mapping=form.mapping(),
                    defaults=form.defaults(),
                )
                return redirect("facilities:import_preview", pk=batch.pk)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    can_add_units = role_of(request.user) in ADMINS
    context = {
        "batch": batch,
        "form": form,
        "remembered": remembered,
        "result": batch.result if batch.status == FacilityImport.Status.CHECKED else None,
        "unit_form": ProductUnitForm() if can_add_units else None,
    }
    return render(request, "facilities/import_preview.html", context)


@allow(DEPARTMENT)
def import_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress panel alone, polled by htmx every two seconds while a step runs."""
    batch = _own_import(request, pk)
    response = render(request, "facilities/import_progress.html", {"batch": batch})
    if not batch.is_running and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"  # show the findings or the outcome
    return response


@allow(DEPARTMENT)
@require_POST
def import_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _own_import(request, pk)
    if importer.request_cancel(batch):
        messages.info(request, _("Đã yêu cầu hủy: cổng dừng ở lần cập nhật tiến độ tiếp theo."))
    return redirect("facilities:import_preview", pk=batch.pk)


@allow(ADMINS)
@require_POST
def import_add_unit(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a unit of production the dry run did not know, then check the file again."""
    batch = _own_import(request, pk)
    form = ProductUnitForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            " ".join(str(error) for errors in form.errors.values() for error in errors),
        )
        return redirect("facilities:import_preview", pk=batch.pk)
    unit = form.save(commit=False)
    if form.cleaned_data.get("alias") and fold(form.cleaned_data["alias"]) != fold(unit.name):
        unit.aliases = form.cleaned_data["alias"]
    unit._history_user = request.user  # type: ignore[attr-defined]
    unit.save()
    messages.success(
        request,
        _("Đã thêm đơn vị “%(name)s” vào danh mục; đang kiểm tra lại tệp.") % {"name": unit.name},
    )
    if batch.status == FacilityImport.Status.CHECKED and batch.mapping:
        try:
            mapping = {key: batch.mapping.get(key) for key in FIELDS_KEYS}
            importer.start_check(
                batch,
                by=request.user,
                headers=_headers(batch),
                mapping=mapping,
                defaults=batch.defaults,
            )
        except (ValidationError, OSError):
            pass  # the page says what is wrong with the file when it is shown
    return redirect("facilities:import_preview", pk=batch.pk)


@allow(PROGRAMME_READERS)
def outreach_list(request: HttpRequest) -> HttpResponse:
    filterset = OutreachFilter(
        request.GET or None,
        # Counted per listed activity (a subquery PostgreSQL runs for the page's rows alone), not
        # by grouping every activity's participations before the page is taken.
        queryset=OutreachActivity.objects.select_related("area").annotate(
            participant_count=Coalesce(
                Subquery(
                    OutreachParticipation.objects.filter(activity=OuterRef("pk"))
                    .order_by()
                    .values("activity")
                    .annotate(n=Count("pk"))
                    .values("n"),
                    output_field=IntegerField(),
                ),
                0,
            )
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
        form.save_m2m()  # the places reached
        messages.success(request, _("Đã lưu hoạt động %(title)s.") % {"title": activity.title})
        return redirect("facilities:outreach_detail", pk=activity.pk)
    return render(request, "facilities/outreach_form.html", {"form": form, "activity": activity})
