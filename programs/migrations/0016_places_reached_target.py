"""The draft 2021–2030 plan gains Decision 889/QĐ-TTg's coverage target: industrial zones,
industrial clusters and craft villages reached by dissemination, 70% by 2025 and 100% by 2030
(the registry of places and the outreach reaching them: facilities' migration 0018).
"""

from decimal import Decimal

from django.db import migrations

PLAN_NAME = "Kế hoạch sản xuất và tiêu dùng bền vững tỉnh Nghệ An giai đoạn 2021–2030 (dự thảo)"
PLACES = {
    "code": "K1",
    "rank": 25,
    "kind": "places_reached",
    "place_kinds": "industrial_zone,cluster,craft_village",
    "name": "Khu công nghiệp, cụm công nghiệp, làng nghề được tuyên truyền về sản xuất và tiêu "
    "dùng bền vững",
    "name_en": "Industrial zones, industrial clusters and craft villages reached by "
    "dissemination on sustainable production and consumption",
    "definition": (
        "K1 – tỷ lệ khu công nghiệp, cụm công nghiệp, làng nghề được tuyên truyền. Tử số: số "
        "khu, cụm, làng nghề có hoạt động tuyên truyền tổ chức đến ngày số liệu đến được khu, "
        "cụm, làng nghề đó, hoặc có cơ sở trong đó tham gia. Mẫu số: số khu công nghiệp, cụm "
        "công nghiệp, làng nghề đã thành lập (làng nghề: đã được công nhận) và chưa giải thể "
        "vào ngày số liệu."
    ),
    "definition_en": (
        "K1 – share of industrial zones, industrial clusters and craft villages reached by "
        "dissemination. Numerator: those an outreach activity held by the data date reached, "
        "or in which a facility took part in one. Denominator: the industrial zones, "
        "industrial clusters and craft villages established (craft villages: recognised) and "
        "not closed on the data date."
    ),
}
NOTE = {
    2025: "QĐ 889/QĐ-TTg ngày 24/06/2020: 70% khu công nghiệp, cụm công nghiệp, làng nghề được "
    "tuyên truyền về SXTDBV đến năm 2025.",
    2030: "QĐ 889/QĐ-TTg ngày 24/06/2020: 100% khu công nghiệp, cụm công nghiệp, làng nghề được "
    "tuyên truyền về SXTDBV đến năm 2030.",
}
BANDS = {2025: Decimal("0.7"), 2030: Decimal(1)}
# The summary of migration 0012 said this target waited for the registry.
NOT_YET = (
    "; 70% (năm 2025), 100% (năm 2030) khu công nghiệp, cụm công nghiệp, làng nghề được "
    "tuyên truyền cần danh mục khu, cụm, làng nghề"
)


def ship(apps, schema_editor):
    Plan = apps.get_model("programs", "Plan")
    Target = apps.get_model("programs", "Target")
    IndicatorDefinition = apps.get_model("programs", "IndicatorDefinition")
    IndicatorDefinition.objects.update_or_create(code=PLACES["code"], defaults=PLACES)
    plan = Plan.objects.filter(name=PLAN_NAME).first()
    if plan is None:
        return
    for year, share in BANDS.items():
        Target.objects.update_or_create(
            plan=plan,
            indicator_id=PLACES["code"],
            milestone_year=year,
            defaults={"floor": share, "stretch": share, "unit": "share", "note": NOTE[year]},
        )
    if NOT_YET in plan.summary:
        plan.summary = plan.summary.replace(NOT_YET, "")
        plan.save(update_fields=["summary"])


def unship(apps, schema_editor):
    Target = apps.get_model("programs", "Target")
    Target.objects.filter(plan__name=PLAN_NAME, indicator_id=PLACES["code"]).delete()
    apps.get_model("programs", "IndicatorDefinition").objects.filter(
        code=PLACES["code"], targets__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0015_places_and_resource_families"),
        ("facilities", "0018_places_reached"),
    ]

    operations = [migrations.RunPython(ship, unship)]
