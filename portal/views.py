from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db import connection
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from assessments.models import SupportOrganisation
from facilities.models import AdministrativeUnit
from portal import access
from portal.access import ALL_ROLES, DEPARTMENT, allow
from portal.models import Role, User
from programs import indicators
from programs.models import Agency, Plan


@dataclass(frozen=True)
class MenuItem:
    label: str | Promise
    url_name: str
    icon: str
    roles: frozenset[Role]


# The whole navigation. A role sees an item only if the view behind it lets that role in;
# tests/portal/test_navigation.py holds the two to each other.
MENU = [
    MenuItem(_("Tổng quan"), "dashboard", "speedometer2", ALL_ROLES),
    MenuItem(
        _("Cơ sở"),
        "facilities:facility_list",
        "buildings",
        DEPARTMENT | {Role.AGENCY_OFFICER, Role.OFFICIAL, Role.FACILITY_MANAGER, Role.CONSULTANT},
    ),
    MenuItem(
        _("Đánh giá"),
        "assessments:assessment_list",
        "clipboard-check",
        DEPARTMENT | {Role.AGENCY_OFFICER, Role.OFFICIAL, Role.CONSULTANT},
    ),
    MenuItem(
        _("Báo cáo định kỳ"),
        "assessments:selfreport_list",
        "journal-text",
        DEPARTMENT | {Role.FACILITY_MANAGER},
    ),
    MenuItem(
        _("Tuyên truyền"),
        "facilities:outreach_list",
        "megaphone",
        DEPARTMENT | {Role.AGENCY_OFFICER, Role.OFFICIAL},
    ),
    MenuItem(
        _("Chương trình"),
        "programs:plan_list",
        "flag",
        DEPARTMENT | {Role.AGENCY_OFFICER, Role.OFFICIAL},
    ),
    MenuItem(_("Quản trị hệ thống"), "admin:index", "gear", frozenset({Role.DEPARTMENT_ADMIN})),
]


def menu_for(user: Any) -> list[dict[str, str]]:
    role = access.role_of(user)
    return [
        {"label": str(item.label), "url": reverse(item.url_name), "icon": item.icon}
        for item in MENU
        if role in item.roles
    ]


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Context processor: the menu of the signed-in user's role."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"menu": []}
    role = access.role_of(user)
    return {
        "menu": menu_for(user),
        "user_role_label": Role(role).label if role else "",
    }


def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers and the container health check: the app is up and its database
    answers. Public, and says nothing else."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


def home(request: HttpRequest) -> HttpResponse:
    """Public entry point: signed-in users go to their dashboard, others to the login page."""
    return redirect("dashboard" if request.user.is_authenticated else "login")


@allow(ALL_ROLES)
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
    if role == Role.CONSULTANT:
        context["organisation"] = user.support_organisation
    elif role == Role.OFFICIAL:
        context["official_body"] = user.get_official_body_display()
    return render(request, "portal/dashboard.html", context)


class IndicatorsForm(forms.Form):
    plan = forms.ModelChoiceField(label=_("Kế hoạch"), queryset=Plan.objects.all(), required=False)
    on = forms.DateField(label=_("Tại ngày"), required=False)


def _indicators(
    request: HttpRequest, today: datetime.date, *, area: AdministrativeUnit | None
) -> dict[str, Any]:
    """The plan's indicators as of a date: the active plan (else the latest) and, for a plan
    that has ended, its last day, unless the reader asks for another."""
    form = IndicatorsForm(request.GET or None)
    chosen = form.cleaned_data if form.is_valid() else {}
    plan = (
        chosen.get("plan")
        or Plan.objects.filter(status=Plan.Status.ACTIVE).order_by("-end_year").first()
        or Plan.objects.order_by("-end_year").first()
    )
    if plan is None:
        return {"indicator_form": form}
    as_of = chosen.get("on") or min(today, datetime.date(plan.end_year, 12, 31))
    context: dict[str, Any] = {
        "indicator_form": form,
        "plan": plan,
        "as_of": as_of,
        "cards": _cards(indicators.compute(plan, as_of=as_of)),
    }
    if area is not None:
        breakdown = indicators.compute_by(plan, as_of=as_of, by="area")
        own = [group for group in breakdown if group.key == str(area.pk)]
        context["area_cards"] = _cards(own[0].figures) if own else []
    return context


def _cards(figures: dict[str, indicators.Figure]) -> list[dict[str, Any]]:
    return [
        {
            "figure": figure,
            # The code stands in the card's corner; the label without it reads as a title.
            "name": str(figure.label).split(" – ", 1)[-1],
            "status_label": indicators.Status(figure.status).label,
        }
        for figure in figures.values()
    ]


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)
