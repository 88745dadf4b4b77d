"""Ship the Nghệ An plan to 2020 and its targets (see docs/domain.md).

Shares are ratios; the yearly activity targets (A1–A4) hold for every year of the plan. A new
plan (e.g. to 2030) is added by staff as data, not by a migration.
"""

from decimal import Decimal

from django.db import migrations

PLAN_NAME = "Kế hoạch thực hiện Chiến lược sản xuất sạch hơn trong công nghiệp tỉnh Nghệ An đến năm 2020"

# (indicator, floor, stretch, unit, note)
TARGETS = [
    ("T1", "0.90", "0.90", "share", "90% cơ sở được tuyên truyền và nhận thức được lợi ích"),
    ("T2", "0.25", "0.50", "share", "25% đến 50% cơ sở áp dụng sản xuất sạch hơn"),
    ("T3", "0.05", "0.13", "share", "tiết kiệm 5% đến 13% trên đơn vị sản phẩm"),
    ("T4", "0.25", "0.50", "share", "25% đến 50% cơ sở có bộ phận chuyên trách"),
    ("T5", "1.00", "1.00", "share", "100% cán bộ chuyên trách được đào tạo, tập huấn"),
    ("A1", "1", "2", "count_per_year", "1–2 dự án mỗi năm từ ngân sách tỉnh"),
    ("A2", "1", "2", "count_per_year", "1–2 mô hình mỗi năm đề nghị Bộ Công Thương hỗ trợ"),
    ("A3", "3", "5", "count_per_year", "đánh giá nhanh tại 3–5 cơ sở mỗi năm"),
    ("A4", "1", "3", "count_per_year", "đánh giá chi tiết, tư vấn tại 1–3 cơ sở mỗi năm"),
]


def add_plan(apps, schema_editor):
    Plan = apps.get_model("programs", "Plan")
    Target = apps.get_model("programs", "Target")
    plan, _ = Plan.objects.get_or_create(
        name=PLAN_NAME,
        defaults={
            "issued_by": "UBND tỉnh Nghệ An",
            "start_year": 2016,
            "end_year": 2020,
            "status": "closed",
            "summary": (
                "Áp dụng rộng rãi sản xuất sạch hơn tại các cơ sở sản xuất công nghiệp trên địa "
                "bàn tỉnh, theo Chiến lược sản xuất sạch hơn trong công nghiệp đến năm 2020 "
                "(Quyết định 1419/QĐ-TTg ngày 07/9/2009)."
            ),
        },
    )
    # The indicator was a code here; since 0011 it refers to a catalogue entry by that code
    # (tests load this reference data with today's models).
    key = "indicator_id" if Target._meta.get_field("indicator").is_relation else "indicator"
    for indicator, floor, stretch, unit, note in TARGETS:
        Target.objects.get_or_create(
            plan=plan,
            **{key: indicator},
            milestone_year=2020,
            defaults={
                "floor": Decimal(floor),
                "stretch": Decimal(stretch),
                "unit": unit,
                "note": note,
            },
        )


def remove_plan(apps, schema_editor):
    apps.get_model("programs", "Plan").objects.filter(name=PLAN_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("programs", "0003_plans_projects_training_tasks")]
    operations = [migrations.RunPython(add_plan, remove_plan)]
