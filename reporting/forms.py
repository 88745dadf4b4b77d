from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from facilities.forms import DateInput
from programs.models import Plan
from reporting.models import Audience, ReportRun, period_start


class ReportRequestForm(forms.Form):
    """Any period, audience and as-of date, for staff who need a report now."""

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
    audience = forms.ChoiceField(label=_("Gửi"), choices=Audience.choices)
    as_of = forms.DateField(
        label=_("Số liệu tính đến ngày"),
        required=False,
        widget=DateInput(),
        help_text=_("Để trống: ngày cuối của kỳ báo cáo."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        plan, year = data.get("plan"), data.get("year")
        if plan and year and not plan.start_year <= year <= plan.end_year:
            self.add_error(
                "year",
                _("Năm phải nằm trong thời gian của kế hoạch (%(start)s–%(end)s).")
                % {"start": plan.start_year, "end": plan.end_year},
            )
        as_of, quarter = data.get("as_of"), data.get("quarter")
        if as_of and year and quarter is not None and as_of < period_start(year, quarter):
            self.add_error("as_of", _("Ngày số liệu không được trước ngày đầu kỳ báo cáo."))
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
