"""The dashboards: each role's home after signing in, the programme's indicator cards with
their drill-downs into the facility list, and the charts loaded beside them."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from assessments.models import SelfReport, SupportOrganisation
from assessments.savings import savings_chart, savings_series
from assessments.services import deadline_for
from facilities.models import DISTRICT_LEVEL_ENDS, AdministrativeUnit, Facility, Sector
from portal import access
from portal.access import ALL_ROLES, DEPARTMENT, allow
from portal.models import Role, User
from programs.models import Agency, IndicatorDefinition, Plan
from reporting import freshness, indicators
from reporting.models import AreaGrouping
from reporting.services import ended_quarter


@allow(ALL_ROLES)
@indicators.one_reading()
def dashboard(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    role = access.role_of(user)
    today = timezone.localdate()
    context: dict[str, Any] = {"role": role, "today": today}
    if role in DEPARTMENT:
        context["users_by_role"] = [
            (Role(row["role"]).label, row["n"])
            for row in User.objects.filter(is_active=True)
            .exclude(role="")
            .values("role")
            .annotate(n=Count("id"))
            .order_by("role")
        ]
        context["units_in_force"] = AdministrativeUnit.objects.valid_on(today).count()
        context["unit_count"] = AdministrativeUnit.objects.count()
        context["agency_count"] = Agency.objects.count()
        context["organisation_count"] = SupportOrganisation.objects.count()
    elif role == Role.AGENCY_OFFICER:
        context["agency"] = user.agency
        context["area"] = access.area_for(user)
    if role in access.PROGRAMME_READERS:
        context.update(_indicators(request, today, area=context.get("area")))
    if role == Role.FACILITY_MANAGER:
        context["own_facilities"] = _own_facilities(user, today)
    if role == Role.CONSULTANT:
        context["organisation"] = user.support_organisation
    elif role == Role.OFFICIAL:
        context["official_body"] = user.get_official_body_display()
    return render(request, "portal/dashboard.html", context)


def _own_facilities(user: User, today: datetime.date) -> list[dict[str, Any]]:
    """A manager's facilities, each with its savings against its baseline and its reports:
    the one due now and the latest ones."""
    year, quarter = ended_quarter(today)
    due = deadline_for(SelfReport.PeriodKind.QUARTER, year, quarter)
    reports = SelfReport.objects.visible_to(user).order_by("-year", "-quarter", "-version")
    own = []
    for facility in Facility.objects.visible_to(user).order_by("name_sort_key")[:10]:
        series = savings_series(facility)
        latest = [report for report in reports.filter(facility=facility)[:12]]
        current = next(
            (
                r
                for r in latest
                if r.year == year and r.quarter == quarter and r.period_kind == "quarter"
            ),
            None,
        )
        own.append(
            {
                "facility": facility,
                "savings": series[-1] if series else None,
                "savings_chart": savings_chart(series),
                "reports": latest[:6],
                "current": current,
                "current_period": f"Q{quarter}/{year}",
                "deadline": due,
                "overdue": current is None and today > due,
            }
        )
    return own


class IndicatorsForm(forms.Form):
    plan = forms.ModelChoiceField(label=_("Kế hoạch"), queryset=Plan.objects.all(), required=False)
    on = forms.DateField(label=_("Tại ngày"), required=False)
    # The area chart's grouping, in the report request form's words.
    area_grouping = forms.ChoiceField(
        label=_("Số liệu theo địa bàn"), choices=AreaGrouping.choices, required=False
    )


def area_grouping(
    chosen: dict[str, Any], *, area: AdministrativeUnit | None, as_of: datetime.date
) -> str:
    """The grouping asked for; else by former district for a district's officer reading a
    date after their district ended (30/06/2025), so that their facilities still form one
    group; else by the unit on the data date."""
    if chosen.get("area_grouping"):
        return chosen["area_grouping"]
    if (
        area is not None
        and area.level == AdministrativeUnit.Level.DISTRICT
        and as_of > DISTRICT_LEVEL_ENDS
    ):
        return AreaGrouping.FORMER_DISTRICT
    return AreaGrouping.UNIT_ON_DATE


def _indicators(
    request: HttpRequest, today: datetime.date, *, area: AdministrativeUnit | None
) -> dict[str, Any]:
    """The plan's indicators as of a date: the active plan (else the latest) and, for a plan
    that has ended, its last day, unless the reader asks for another."""
    form = IndicatorsForm(request.GET or None)
    chosen = form.cleaned_data if form.is_valid() else {}
    plan = chosen.get("plan") or Plan.objects.shown_by_default()
    if plan is None:
        return {"indicator_form": form}
    plan_end = datetime.date(plan.end_year, 12, 31)
    as_of = chosen.get("on") or min(today, plan_end)
    grouping = area_grouping(chosen, area=area, as_of=as_of)
    entries = {entry.code: entry for entry in indicators.plan_indicators(plan)}
    # Rendered with the page (not fetched after it): the tables read without JavaScript and the
    # charts' boxes are in place before they are drawn. Read first: their last year is the cards'.
    charts = charts_context(request, plan, as_of, grouping=grouping)
    charts["charts_html"] = charts_html(request, plan, as_of, grouping=grouping, context=charts)
    context: dict[str, Any] = {
        "indicator_form": form,
        "plan": plan,
        "as_of": as_of,
        # A plan that has ended shows its final results, said as such.
        "final": as_of >= plan_end and today > plan_end,
        "cards": indicator_cards(
            indicators.compute(plan, as_of=as_of), as_of=as_of, entries=entries
        ),
        **charts,
    }
    if area is not None:
        breakdown = indicators.compute_by(plan, as_of=as_of, by=grouping)
        own = [group for group in breakdown if group.key == str(area.pk)]
        context["area_cards"] = (
            indicator_cards(own[0].figures, as_of=as_of, area=area, entries=entries) if own else []
        )
    return context


def indicator_cards(
    figures: dict[str, indicators.Figure],
    *,
    as_of: datetime.date,
    area: AdministrativeUnit | None = None,
    links: bool = True,
    entries: dict[str, IndicatorDefinition] | None = None,
) -> list[dict[str, Any]]:
    """The cards of the dashboards and the public page. Labels are read at render time, so
    figures cached once serve both languages. A composed entry's card links to its records
    when its catalogue entry is given (`entries`, by code)."""
    entries = entries or {}
    return [
        {
            "figure": figure,
            # The code stands in the card's corner; the label without it reads as a title.
            "name": figure.name,
            "definition": figure.definition,
            "status_label": indicators.Status(figure.status).label,
            "position_label": (
                indicators.Position(figure.position).label if figure.position else ""
            ),
            # Outcomes and yearly activities are grouped apart (portal/_indicator_cards.html).
            "kind": "activity" if figure.is_count else "outcome",
            "url": (
                drill_down(
                    figure.indicator, as_of=as_of, area=area, entry=entries.get(figure.indicator)
                )
                if links
                else ""
            ),
            "t3": t3_detail(figure) if figure.kind == indicators.Kind.SAVINGS else None,
        }
        for figure in figures.values()
    ]


def t3_detail(figure: indicators.Figure) -> dict[str, Any]:
    """What T3's card says besides its median: its definition, its coverage (facilities with
    a savings figure of those applying CP) and the median saving of each kind of resource."""
    extra = figure.extra

    def percent(value: Decimal | None) -> str:
        # Rounded half up first: number_format cuts the decimals off.
        if value is None:
            return "–"
        shown = (value * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        return number_format(shown, decimal_pos=1) + "%"

    return {
        "definition": figure.definition,
        "coverage": indicators.t3_coverage(figure),
        "resources": [
            (_("Năng lượng (quy đổi TOE)"), percent(extra.get("median_energy"))),
            (_("Nguyên liệu chính"), percent(extra.get("median_material"))),
            (_("Nước (tham khảo, không tính vào T3)"), percent(extra.get("median_water"))),
        ],
    }


# The plan to 2020's facility shares the area and sector charts compare (T3, a median saving,
# is in their tables).
GROUP_CODES = ["T1", "T2", "T4"]
# The kinds of entry compared by area and sector, as shares (of facilities, of places) and
# as savings (a median saving per unit of product, on a chart of its own).
GROUPED_SHARES = (
    IndicatorDefinition.Kind.FACILITY_SHARE,
    IndicatorDefinition.Kind.PLACES_REACHED,
)


def grouped_codes(figures: list[indicators.Figure]) -> tuple[list[str], list[str]]:
    """The shares and the savings the area and sector charts compare: T1, T2 and T4 for a plan
    measured by the built-in entries alone (the plan to 2020); for any other plan each of its
    shares of facilities, places reached and savings."""
    codes = [figure.indicator for figure in figures]
    if set(codes) <= set(indicators.ALL_CODES):
        return ([code for code in GROUP_CODES if code in codes], [])
    shares = [figure.indicator for figure in figures if figure.kind in GROUPED_SHARES]
    savings = [
        figure.indicator for figure in figures if figure.kind == IndicatorDefinition.Kind.SAVINGS
    ]
    return shares, savings


def sort_codes(codes: list[str]) -> list[str]:
    """The groups are ranked by the share applying CP (T2), then by awareness (T1); in a plan
    without them, by its shares (else its savings) in order."""
    return ["T2", "T1"] if {"T1", "T2"} <= set(codes) else codes


def _table_codes(groups: list[indicators.Breakdown]) -> list[str]:
    """The columns of the area and sector tables: every figure a group has (T1–T4, A3, A4 for
    the plan to 2020), in the plan's order."""
    codes: dict[str, None] = {}
    for group in groups:
        codes.update(dict.fromkeys(group.figures))
    return list(codes)


# Each facility share counts facilities of the list filtered thus, as of the figure's day.
FACILITY_FILTERS = {
    "T1": {"aware": "yes"},
    "T2": {"applying": "yes"},
    "T3": {"applying": "yes"},
    "T4": {"cp_unit": "yes"},
}


def drill_down(
    code: str,
    *,
    as_of: datetime.date,
    area: AdministrativeUnit | None = None,
    entry: IndicatorDefinition | None = None,
) -> str:
    """The list of records behind an indicator's figure: the built-in indicators', and a
    composed entry's (`entry`) when it counts facilities or places."""
    on = as_of.strftime("%d/%m/%Y")
    if entry is not None and not entry.built_in:
        return _composed_drill_down(entry, on=on, area=area)
    if code not in indicators.ALL_CODES:
        return ""
    if code in FACILITY_FILTERS:
        query = {"in_plan": "yes", **FACILITY_FILTERS[code], "on": on}
        if area is not None:
            query["area"] = area.pk
        return f"{reverse('reporting:facility_list')}?{urlencode(query)}"
    if code == "T5":
        return reverse("programs:official_list")
    if code in ("A1", "A2"):
        funding = "provincial" if code == "A1" else "central"
        query = urlencode({"year": as_of.year, "funding": funding})
        return f"{reverse('programs:project_list')}?{query}"
    kind = "quick" if code == "A3" else "detailed"
    return (
        f"{reverse('assessments:assessment_list')}?{urlencode({'year': as_of.year, 'kind': kind})}"
    )


# A composed entry's designated-energy-user setting, as the facility list's filter reads it.
ENERGY_USER_FILTERS = {
    IndicatorDefinition.EnergyUsers.ONLY: "yes",
    IndicatorDefinition.EnergyUsers.EXCLUDED: "no",
}


def _composed_drill_down(
    entry: IndicatorDefinition, *, on: str, area: AdministrativeUnit | None
) -> str:
    """A composed share's numerator: the facilities of the list in the denominator that meet
    its condition within its population (sectors, sizes, designated energy users); the places
    of its kinds reached by the day. Places have no list by commune: an area's card has none."""
    if entry.kind == IndicatorDefinition.Kind.FACILITY_SHARE:
        query: dict[str, Any] = {"in_plan": "yes", entry.condition: "yes", "on": on}
        if entry.prefixes:
            query["sectors"] = ",".join(entry.prefixes)
        sizes = [size.pk for size in entry.size_classes.all()]
        if sizes:
            query["size"] = sizes
        if entry.energy_users:
            query["energy_user"] = ENERGY_USER_FILTERS[entry.energy_users]
        if area is not None:
            query["area"] = area.pk
        return f"{reverse('reporting:facility_list')}?{urlencode(query, doseq=True)}"
    if entry.kind == IndicatorDefinition.Kind.PLACES_REACHED and area is None:
        query = {"kind": entry.kinds_of_place, "reached_on": on}
        return f"{reverse('programs:place_list')}?{urlencode(query, doseq=True)}"
    return ""


@allow(access.PROGRAMME_READERS)
@indicators.one_reading()
def dashboard_charts(request: HttpRequest) -> HttpResponse:
    """The dashboard's charts and their tables alone (the dashboard renders them in place)."""
    form = IndicatorsForm(request.GET or None)
    chosen = form.cleaned_data if form.is_valid() else {}
    plan = chosen.get("plan") or Plan.objects.shown_by_default()
    if plan is None:
        return HttpResponse("")
    as_of = chosen.get("on") or min(timezone.localdate(), datetime.date(plan.end_year, 12, 31))
    grouping = area_grouping(chosen, area=_officer_area(request), as_of=as_of)
    charts = charts_context(request, plan, as_of, grouping=grouping)
    return render(
        request,
        "portal/_dashboard_charts_cached.html",
        {
            **charts,
            "charts_html": charts_html(request, plan, as_of, grouping=grouping, context=charts),
        },
    )


def charts_html(
    request: HttpRequest,
    plan: Plan,
    as_of: datetime.date,
    *,
    grouping: str,
    context: dict[str, Any],
) -> str:
    """The charts and their tables rendered from `context` (`charts_context`), served from the
    cache while the facts are unchanged: hundreds of areas' rows take longer to render than
    their figures take to read."""
    area = _officer_area(request)
    key = ("dashboard charts", plan.pk, as_of, grouping, area.pk if area else None)
    # A SafeString, as the template rendered it (the cache keeps its type).
    return freshness.cached(
        key, lambda: render_to_string("portal/_dashboard_charts.html", context, request)
    )


def _officer_area(request: HttpRequest) -> AdministrativeUnit | None:
    if access.role_of(request.user) == Role.AGENCY_OFFICER:
        return access.area_for(request.user)
    return None


def charts_context(
    request: HttpRequest,
    plan: Plan,
    as_of: datetime.date,
    *,
    grouping: str = AreaGrouping.UNIT_ON_DATE,
) -> dict[str, Any]:
    """Years, areas, sectors and reporting: the data tables the server renders and the same
    figures for the charts drawn over them when JavaScript runs.

    A district officer's charts are the province's (their district is highlighted); every bar
    and row links to the facilities behind it. Areas are grouped by the unit on `as_of` or by
    the districts of 30/06/2025 (`grouping`, an `AreaGrouping`).
    """
    years = indicators.compute_by(plan, as_of=as_of, by="period")
    first = list(years[0].figures.values()) if years else []
    share_codes = [figure.indicator for figure in first if not figure.is_count]
    count_codes = [figure.indicator for figure in first if figure.is_count]
    share_group, savings_group = grouped_codes(first)
    group_codes = share_group + savings_group
    areas = sectors = []
    if group_codes:
        order = sort_codes(share_group or savings_group)
        areas = _by_share(indicators.compute_by(plan, as_of=as_of, by=grouping), order)
        sectors = _by_share(indicators.compute_by(plan, as_of=as_of, by="sector"), order)
    year, quarter = ended_quarter(as_of)
    completeness = indicators.completeness_by_area(SelfReport.PeriodKind.QUARTER, year, quarter)
    on = as_of.strftime("%d/%m/%Y")
    list_url = reverse("reporting:facility_list")

    sector_pks = dict(
        Sector.objects.filter(code__in=[group.key for group in sectors]).values_list("code", "pk")
    )

    table_codes = _table_codes(areas or sectors)
    # The facilities of a group: the denominator of its first share of facilities.
    population_code = next(
        (f.indicator for f in first if f.kind == IndicatorDefinition.Kind.FACILITY_SHARE), None
    )

    def group_rows(groups: list[indicators.Breakdown], param: str) -> list[dict[str, Any]]:
        rows = []
        for group in groups:
            pk = group.key if param == "area" else sector_pks.get(group.key, "")
            query = urlencode({"in_plan": "yes", "on": on, param: pk})
            facilities = group.figures.get(population_code) if population_code else None
            rows.append(
                {
                    "label": group.label,
                    "figures": group.figures,
                    "facilities": facilities.denominator if facilities else None,
                    "cells": [group.figures.get(code) for code in table_codes],
                    "url": f"{list_url}?{query}",
                }
            )
        return rows

    area = _officer_area(request)
    charts = {
        "text": {
            "minimum": str(_("mục tiêu tối thiểu")),
            "band": str(_("khoảng mục tiêu")),
            "complete": str(_("Đầy đủ")),
            "onTime": str(_("Đúng hạn")),
        },
        "years": {
            "labels": [group.label for group in years],
            "shares": {
                code: [_shown(group.figures[code]) for group in years] for code in share_codes
            },
            # The band each year is measured against (interim milestones included).
            "shareFloors": {
                code: [_float(group.figures[code].floor) for group in years] for code in share_codes
            },
            "shareStretches": {
                code: [_float(group.figures[code].stretch) for group in years]
                for code in share_codes
            },
            "counts": {
                code: [_float(group.figures[code].value) for group in years] for code in count_codes
            },
            "floors": {
                code: [_float(group.figures[code].floor) for group in years] for code in count_codes
            },
        },
        "codes": [figure.indicator for figure in first],
        "groupCodes": share_group,
        "savingsCodes": savings_group,
        "bands": {
            code: [_float(figure.floor), _float(figure.stretch)]
            for figure in first
            if (code := figure.indicator) in group_codes
        },
        "areas": _share_chart(areas, group_codes),
        "ownArea": str(area.pk) if area else "",
        "sectors": _share_chart(sectors, group_codes),
        "completeness": {
            "labels": [unit.name for unit, _counts in completeness],
            "completeness": [_float(counts.completeness) for _unit, counts in completeness],
            "timeliness": [_float(counts.timeliness) for _unit, counts in completeness],
        },
    }
    return {
        "charts": charts,
        "share_names": [(figure.indicator, figure.name) for figure in first if not figure.is_count],
        "group_codes": group_codes,
        "share_group": share_group,
        "savings_group": savings_group,
        "sorted_by": ", ".join(sort_codes(share_group or savings_group)),
        "table_codes": table_codes,
        "population_column": population_code is not None,
        "area_rows": group_rows(areas, "area"),
        "area_grouping": grouping,
        "area_grouping_label": AreaGrouping(grouping).label,
        "area_height": _height_class(len(areas)),
        "sector_rows": group_rows(sectors, "sector"),
        "sector_height": _height_class(len(sectors)),
        "share_codes": share_codes,
        "count_codes": count_codes,
        "year_rows": [
            {
                "label": group.label,
                "shares": [group.figures[code] for code in share_codes],
                "counts": [group.figures[code] for code in count_codes],
            }
            for group in years
        ],
        "completeness": completeness,
        "completeness_height": _height_class(len(completeness)),
        "period_label": _("Quý %(quarter)s/%(year)s") % {"quarter": quarter, "year": year},
        "as_of": as_of,
    }


def _by_share(
    groups: list[indicators.Breakdown], order: tuple[str, ...] | list[str] = ("T2", "T1")
) -> list[indicators.Breakdown]:
    """Groups with the largest value of the first of `order` first, then of the next (T2, then
    T1 for the plan to 2020): the order of the bars and of the table under them."""

    def key(group: indicators.Breakdown) -> tuple[Decimal, ...]:
        values = [figure.value if (figure := group.figures.get(code)) else None for code in order]
        return tuple(-(value if value is not None else Decimal(-1)) for value in values)

    return sorted(groups, key=key)


def _height_class(rows: int) -> str:
    """The height reserved for a horizontal bar chart of so many groups, in the HTML itself so
    that drawing the chart moves nothing (a class: the CSP allows no inline style)."""
    for limit, size in ((6, "s"), (12, "m"), (24, "l"), (40, "xl")):
        if rows <= limit:
            return f"chart-rows-{size}"
    return "chart-rows-xxl"


def _share_chart(groups: list[indicators.Breakdown], codes: list[str]) -> dict[str, Any]:
    return {
        # Long sector names: the axis shows the start, the table below the whole name.
        "labels": [Truncator(group.label).chars(34) for group in groups],
        "keys": [group.key for group in groups],
        **{
            code: [
                _shown(group.figures[code]) if code in group.figures else None for group in groups
            ]
            for code in codes
        },
    }


def _shown(figure: indicators.Figure) -> float | None:
    """A share for the charts: the rounded value every output prints, as a ratio."""
    return None if figure.shown is None else float(figure.shown / 100)


def _float(value: Any) -> float | None:
    return None if value is None else float(value)
