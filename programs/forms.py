from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from facilities.forms import DateInput, FacilitiesByTaxCodeField, localize_decimals
from facilities.models import IndustrialZone, reached_q
from portal.lib.closing import check_delete
from programs.models import (
    Agency,
    AgencyTask,
    Award,
    Course,
    CourseParticipant,
    IndicatorDefinition,
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
            "document_kind",
            "decision_number",
            "decision_date",
            "issued_by",
            "start_year",
            "end_year",
            "status",
            "summary",
        ]
        widgets = {"decision_date": DateInput(), "summary": forms.Textarea(attrs={"rows": 3})}


class RowsOnceFormSet(forms.BaseInlineFormSet):
    """An inline formset that marks a row repeating an earlier one, on the field that repeats.

    Django's own check names the fields by their code names, half in English, above the table and
    again on the row; the database constraint stays the final word.
    """

    # Choice fields whose choices every row shares: read once, not once per row.
    shared_choices: tuple[str, ...] = ()

    @cached_property
    def _choices(self) -> dict[str, list[Any]]:
        return {name: list(self.form.base_fields[name].choices) for name in self.shared_choices}

    def _share(self, form: forms.Form) -> forms.Form:
        for name, choices in self._choices.items():
            form.fields[name].choices = choices  # type: ignore[attr-defined]
        return form

    def _construct_form(self, i: int, **kwargs: Any) -> forms.Form:
        return self._share(super()._construct_form(i, **kwargs))

    @property
    def empty_form(self) -> forms.Form:
        return self._share(super().empty_form)

    def repeat_key(self, cleaned: dict[str, Any]) -> tuple[Any, ...] | None:
        raise NotImplementedError

    def repeat_error(self, cleaned: dict[str, Any]) -> tuple[str, ValidationError]:
        raise NotImplementedError

    def validate_unique(self) -> None:
        seen: set[tuple[Any, ...]] = set()
        for form in self.forms:
            if not form.is_valid() or self._should_delete_form(form):
                continue
            key = self.repeat_key(form.cleaned_data)
            if key is None:
                continue
            if key in seen:
                form.add_error(*self.repeat_error(form.cleaned_data))
            seen.add(key)


PERCENT = Decimal(100)
# A share is stored with four decimals, so a percentage takes two.
SHARE_STEP = Decimal("0.0001")


class TargetForm(forms.ModelForm):
    """A target row. Shares are typed and shown as percentages (90 for 90%), as the plan page
    shows them, and stored as fractions (0.9), as the indicator engine reads them."""

    PERCENT_FIELDS = ("floor", "stretch")

    class Meta:
        model = Target
        fields = ["indicator", "milestone_year", "floor", "stretch", "unit", "note"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        localize_decimals(self)  # 0.9000 × 100 shows as 90, and 12,5 reads as 12.5 in Vietnamese
        # Also when bound: has_changed() compares the typed percentages with these, so an
        # untouched row is not saved again (nor written to its history).
        if self.instance.pk and self.instance.unit == Target.Unit.SHARE:
            for name in self.PERCENT_FIELDS:
                if self.initial.get(name) is not None:
                    self.initial[name] = self.initial[name] * PERCENT

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("unit") != Target.Unit.SHARE:
            return cleaned
        for name in self.PERCENT_FIELDS:
            percent = cleaned.get(name)
            if percent is None:
                continue
            fraction = percent / PERCENT
            if fraction != fraction.quantize(SHARE_STEP):
                self.add_error(name, _("Nhập tỷ lệ phần trăm với tối đa hai chữ số thập phân."))
            else:
                cleaned[name] = fraction
        return cleaned


class TargetRowsFormSet(RowsOnceFormSet):
    # Said once above the rows rather than under each of their fields.
    help_text = _("Chỉ tiêu tỷ lệ nhập theo %, ví dụ 90 cho 90%.")
    shared_choices = ("indicator",)

    def repeat_key(self, cleaned: dict[str, Any]) -> tuple[Any, ...] | None:
        key = (cleaned.get("indicator"), cleaned.get("milestone_year"))
        return None if None in key or "" in key else key

    def repeat_error(self, cleaned: dict[str, Any]) -> tuple[str, ValidationError]:
        return "milestone_year", ValidationError(
            _("Chỉ tiêu %(indicator)s năm mốc %(year)s đã có ở một dòng trên."),
            params={"indicator": cleaned["indicator"].code, "year": cleaned["milestone_year"]},
        )


TargetFormSet = forms.inlineformset_factory(
    Plan,
    Target,
    form=TargetForm,
    formset=TargetRowsFormSet,
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
        localize_decimals(self)
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


class ParticipantRowsFormSet(RowsOnceFormSet):
    shared_choices = ("official",)

    def repeat_key(self, cleaned: dict[str, Any]) -> tuple[Any, ...] | None:
        official = cleaned.get("official")
        return None if official is None else (official.pk,)

    def repeat_error(self, cleaned: dict[str, Any]) -> tuple[str, ValidationError]:
        return "official", ValidationError(
            _("%(name)s đã có ở một dòng trên; mỗi cán bộ chỉ ghi một lần."),
            params={"name": cleaned["official"].full_name},
        )

    def clean(self) -> None:
        """A participant removed from a course of a closed period changes its figures: refused
        here, with the rows' other errors (saving and changing rows is checked by each row's
        model `clean()`)."""
        super().clean()
        for form in self.forms:
            if self._should_delete_form(form) and form.instance.pk is not None:
                check_delete(form.instance)


ParticipantFormSet = forms.inlineformset_factory(
    Course,
    CourseParticipant,
    formset=ParticipantRowsFormSet,
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
        label=_("Chỉ nhiệm vụ quá hạn"), method="only_late", widget=forms.CheckboxInput
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


class IndicatorDefinitionForm(forms.ModelForm):
    """A catalogue entry composed from a kind and its parameters (the model's clean() says
    which parameters each kind takes). The kinds of place are ticked, and stored as the
    model's comma-separated list."""

    place_kinds = forms.MultipleChoiceField(
        label=IndicatorDefinition._meta.get_field("place_kinds").verbose_name,
        choices=IndustrialZone.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = IndicatorDefinition
        fields = [
            "code",
            "name",
            "name_en",
            "kind",
            "condition",
            "record",
            "cumulative",
            "sector_prefixes",
            "size_classes",
            "energy_users",
            "resource_family",
            "resource",
            "place_kinds",
            "definition",
            "definition_en",
            "rank",
        ]
        widgets = {
            "size_classes": forms.CheckboxSelectMultiple,
            "definition": forms.Textarea(attrs={"rows": 4}),
            "definition_en": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["place_kinds"] = self.instance.kinds_of_place

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip().upper()

    def clean_place_kinds(self) -> str:
        return ",".join(self.cleaned_data["place_kinds"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        kind = cleaned.get("kind")
        populated = (IndicatorDefinition.Kind.FACILITY_SHARE, IndicatorDefinition.Kind.SAVINGS)
        if kind and kind not in populated and cleaned.get("size_classes"):
            self.add_error(
                "size_classes",
                _("Loại chỉ tiêu này không lọc theo quy mô; vui lòng bỏ chọn quy mô."),
            )
        return cleaned


class PlaceFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Tìm theo tên"), field_name="name", lookup_expr="icontains", max_length=200
    )
    kind = django_filters.MultipleChoiceFilter(label=_("Loại"), choices=IndustrialZone.Kind.choices)
    # A places indicator's numerator (K1): the places existing on the day and reached by then.
    reached_on = django_filters.DateFilter(
        label=_("Đã được tuyên truyền tính đến ngày"), method="reached_by", widget=DateInput()
    )

    class Meta:
        model = IndustrialZone
        fields: list[str] = []

    def reached_by(self, queryset: Any, name: str, value: datetime.date) -> Any:
        return queryset.filter(
            pk__in=IndustrialZone.objects.existing_on(value).filter(reached_q(value)).values("pk")
        )


class PlaceForm(forms.ModelForm):
    """An industrial zone, cluster or craft village of the registry (its outreach is recorded
    with the activities; its facilities name it on their records)."""

    class Meta:
        model = IndustrialZone
        fields = ["name", "kind", "area", "parent", "established_on", "closed_on"]
        widgets = {"established_on": DateInput(), "closed_on": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = IndustrialZone.objects.filter(
            kind=IndustrialZone.Kind.ECONOMIC_ZONE
        )
        self.fields["area"].queryset = self.fields["area"].queryset.order_by("level", "name")
