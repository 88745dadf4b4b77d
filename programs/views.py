from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models, transaction
from django.db.models import Case, Count, F, OuterRef, Subquery, When
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from facilities.models import IndustrialZone, OutreachActivity, OutreachParticipation
from portal import access
from portal.access import (
    ADMINS,
    DEPARTMENT,
    PROGRAMME_READERS,
    allow,
)
from portal.lib.downloads import private_file_response
from programs import services
from programs.forms import (
    AwardFilter,
    AwardForm,
    CourseFilter,
    CourseForm,
    IndicatorDefinitionForm,
    OfficialFilter,
    OfficialForm,
    ParticipantFormSet,
    PlaceFilter,
    PlaceForm,
    PlanForm,
    ProjectFilter,
    ProjectForm,
    TargetFormSet,
    TaskFilter,
    TaskForm,
    TaskUpdateForm,
)
from programs.models import (
    AgencyTask,
    Award,
    Course,
    IndicatorDefinition,
    Official,
    Plan,
    SupportProject,
)

PAGE_SIZE = 50
READERS = PROGRAMME_READERS


def _list(
    request: HttpRequest,
    *,
    filterset_class: type[django_filters.FilterSet],
    queryset: models.QuerySet[Any],
    template: str,
    **context: Any,
) -> HttpResponse:
    """A filtered, paginated list; every programme list page reads the same way."""
    filterset = filterset_class(request.GET or None, queryset=queryset)
    # Aggregating drops a model's default order; pagination needs a stable one.
    ordered = filterset.qs.order_by(*queryset.model._meta.ordering, "pk")
    page = Paginator(ordered, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        template,
        {
            "filter": filterset,
            "page": page,
            "query": query.urlencode(),
            "filtered": bool(request.GET.keys() - {"page"}),
            "can_edit": access.role_of(request.user) in DEPARTMENT,
            **context,
        },
    )


def _form_page(
    request: HttpRequest,
    form: forms.Form,
    *,
    title: str,
    back: str,
    formset: forms.BaseFormSet | None = None,
) -> HttpResponse:
    return render(
        request,
        "programs/object_form.html",
        {"form": form, "formset": formset, "title": title, "back": back},
    )


def _plain_edit(
    request: HttpRequest,
    form_class: type[forms.ModelForm],
    instance: models.Model,
    *,
    saved: str,
    titles: tuple[str, str],
    back: str,
) -> HttpResponse:
    """An add or edit page whose form saves its object alone; `titles` are (add, edit)."""
    form = form_class(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, saved)
        return redirect(back)
    return _form_page(request, form, title=titles[1] if instance.pk else titles[0], back=back)


# --- Plans ------------------------------------------------------------------------------------


@allow(READERS)
def plan_list(request: HttpRequest) -> HttpResponse:
    plans = Plan.objects.annotate(target_count=Count("targets"))
    return render(
        request,
        "programs/plan_list.html",
        {
            "plans": plans,
            "can_edit": access.role_of(request.user) in DEPARTMENT,
            "can_compose": access.role_of(request.user) in ADMINS,
        },
    )


@allow(READERS)
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(Plan, pk=pk)
    return render(
        request,
        "programs/plan_detail.html",
        {
            "plan": plan,
            "targets": plan.targets.select_related("indicator"),
            "can_edit": access.role_of(request.user) in DEPARTMENT,
            "can_compose": access.role_of(request.user) in ADMINS,
        },
    )


@allow(DEPARTMENT)
def plan_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    plan = get_object_or_404(Plan, pk=pk) if pk else Plan()
    form = PlanForm(request.POST or None, instance=plan)
    formset = TargetFormSet(request.POST or None, instance=plan, prefix="targets")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        with transaction.atomic():
            plan = form.save()
            formset.instance = plan
            formset.save()
        messages.success(request, _("Đã lưu kế hoạch và các chỉ tiêu."))
        return redirect("programs:plan_detail", pk=plan.pk)
    return _form_page(
        request,
        form,
        formset=formset,
        title=_("Sửa kế hoạch") if plan.pk else _("Thêm kế hoạch"),
        back="programs:plan_list",
    )


# --- The indicator catalogue --------------------------------------------------------------------


@allow(ADMINS)
def indicator_list(request: HttpRequest) -> HttpResponse:
    # A grouped query keeps no Meta.ordering: the catalogue's order is said again.
    entries = (
        IndicatorDefinition.objects.select_related("resource")
        .prefetch_related("size_classes")
        .annotate(plan_count=Count("targets__plan", distinct=True))
        .order_by("rank", "code")
    )
    return render(request, "programs/indicator_list.html", {"entries": entries})


@allow(ADMINS)
def indicator_edit(request: HttpRequest, code: str | None = None) -> HttpResponse:
    """Compose a catalogue entry, or change one composed here (the shipped T1–T5 and A1–A4
    are the plan to 2020's, computed as it defined them: they are not edited). The preview
    of its value today is `reporting.catalogue.indicator_preview`, which renders this page."""
    entry = (
        get_object_or_404(IndicatorDefinition, code=code, built_in=False)
        if code
        else IndicatorDefinition()
    )
    form = IndicatorDefinitionForm(request.POST or None, instance=entry)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
        messages.success(request, _("Đã lưu chỉ tiêu %(code)s.") % {"code": form.instance.code})
        return redirect("programs:indicator_list")
    return render(request, "programs/indicator_form.html", indicator_form_context(form, entry))


def indicator_form_context(
    form: IndicatorDefinitionForm, entry: IndicatorDefinition, **extra: Any
) -> dict[str, Any]:
    return {
        "form": form,
        "entry": entry,
        "title": _("Sửa chỉ tiêu %(code)s") % {"code": entry.code}
        if entry.pk
        else _("Thêm chỉ tiêu vào danh mục"),
        **extra,
    }


# --- Support projects -------------------------------------------------------------------------


@allow(READERS)
def project_list(request: HttpRequest) -> HttpResponse:
    return _list(
        request,
        filterset_class=ProjectFilter,
        queryset=SupportProject.objects.annotate(facility_count=Count("facilities")),
        template="programs/project_list.html",
    )


@allow(DEPARTMENT)
def project_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    project = get_object_or_404(SupportProject, pk=pk) if pk else SupportProject()
    form = ProjectForm(request.POST or None, request.FILES or None, instance=project)
    if request.method == "POST" and form.is_valid():
        services.save_project(form.save(commit=False), facilities=form.cleaned_data["assigned"])
        messages.success(request, _("Đã lưu dự án."))
        return redirect("programs:project_list")
    return _form_page(
        request,
        form,
        title=_("Sửa dự án") if project.pk else _("Thêm dự án"),
        back="programs:project_list",
    )


# --- Training and officials -------------------------------------------------------------------


@allow(READERS)
def course_list(request: HttpRequest) -> HttpResponse:
    courses = Course.objects.annotate(
        participant_count=Count("participants"),
        completed_count=Count("participants", filter=models.Q(participants__completed=True)),
    )
    return _list(
        request,
        filterset_class=CourseFilter,
        queryset=courses,
        template="programs/course_list.html",
    )


@allow(DEPARTMENT)
def course_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    course = get_object_or_404(Course, pk=pk) if pk else Course()
    form = CourseForm(request.POST or None, instance=course)
    formset = ParticipantFormSet(request.POST or None, instance=course, prefix="participants")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        with transaction.atomic():
            course = form.save()
            formset.instance = course
            formset.save()
        messages.success(request, _("Đã lưu khóa đào tạo."))
        return redirect("programs:course_list")
    return _form_page(
        request,
        form,
        formset=formset,
        title=_("Sửa khóa đào tạo") if course.pk else _("Thêm khóa đào tạo"),
        back="programs:course_list",
    )


@allow(READERS)
def official_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    officials = Official.objects.select_related("agency").annotate(
        completed_courses=Count(
            "courses",
            filter=models.Q(courses__completed=True, courses__course__qualifies_for_t5=True),
        )
    )
    return _list(
        request,
        filterset_class=OfficialFilter,
        queryset=officials,
        template="programs/official_list.html",
        today=today,
    )


@allow(DEPARTMENT)
def official_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    return _plain_edit(
        request,
        OfficialForm,
        get_object_or_404(Official, pk=pk) if pk else Official(),
        saved=_("Đã lưu cán bộ."),
        titles=(_("Thêm cán bộ chuyên trách"), _("Sửa cán bộ chuyên trách")),
        back="programs:official_list",
    )


# --- Places reached (industrial zones, clusters, craft villages) ------------------------------


@allow(READERS)
def place_list(request: HttpRequest) -> HttpResponse:
    """The registry of places with the day each was first reached by dissemination (by an
    activity held there, or by a facility in it taking part in one): what K1 counts."""
    direct = (
        OutreachActivity.objects.filter(places=OuterRef("pk"))
        .order_by("held_on")
        .values("held_on")[:1]
    )
    through = (
        OutreachParticipation.objects.filter(facility__zone=OuterRef("pk"))
        .order_by("activity__held_on")
        .values("activity__held_on")[:1]
    )
    places = (
        IndustrialZone.objects.select_related("area")
        .annotate(
            facility_count=Count("facilities", distinct=True),
            reached_directly=Subquery(direct),
            reached_through=Subquery(through),
        )
        .annotate(
            first_reached=Case(
                When(reached_directly__isnull=True, then=F("reached_through")),
                When(reached_through__isnull=True, then=F("reached_directly")),
                When(reached_directly__lte=F("reached_through"), then=F("reached_directly")),
                default=F("reached_through"),
            )
        )
    )
    return _list(
        request,
        filterset_class=PlaceFilter,
        queryset=places,
        template="programs/place_list.html",
    )


@allow(DEPARTMENT)
def place_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    return _plain_edit(
        request,
        PlaceForm,
        get_object_or_404(IndustrialZone, pk=pk) if pk else IndustrialZone(),
        saved=_("Đã lưu khu, cụm công nghiệp, làng nghề."),
        titles=(
            _("Thêm khu, cụm công nghiệp, làng nghề"),
            _("Sửa khu, cụm công nghiệp, làng nghề"),
        ),
        back="programs:place_list",
    )


# --- Awards -----------------------------------------------------------------------------------


@allow(READERS)
def award_list(request: HttpRequest) -> HttpResponse:
    return _list(
        request,
        filterset_class=AwardFilter,
        queryset=Award.objects.select_related("facility"),
        template="programs/award_list.html",
    )


@allow(DEPARTMENT)
def award_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    award = get_object_or_404(Award, pk=pk) if pk else Award()
    form = AwardForm(request.POST or None, instance=award)
    if request.method == "POST" and form.is_valid():
        award = form.save(commit=False)
        award.facility = form.cleaned_data["facility_code"]
        award.save()
        messages.success(request, _("Đã lưu khen thưởng."))
        return redirect("programs:award_list")
    return _form_page(
        request,
        form,
        title=_("Sửa khen thưởng") if award.pk else _("Thêm khen thưởng"),
        back="programs:award_list",
    )


# --- Agency tasks -----------------------------------------------------------------------------


@allow(READERS)
def task_list(request: HttpRequest) -> HttpResponse:
    tasks = AgencyTask.objects.select_related("agency", "plan")
    return _list(
        request,
        filterset_class=TaskFilter,
        queryset=tasks,
        template="programs/task_list.html",
        today=timezone.localdate(),
    )


@allow(READERS)
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_object_or_404(AgencyTask.objects.select_related("agency", "plan"), pk=pk)
    may_update = services.may_update_task(request.user, task)
    form = TaskUpdateForm(request.POST or None, request.FILES or None) if may_update else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.post_task_update(
                    task,
                    by=request.user,
                    text=form.cleaned_data["text"],
                    progress=form.cleaned_data["progress"],
                    attachment=form.cleaned_data.get("attachment"),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Đã cập nhật tiến độ."))
                return redirect("programs:task_detail", pk=task.pk)
    return render(
        request,
        "programs/task_detail.html",
        {
            "task": task,
            "updates": task.updates.select_related("posted_by"),
            "form": form,
            "today": timezone.localdate(),
            "can_edit": access.role_of(request.user) in DEPARTMENT,
        },
    )


@allow(DEPARTMENT)
def task_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    task = get_object_or_404(AgencyTask, pk=pk) if pk else AgencyTask()
    form = TaskForm(request.POST or None, instance=task)
    if request.method == "POST" and form.is_valid():
        task = form.save()
        messages.success(request, _("Đã lưu nhiệm vụ."))
        return redirect("programs:task_detail", pk=task.pk)
    return _form_page(
        request,
        form,
        title=_("Sửa nhiệm vụ") if task.pk else _("Thêm nhiệm vụ"),
        back="programs:task_list",
    )


@allow(READERS)
def project_document(request: HttpRequest, pk: int) -> FileResponse:
    project = get_object_or_404(SupportProject, pk=pk)
    return private_file_response(project.document, filename=f"du-an-{project.pk}.pdf")
