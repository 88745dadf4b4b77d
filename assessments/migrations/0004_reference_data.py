"""Ship the resources plants report, the TOE conversion factors and the reporting schedule.

The conversion factors are data with their source and validity dates: a new legal text is a new
row with a later valid_from, never an edit of the old one, so old reports keep their figures.
"""

import datetime
from decimal import Decimal

from django.db import migrations

# (code, name, unit, kind, rank)
RESOURCES = [
    ("electricity", "Điện năng", "kWh", "electricity", 1),
    ("coal", "Than", "tấn", "fuel", 2),
    ("diesel", "Dầu DO", "tấn", "fuel", 3),
    ("fuel-oil", "Dầu FO", "tấn", "fuel", 4),
    ("lpg", "Khí hóa lỏng LPG", "tấn", "fuel", 5),
    ("natural-gas", "Khí thiên nhiên", "nghìn m³", "fuel", 6),
    ("firewood", "Củi", "tấn", "fuel", 7),
    ("rice-husk", "Trấu", "tấn", "fuel", 8),
    ("water", "Nước", "m³", "water", 10),
    ("main-material", "Nguyên liệu chính", "tấn", "material", 20),
]

# TOE per unit. The figures are the conversion factors in common use in Vietnamese energy
# audits; the source text must be checked against the official gazette before relying on them.
SOURCE = "Hệ số quy đổi năng lượng về TOE – Bộ Công Thương (đối chiếu văn bản gốc trước khi dùng)"
FACTORS = [
    ("electricity", Decimal("0.0001543")),
    ("coal", Decimal("0.7")),
    ("diesel", Decimal("1.02")),
    ("fuel-oil", Decimal("0.99")),
    ("lpg", Decimal("1.09")),
    ("natural-gas", Decimal("0.9")),
    ("firewood", Decimal("0.38")),
    ("rice-husk", Decimal("0.3")),
]

SCHEDULES = [("quarter", 20), ("year", 30)]


def add_reference_data(apps, schema_editor):
    Resource = apps.get_model("assessments", "Resource")
    Factor = apps.get_model("assessments", "ConversionFactor")
    Schedule = apps.get_model("assessments", "ReportingSchedule")
    for code, name, unit, kind, rank in RESOURCES:
        Resource.objects.get_or_create(
            code=code, defaults={"name": name, "unit": unit, "kind": kind, "rank": rank}
        )
    for code, factor in FACTORS:
        Factor.objects.get_or_create(
            resource=Resource.objects.get(code=code),
            valid_from=datetime.date(2010, 1, 1),
            defaults={"toe_per_unit": factor, "source": SOURCE},
        )
    for kind, days in SCHEDULES:
        Schedule.objects.get_or_create(period_kind=kind, defaults={"days_after_period_end": days})


def remove_reference_data(apps, schema_editor):
    apps.get_model("assessments", "ConversionFactor").objects.all().delete()
    apps.get_model("assessments", "ReportingSchedule").objects.all().delete()
    apps.get_model("assessments", "Resource").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("assessments", "0003_assessments_and_self_reports")]
    operations = [migrations.RunPython(add_reference_data, remove_reference_data)]
