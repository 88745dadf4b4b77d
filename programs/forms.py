from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from facilities.forms import DateInput, FacilitiesByTaxCodeField
from programs.models import (
    Agency,
    AgencyTask,
    Award,
    Course,
    CourseParticipant,
    Official,
    Plan,
    SupportProject,
    Target,
    TaskUpdate,
)

ALL = _("Tất cả")


def _year_filter() -> django_filters.NumberFilter:
    return django_filters.NumberFilter(label=_("Năm"), min_value=1990, max_value=2100)


class PlanForm(forms.ModelForm):
    class Meta:
        model = Plan
        fields = [
            "name",
            "decision_number",
            "decision_date",
            "issued_by",
            "start_year",
            "end_year",
            "status",
            "summary",
        ]
        widgets = {"decision_date": DateInput(), "summary": forms.Textarea(attrs={"rows": 3})}


TargetFormSet = forms.inlineformset_factory(
    Plan,
    Target,
    fields=["indicator", "milestone_year", "floor", "stretch", "unit", "note"],
    extra=2,
    can_delete=True,
    # A forged TOTAL_FORMS must not make the server build thousands of forms (Django's own
    # bound is 2000); a plan has a few dozen targets.
    max_num=200,
    absolute_max=200,
)


class ProjectFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Tìm theo tên"), field_name="title", lookup_expr="icontains", max_length=200
    )
    year = _year_filter()
    funding = django_filters.ChoiceFilter(
        label=_("Nguồn kinh phí"), choices=SupportProject.Funding.choices, empty_label=ALL
    )
    status = django_filters.ChoiceFilter(
        label=_("Trạng thái"), choices=SupportProject.Status.choices, empty_label=ALL
    )

    class Meta:
        model = SupportProject
        fields: list[str] = []


class ProjectForm(forms.ModelForm):
    assigned = FacilitiesByTaxCodeField(
        label=_("Cơ sở tham gia"),
        required=False,
        help_text=_("Mã số thuế các cơ sở của dự án, mỗi dòng một mã."),
    )

    class Meta:
        model = SupportProject
        fields = [
            "title",
            "year",
            "funding",
            "status",
            "budget_vnd",
            "state_support_vnd",
            "proposed_on",
            "approved_on",
            "ministry_decision",
            "outcomes",
            "document",
        ]
        widgets = {
            "proposed_on": DateInput(),
            "approved_on": DateInput(),
            "outcomes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["assigned"] = FacilitiesByTaxCodeField.initial_for(
                self.instance.facilities.all()
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        budget, support = cleaned.get("budget_vnd"), cleaned.get("state_support_vnd")
        if budget is not None and support is not None and support > budget:
            self.add_error(
                "state_support_vnd", _("Kinh phí hỗ trợ không thể lớn hơn tổng kinh phí.")
            )
        return cleaned


class CourseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Tìm theo tên"), field_name="title", lookup_expr="icontains", max_length=200
    )
    kind = django_filters.ChoiceFilter(
        label=_("Loại"), choices=Course.Kind.choices, empty_label=ALL
    )
    year = django_filters.NumberFilter(
        label=_("Năm"), field_name="starts_on", lookup_expr="year", min_value=1990, max_value=2100
    )

    class Meta:
        model = Course
        fields: list[str] = []


class CourseForm(forms.ModelForm):
    class Meta:
        model = Course
        fields = ["title", "kind", "starts_on", "ends_on", "organiser", "place", "qualifies_for_t5"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}


ParticipantFormSet = forms.inlineformset_factory(
    Course,
    CourseParticipant,
    fields=["official", "completed", "certificate_number"],
    extra=3,
    can_delete=True,
    max_num=300,  # a forged TOTAL_FORMS builds at most this many forms
    absolute_max=300,
)


class OfficialFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Tìm theo tên"), field_name="full_name", lookup_expr="icontains", max_length=200
    )
    level = django_filters.ChoiceFilter(
        label=_("Cấp"), choices=Official.Level.choices, empty_label=ALL
    )
    agency = django_filters.ModelChoiceFilter(
        label=_("Cơ quan"), queryset=Agency.objects.all(), empty_label=ALL
    )

    class Meta:
        model = Official
        fields: list[str] = []


class OfficialForm(forms.ModelForm):
    class Meta:
        model = Official
        fields = ["full_name", "agency", "workplace", "level", "dedicated_from", "dedicated_to"]
        widgets = {"dedicated_from": DateInput(), "dedicated_to": DateInput()}


class AwardFilter(django_filters.FilterSet):
    year = _year_filter()

    class Meta:
        model = Award
        fields: list[str] = []


class AwardForm(forms.ModelForm):
    facility_code = FacilitiesByTaxCodeField(label=_("Mã số thuế cơ sở"), widget=forms.TextInput())

    class Meta:
        model = Award
        fields = ["year", "title", "issued_by"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["facility_code"] = self.instance.facility.tax_code

    def clean_facility_code(self) -> Any:
        facilities = self.cleaned_data["facility_code"]
        if len(facilities) != 1:
            raise forms.ValidationError(_("Nhập đúng một mã số thuế."))
        return facilities[0]


class TaskFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Tìm theo tên"), field_name="title", lookup_expr="icontains", max_length=200
    )
    agency = django_filters.ModelChoiceFilter(
        label=_("Cơ quan"), queryset=Agency.objects.all(), empty_label=ALL
    )
    status = django_filters.ChoiceFilter(
        label=_("Trạng thái"), choices=AgencyTask.Status.choices, empty_label=ALL
    )
    late = django_filters.BooleanFilter(
        label=_("Chỉ nhiệm vụ trễ hạn"), method="only_late", widget=forms.CheckboxInput
    )

    class Meta:
        model = AgencyTask
        fields: list[str] = []

    def only_late(self, queryset: Any, name: str, value: bool) -> Any:
        if not value:
            return queryset
        return queryset.filter(due_on__lt=timezone.localdate()).filter(
            ~Q(status=AgencyTask.Status.DONE)
        )


class TaskForm(forms.ModelForm):
    class Meta:
        model = AgencyTask
        fields = ["plan", "agency", "title", "description", "due_on", "status", "progress"]
        widgets = {"due_on": DateInput(), "description": forms.Textarea(attrs={"rows": 3})}


class TaskUpdateForm(forms.ModelForm):
    class Meta:
        model = TaskUpdate
        fields = ["text", "progress", "attachment"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}

    def clean_progress(self) -> int:
        progress = self.cleaned_data["progress"]
        if progress > 100:
            raise forms.ValidationError(_("Tiến độ tối đa 100%."))
        return progress
