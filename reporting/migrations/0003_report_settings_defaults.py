"""The report settings the Department ships for each audience, editable afterwards on the
settings page. A frozen copy: reporting.models.SHIPPED_SETTINGS may change, this may not."""

from django.db import migrations

SHIPPED = {
    "province": {
        "issuing_body": "UBND TỈNH NGHỆ AN\nSỞ CÔNG THƯƠNG",
        "symbol": "SCT",
        "place": "Nghệ An",
        "addressees": "Ủy ban nhân dân tỉnh Nghệ An",
        "copies_to": "Như trên\nBộ Công Thương (để báo cáo)",
        "archive": "VT, KTAT",
        "signer_title": "GIÁM ĐỐC",
        "signer_name": "",
    },
    "ministry": {
        "issuing_body": "UBND TỈNH NGHỆ AN\nSỞ CÔNG THƯƠNG",
        "symbol": "SCT",
        "place": "Nghệ An",
        # To be confirmed by the Department: the Ministry's cleaner-production office has sat
        # with this department since 2018 (the reports used to name Vụ Khoa học và Công nghệ).
        "addressees": "Bộ Công Thương (Vụ Tiết kiệm năng lượng và Phát triển bền vững)",
        "copies_to": "Như trên\nUBND tỉnh Nghệ An (để báo cáo)",
        "archive": "VT, KTAT",
        "signer_title": "GIÁM ĐỐC",
        "signer_name": "",
    },
}


def add_settings(apps, schema_editor):
    ReportSettings = apps.get_model("reporting", "ReportSettings")
    for audience, values in SHIPPED.items():
        ReportSettings.objects.get_or_create(audience=audience, defaults=values)


def remove_settings(apps, schema_editor):
    apps.get_model("reporting", "ReportSettings").objects.filter(audience__in=SHIPPED).delete()


class Migration(migrations.Migration):
    dependencies = [("reporting", "0002_report_settings_and_period_basis")]

    operations = [migrations.RunPython(add_settings, remove_settings)]
