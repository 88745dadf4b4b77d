"""Ship the main materials of Decision 889/QĐ-TTg's eight sectors per unit of product, as
reference data staff edit: the resources (materials kind, kept off the forms of other
sectors) and, per sector (VSIC 2018 prefix, at the registry's level 3), which of them its
facilities report and per which product unit.
"""

from django.db import migrations

# (code, name, English name, unit, English unit, rank)
RESOURCES = [
    ("clinker", "Clinker", "Clinker", "tấn", "tonne", 21),
    ("limestone", "Đá vôi", "Limestone", "tấn", "tonne", 22),
    ("malt", "Malt", "Malt", "tấn", "tonne", 23),
    ("pulp", "Bột giấy", "Pulp", "tấn", "tonne", 24),
    ("recovered-paper", "Giấy phế liệu", "Recovered paper", "tấn", "tonne", 25),
    ("textile-chemicals", "Hóa chất, thuốc nhuộm", "Chemicals and dyes", "kg", "kg", 26),
    ("raw-fish", "Cá nguyên liệu", "Fish for processing", "tấn", "tonne", 27),
    ("steel-scrap", "Thép phế liệu", "Steel scrap", "tấn", "tonne", 28),
    ("iron-ore", "Quặng sắt", "Iron ore", "tấn", "tonne", 29),
    ("plastic-resin", "Hạt nhựa", "Plastic resin", "tấn", "tonne", 30),
    ("input-chemicals", "Hóa chất đầu vào", "Input chemicals", "tấn", "tonne", 31),
]

SOURCE = "QĐ 889/QĐ-TTg ngày 24/06/2020: ngành %s"
# (VSIC prefix, resource code, product unit code, rank, sector named in Decision 889)
SECTOR_MATERIALS = [
    ("13", "water", "t", 1, "dệt may (nước trên tấn vải)"),
    ("13", "textile-chemicals", "t", 2, "dệt may (hóa chất, thuốc nhuộm trên tấn vải)"),
    ("241", "steel-scrap", "t", 1, "thép"),
    ("241", "iron-ore", "t", 2, "thép"),
    ("222", "plastic-resin", "t", 1, "nhựa"),
    ("20", "input-chemicals", "t", 1, "hóa chất"),
    ("239", "clinker", "t", 1, "xi măng (VSIC 2394; danh bạ cơ sở phân ngành đến cấp 3)"),
    ("239", "limestone", "t", 2, "xi măng (VSIC 2394; danh bạ cơ sở phân ngành đến cấp 3)"),
    ("110", "malt", "hl", 1, "bia và đồ uống (malt trên hectolit bia)"),
    ("110", "water", "hl", 2, "bia và đồ uống (nước trên hectolit)"),
    ("170", "pulp", "t", 1, "giấy"),
    ("170", "recovered-paper", "t", 2, "giấy"),
    ("102", "raw-fish", "t", 1, "chế biến thủy sản"),
]


def ship(apps, schema_editor):
    Resource = apps.get_model("assessments", "Resource")
    SectorMaterial = apps.get_model("assessments", "SectorMaterial")
    for code, name, name_en, unit, unit_en, rank in RESOURCES:
        Resource.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "unit": unit,
                "unit_en": unit_en,
                "kind": "material",
                "rank": rank,
                "offered": False,
            },
        )
    for prefix, code, product_unit, rank, sector in SECTOR_MATERIALS:
        resource = Resource.objects.filter(code=code).first()
        if resource is None:  # renamed or removed by staff: nothing to tie
            continue
        SectorMaterial.objects.get_or_create(
            sector_prefix=prefix,
            resource=resource,
            product_unit=product_unit,
            defaults={"rank": rank, "note": SOURCE % sector},
        )


def unship(apps, schema_editor):
    apps.get_model("assessments", "SectorMaterial").objects.all().delete()
    apps.get_model("assessments", "Resource").objects.filter(
        code__in=[row[0] for row in RESOURCES],
        baselineconsumption__isnull=True,
        selfreportconsumption__isnull=True,
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0015_sector_materials"),
        ("facilities", "0012_product_units"),
    ]

    operations = [migrations.RunPython(ship, unship)]
