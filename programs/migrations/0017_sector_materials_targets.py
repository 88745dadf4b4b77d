"""The draft 2021–2030 plan gains Decision 889/QĐ-TTg's materials target: consumption of
materials per unit of product 5–8% lower by 2025 and 7–10% by 2030 in eight sectors, one
catalogue entry per sector (savings of the materials family within the sector's facilities;
each sector's main materials are assessments' reference data, migration 0016).
"""

from decimal import Decimal

from django.db import migrations

PLAN_NAME = "Kế hoạch sản xuất và tiêu dùng bền vững tỉnh Nghệ An giai đoạn 2021–2030 (dự thảo)"
# (code, VSIC prefixes, sector name, English sector name)
SECTORS = [
    ("NVL-DM", "13, 14", "dệt may", "textiles and garments"),
    ("NVL-TH", "241", "thép", "steel"),
    ("NVL-NH", "222", "nhựa", "plastics"),
    ("NVL-HC", "20", "hóa chất", "chemicals"),
    ("NVL-XM", "239", "xi măng", "cement"),
    ("NVL-BI", "110", "bia và đồ uống", "beer and beverages"),
    ("NVL-GI", "170", "giấy", "paper"),
    ("NVL-TS", "102", "chế biến thủy sản", "seafood processing"),
]
BANDS = {2025: (Decimal("0.05"), Decimal("0.08")), 2030: (Decimal("0.07"), Decimal("0.10"))}
NOTE = (
    "QĐ 889/QĐ-TTg ngày 24/06/2020: giảm %s mức tiêu hao nguyên vật liệu trên đơn vị sản phẩm "
    "ở tám ngành đến năm %d."
)
NOTE_BANDS = {2025: "5–8%", 2030: "7–10%"}
# What migration 0012's summary said this target waited for (0016 removed its other half).
NOT_YET = (
    "\nChưa đưa vào vì cổng chưa có dữ liệu để tính: giảm 5–8% (năm 2025), 7–10% (năm 2030) "
    "mức tiêu hao nguyên vật liệu ở tám ngành (dệt may, thép, nhựa, hóa chất, xi măng, bia và "
    "đồ uống, giấy, chế biến thủy sản) cần danh mục nguyên vật liệu chính theo ngành."
)
NOW = (
    "\nMức tiêu hao nguyên vật liệu của tám ngành tính trên nguyên vật liệu chính của từng ngành "
    "(danh mục tham chiếu, cán bộ Sở sửa được); ngành theo mã VSIC 2018 đến cấp 3 của danh bạ "
    "cơ sở (xi măng: 239, bia: 110)."
)


def entry(code, prefixes, sector, sector_en, rank):
    return {
        "rank": rank,
        "kind": "savings",
        "resource_family": "material",
        "sector_prefixes": prefixes,
        "name": f"Giảm mức tiêu hao nguyên vật liệu trên đơn vị sản phẩm – ngành {sector}",
        "name_en": f"Reduction of materials consumed per unit of product – {sector_en}",
        "definition": (
            f"{code} – trung vị mức giảm suất tiêu hao nguyên vật liệu (các nguyên vật liệu "
            f"chính của ngành, trung bình cộng) so với năm cơ sở, của các cơ sở ngành {sector} "
            f"(VSIC {prefixes}) đang áp dụng SXSH có số liệu so sánh được đến ngày số liệu; so "
            "sánh như T3 (cả năm với năm cơ sở, báo cáo đã duyệt). Tỷ lệ đạt mức tối thiểu và "
            "mức phấn đấu tính trên mọi cơ sở của ngành đang áp dụng SXSH."
        ),
        "definition_en": (
            f"{code} – median reduction of the materials consumed per unit of product (the "
            "sector's main materials, their plain mean) against the baseline year, of the "
            f"{sector_en} facilities (VSIC {prefixes}) applying CP with a comparable period by "
            "the data date; compared as T3 (a whole year against the baseline year, approved "
            "reports). The shares reaching the floor and the stretch are out of all the "
            "sector's facilities applying CP."
        ),
    }


def ship(apps, schema_editor):
    Plan = apps.get_model("programs", "Plan")
    Target = apps.get_model("programs", "Target")
    IndicatorDefinition = apps.get_model("programs", "IndicatorDefinition")
    plan = Plan.objects.filter(name=PLAN_NAME).first()
    for rank, (code, prefixes, sector, sector_en) in enumerate(SECTORS, start=40):
        IndicatorDefinition.objects.update_or_create(
            code=code, defaults=entry(code, prefixes, sector, sector_en, rank)
        )
        if plan is None:
            continue
        for year, (floor, stretch) in BANDS.items():
            Target.objects.update_or_create(
                plan=plan,
                indicator_id=code,
                milestone_year=year,
                defaults={
                    "floor": floor,
                    "stretch": stretch,
                    "unit": "share",
                    "note": NOTE % (NOTE_BANDS[year], year),
                },
            )
    if plan is not None and NOT_YET in plan.summary:
        plan.summary = plan.summary.replace(NOT_YET, NOW)
        plan.save(update_fields=["summary"])


def unship(apps, schema_editor):
    codes = [code for code, *_rest in SECTORS]
    apps.get_model("programs", "Target").objects.filter(
        plan__name=PLAN_NAME, indicator_id__in=codes
    ).delete()
    apps.get_model("programs", "IndicatorDefinition").objects.filter(
        code__in=codes, targets__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0016_places_reached_target"),
        ("assessments", "0016_ship_sector_materials"),
    ]

    operations = [migrations.RunPython(ship, unship)]
