"""Units of production become reference data: the twelve units of the first release keep their
codes (products and assessments store them), the units the Department's registries use are
added, and any other code already stored gets a row so that no product loses its unit."""

from django.db import migrations

# code, name, English name, quantity kind, other spellings (";"-separated)
UNITS = [
    ("t", "tấn", "tonne", "mass", "tấn sản phẩm;tan;tonne;tonnes;ton;tons;T"),
    ("kg", "kg", "kg", "mass", "kilôgam;kilogam;kilogram"),
    ("m3", "m³", "m³", "volume", "m3;mét khối;met khoi;cubic metre;khối"),
    ("m2", "m²", "m²", "area", "m2;mét vuông;met vuong;square metre"),
    ("l", "lít", "litre", "volume", "lit;liter;litres;liters"),
    ("1000l", "nghìn lít", "thousand litres", "volume", "ngàn lít;1000 lít;1.000 lít"),
    ("piece", "cái, chiếc", "piece", "count", "cái/chiếc;cái;chiếc;pcs;pieces;sản phẩm"),
    ("1000pcs", "nghìn sản phẩm", "thousand pieces", "count", "ngàn sản phẩm;1000 sản phẩm"),
    ("pair", "đôi", "pair", "count", "pairs"),
    ("set", "bộ", "set", "count", "sets"),
    ("MWh", "MWh", "MWh", "energy", "megawatt giờ"),
    ("m", "mét", "metre", "length", "m dài;meter;metres;meters"),
    ("1000vien", "nghìn viên", "thousand bricks", "count", "ngàn viên;1000 viên;1.000 viên"),
    ("vien", "viên", "brick", "count", "bricks"),
    ("hl", "hectolit", "hectolitre", "volume", "hl;héc-tô-lít;hectoliter;hectolitres"),
]


def add_units(apps, schema_editor):
    ProductUnit = apps.get_model("facilities", "ProductUnit")
    Product = apps.get_model("facilities", "Product")
    for code, name, name_en, kind, aliases in UNITS:
        ProductUnit.objects.get_or_create(
            code=code,
            defaults={"name": name, "name_en": name_en, "quantity_kind": kind, "aliases": aliases},
        )
    known = set(ProductUnit.objects.values_list("code", flat=True))
    for code in set(Product.objects.values_list("unit", flat=True)) - known:
        ProductUnit.objects.create(code=code, name=code, quantity_kind="count")


def remove_units(apps, schema_editor):
    apps.get_model("facilities", "ProductUnit").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("facilities", "0011_import_rework"),
    ]

    operations = [migrations.RunPython(add_units, remove_units)]
