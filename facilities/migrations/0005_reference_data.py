"""Ship the reference data of the registry: size classes (Decree 80/2021), the industrial
zones and clusters of Nghệ An, and VSIC 2018 levels 1–3 of the industrial sections B–E
(facilities/data/vsic2018.csv)."""

import csv
from pathlib import Path

from django.db import migrations

SIZE_CLASSES = [
    ("micro", "Siêu nhỏ", 1),
    ("small", "Nhỏ", 2),
    ("medium", "Vừa", 3),
    ("large", "Lớn", 4),
]

# (name, kind, district code of its area or None, economic zone it belongs to or None)
ZONES = [
    ("Khu kinh tế Đông Nam Nghệ An", "economic_zone", None, None),
    ("KCN Bắc Vinh", "industrial_zone", "412", None),
    ("KCN Nam Cấm", "industrial_zone", "429", "Khu kinh tế Đông Nam Nghệ An"),
    ("KCN Đông Hồi", "industrial_zone", "432", "Khu kinh tế Đông Nam Nghệ An"),
    ("KCN Thọ Lộc", "industrial_zone", "425", "Khu kinh tế Đông Nam Nghệ An"),
    ("KCN VSIP Nghệ An", "industrial_zone", "431", "Khu kinh tế Đông Nam Nghệ An"),
    ("KCN WHA Industrial Zone 1 - Nghệ An", "industrial_zone", "429", "Khu kinh tế Đông Nam Nghệ An"),
    ("KCN Hoàng Mai I", "industrial_zone", "432", None),
    ("KCN Nghĩa Đàn", "industrial_zone", "419", None),
    ("KCN Sông Dinh", "industrial_zone", "420", None),
    ("KCN Tân Kỳ", "industrial_zone", "423", None),
    ("KCN Phủ Quỳ", "industrial_zone", "414", None),
    ("CCN Nghi Phú", "cluster", "412", None),
    ("CCN Hưng Lộc", "cluster", "412", None),
    ("CCN Diễn Hồng", "cluster", "425", None),
    ("CCN Thị trấn Đô Lương", "cluster", "427", None),
    ("CCN Nam Giang", "cluster", "430", None),
    ("CCN Thanh Ngọc", "cluster", "428", None),
    ("CCN Quỳnh Hoàng", "cluster", "421", None),
    ("CCN Hoa Sơn", "cluster", "424", None),
]

VSIC_FILE = Path(__file__).resolve().parent.parent / "data" / "vsic2018.csv"


def add_reference_data(apps, schema_editor):
    SizeClass = apps.get_model("facilities", "SizeClass")
    Zone = apps.get_model("facilities", "IndustrialZone")
    Unit = apps.get_model("facilities", "AdministrativeUnit")
    Sector = apps.get_model("facilities", "Sector")
    for code, name, rank in SIZE_CLASSES:
        SizeClass.objects.get_or_create(code=code, defaults={"name": name, "rank": rank})
    for name, kind, unit_code, parent_name in ZONES:
        Zone.objects.get_or_create(
            name=name,
            defaults={
                "kind": kind,
                "area": Unit.objects.get(code=unit_code, level="district") if unit_code else None,
                "parent": Zone.objects.get(name=parent_name) if parent_name else None,
            },
        )
    with VSIC_FILE.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            Sector.objects.get_or_create(
                code=row["code"],
                defaults={
                    "name": row["name_vi"],
                    "name_en": row["name_en"],
                    "level": int(row["level"]),
                    "parent": Sector.objects.get(code=row["parent"]) if row["parent"] else None,
                },
            )


def remove_reference_data(apps, schema_editor):
    for model in ("Sector", "IndustrialZone", "SizeClass"):
        Model = apps.get_model("facilities", model)
        # Children first: sectors and zones point at their parents.
        for row in Model.objects.order_by("-pk"):
            row.delete()


class Migration(migrations.Migration):
    dependencies = [("facilities", "0004_registry")]
    operations = [migrations.RunPython(add_reference_data, remove_reference_data)]
