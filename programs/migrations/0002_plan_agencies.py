"""Ship the coordinating agencies the Nghệ An plan names, each district's People's Committee
linked to its area."""

from django.db import migrations

PROVINCIAL = [
    ("so-tai-chinh", "Sở Tài chính", "department"),
    ("so-khoa-hoc-cong-nghe", "Sở Khoa học và Công nghệ", "department"),
    ("so-tai-nguyen-moi-truong", "Sở Tài nguyên và Môi trường", "department"),
    ("so-thong-tin-truyen-thong", "Sở Thông tin và Truyền thông", "department"),
    ("so-tu-phap", "Sở Tư pháp", "department"),
    ("trung-tam-xuc-tien-dau-tu", "Trung tâm Xúc tiến và Hỗ trợ đầu tư tỉnh", "board"),
    ("ban-quan-ly-kkt-dong-nam", "Ban Quản lý Khu Kinh tế Đông Nam", "board"),
]
KIND_PREFIX = {"city": "thành phố", "town": "thị xã", "district": "huyện"}


def add_agencies(apps, schema_editor):
    Agency = apps.get_model("programs", "Agency")
    Unit = apps.get_model("facilities", "AdministrativeUnit")
    for code, name, kind in PROVINCIAL:
        Agency.objects.get_or_create(code=code, defaults={"name": name, "kind": kind})
    for unit in Unit.objects.filter(level="district").order_by("code"):
        Agency.objects.get_or_create(
            code=f"ubnd-{unit.code}",
            defaults={
                "name": f"UBND {KIND_PREFIX[unit.kind]} {unit.name}",
                "kind": "district",
                "area": unit,
            },
        )


def remove_agencies(apps, schema_editor):
    Agency = apps.get_model("programs", "Agency")
    Agency.objects.filter(code__in=[row[0] for row in PROVINCIAL]).delete()
    Agency.objects.filter(code__startswith="ubnd-").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0001_initial"),
        ("facilities", "0003_plan_era_units"),
    ]
    operations = [migrations.RunPython(add_agencies, remove_agencies)]
