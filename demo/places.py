"""Demo places reached by dissemination: a few craft villages beside the industrial zones and
clusters the registry ships, and outreach held in some of them (Decision 889/QĐ-TTg's coverage
target, indicator K1).

The zones and clusters the facilities are in come from facilities' reference data; a zone
whose facilities took part in outreach counts as reached already. The events below reach
places directly (a workshop held in a zone, a visit to a craft village), so that the demo shows
places reached both ways and some not reached at all. Idempotent, like every demo step.
"""

from __future__ import annotations

import datetime

from facilities.models import AdministrativeUnit, IndustrialZone, OutreachActivity

_ORGANISER = "Sở Công Thương Nghệ An"

# (name, district-level code of its area, day it was recognised)
CRAFT_VILLAGES = [
    ("Làng nghề nước mắm Vạn Phần", "425", datetime.date(2006, 5, 12)),
    ("Làng nghề chế biến hải sản Quỳnh Dị", "432", datetime.date(2008, 9, 3)),
    ("Làng nghề mộc dân dụng Nghi Phong", "429", datetime.date(2010, 3, 25)),
    ("Làng nghề mây tre đan Nam Giang", "430", datetime.date(2011, 11, 8)),
    ("Làng nghề dệt thổ cẩm Châu Tiến", "414", datetime.date(2012, 6, 19)),
    ("Làng nghề bánh đa, bánh mướt Diễn Hồng", "425", datetime.date(2022, 4, 6)),
]

# (title, kind, day, places it reached)
EVENTS = [
    (
        "Hội thảo sản xuất và tiêu dùng bền vững tại KCN Nam Cấm và KCN WHA Industrial Zone 1",
        OutreachActivity.Kind.WORKSHOP,
        datetime.date(2022, 9, 15),
        ["KCN Nam Cấm", "KCN WHA Industrial Zone 1 - Nghệ An"],
    ),
    (
        "Tuyên truyền SXSH tại KCN VSIP Nghệ An",
        OutreachActivity.Kind.WORKSHOP,
        datetime.date(2023, 5, 10),
        ["KCN VSIP Nghệ An"],
    ),
    (
        "Hướng dẫn giảm tiêu hao nguyên vật liệu tại làng nghề nước mắm Vạn Phần",
        OutreachActivity.Kind.GUIDANCE_VISIT,
        datetime.date(2023, 8, 22),
        ["Làng nghề nước mắm Vạn Phần"],
    ),
    (
        "Gửi tài liệu SXSH cho làng nghề chế biến hải sản Quỳnh Dị và CCN Hoa Sơn",
        OutreachActivity.Kind.MATERIALS,
        datetime.date(2024, 3, 4),
        ["Làng nghề chế biến hải sản Quỳnh Dị", "CCN Hoa Sơn"],
    ),
    (
        "Tập huấn SXSH cho các cơ sở trong KCN Bắc Vinh và CCN Nghi Phú",
        OutreachActivity.Kind.TRAINING,
        datetime.date(2025, 4, 17),
        ["KCN Bắc Vinh", "CCN Nghi Phú"],
    ),
]


def seed_places() -> None:
    districts = {
        unit.code: unit
        for unit in AdministrativeUnit.objects.filter(
            level__in=[AdministrativeUnit.Level.DISTRICT],
            code__in={code for _name, code, _day in CRAFT_VILLAGES},
        ).order_by("valid_from")
    }
    for name, code, recognised_on in CRAFT_VILLAGES:
        IndustrialZone.objects.get_or_create(
            name=name,
            defaults={
                "kind": IndustrialZone.Kind.CRAFT_VILLAGE,
                "area": districts.get(code),
                "established_on": recognised_on,
            },
        )
    places = {place.name: place for place in IndustrialZone.objects.all()}
    for title, kind, held_on, names in EVENTS:
        activity, _created = OutreachActivity.objects.get_or_create(
            title=title,
            held_on=held_on,
            defaults={"kind": kind, "organiser": _ORGANISER},
        )
        activity.places.add(*(places[name] for name in names if name in places))
