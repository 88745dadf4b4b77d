from __future__ import annotations

import datetime
import functools
import operator
import re
from typing import Any

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.forms import offer_areas_by_map
from facilities.forms import ALL, YES_NO, DateInput, SixtyFourBitIds
from facilities.geography import in_area_on
from facilities.models import (
    AdministrativeUnit,
    Facility,
    FacilityQuerySet,
    IndustrialZone,
    Sector,
    SizeClass,
    descendant_ids,
    status_conditions,
)
from programs.models import SECTOR_PREFIXES_VALIDATOR, Plan
from reporting.indicators import having, with_programme_flags
from reporting.models import (
    AreaGrouping,
    Audience,
    PeriodBasis,
    ReportRun,
    ReportSettings,
    lines,
    period_bounds,
)
from reporting.snapshot import SECTION_KEYS, SECTIONS

# One written part of a report: a few paragraphs, never a book.
TEXT_LIMIT = 10000

SORTS = {
    "name": ("name_sort_key", "pk"),
    "-name": ("-name_sort_key", "-pk"),
    "tax_code": ("tax_code",),
    "-tax_code": ("-tax_code",),
    "sector": ("sector__code", "name_sort_key"),
    "-sector": ("-sector__code", "name_sort_key"),
    "area": ("administrative_unit__code", "name_sort_key"),
    "-area": ("-administrative_unit__code", "name_sort_key"),
    "employees": ("employees", "name_sort_key"),
    "-employees": ("-employees", "name_sort_key"),
    "created": ("created_at", "pk"),
    "-created": ("-created_at", "-pk"),
}


class SizesField(SixtyFourBitIds, django_filters.fields.ModelMultipleChoiceField):
    pass


class SizesFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = SizesField


class FacilityFilter(django_filters.FilterSet):
    """Search, filters and sorting of the facility list (and of its XLSX export)."""

    q = django_filters.CharFilter(
        label=_("Tìm theo tên hoặc mã số thuế"), method="search", max_length=200
    )
    area = django_filters.ModelChoiceFilter(
        label=_("Địa bàn"),
        empty_label=ALL,
        queryset=AdministrativeUnit.objects.exclude(level=AdministrativeUnit.Level.PROVINCE),
        method="in_area",
    )
    sector = django_filters.ModelChoiceFilter(
        label=_("Ngành"),
        queryset=Sector.objects.filter(level__lte=2),
        method="in_sector",
        empty_label=ALL,
    )
    # One size or several (a composed indicator's population may name several).
    size = SizesFilter(label=_("Quy mô"), queryset=SizeClass.objects.all(), field_name="size_class")
    zone = django_filters.ModelChoiceFilter(
        label=_("Khu, cụm công nghiệp"),
        queryset=IndustrialZone.objects.all(),
        method="in_zone",
        empty_label=ALL,
    )
    # A composed indicator's population (programs.IndicatorDefinition): how its card's figure
    # drills down to exactly the facilities it counts.
    sectors = django_filters.CharFilter(
        label=_("Mã ngành VSIC bắt đầu bằng"),
        method="in_sector_prefixes",
        max_length=200,
        validators=[SECTOR_PREFIXES_VALIDATOR],
    )
    energy_user = django_filters.ChoiceFilter(
        label=_("Cơ sở sử dụng năng lượng trọng điểm"),
        choices=YES_NO,
        method="is_energy_user",
        empty_label=ALL,
    )
    status = django_filters.ChoiceFilter(
        label=_("Trạng thái"),
        choices=Facility.Status.choices,
        method="with_status",
        empty_label=ALL,
    )
    aware = django_filters.ChoiceFilter(
        label=_("Đã nhận thức SXSH"), choices=YES_NO, method="is_aware", empty_label=ALL
    )
    applying = django_filters.ChoiceFilter(
        label=_("Đang áp dụng SXSH"), choices=YES_NO, method="is_applying", empty_label=ALL
    )
    cp_unit = django_filters.ChoiceFilter(
        label=_("Có bộ phận chuyên trách"), choices=YES_NO, method="has_cp_unit", empty_label=ALL
    )
    in_scope = django_filters.ChoiceFilter(
        label=_("Thuộc phạm vi chương trình"), choices=YES_NO, method="is_in_scope", empty_label=ALL
    )
    in_plan = django_filters.ChoiceFilter(
        label=_("Tính vào chỉ tiêu (trong phạm vi, đang hoạt động)"),
        choices=YES_NO,
        method="is_in_plan",
        empty_label=ALL,
    )
    # The day the status and programme filters are read at (the view passes it as `today`):
    # how the dashboard's figures as of a date drill down to their facilities.
    on = django_filters.DateFilter(label=_("Tại ngày"), method="at_day", widget=DateInput())
    sort = django_filters.ChoiceFilter(
        label=_("Sắp xếp"),
        choices=[(key, key) for key in SORTS],
        method="sort_by",
        empty_label=None,
    )

    class Meta:
        model = Facility
        fields: list[str] = []

    def __init__(self, *args: Any, today: datetime.date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        offer_areas_by_map(self.form.fields["area"])

    @property
    def qs(self) -> FacilityQuerySet:
        queryset = super().qs
        if not self.is_bound or not self.form.cleaned_data.get("sort"):
            queryset = queryset.order_by(*SORTS["name"])
        return queryset

    def search(self, queryset: FacilityQuerySet, name: str, value: str) -> FacilityQuerySet:
        return queryset.matching(value)

    def in_area(self, queryset: FacilityQuerySet, name: str, value: AdministrativeUnit):
        # The unit each facility was in on the day the list is read at, not its unit today.
        return in_area_on(queryset, value, self.today)

    def in_sector(self, queryset: FacilityQuerySet, name: str, value: Sector):
        return queryset.filter(sector__in=descendant_ids(Sector, value.pk))

    def in_sector_prefixes(self, queryset: FacilityQuerySet, name: str, value: str):
        prefixes = {part.strip() for part in value.split(",") if part.strip()}
        return queryset.filter(
            functools.reduce(
                operator.or_, (Q(sector__code__startswith=prefix) for prefix in sorted(prefixes))
            )
        )

    def is_energy_user(self, queryset: FacilityQuerySet, name: str, value: str):
        return queryset.filter(is_designated_energy_user=value == "yes")

    def in_zone(self, queryset: FacilityQuerySet, name: str, value: IndustrialZone):
        return queryset.filter(Q(zone=value) | Q(zone__parent=value))

    def with_status(self, queryset: FacilityQuerySet, name: str, value: str):
        day = self.today
        closed, not_started, suspended = status_conditions(day)
        if value == Facility.Status.CLOSED:
            return queryset.filter(closed)
        if value == Facility.Status.NOT_STARTED:
            return queryset.filter(not_started).exclude(closed)
        if value == Facility.Status.SUSPENDED:
            return queryset.filter(suspended).exclude(closed | not_started)
        return queryset.operating_on(day)

    def is_aware(self, queryset: FacilityQuerySet, name: str, value: str):
        return having(queryset, self.today, "aware", present=value == "yes")

    def is_applying(self, queryset: FacilityQuerySet, name: str, value: str):
        return having(queryset, self.today, "applying", present=value == "yes")

    def has_cp_unit(self, queryset: FacilityQuerySet, name: str, value: str):
        return having(queryset, self.today, "cp_unit", present=value == "yes")

    def is_in_scope(self, queryset: FacilityQuerySet, name: str, value: str):
        return queryset.filter(in_scope=value == "yes")

    def is_in_plan(self, queryset: FacilityQuerySet, name: str, value: str):
        return having(queryset, self.today, "in_denominator", present=value == "yes")

    def at_day(self, queryset: FacilityQuerySet, name: str, value: datetime.date):
        return queryset  # read by the view before filtering; see `on` above

    def sort_by(self, queryset: FacilityQuerySet, name: str, value: str):
        return queryset.order_by(*SORTS[value])


def with_list_columns(queryset: FacilityQuerySet, day: datetime.date) -> FacilityQuerySet:
    """What each list row shows, fetched in the list's one query."""
    return with_programme_flags(
        queryset.select_related("administrative_unit", "sector", "size_class", "zone"), day
    )


class ReportRequestForm(forms.Form):
    """Any period, cut-off, audience and as-of date, for those who need a report now; an
    official is offered their own body's audience only (`audiences`)."""

    plan = forms.ModelChoiceField(label=_("Kế hoạch"), queryset=Plan.objects.order_by("-end_year"))
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(
        label=_("Kỳ"),
        coerce=int,
        choices=[
            (1, _("Quý I")),
            (2, _("Quý II")),
            (3, _("Quý III")),
            (4, _("Quý IV")),
            (0, _("Cả năm")),
        ],
    )
    basis = forms.ChoiceField(
        label=_("Cách tính kỳ"),
        # Short labels: the form sits in one row beside the period and the audience.
        choices=[
            (PeriodBasis.CALENDAR, _("Theo dương lịch")),
            (PeriodBasis.DECREE_09, _("Theo NĐ 09/2019")),
        ],
        initial=PeriodBasis.CALENDAR,
        help_text=_(
            "Nghị định 09/2019: quý từ ngày 15 tháng trước quý đến ngày 14 tháng cuối quý."
        ),
    )
    audience = forms.ChoiceField(label=_("Gửi"), choices=Audience.choices)
    as_of = forms.DateField(
        label=_("Ngày số liệu"),
        required=False,
        widget=DateInput(),
        help_text=_("Để trống: ngày cuối của kỳ báo cáo."),
    )
    area_grouping = forms.ChoiceField(
        label=_("Số liệu theo địa bàn"),
        choices=AreaGrouping.choices,
        initial=AreaGrouping.UNIT_ON_DATE,
        required=False,
        help_text=_("Báo cáo gửi UBND tỉnh có bảng theo địa bàn; cách nhóm được in trên báo cáo."),
    )

    def __init__(self, *args: Any, audiences: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if audiences is not None:
            self.fields["audience"].choices = [
                (value, label) for value, label in Audience.choices if value in audiences
            ]

    def clean_area_grouping(self) -> str:
        return self.cleaned_data["area_grouping"] or AreaGrouping.UNIT_ON_DATE

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        plan, year = data.get("plan"), data.get("year")
        if plan and year and not plan.start_year <= year <= plan.end_year:
            self.add_error(
                "year",
                _("Năm phải nằm trong thời gian của kế hoạch (%(start)s–%(end)s).")
                % {"start": plan.start_year, "end": plan.end_year},
            )
        as_of, quarter, basis = data.get("as_of"), data.get("quarter"), data.get("basis")
        if as_of and year and quarter is not None and basis:  # noqa: SIM102 (the bounds need all)
            if as_of < period_bounds(year, quarter, basis)[0]:
                self.add_error("as_of", _("Ngày số liệu không được trước ngày đầu kỳ báo cáo."))
        return data


class ReportSettingsForm(forms.ModelForm):
    """An audience's heading, recipients and signer, checked the way Decree 30/2020 writes them."""

    class Meta:
        model = ReportSettings
        fields = [
            "issuing_body",
            "symbol",
            "place",
            "addressees",
            "copies_to",
            "archive",
            "signer_title",
            "signer_name",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in ("issuing_body", "addressees", "copies_to", "signer_title")
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Blank in the shipped rows (the Department names its signer), required once edited.
        self.fields["signer_name"].required = True

    @staticmethod
    def _lines(text: str) -> str:
        # The PDF adds the separators: a typed ";" or "." at a line's end would be doubled.
        kept = [line.rstrip(";.,").strip() for line in lines(text)]
        if not any(kept):
            raise forms.ValidationError(_("Vui lòng ghi ít nhất một dòng."))
        return "\n".join(line for line in kept if line)

    def clean_issuing_body(self) -> str:
        return "\n".join(lines(self.cleaned_data["issuing_body"]))

    def clean_addressees(self) -> str:
        return self._lines(self.cleaned_data["addressees"])

    def clean_copies_to(self) -> str:
        return self._lines(self.cleaned_data["copies_to"])

    def clean_signer_title(self) -> str:
        return "\n".join(lines(self.cleaned_data["signer_title"]))

    def clean_symbol(self) -> str:
        symbol = self.cleaned_data["symbol"].strip().upper().removeprefix("BC-")
        if not symbol.replace("-", "").isalnum():
            raise forms.ValidationError(
                _("Ký hiệu chỉ gồm chữ in hoa, chữ số và dấu gạch nối, ví dụ SCT hoặc SCT-KTAT.")
            )
        return symbol

    def clean_archive(self) -> str:
        text = self.cleaned_data["archive"].strip()
        if text.casefold().startswith("lưu:"):
            text = text[4:]
        return text.strip().rstrip(";.,").strip()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        copies, titles = data.get("copies_to"), data.get("signer_title")
        if copies and titles:
            # The signer's own position is the title's last line ("KT. GIÁM ĐỐC" / "PHÓ GIÁM
            # ĐỐC": a deputy signs); a document is not sent to the one who signs it.
            position = lines(titles)[-1].casefold()
            own = {position, f"{position} sở", f"{position} sở công thương"}
            name = (data.get("signer_name") or "").strip().casefold()
            for line in lines(copies):
                # "Giám đốc Sở (để biết)" names the Director; "Giám đốc Sở Tài chính" does not.
                folded = re.sub(r"\s*\(.*\)$", "", line.casefold()).strip()
                if folded in own or (name and name in folded):
                    self.add_error(
                        "copies_to",
                        _(
                            "“%(line)s”: người ký văn bản không ghi trong nơi nhận (Nghị định "
                            "30/2020/NĐ-CP)."
                        )
                        % {"line": line},
                    )
        return data


class ArchiveFilterForm(forms.Form):
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100, required=False)
    audience = forms.ChoiceField(
        label=_("Gửi"), choices=[("", _("Tất cả"))] + Audience.choices, required=False
    )
    status = forms.ChoiceField(
        label=_("Trạng thái"),
        choices=[("", _("Tất cả"))] + ReportRun.Status.choices,
        required=False,
    )


class IssueForm(forms.Form):
    """The number, signing date and signer of a report being issued (Decree 30/2020)."""

    number = forms.CharField(
        label=_("Số văn bản"),
        max_length=20,
        help_text=_("Phần trước “/BC-…”, ví dụ 125 (in ra: Số: 125/BC-SCT)."),
    )
    issued_on = forms.DateField(label=_("Ngày ban hành"), widget=DateInput())
    signer_name = forms.CharField(label=_("Họ và tên người ký"), max_length=100)

    def clean_number(self) -> str:
        number = self.cleaned_data["number"].strip()
        # What a register number looks like: digits, maybe a letter or a dash ("125", "12a").
        if not re.fullmatch(r"[0-9][0-9A-Za-z.\-]*", number):
            raise forms.ValidationError(_("Số văn bản bắt đầu bằng chữ số, ví dụ 125."))
        return number


class ReportTextsForm(forms.Form):
    """The parts of a report staff write, each shown with the portal's draft until edited."""

    def __init__(self, *args: Any, run: ReportRun, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.drafts = run.drafts
        for section in SECTIONS:
            self.fields[section.key] = forms.CharField(
                label=f"{section.number}. {section.title}",
                required=False,
                max_length=TEXT_LIMIT,
                initial=run.texts.get(section.key) or run.drafts.get(section.key, ""),
                widget=forms.Textarea(attrs={"rows": 5}),
            )

    def texts(self) -> dict[str, str]:
        """What staff wrote: a part left as its draft (or emptied) stays a draft, so a new
        version of the report drafts it again from its own figures."""
        written = {}
        for key in SECTION_KEYS:
            text = _normalised(self.cleaned_data.get(key, ""))
            written[key] = "" if text == _normalised(self.drafts.get(key, "")) else text
        return written


def _normalised(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.strip().splitlines())


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do mở lại"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ghi rõ số liệu nào cần sửa và vì sao; lý do được lưu trong lịch sử."),
    )
