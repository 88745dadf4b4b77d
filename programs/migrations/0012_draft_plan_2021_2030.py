"""A DRAFT Nghệ An plan 2021–2030 on the national programme on sustainable production and
consumption (Decision 889/QĐ-TTg of 24/06/2020), with the targets the catalogue can compute.

It stays a draft: the province's own plan is to be confirmed against its decision, and the
figures are shown only once staff publish it. Each target names its source in its note.
Decision 889's other targets need registries the portal does not keep yet (see the summary).
"""

from decimal import Decimal

from django.db import migrations

PLAN_NAME = "Kế hoạch sản xuất và tiêu dùng bền vững tỉnh Nghệ An giai đoạn 2021–2030 (dự thảo)"
SUMMARY = (
    "DỰ THẢO, cần đối chiếu với văn bản của UBND tỉnh trước khi ban hành. Xây dựng từ Chương "
    "trình hành động quốc gia về sản xuất và tiêu dùng bền vững giai đoạn 2021–2030 (Quyết định "
    "số 889/QĐ-TTg ngày 24/06/2020 của Thủ tướng Chính phủ; Quyết định số 3529/QĐ-BCT ngày "
    "30/12/2020 của Bộ Công Thương), mốc năm 2025 và năm 2030.\n"
    "Chưa đưa vào vì cổng chưa có dữ liệu để tính: giảm 5–8% (năm 2025), 7–10% (năm 2030) mức "
    "tiêu hao nguyên vật liệu ở tám ngành (dệt may, thép, nhựa, hóa chất, xi măng, bia và đồ "
    "uống, giấy, chế biến thủy sản) cần danh mục nguyên vật liệu chính theo ngành; 70% (năm "
    "2025), 100% (năm 2030) khu công nghiệp, cụm công nghiệp, làng nghề được tuyên truyền cần "
    "danh mục khu, cụm, làng nghề."
)
MODELS = {
    "code": "M1",
    "rank": 20,
    "kind": "record_count",
    "record": "ministry_models",
    "cumulative": True,
    "name": "Mô hình sản xuất và tiêu dùng bền vững đề nghị Bộ Công Thương hỗ trợ (cộng dồn)",
    "name_en": "Sustainable production and consumption models proposed to the Ministry of "
    "Industry and Trade for support (cumulative)",
    "definition": (
        "M1 – số mô hình sản xuất và tiêu dùng bền vững đề nghị Bộ Công Thương hỗ trợ, cộng dồn "
        "từ năm đầu kế hoạch: đề xuất gửi từ ngày 01/01 năm đầu kế hoạch đến ngày số liệu (trong "
        "năm báo cáo), dù kết quả thế nào; đếm như A2, cộng dồn qua các năm."
    ),
    "definition_en": (
        "M1 – sustainable production and consumption models proposed to the Ministry of "
        "Industry and Trade for support, cumulative from the plan's first year: proposals made "
        "from 1 January of the plan's first year to the data date (within the report's year), "
        "whatever the answer; counted as A2, added up over the years."
    ),
}
KEPT = (
    "Giữ mức mục tiêu năm 2020 của kế hoạch đến năm 2020 (Quyết định 1419/QĐ-TTg); Quyết định "
    "889/QĐ-TTg không đặt chỉ tiêu này: chờ tỉnh xác định."
)
MODELS_NOTE = (
    "QĐ 889/QĐ-TTg ngày 24/06/2020: 20–30 mô hình SXTDBV đến năm 2025 (mục tiêu toàn quốc; "
    "phần của tỉnh chờ tỉnh xác định)."
)


def ship(apps, schema_editor):
    Plan = apps.get_model("programs", "Plan")
    Target = apps.get_model("programs", "Target")
    IndicatorDefinition = apps.get_model("programs", "IndicatorDefinition")
    IndicatorDefinition.objects.update_or_create(code=MODELS["code"], defaults=MODELS)
    plan, _created = Plan.objects.update_or_create(
        name=PLAN_NAME,
        defaults={
            "start_year": 2021,
            "end_year": 2030,
            "status": "draft",
            "document_kind": "plan",
            "summary": SUMMARY,
        },
    )
    previous = Target.objects.filter(
        plan__start_year=2016, plan__end_year=2020, milestone_year=2020
    )
    for old in previous.filter(indicator__in=["T1", "T2", "T4"]):
        for year in (2025, 2030):
            Target.objects.update_or_create(
                plan=plan,
                indicator_id=old.indicator_id,
                milestone_year=year,
                defaults={
                    "floor": old.floor,
                    "stretch": old.stretch,
                    "unit": "share",
                    "note": KEPT,
                },
            )
    Target.objects.update_or_create(
        plan=plan,
        indicator_id=MODELS["code"],
        milestone_year=2025,
        defaults={
            "floor": Decimal(20),
            "stretch": Decimal(30),
            "unit": "count",
            "note": MODELS_NOTE,
        },
    )


def unship(apps, schema_editor):
    apps.get_model("programs", "Plan").objects.filter(name=PLAN_NAME).delete()
    apps.get_model("programs", "IndicatorDefinition").objects.filter(
        code=MODELS["code"], targets__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("programs", "0011_target_indicator_from_catalogue")]

    operations = [migrations.RunPython(ship, unship)]
