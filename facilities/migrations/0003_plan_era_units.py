"""Ship the plan-era geography of Nghệ An: the province and its 21 district-level units.

Codes are the General Statistics Office's. The district level ended on 1 July 2025, and Cửa Lò
merged into Vinh on 1 December 2024; the units keep those end dates so that reports for any
earlier date group facilities as they stood then.
"""

import datetime

from django.db import migrations

DISTRICT_LEVEL_ENDS = datetime.date(2025, 6, 30)

# (code, name, kind, valid_from, valid_to, note)
UNITS = [
    ("412", "Vinh", "city", None, DISTRICT_LEVEL_ENDS, "Nhận thêm thị xã Cửa Lò từ 01/12/2024"),
    ("413", "Cửa Lò", "town", None, datetime.date(2024, 11, 30), "Nhập vào thành phố Vinh"),
    ("414", "Thái Hòa", "town", None, DISTRICT_LEVEL_ENDS, ""),
    ("415", "Quế Phong", "district", None, DISTRICT_LEVEL_ENDS, ""),
    ("416", "Quỳ Châu", "district", None, DISTRICT_LEVEL_ENDS, ""),
    ("417", "Kỳ Sơn", "district", None, DISTRICT_LEVEL_ENDS, ""),
    ("418", "Tương Dương", "district", None, DISTRICT_LEVEL_ENDS, ""),
    ("419", "Nghĩa Đàn", "district", None, DISTRICT_LEVEL_ENDS, ""),
    ("420", "Quỳ Hợp", "district", None, DISTRICT_LEVEL_ENDS, ""),
    ("421", "Quỳnh Lưu", "district", None, DISTRICT_LEVEL_ENDS, ""),
    ("422", "Con Cuông", "district", None, DISTRICT_LEVEL_ENDS, ""),
    ("423", "Tân Kỳ", "district", None, DISTRICT_LEVEL_ENDS, ""),
    ("424", "Anh Sơn", "district", None, DISTRICT_LEVEL_ENDS, ""),
    ("425", "Diễn Châu", "district", None, DISTRICT_LEVEL_ENDS, ""),
    ("426", "Yên Thành", "district", None, DISTRICT_LEVEL_ENDS, ""),
    ("427", "Đô Lương", "district", None, DISTRICT_LEVEL_ENDS, ""),
    ("428", "Thanh Chương", "district", None, DISTRICT_LEVEL_ENDS, ""),
    ("429", "Nghi Lộc", "district", None, DISTRICT_LEVEL_ENDS, ""),
    ("430", "Nam Đàn", "district", None, DISTRICT_LEVEL_ENDS, ""),
    ("431", "Hưng Nguyên", "district", None, DISTRICT_LEVEL_ENDS, ""),
    ("432", "Hoàng Mai", "town", datetime.date(2013, 4, 3), DISTRICT_LEVEL_ENDS, "Thành lập theo Nghị quyết 47/NQ-CP"),
]


def add_units(apps, schema_editor):
    Unit = apps.get_model("facilities", "AdministrativeUnit")
    province, _ = Unit.objects.get_or_create(
        code="40",
        valid_from=None,
        defaults={"name": "Nghệ An", "level": "province", "kind": "province"},
    )
    for code, name, kind, valid_from, valid_to, note in UNITS:
        Unit.objects.get_or_create(
            code=code,
            valid_from=valid_from,
            defaults={
                "name": name,
                "level": "district",
                "kind": kind,
                "parent": province,
                "valid_to": valid_to,
                "note": note,
            },
        )


def remove_units(apps, schema_editor):
    Unit = apps.get_model("facilities", "AdministrativeUnit")
    Unit.objects.filter(code__in=[row[0] for row in UNITS]).delete()
    Unit.objects.filter(code="40").delete()


class Migration(migrations.Migration):
    dependencies = [("facilities", "0002_initial")]
    operations = [migrations.RunPython(add_units, remove_units)]
