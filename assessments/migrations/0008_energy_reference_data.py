"""Sourced energy factors: the Ministry of Industry and Trade's TOE table, the grid's emission
factors by year, IPCC 2006 defaults for fuels, and the year's public holidays.

Every factor is a row with its source; `source_checked` says whether someone compared it with
the original document. The TOE table's citation and the grid factors' notices could not be
checked against their originals when this was written, so they ship unchecked; the IPCC
defaults are the published tables. Biomass fuels (firewood, rice husk) have no official factor:
their rows keep the customary figures with no source, shown as unverified until the Department
enters one in the admin.
"""

import datetime
from decimal import Decimal

from django.db import migrations

# Cited as energy audits commonly cite it; `source_checked` stays off until someone compares
# the figures with the original text.
MOIT_SOURCE = "Bộ Công Thương, Công văn số 3505/BCT-KHCN ngày 19/4/2011 về hệ số quy đổi TOE"
OLD_SOURCE = "Hệ số quy đổi năng lượng về TOE – Bộ Công Thương (đối chiếu văn bản gốc trước khi dùng)"
FROM_2010 = datetime.date(2010, 1, 1)

# (code, name, unit, rank): fuels of the Ministry's table the shipped list lacked.
NEW_RESOURCES = [
    ("coal-3-4", "Than loại 3, 4", "tấn", 2),
    ("coal-5-6", "Than loại 5, 6", "tấn", 2),
    ("coke", "Than cốc", "tấn", 2),
    ("diesel-kl", "Dầu DO (theo thể tích)", "nghìn lít", 3),
    ("fuel-oil-kl", "Dầu FO (theo thể tích)", "nghìn lít", 4),
    ("petrol", "Xăng", "tấn", 5),
    ("petrol-kl", "Xăng (theo thể tích)", "nghìn lít", 5),
]

# TOE per unit, the Ministry's table ("coal" is types 1–2; coke: 0.70–0.75 by kind, the lower
# bound is shipped).
MOIT_FACTORS = {
    "electricity": "0.0001543",
    "coal": "0.70",
    "coal-3-4": "0.60",
    "coal-5-6": "0.50",
    "coke": "0.70",
    "diesel": "1.02",
    "diesel-kl": "0.88",
    "fuel-oil": "0.99",
    "fuel-oil-kl": "0.94",
    "lpg": "1.09",
    "natural-gas": "0.90",
    "petrol": "1.05",
    "petrol-kl": "0.83",
}
BIOMASS = ("firewood", "rice-husk")

# Vietnam's grid emission factor, tCO₂/MWh, by year (later years are added as data).
GRID_FACTORS = {
    2019: "0.8458",
    2020: "0.8041",
    2021: "0.7221",
    2022: "0.6766",
    2023: "0.6592",
}
GRID_SOURCE = (
    "Hệ số phát thải lưới điện Việt Nam năm {year}: {factor} tCO₂/MWh, Cục Biến đổi khí hậu "
    "(Bộ Tài nguyên và Môi trường) công bố"
)

# IPCC 2006 Guidelines, Vol. 2 (Energy), Ch. 1, Table 1.4: default CO₂ emission factors for
# stationary combustion, kg CO₂/TJ. The heat content of a unit is taken from its TOE factor
# (1 TOE = 41.868 GJ), so energy and emissions are computed from one figure per fuel.
GJ_PER_TOE = Decimal("41.868")
IPCC_KG_PER_TJ = {
    "coal": ("Anthracite", 98300),
    "coal-3-4": ("Anthracite", 98300),
    "coal-5-6": ("Anthracite", 98300),
    "coke": ("Coke oven coke", 107000),
    "diesel": ("Gas/Diesel oil", 74100),
    "diesel-kl": ("Gas/Diesel oil", 74100),
    "fuel-oil": ("Residual fuel oil", 77400),
    "fuel-oil-kl": ("Residual fuel oil", 77400),
    "lpg": ("Liquefied petroleum gases", 63100),
    "natural-gas": ("Natural gas", 56100),
    "petrol": ("Motor gasoline", 69300),
    "petrol-kl": ("Motor gasoline", 69300),
}
IPCC_SOURCE = (
    "IPCC 2006, Vol. 2, Ch. 1, Bảng 1.4 ({fuel}: {ef} kg CO₂/TJ) × nhiệt trị theo hệ số TOE "
    "({toe} TOE/đơn vị, 1 TOE = 41,868 GJ)"
)
BIOMASS_SOURCE = (
    "IPCC 2006, Vol. 2, Ch. 1 và 2: CO₂ từ đốt sinh khối là phát thải sinh học, không cộng vào "
    "phát thải năng lượng (chỉ ghi nhớ)"
)
IPCC_FROM = datetime.date(2006, 1, 1)

# Public holidays on weekdays (Labour Code 2019, art. 112; Tết 2026 as announced: 14–22/02,
# of which 16–20/02 are weekdays; the Hùng Kings' day, 26/04/2026, is a Sunday, so Monday 27/04
# is off). Later years are added in the admin when announced.
HOLIDAYS = [
    ("2026-01-01", "Tết Dương lịch"),
    ("2026-02-16", "Tết Nguyên đán"),
    ("2026-02-17", "Tết Nguyên đán"),
    ("2026-02-18", "Tết Nguyên đán"),
    ("2026-02-19", "Tết Nguyên đán"),
    ("2026-02-20", "Tết Nguyên đán"),
    ("2026-04-27", "Nghỉ bù Giỗ Tổ Hùng Vương"),
    ("2026-04-30", "Ngày Chiến thắng"),
    ("2026-05-01", "Ngày Quốc tế Lao động"),
    ("2026-09-02", "Quốc khánh"),
    ("2027-01-01", "Tết Dương lịch"),
]


def _toe(code):
    return Decimal(MOIT_FACTORS[code])


def add_energy_data(apps, schema_editor):
    Resource = apps.get_model("assessments", "Resource")
    Factor = apps.get_model("assessments", "ConversionFactor")
    Emission = apps.get_model("assessments", "EmissionFactor")
    Holiday = apps.get_model("assessments", "PublicHoliday")
    for code, name, unit, rank in NEW_RESOURCES:
        Resource.objects.get_or_create(
            code=code, defaults={"name": name, "unit": unit, "kind": "fuel", "rank": rank}
        )
    resources = {resource.code: resource for resource in Resource.objects.all()}
    for code, value in MOIT_FACTORS.items():
        factor, created = Factor.objects.get_or_create(
            resource=resources[code],
            valid_from=FROM_2010,
            defaults={"toe_per_unit": Decimal(value), "source": MOIT_SOURCE},
        )
        if not created and factor.source == OLD_SOURCE:
            factor.source = MOIT_SOURCE
            factor.save(update_fields=["source"])
    # The customary biomass figures stay, unsourced: shown as unverified until a text is named.
    Factor.objects.filter(
        resource__code__in=BIOMASS, valid_from=FROM_2010, source=OLD_SOURCE
    ).update(source="")

    for year, value in GRID_FACTORS.items():
        Emission.objects.get_or_create(
            resource=resources["electricity"],
            valid_from=datetime.date(year, 1, 1),
            defaults={
                # tCO₂/MWh to tCO₂ per kWh, the resource's unit
                "tco2e_per_unit": Decimal(value) / 1000,
                # the latest year stays in force until the next year's factor is entered
                "valid_to": None if year == max(GRID_FACTORS) else datetime.date(year, 12, 31),
                "source": GRID_SOURCE.format(year=year, factor=value.replace(".", ",")),
            },
        )
    for code, (fuel, kg_per_tj) in IPCC_KG_PER_TJ.items():
        per_unit = (_toe(code) * GJ_PER_TOE * kg_per_tj / 1_000_000).quantize(Decimal("0.000001"))
        Emission.objects.get_or_create(
            resource=resources[code],
            valid_from=IPCC_FROM,
            defaults={
                "tco2e_per_unit": per_unit,
                "source": IPCC_SOURCE.format(
                    fuel=fuel, ef=f"{kg_per_tj:,}".replace(",", "."), toe=MOIT_FACTORS[code]
                ),
                "source_checked": True,
            },
        )
    for code in BIOMASS:
        Emission.objects.get_or_create(
            resource=resources[code],
            valid_from=IPCC_FROM,
            defaults={"tco2e_per_unit": 0, "source": BIOMASS_SOURCE, "source_checked": True},
        )
    for day, name in HOLIDAYS:
        Holiday.objects.get_or_create(day=datetime.date.fromisoformat(day), defaults={"name": name})


def remove_energy_data(apps, schema_editor):
    Resource = apps.get_model("assessments", "Resource")
    Factor = apps.get_model("assessments", "ConversionFactor")
    apps.get_model("assessments", "PublicHoliday").objects.all().delete()
    apps.get_model("assessments", "EmissionFactor").objects.all().delete()
    new_codes = [code for code, *_rest in NEW_RESOURCES]
    Factor.objects.filter(resource__code__in=new_codes).delete()
    Factor.objects.filter(source=MOIT_SOURCE).update(source=OLD_SOURCE)
    Factor.objects.filter(resource__code__in=BIOMASS, source="").update(source=OLD_SOURCE)
    Resource.objects.filter(code__in=new_codes).delete()


class Migration(migrations.Migration):
    dependencies = [("assessments", "0007_energy_factors_and_listings")]
    operations = [migrations.RunPython(add_energy_data, remove_energy_data)]
