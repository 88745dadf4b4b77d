"""Demo assessments: support organisations, CP assessments, baselines, options and self-reports.

Never meant for a real deployment (`seed_demo` calls this, behind its DEBUG guard). It runs on
top of the facility demo and, like it, in two steps: first every record is drawn from `rng` into
plain specs, reading only the registry (facilities by tax code, their products, outreach and CP
units); then only the specs whose natural keys are missing are bulk-created. The natural keys
are the organisation's name, an assessment's facility, kind and start date, and a self-report's
facility, period and version. Drawing before looking is what makes a second run a no-op.

The story told is the plan's: 3–5 quick and 1–3 detailed assessments a year from 2015 to 2020
at the province scale (fewer afterwards), mostly at medium and large plants and designated
energy users; most options implemented and verified within a year and a half; quarterly
self-reports whose intensities fall 5–15% below the baseline, some facilities reaching the 13%
stretch and some not even the 5% floor. "Today" is fixed, so the same seed always tells the
same story whenever it is loaded.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TypeVar

from django.db import models, transaction
from django.db.models import Min

from assessments import services
from assessments.models import (
    Assessment,
    Baseline,
    BaselineConsumption,
    ConversionFactor,
    CPOption,
    ReportingSchedule,
    Resource,
    SelfReport,
    SelfReportConsumption,
    SelfReportMeasure,
    SelfReportTransition,
    SupportOrganisation,
    Technique,
)
from demo.kit import (
    BATCH_SIZE,
    CHANGE_REASON,
    TODAY,
    TZ,
    Drawer,
    at,
    bulk,
    check_scale,
    clock_at,
    cumulative,
    link_missing,
    weekday,
)
from facilities.models import (
    DISTRICT_LEVEL_ENDS,
    AdministrativeUnit,
    AwarenessConfirmation,
    DedicatedUnit,
    Facility,
    OutreachParticipation,
    Product,
)
from portal.models import User

_NOW = datetime.datetime.combine(TODAY, datetime.time(10, 0), tzinfo=TZ)
_LAST_QUARTER = (2026, 3)  # the last quarter that has ended by TODAY
# This autumn's reports wait behind the Department's year-end reporting to the Ministry.
_BACKLOG_FROM = datetime.datetime(2026, 10, 1, tzinfo=TZ)

_M = TypeVar("_M", bound=models.Model)

# Self-reports are drawn and written this many at a time, so a national run never holds them
# all in memory.
_REPORT_CHUNK = 20_000

_PROVINCE_SIZE = 3000
_PLAN_YEARS = range(2015, 2021)
_LATER_YEARS = range(2021, TODAY.year + 1)
# Even the largest registry keeps the assessment history readable.
_MAX_ASSESSMENTS = 20_000
_ASSESSMENTS_PER_PROVINCE = 6 * (4 + 2) + len(_LATER_YEARS) * (2 + 1)

# Self-reports come from facilities with a detailed assessment and from a sample of other aware
# facilities, which the portal asked to report from 2019 on.
_SAMPLE_FROM = (2019, 1)
_SAMPLE_SHARE = 0.15
_SAMPLE_MAX = 5000
# Reports of this year on go through the workflow services (see seed_assessments).
_LIVE_FROM_YEAR = TODAY.year

_Kind = Assessment.Kind
_MANAGER_DISTRICT = "425"  # Diễn Châu
_Status = Assessment.Status
_Funding = Assessment.Funding
_OptionStatus = CPOption.Status
_ReportStatus = SelfReport.Status
_T = Technique

# --- Organisations ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Organisation:
    name: str
    kind: str
    email: str
    phone: str
    address: str
    expertise: str
    active_from: int
    quick_weight: float
    detailed_weight: float
    # Weight of each sector group among its assignments; groups not named weigh 1.
    focus: dict[str, float]


_EXTENSION_CENTRE = "Trung tâm Khuyến công và Tư vấn phát triển công nghiệp Nghệ An"

_ORGANISATIONS = (
    _Organisation(
        name=_EXTENSION_CENTRE,
        kind=SupportOrganisation.Kind.CENTRE,
        email="khuyencong@demo.sxsh.local",
        phone="0238 3844 000",
        address="Số 2 đường Trường Thi, phường Trường Thi, thành phố Vinh, tỉnh Nghệ An",
        expertise=(
            "Khuyến công; đánh giá nhanh sản xuất sạch hơn tại doanh nghiệp nhỏ và vừa, cơ sở "
            "làng nghề; hướng dẫn lập hồ sơ đề nghị hỗ trợ từ kinh phí khuyến công địa phương "
            "và quốc gia."
        ),
        active_from=2015,
        quick_weight=6,
        detailed_weight=1,
        focus={},
    ),
    _Organisation(
        name="Trung tâm Sản xuất sạch hơn và Tiết kiệm năng lượng Bắc Trung Bộ",
        kind=SupportOrganisation.Kind.CENTRE,
        email="sxsh.btb@demo.sxsh.local",
        phone="0238 3562 118",
        address="Số 68 đường Lê Hồng Phong, phường Hưng Bình, thành phố Vinh, tỉnh Nghệ An",
        expertise=(
            "Đánh giá sản xuất sạch hơn chi tiết theo phương pháp UNEP/UNIDO; kiểm toán năng "
            "lượng; lập cân bằng vật liệu – năng lượng; đào tạo chuyên gia tư vấn SXSH cho các "
            "tỉnh Bắc Trung Bộ."
        ),
        active_from=2015,
        quick_weight=2,
        detailed_weight=5,
        focus={},
    ),
    _Organisation(
        name="Công ty Cổ phần Tư vấn Năng lượng và Môi trường Sông Lam",
        kind=SupportOrganisation.Kind.CONSULTANCY,
        email="tuvan@songlam.demo.sxsh.local",
        phone="0238 3598 246",
        address=(
            "Tầng 5, số 19 đường Nguyễn Sỹ Sách, phường Hưng Dũng, thành phố Vinh, tỉnh Nghệ An"
        ),
        expertise=(
            "Kiểm toán năng lượng bắt buộc cho cơ sở sử dụng năng lượng trọng điểm; sản xuất sạch "
            "hơn trong sản xuất vật liệu xây dựng (gạch tuynel, xi măng, vôi), khai thác và chế "
            "biến đá; cải tạo lò nung, thu hồi nhiệt thải."
        ),
        active_from=2016,
        quick_weight=1,
        detailed_weight=3,
        focus={"materials": 5, "utilities": 2, "engineering": 1.5, "food": 0.5, "textile": 0.3},
    ),
    _Organisation(
        name="Công ty TNHH Tư vấn Công nghệ Môi trường Hồng Lam",
        kind=SupportOrganisation.Kind.CONSULTANCY,
        email="honglam.env@demo.sxsh.local",
        phone="0238 3831 579",
        address="Lô C12 Khu công nghiệp Bắc Vinh, xã Hưng Đông, thành phố Vinh, tỉnh Nghệ An",
        expertise=(
            "Sản xuất sạch hơn và xử lý nước thải cho ngành chế biến nông sản, thủy sản, thực "
            "phẩm, đồ uống và dệt may; tuần hoàn, tái sử dụng nước; tối ưu lò hơi và thu hồi "
            "nước ngưng."
        ),
        active_from=2017,
        quick_weight=1.5,
        detailed_weight=2.5,
        focus={"food": 5, "textile": 3, "materials": 0.3, "engineering": 0.5, "utilities": 0.5},
    ),
    _Organisation(
        name="Viện Khoa học Kỹ thuật Môi trường Bắc Trung Bộ",
        kind=SupportOrganisation.Kind.UNIVERSITY,
        email="vienmoitruong@demo.sxsh.local",
        phone="0238 3855 402",
        address="Số 182 đường Lê Duẩn, phường Trường Thi, thành phố Vinh, tỉnh Nghệ An",
        expertise=(
            "Nghiên cứu, chuyển giao công nghệ sạch; sản xuất sạch hơn trong cơ khí, hóa chất, "
            "chế biến gỗ và giấy; đánh giá vòng đời sản phẩm; đào tạo cán bộ kỹ thuật và cán bộ "
            "quản lý năng lượng."
        ),
        active_from=2015,
        quick_weight=1,
        detailed_weight=2,
        focus={"engineering": 4, "wood": 3, "textile": 1, "materials": 0.7, "food": 0.5},
    ),
)

_TITLES = ("TS.", "ThS.", "ThS.", "KS.", "KS.", "KS.", "CN.")
_SURNAMES = ("Nguyễn", "Nguyễn", "Nguyễn", "Trần", "Lê", "Lê", "Hồ", "Phan", "Hoàng", "Phạm",
             "Đặng", "Võ", "Bùi", "Thái", "Đậu", "Cao")  # fmt: skip
_MIDDLE_GIVEN = (
    ("Văn", "Hùng"), ("Văn", "Thắng"), ("Đức", "Minh"), ("Quang", "Huy"), ("Hữu", "Tuấn"),
    ("Xuân", "Trường"), ("Đình", "Phong"), ("Công", "Thành"), ("Minh", "Đức"), ("Văn", "Long"),
    ("Thị", "Hương"), ("Thị", "Lan"), ("Thu", "Hà"), ("Thanh", "Thủy"), ("Thị", "Hằng"),
    ("Ngọc", "Anh"), ("Thị", "Nga"), ("Hồng", "Nhung"), ("Thị", "Vân"), ("Kim", "Oanh"),
)  # fmt: skip

# --- Industry -----------------------------------------------------------------------------------


def _group(sector_code: str) -> str:
    """The sector group of a VSIC code, as the facility demo groups trainings and handbooks."""
    division = int(sector_code[:2])
    if division <= 9 or division == 23:
        return "materials"
    if division <= 12:
        return "food"
    if division <= 15:
        return "textile"
    if division in (16, 17, 31):
        return "wood"
    if division >= 35:
        return "utilities"
    return "engineering"


# Power plants report to the grid operator, not to a CP programme: no assessments, no reports.
_EXCLUDED_SECTORS = frozenset({"351"})


@dataclass(frozen=True, slots=True)
class _Intensity:
    """What one unit of a product takes: kWh, fuels (code, quantity), m³ of water, tonnes of
    its main material (and that material's name)."""

    kwh: float
    fuels: tuple[tuple[str, float], ...]
    water: float
    material: float
    material_name: str


def _i(
    kwh: float, fuels: tuple[tuple[str, float], ...], water: float, material: float, name: str
) -> _Intensity:
    return _Intensity(kwh, fuels, water, material, name)


# Per unit of the product as the registry counts it (1000 bricks, tonnes, m³, pieces…). Round
# figures of the order seen in Vietnamese CP case studies and energy audits.
_PRODUCT_INTENSITY: dict[str, _Intensity] = {
    # Building materials and mining
    "Gạch tuynel": _i(25, (("coal", 0.14), ("diesel", 0.002)), 0.4, 2.9, "đất sét"),
    "Ngói lợp": _i(40, (("coal", 0.22),), 0.6, 3.2, "đất sét"),
    "Gạch không nung": _i(15, (("diesel", 0.003),), 0.8, 3.6, "xi măng, mạt đá"),
    "Xi măng PCB40": _i(95, (("coal", 0.11), ("diesel", 0.001)), 0.3, 1.02, "clinker, phụ gia"),
    "Clinker": _i(65, (("coal", 0.125), ("fuel-oil", 0.001)), 0.25, 1.55, "đá vôi, đất sét"),
    "Vôi nung": _i(20, (("coal", 0.19),), 0.5, 1.8, "đá vôi"),
    "Đá xây dựng": _i(3.5, (("diesel", 0.0009),), 0.1, 1.6, "đá nguyên khai"),
    "Đá hộc": _i(1.5, (("diesel", 0.0011),), 0.02, 1.7, "đá nguyên khai"),
    "Đá khối trắng": _i(18, (("diesel", 0.004),), 0.6, 3.2, "đá nguyên khai"),
    "Bột đá trắng": _i(55, (("diesel", 0.0015),), 0.1, 1.05, "đá trắng"),
    "Bột đá CaCO3": _i(60, (("diesel", 0.0015),), 0.1, 1.05, "đá trắng"),
    "Đá ốp lát": _i(9, (("diesel", 0.0004),), 0.35, 0.07, "đá khối"),
    "Đá mỹ nghệ": _i(12, (("diesel", 0.0005),), 0.2, 0.09, "đá khối"),
    "Bê tông tươi": _i(4, (("diesel", 0.0025),), 0.2, 2.3, "xi măng, cát, đá"),
    "Cọc bê tông": _i(3, (("diesel", 0.0006),), 0.06, 0.35, "xi măng, cát, đá, thép"),
    "Cát xây dựng": _i(0.6, (("diesel", 0.0015),), 0.05, 1.5, "cát nguyên khai"),
    "Sỏi": _i(0.8, (("diesel", 0.0015),), 0.08, 1.6, "sỏi nguyên khai"),
    "Đá vôi": _i(2, (("diesel", 0.0008),), 0.02, 1.1, "đá nguyên khai"),
    # Food and drink
    "Gạo": _i(45, (("rice-husk", 0.06),), 0.3, 1.55, "thóc"),
    "Bột mì": _i(75, (("diesel", 0.0008),), 0.3, 1.35, "lúa mì"),
    "Tinh bột sắn": _i(220, (("coal", 0.18), ("diesel", 0.002)), 14, 4.2, "củ sắn tươi"),
    "Đường kính trắng": _i(110, (("firewood", 0.12), ("diesel", 0.002)), 5, 9.5, "mía cây"),
    "Chè búp khô": _i(850, (("firewood", 2.4),), 2, 4.5, "chè búp tươi"),
    "Chè xanh": _i(700, (("firewood", 2.0),), 2, 4.3, "chè búp tươi"),
    "Bánh kẹo": _i(380, (("lpg", 0.05),), 5, 1.1, "bột, đường, sữa"),
    "Kẹo cu đơ": _i(0.4, (("firewood", 0.0008),), 0.005, 0.0011, "lạc, mật mía, bánh đa"),
    "Thức ăn gia súc": _i(45, (("rice-husk", 0.04),), 0.1, 1.03, "ngô, cám, khô đậu"),
    "Thức ăn thủy sản": _i(70, (("coal", 0.02),), 0.15, 1.04, "bột cá, ngô, khô đậu"),
    "Bia chai": _i(120, (("coal", 0.06),), 5, 0.16, "malt, gạo"),
    "Bia hơi": _i(90, (("coal", 0.05),), 4.5, 0.15, "malt, gạo"),
    "Nước khoáng": _i(40, (("diesel", 0.002),), 1.6, 0.04, "chai PET, nắp"),
    "Nước uống": _i(35, (("diesel", 0.002),), 1.6, 0.04, "chai PET, nắp"),
    "Rượu trắng": _i(0.3, (("firewood", 0.003),), 0.02, 0.0025, "gạo, men"),
    "Rượu vang sim": _i(0.25, (("diesel", 0.00001),), 0.015, 0.0018, "quả sim, đường"),
    "Sữa tươi tiệt trùng": _i(110, (("coal", 0.035),), 3.5, 1.05, "sữa bò tươi"),
    "Sữa chua": _i(200, (("coal", 0.05),), 4, 1.05, "sữa bò tươi"),
    "Cá đông lạnh": _i(900, (("diesel", 0.008),), 25, 1.6, "cá nguyên liệu"),
    "Tôm đông lạnh": _i(1500, (("diesel", 0.01),), 40, 1.8, "tôm nguyên liệu"),
    "Mực khô": _i(0.4, (("coal", 0.0015),), 0.03, 0.005, "mực tươi"),
    "Cá khô": _i(0.3, (("coal", 0.0012),), 0.02, 0.004, "cá tươi"),
    "Nước mắm": _i(0.05, (("diesel", 0.00002),), 0.005, 0.0008, "cá cơm, muối"),
    "Mắm tôm": _i(0.08, (("diesel", 0.00002),), 0.008, 0.0012, "moi, tôm, muối"),
    "Thịt lợn mảnh": _i(60, (("firewood", 0.02),), 6, 1.35, "lợn hơi"),
    "Thịt gia cầm đông lạnh": _i(500, (("firewood", 0.05),), 15, 1.4, "gia cầm sống"),
    "Dứa cô đặc": _i(400, (("coal", 0.35),), 20, 6.0, "dứa quả"),
    "Dầu lạc": _i(0.4, (("firewood", 0.0015),), 0.01, 0.0025, "lạc nhân"),
    # Textiles, garments, shoes
    "Quần áo may sẵn": _i(0.6, (("firewood", 0.0003), ("diesel", 0.00002)), 0.005, 0.0004, "vải"),
    "Áo jacket": _i(1.2, (("firewood", 0.0005), ("diesel", 0.00003)), 0.008, 0.0009, "vải"),
    "Áo sơ mi": _i(0.5, (("firewood", 0.00025), ("diesel", 0.00002)), 0.004, 0.00025, "vải"),
    "Quần áo bảo hộ lao động": _i(0.7, (("firewood", 0.0003),), 0.005, 0.0006, "vải"),
    "Áo dệt kim": _i(0.8, (("coal", 0.0004),), 0.05, 0.0003, "sợi"),
    "Giày thể thao": _i(1.0, (("coal", 0.0003), ("diesel", 0.00002)), 0.01, 0.0006, "da, vải, đế"),
    "Dép": _i(0.5, (("coal", 0.0002),), 0.005, 0.0003, "cao su, EVA"),
    "Mũ giày": _i(0.3, (("diesel", 0.00001),), 0.002, 0.0002, "da, vải"),
    "Sợi cotton": _i(3500, (("coal", 0.12),), 3, 1.12, "bông xơ"),
    "Vải mộc": _i(0.8, (("coal", 0.0003),), 0.01, 0.00015, "sợi"),
    # Wood and paper
    "Gỗ xẻ": _i(30, (("firewood", 0.15),), 0.1, 1.3, "gỗ tròn"),
    "Gỗ ghép thanh": _i(120, (("firewood", 0.25),), 0.2, 1.1, "gỗ xẻ"),
    "Ván ép": _i(250, (("firewood", 0.4),), 0.5, 1.1, "gỗ bóc, keo"),
    "Ván MDF": _i(350, (("firewood", 0.35),), 1.0, 1.0, "dăm gỗ, keo"),
    "Viên nén gỗ": _i(120, (("firewood", 0.15),), 0.05, 1.15, "mùn cưa, dăm bào"),
    "Dăm gỗ": _i(15, (("diesel", 0.002),), 0.02, 1.05, "gỗ keo, bạch đàn"),
    "Bàn ghế gỗ": _i(25, (("firewood", 0.03),), 0.05, 0.15, "gỗ xẻ"),
    "Tủ gỗ": _i(20, (("firewood", 0.025),), 0.04, 0.12, "gỗ xẻ, ván"),
    "Đồ gỗ mỹ nghệ": _i(15, (("firewood", 0.02),), 0.03, 0.05, "gỗ xẻ"),
    "Giấy bao bì": _i(450, (("coal", 0.3),), 30, 1.2, "giấy phế liệu, bột giấy"),
    "Giấy vàng mã": _i(300, (("firewood", 0.5),), 20, 1.15, "bột giấy, giấy phế liệu"),
    "Thùng carton": _i(0.05, (("coal", 0.00008),), 0.001, 0.0005, "giấy cuộn"),
    # Metals, chemicals, plastics
    "Kết cấu thép": _i(150, (("lpg", 0.004), ("diesel", 0.002)), 0.5, 1.08, "thép tấm, thép hình"),
    "Phôi thép": _i(650, (("coal", 0.05), ("fuel-oil", 0.01)), 5, 1.12, "thép phế, gang"),
    "Thép xây dựng": _i(120, (("fuel-oil", 0.035),), 2, 1.05, "phôi thép"),
    "Sản phẩm gang đúc": _i(700, (("coal", 0.15),), 3, 1.15, "gang, thép phế"),
    "Phân bón NPK": _i(30, (("coal", 0.02),), 0.1, 1.02, "đạm, lân, kali"),
    "Phân vi sinh": _i(25, (("diesel", 0.001),), 0.2, 1.1, "than bùn, phụ phẩm nông nghiệp"),
    "Bao bì nhựa": _i(1200, (("diesel", 0.002),), 3, 1.05, "hạt nhựa"),
    "Ống nhựa": _i(0.3, (("diesel", 0.00001),), 0.002, 0.0006, "hạt nhựa PVC, HDPE"),
    # Water, waste
    "Nước sạch": _i(0.35, (("diesel", 0.00001),), 1.08, 0.00004, "hóa chất xử lý"),
    "Nước thải được xử lý": _i(0.4, (("diesel", 0.00001),), 0.01, 0.00005, "hóa chất xử lý"),
    "Rác thải được thu gom": _i(2, (("diesel", 0.004),), 0.05, 0.0005, "chế phẩm vi sinh"),
    "Chất thải rắn": _i(15, (("diesel", 0.003),), 0.2, 0.002, "chế phẩm vi sinh, vôi"),
    "Phân compost": _i(20, (("diesel", 0.002),), 0.3, 1.6, "rác hữu cơ"),
}

# Products not in the table above: per tonne of product by sector group, times the product's
# mass per unit.
_GROUP_INTENSITY_PER_TONNE: dict[str, _Intensity] = {
    "materials": _i(40, (("diesel", 0.002),), 0.3, 1.3, "nguyên liệu khoáng"),
    "food": _i(150, (("firewood", 0.15),), 6, 1.3, "nông sản, thực phẩm nguyên liệu"),
    "textile": _i(1500, (("coal", 0.3),), 10, 1.1, "vải, sợi"),
    "wood": _i(100, (("firewood", 0.2),), 0.3, 1.3, "gỗ nguyên liệu"),
    "engineering": _i(500, (("diesel", 0.005), ("lpg", 0.003)), 2, 1.06, "kim loại, vật tư"),
    "utilities": _i(30, (("diesel", 0.005),), 0.5, 1.0, "vật tư, hóa chất"),
}
_UNIT_TONNES = {
    Product.Unit.TONNE: 1.0, Product.Unit.KG: 0.001, Product.Unit.CUBIC_METRE: 1.0,
    Product.Unit.SQUARE_METRE: 0.02, Product.Unit.LITRE: 0.001,
    Product.Unit.THOUSAND_LITRES: 1.0, Product.Unit.PIECE: 0.002,
    Product.Unit.THOUSAND_PIECES: 1.0, Product.Unit.PAIR: 0.0008, Product.Unit.SET: 0.05,
    Product.Unit.METRE: 0.005, Product.Unit.MWH: 0.0,
}  # fmt: skip
# Pieces that weigh far more (or less) than a garment.
_PRODUCT_TONNES = {
    "Máy nông nghiệp": 0.4, "Máy chế biến nông sản": 0.6, "Thùng xe tải": 1.2, "Tủ điện": 0.08,
    "Bồn inox": 0.05, "Tàu cá vỏ gỗ": 25, "Tàu vỏ thép": 60, "Xe đạp": 0.014,
    "Máy móc, thiết bị sửa chữa": 0.3, "Dây chuyền lắp đặt": 15, "Săm lốp xe": 0.005,
    "Ắc quy": 0.015, "Thiết bị điện tử": 0.003, "Đèn LED": 0.0003, "Phụ tùng ô tô": 0.02,
}  # fmt: skip

# VND per unit at 2015 prices; later years add 3% a year.
_PRICES = {
    "electricity": 1650, "coal": 2_400_000, "diesel": 17_000_000, "fuel-oil": 11_000_000,
    "lpg": 18_000_000, "natural-gas": 7_000_000, "firewood": 900_000, "rice-husk": 700_000,
    "water": 9000,
}  # fmt: skip
_MATERIAL_PRICES = {
    "materials": 150_000, "food": 6_000_000, "textile": 50_000_000, "wood": 3_500_000,
    "engineering": 15_000_000, "utilities": 8_000_000,
}  # fmt: skip

_SIZE_ASSESSMENT_WEIGHT = {"micro": 0.1, "small": 1.0, "medium": 4.0, "large": 6.0}
_SIZE_REPORT_WEIGHT = {"micro": 0.3, "small": 1.0, "medium": 2.5, "large": 4.0}
_GROUP_ASSESSMENT_WEIGHT = {
    "materials": 1.5, "food": 1.3, "textile": 1.0, "wood": 1.2, "engineering": 0.8,
    "utilities": 0.5,
}  # fmt: skip
# Small works are less efficient than the table's typical plant.
_SIZE_INEFFICIENCY = {"micro": 1.25, "small": 1.12, "medium": 1.0, "large": 0.95}

# Output through the year: Tết slows the first quarter; brick kilns stop for the rains.
_SEASON = {1: 0.88, 2: 1.0, 3: 1.02, 4: 1.1}
_SEASON_MATERIALS = {1: 0.85, 2: 1.12, 3: 0.9, 4: 1.13}
_COVID = {(2020, 2): 0.75, (2020, 3): 0.9, (2021, 3): 0.8, (2021, 4): 0.92}

# --- Findings and options -----------------------------------------------------------------------

# Keyed by trade (see _trade_key): a quarry has no kiln, a brickworks no cold store.
_OBSERVATIONS = {
    "kilns": (
        "Tổn thất nhiệt qua thân lò, cửa lò và khí thải lớn; chưa kiểm soát độ ẩm nguyên vật liệu",
        "Tỷ lệ sản phẩm nứt, vỡ sau nung còn cao; nhiệt độ dọc lò không được theo dõi",
        "Bãi chứa than và nguyên vật liệu không có mái che; máy nghiền, băng tải chạy không tải "
        "nhiều",
    ),
    "quarries": (
        "Máy nghiền, sàng và băng tải chạy không tải nhiều; đá quá cỡ phải nổ mìn lần hai",
        "Bãi chứa không có mái che, bụi phát tán tại khu nghiền sàng; nước rửa đá xả bỏ",
        "Xe và máy xúc bảo dưỡng không theo giờ máy, tiêu hao dầu cao",
    ),
    "food": (
        "Lò hơi vận hành theo kinh nghiệm, hiệu suất thấp; đường ống hơi chưa bảo ôn, nước "
        "ngưng bị thải bỏ",
        "Nước rửa tiêu thụ lớn, chưa có đồng hồ theo công đoạn; hao hụt nguyên vật liệu ở khâu sơ "
        "chế cao",
        "Hao hụt nguyên vật liệu và bao bì ở khâu đóng gói cao; chưa theo dõi định mức theo ca",
    ),
    "cold_chain": (
        "Kho lạnh mở cửa nhiều, máy nén lạnh cũ tiêu thụ điện cao; nước rửa nguyên vật liệu lớn",
        "Tủ đông, kho lạnh bảo ôn kém, đọng băng dày; hao hụt nguyên vật liệu ở khâu sơ chế cao",
    ),
    "textile": (
        "Máy may dùng động cơ ly hợp tiêu thụ điện cả khi không may; chiếu sáng, thông gió "
        "chưa hợp lý",
        "Tỷ lệ vải đầu tấm, vải vụn cao do giác sơ đồ thủ công; bàn là hơi rò rỉ hơi",
    ),
    "wood": (
        "Lò sấy gỗ thủ công, không kiểm soát nhiệt độ và độ ẩm; mùn cưa, dăm bào chưa được tận "
        "dụng",
        "Tỷ lệ thành phẩm trên gỗ tròn thấp do lưỡi cưa mòn và phân loại gỗ chưa tốt",
    ),
    "engineering": (
        "Máy nén khí rò rỉ, chạy non tải kéo dài; lò nhiệt luyện bảo ôn kém",
        "Phế phẩm ở khâu gia công, hàn còn cao; phoi và ba-via chưa được phân loại",
    ),
    "utilities": (
        "Bơm vận hành lệch điểm hiệu suất cao, chưa có biến tần; thất thoát trên mạng lưới lớn",
        "Xe và thiết bị chạy tuyến chưa tối ưu, tiêu hao nhiên liệu cao",
    ),
}


@dataclass(frozen=True, slots=True)
class _OptionTemplate:
    technique: str
    text: str
    # (resource kind, lowest share, highest share of the facility's yearly use it saves)
    effects: tuple[tuple[str, float, float], ...]


def _o(technique: str, text: str, *effects: tuple[str, float, float]) -> _OptionTemplate:
    return _OptionTemplate(technique, text, effects)


_E, _F, _W, _MAT = "electricity", "fuel", "water", "material"

_GENERIC_OPTIONS = (
    _o(_T.HOUSEKEEPING, "Tắt máy, đèn và quạt khi không sử dụng; dán biển nhắc nhở và giao "
       "trách nhiệm cho trưởng ca", (_E, 0.01, 0.03)),
    _o(_T.HOUSEKEEPING, "Kiểm tra, khắc phục rò rỉ nước và khí nén trên đường ống; lập lịch "
       "kiểm tra hằng tháng", (_W, 0.03, 0.10), (_E, 0.005, 0.015)),
    _o(_T.HOUSEKEEPING, "Sắp xếp lại kho nguyên vật liệu, che chắn chống ẩm, nhập trước – xuất "
       "trước để giảm hư hỏng", (_MAT, 0.005, 0.015)),
    _o(_T.HOUSEKEEPING, "Ghi chép tiêu thụ điện, nước, nhiên liệu theo ca và giao định mức cho "
       "từng tổ sản xuất", (_E, 0.01, 0.03), (_F, 0.01, 0.03)),
    _o(_T.PROCESS_CONTROL, "Xây dựng quy trình vận hành chuẩn cho thiết bị tiêu thụ năng lượng "
       "lớn và đào tạo công nhân vận hành", (_E, 0.01, 0.04), (_F, 0.01, 0.04)),
    _o(_T.PROCESS_CONTROL, "Lắp công tơ điện, đồng hồ nước cho từng phân xưởng để theo dõi định "
       "mức tiêu hao", (_E, 0.01, 0.03), (_W, 0.02, 0.06)),
    _o(_T.PROCESS_CONTROL, "Bố trí lịch sản xuất để thiết bị lớn chạy đủ tải, tránh khởi động, "
       "dừng máy nhiều lần trong ca", (_E, 0.02, 0.05)),
    _o(_T.EQUIPMENT, "Lắp biến tần cho quạt, bơm và máy nén khí chạy non tải", (_E, 0.03, 0.08)),
    _o(_T.EQUIPMENT, "Thay đèn huỳnh quang, đèn cao áp bằng đèn LED trong nhà xưởng và kho",
       (_E, 0.01, 0.03)),
    _o(_T.EQUIPMENT, "Thay động cơ cũ, quấn lại nhiều lần bằng động cơ hiệu suất cao IE3",
       (_E, 0.02, 0.05)),
    _o(_T.EQUIPMENT, "Lắp tụ bù nâng hệ số công suất, giảm tổn thất trên đường dây và máy biến "
       "áp", (_E, 0.01, 0.02)),
    _o(_T.TECHNOLOGY, "Lắp hệ thống điện mặt trời mái nhà xưởng phục vụ sản xuất",
       (_E, 0.06, 0.15)),
    _o(_T.INPUT_CHANGE, "Mua nhiên liệu theo tiêu chuẩn chất lượng, kiểm tra nhiệt trị và độ ẩm "
       "từng lô trước khi nhập kho", (_F, 0.02, 0.05)),
    _o(_T.RECOVERY, "Tuần hoàn nước làm mát thiết bị qua tháp giải nhiệt thay cho xả bỏ",
       (_W, 0.08, 0.20)),
    _o(_T.RECOVERY, "Thu gom nước mưa từ mái nhà xưởng dùng cho vệ sinh nhà xưởng và tưới cây",
       (_W, 0.02, 0.06)),
    _o(_T.BY_PRODUCT, "Phân loại và bán phế liệu bao bì, kim loại, nhựa cho cơ sở tái chế",
       (_MAT, 0.002, 0.01)),
    _o(_T.PRODUCT, "Cải tiến quy cách bao gói, giảm vật liệu đóng gói trên mỗi đơn vị sản phẩm",
       (_MAT, 0.003, 0.01)),
)  # fmt: skip

_GROUP_OPTIONS: dict[str, tuple[_OptionTemplate, ...]] = {
    "kilns": (
        _o(_T.HOUSEKEEPING, "Che chắn bãi chứa than và đất nguyên liệu, tránh mưa làm tăng độ "
           "ẩm", (_F, 0.02, 0.04)),
        _o(_T.HOUSEKEEPING, "Thu gom sản phẩm mộc vỡ, nguyên vật liệu rơi vãi đưa trở lại khâu tạo "
           "hình", (_MAT, 0.01, 0.03)),
        _o(_T.PROCESS_CONTROL, "Kiểm soát độ ẩm sản phẩm mộc trước khi vào lò; điều chỉnh chế độ "
           "sấy – nung theo đường cong nhiệt chuẩn", (_F, 0.04, 0.08)),
        _o(_T.PROCESS_CONTROL, "Lắp cặp nhiệt và ghi nhiệt độ dọc lò nung, điều chỉnh tốc độ "
           "đẩy goòng theo nhiệt độ thực", (_F, 0.03, 0.06)),
        _o(_T.EQUIPMENT, "Chèn kín, bảo ôn thân lò, nóc lò và cửa lò nung, giảm tổn thất nhiệt",
           (_F, 0.03, 0.08)),
        _o(_T.EQUIPMENT, "Lắp biến tần cho quạt hút khói và quạt cấp gió lò nung",
           (_E, 0.05, 0.12)),
        _o(_T.TECHNOLOGY, "Chuyển lò nung thủ công sang lò tuynel hoặc lò Hoffman cải tiến",
           (_F, 0.15, 0.30)),
        _o(_T.TECHNOLOGY, "Lắp hệ thống phát điện tận dụng nhiệt khí thải lò nung",
           (_E, 0.12, 0.25)),
        _o(_T.RECOVERY, "Tận dụng khí nóng vùng làm nguội của lò nung để sấy sản phẩm mộc",
           (_F, 0.08, 0.15)),
        _o(_T.INPUT_CHANGE, "Pha than cám vào phối liệu (than trộn trong) theo tỷ lệ phù hợp, "
           "giảm than đốt ngoài", (_F, 0.05, 0.10)),
        _o(_T.INPUT_CHANGE, "Dùng tro bay, xỉ lò làm phụ gia thay một phần nguyên vật liệu chính",
           (_MAT, 0.03, 0.08)),
        _o(_T.BY_PRODUCT, "Tận dụng đá mạt, bột đá, gạch vỡ nghiền làm cốt liệu gạch không nung "
           "và vật liệu san lấp", (_MAT, 0.01, 0.04)),
        _o(_T.PRODUCT, "Chuyển sang sản phẩm rỗng nhiều lỗ, thành mỏng, giảm nguyên vật liệu trên "
           "mỗi sản phẩm", (_MAT, 0.05, 0.10), (_F, 0.03, 0.06)),
    ),
    "quarries": (
        _o(_T.HOUSEKEEPING, "Thu gom đá rơi vãi về máy nghiền; tưới ẩm đường vận chuyển nội bộ "
           "và bãi chứa", (_MAT, 0.005, 0.015)),
        _o(_T.PROCESS_CONTROL, "Tối ưu hộ chiếu khoan nổ mìn, giảm đá quá cỡ phải nổ lần hai",
           (_F, 0.03, 0.08), (_MAT, 0.01, 0.03)),
        _o(_T.PROCESS_CONTROL, "Điều chỉnh khe hở hàm nghiền và cỡ lưới sàng theo sản phẩm, "
           "tránh nghiền lại", (_E, 0.03, 0.06)),
        _o(_T.EQUIPMENT, "Thay máy nghiền, sàng cũ bằng loại hiệu suất cao, lắp biến tần cho "
           "băng tải", (_E, 0.04, 0.10)),
        _o(_T.EQUIPMENT, "Bảo dưỡng máy xúc, xe tải theo giờ máy; thay lọc gió, lốp đúng hạn",
           (_F, 0.03, 0.06)),
        _o(_T.TECHNOLOGY, "Chuyển sang dây chuyền nghiền sàng khép kín, điều khiển tự động",
           (_E, 0.08, 0.15), (_MAT, 0.01, 0.03)),
        _o(_T.RECOVERY, "Xây bể lắng, tuần hoàn nước rửa đá và nước làm mát lưỡi cưa",
           (_W, 0.20, 0.40)),
        _o(_T.BY_PRODUCT, "Tận dụng đá mạt, bột đá làm cốt liệu gạch không nung và vật liệu "
           "san lấp", (_MAT, 0.01, 0.04)),
    ),
    "food": (
        _o(_T.HOUSEKEEPING, "Thu gom chất thải rắn khô trước khi rửa sàn; dùng vòi xịt có khóa "
           "tự ngắt", (_W, 0.05, 0.12)),
        _o(_T.HOUSEKEEPING, "Kiểm soát hao hụt nguyên vật liệu ở khâu tiếp nhận, sơ chế; bảo quản "
           "nguyên vật liệu đúng nhiệt độ", (_MAT, 0.01, 0.03)),
        _o(_T.PROCESS_CONTROL, "Điều chỉnh tỷ lệ không khí – nhiên liệu của lò hơi; xả đáy theo "
           "tổng chất rắn hòa tan của nước lò", (_F, 0.03, 0.08)),
        _o(_T.PROCESS_CONTROL, "Kiểm soát nhiệt độ, thời gian nấu và thanh trùng theo quy trình "
           "chuẩn", (_F, 0.02, 0.05), (_E, 0.01, 0.02)),
        _o(_T.EQUIPMENT, "Bảo ôn đường ống hơi, van, mặt bích và thiết bị nấu", (_F, 0.04, 0.10)),
        _o(_T.EQUIPMENT, "Lắp biến tần cho bơm nước, quạt lò hơi và máy khuấy chạy non tải",
           (_E, 0.03, 0.08)),
        _o(_T.TECHNOLOGY, "Thay lò hơi đốt thủ công bằng lò hơi ghi xích đốt sinh khối hiệu suất "
           "cao", (_F, 0.15, 0.25)),
        _o(_T.TECHNOLOGY, "Chuyển sang sấy bằng bơm nhiệt thay buồng sấy đốt nhiên liệu",
           (_F, 0.20, 0.35)),
        _o(_T.RECOVERY, "Thu hồi nước ngưng về bồn cấp nước lò hơi", (_F, 0.04, 0.08),
           (_W, 0.03, 0.08)),
        _o(_T.RECOVERY, "Tái sử dụng nước rửa lần cuối cho công đoạn rửa sơ bộ nguyên vật liệu",
           (_W, 0.10, 0.25)),
        _o(_T.INPUT_CHANGE, "Dùng chế phẩm enzym, vi sinh thay một phần hóa chất và rút ngắn thời "
           "gian xử lý nguyên vật liệu", (_MAT, 0.01, 0.03), (_F, 0.01, 0.03)),
        _o(_T.BY_PRODUCT, "Tận dụng phụ phẩm (vỏ, đầu, xương, bã) làm thức ăn chăn nuôi hoặc ủ "
           "phân hữu cơ vi sinh", (_MAT, 0.01, 0.03)),
        _o(_T.BY_PRODUCT, "Thu khí biogas từ hệ thống xử lý nước thải làm nhiên liệu cho lò hơi",
           (_F, 0.05, 0.12)),
        _o(_T.PRODUCT, "Chuyển sang bao bì nhẹ hơn, thay đổi quy cách đóng gói",
           (_MAT, 0.005, 0.015)),
    ),
    "cold_chain": (
        _o(_T.HOUSEKEEPING, "Xả băng dàn lạnh định kỳ; đóng cửa kho lạnh, lắp rèm nhựa và cửa "
           "tự đóng", (_E, 0.03, 0.06)),
        _o(_T.EQUIPMENT, "Thay máy nén lạnh cũ bằng máy nén trục vít có biến tần",
           (_E, 0.06, 0.15)),
        _o(_T.EQUIPMENT, "Thay panel bảo ôn kho lạnh, tủ đông bị xuống cấp", (_E, 0.04, 0.08)),
        _o(_T.RECOVERY, "Thu hồi nhiệt từ dàn ngưng máy lạnh để cấp nước nóng vệ sinh",
           (_F, 0.05, 0.15)),
    ),
    "textile": (
        _o(_T.HOUSEKEEPING, "Tắt bàn là hơi, máy may và đèn bàn khi nghỉ giữa ca; sửa rò rỉ hơi "
           "tại bàn là", (_E, 0.02, 0.04), (_F, 0.02, 0.05)),
        _o(_T.PROCESS_CONTROL, "Giác sơ đồ trên máy tính, tối ưu bố trí chi tiết để giảm vải "
           "đầu tấm", (_MAT, 0.02, 0.05)),
        _o(_T.PROCESS_CONTROL, "Điều chỉnh áp suất hơi cấp cho bàn là theo nhu cầu thực tế",
           (_F, 0.03, 0.07)),
        _o(_T.EQUIPMENT, "Thay máy may động cơ ly hợp bằng máy may động cơ servo tiết kiệm điện",
           (_E, 0.06, 0.15)),
        _o(_T.EQUIPMENT, "Lắp van hơi điều khiển tự động cho bàn là hơi", (_F, 0.04, 0.08)),
        _o(_T.TECHNOLOGY, "Thay điều hòa cục bộ bằng hệ thống làm mát bay hơi (tấm làm mát và "
           "quạt hút) cho nhà xưởng", (_E, 0.08, 0.15)),
        _o(_T.RECOVERY, "Thu hồi nước ngưng từ bàn là hơi và máy ép về lò hơi", (_F, 0.04, 0.08),
           (_W, 0.05, 0.12)),
        _o(_T.INPUT_CHANGE, "Chuyển sang keo dán, mực in gốc nước thay loại gốc dung môi",
           (_MAT, 0.005, 0.01)),
        _o(_T.BY_PRODUCT, "Thu gom vải vụn, đế cao su vụn bán cho cơ sở tái chế làm bông nhồi, "
           "tấm lót", (_MAT, 0.01, 0.02)),
        _o(_T.PRODUCT, "Thiết kế lại mẫu, giảm số chi tiết ghép và phụ liệu trên mỗi sản phẩm",
           (_MAT, 0.01, 0.03)),
    ),
    "wood": (
        _o(_T.HOUSEKEEPING, "Phân loại gỗ đầu vào theo độ ẩm và quy cách trước khi xẻ, sấy",
           (_MAT, 0.01, 0.03)),
        _o(_T.PROCESS_CONTROL, "Đo độ ẩm gỗ trong lò sấy bằng đầu đo, dừng sấy đúng độ ẩm yêu "
           "cầu", (_F, 0.05, 0.10)),
        _o(_T.EQUIPMENT, "Thay lưỡi cưa mỏng, bảo dưỡng định kỳ máy xẻ để giảm mạch xẻ",
           (_MAT, 0.02, 0.05)),
        _o(_T.EQUIPMENT, "Bảo ôn vách và cửa lò sấy, sửa chữa quạt đảo gió", (_F, 0.04, 0.08)),
        _o(_T.TECHNOLOGY, "Thay lò sấy thủ công bằng lò sấy hơi nước điều khiển tự động nhiệt "
           "độ, độ ẩm", (_F, 0.15, 0.25)),
        _o(_T.RECOVERY, "Tận dụng mùn cưa, dăm bào làm nhiên liệu cho lò hơi, lò sấy thay củi "
           "mua ngoài", (_F, 0.10, 0.25)),
        _o(_T.INPUT_CHANGE, "Dùng sơn, keo gốc nước thay loại gốc dung môi", (_MAT, 0.003, 0.01)),
        _o(_T.BY_PRODUCT, "Ép mùn cưa, gỗ vụn thành viên nén, củi ép bán ra thị trường",
           (_MAT, 0.02, 0.05)),
        _o(_T.PRODUCT, "Thiết kế sản phẩm theo kích thước phôi chuẩn để tận dụng gỗ ngắn",
           (_MAT, 0.03, 0.06)),
    ),
    "engineering": (
        _o(_T.HOUSEKEEPING, "Phân loại, thu gom phoi, ba-via, đầu mẩu kim loại để tái sử dụng "
           "hoặc bán tái chế", (_MAT, 0.005, 0.02)),
        _o(_T.PROCESS_CONTROL, "Tối ưu chế độ cắt, hàn, ép; kiểm tra mẫu đầu ca để giảm phế "
           "phẩm", (_MAT, 0.01, 0.03), (_E, 0.01, 0.03)),
        _o(_T.EQUIPMENT, "Thay máy nén khí piston bằng máy nén khí trục vít có biến tần",
           (_E, 0.04, 0.10)),
        _o(_T.EQUIPMENT, "Thay máy hàn hồ quang cũ bằng máy hàn inverter", (_E, 0.02, 0.05)),
        _o(_T.TECHNOLOGY, "Thay lò nung điện trở cũ bằng lò cảm ứng trung tần", (_E, 0.10, 0.20)),
        _o(_T.TECHNOLOGY, "Chuyển dây chuyền sơn dung môi sang sơn tĩnh điện",
           (_MAT, 0.03, 0.08), (_F, 0.05, 0.10)),
        _o(_T.RECOVERY, "Nghiền ba-via, sản phẩm lỗi làm nguyên vật liệu phối trộn trở lại",
           (_MAT, 0.02, 0.05)),
        _o(_T.INPUT_CHANGE, "Dùng hóa chất tẩy dầu gốc nước ở nhiệt độ thấp thay dung dịch gia "
           "nhiệt", (_F, 0.03, 0.06)),
        _o(_T.PRODUCT, "Thiết kế lại kết cấu sản phẩm, giảm chiều dày vật liệu ở chi tiết không "
           "chịu lực", (_MAT, 0.02, 0.05)),
    ),
    "utilities": (
        _o(_T.HOUSEKEEPING, "Kiểm tra, khắc phục rò rỉ trên mạng lưới đường ống và bể chứa",
           (_W, 0.04, 0.10)),
        _o(_T.PROCESS_CONTROL, "Điều khiển bơm theo áp lực mạng lưới và giờ cao điểm",
           (_E, 0.04, 0.08)),
        _o(_T.EQUIPMENT, "Thay bơm cũ bằng bơm hiệu suất cao, lắp biến tần", (_E, 0.08, 0.15)),
        _o(_T.TECHNOLOGY, "Lắp hệ thống SCADA giám sát áp lực, lưu lượng và rò rỉ",
           (_W, 0.05, 0.10), (_E, 0.03, 0.06)),
        _o(_T.RECOVERY, "Thu hồi nước rửa lọc về bể lắng đầu nguồn", (_W, 0.03, 0.06)),
        _o(_T.INPUT_CHANGE, "Thay phèn nhôm bằng chất keo tụ PAC, giảm hóa chất và bùn thải",
           (_MAT, 0.10, 0.25)),
        _o(_T.BY_PRODUCT, "Ủ phân compost từ bùn và rác hữu cơ", (_MAT, 0.02, 0.05)),
    ),
}  # fmt: skip


def _trade_key(site: _Site, profile: _Profile) -> str:
    """Which observations and options fit: the sector group, split where one group holds
    plants as different as a brick kiln and a quarry."""
    if site.group == "materials":
        return "kilns" if "coal" in profile.intensity else "quarries"
    if site.group == "food" and "đông lạnh" in (site.product or ""):
        return "cold_chain"
    return site.group


def _templates(site: _Site, profile: _Profile) -> list[_OptionTemplate]:
    key = _trade_key(site, profile)
    specific = _GROUP_OPTIONS.get(key, ())
    if key == "cold_chain":
        specific = (*specific, *_GROUP_OPTIONS["food"])
    return [*specific, *_GENERIC_OPTIONS]


# How often each technique turns up: a walk-through finds housekeeping, a detailed assessment
# goes on to equipment, technology and recovery.
_TECHNIQUE_WEIGHTS = {
    _Kind.QUICK: {
        _T.HOUSEKEEPING: 5, _T.PROCESS_CONTROL: 3, _T.EQUIPMENT: 2.5, _T.INPUT_CHANGE: 1,
        _T.RECOVERY: 1, _T.TECHNOLOGY: 0.3, _T.BY_PRODUCT: 0.5, _T.PRODUCT: 0.2,
    },
    _Kind.DETAILED: {
        _T.HOUSEKEEPING: 3, _T.PROCESS_CONTROL: 3, _T.EQUIPMENT: 3, _T.INPUT_CHANGE: 1.5,
        _T.RECOVERY: 2, _T.TECHNOLOGY: 1.5, _T.BY_PRODUCT: 1, _T.PRODUCT: 0.7,
    },
}  # fmt: skip
# Simple payback in years, lowest and highest.
_PAYBACK = {
    _T.HOUSEKEEPING: (0.05, 0.5), _T.PROCESS_CONTROL: (0.2, 1.5), _T.INPUT_CHANGE: (0.1, 1.5),
    _T.EQUIPMENT: (0.5, 3.0), _T.TECHNOLOGY: (1.5, 5.0), _T.RECOVERY: (0.5, 3.0),
    _T.BY_PRODUCT: (0.3, 2.5), _T.PRODUCT: (0.5, 3.0),
}  # fmt: skip
# Days from the assessment's end to the option's implementation, earliest and latest.
_IMPLEMENTATION_DELAY = {
    _T.HOUSEKEEPING: (7, 90), _T.PROCESS_CONTROL: (20, 180), _T.INPUT_CHANGE: (20, 180),
    _T.EQUIPMENT: (45, 300), _T.TECHNOLOGY: (120, 420), _T.RECOVERY: (45, 300),
    _T.BY_PRODUCT: (30, 240), _T.PRODUCT: (60, 300),
}  # fmt: skip
_REJECTION_CHANCE = {_T.TECHNOLOGY: 0.35, _T.EQUIPMENT: 0.14, _T.PRODUCT: 0.2}

_FUNDING_WEIGHTS = {
    _Kind.QUICK: {_Funding.PROVINCIAL: 60, _Funding.CENTRAL: 15, _Funding.ENTERPRISE: 15,
                  _Funding.DONOR: 10},
    _Kind.DETAILED: {_Funding.PROVINCIAL: 35, _Funding.CENTRAL: 30, _Funding.ENTERPRISE: 30,
                     _Funding.DONOR: 5},
}  # fmt: skip

# --- Self-report texture ------------------------------------------------------------------------

_RETURN_COMMENTS = (
    "Sản lượng trong kỳ chênh lệch lớn so với quý trước; đề nghị kiểm tra lại và giải trình.",
    "Thiếu số liệu tiêu thụ nước; đề nghị bổ sung theo hóa đơn của đơn vị cấp nước.",
    "Lượng điện tiêu thụ không khớp với hóa đơn tiền điện của ba tháng; đề nghị đối chiếu lại.",
    "Nhiên liệu báo cáo theo lít, biểu mẫu yêu cầu tấn; đề nghị quy đổi và nhập lại.",
    "Suất tiêu hao năng lượng giảm trên 30% so với năm cơ sở; đề nghị bổ sung minh chứng về "
    "giải pháp đã thực hiện.",
    "Đơn vị tính sản lượng chưa thống nhất với năm cơ sở; đề nghị sửa lại.",
)
_APPROVAL_COMMENTS = (
    "Số liệu đã được chỉnh sửa theo yêu cầu; đồng ý duyệt.",
    "Đã có giải trình và minh chứng kèm theo; đồng ý duyệt.",
)
_RESUBMIT_COMMENT = "Đã chỉnh sửa, bổ sung theo ý kiến của Sở Công Thương."
_PAPER_COMMENT = "Cán bộ Sở nhập từ báo cáo giấy của cơ sở."
_LOW_OUTPUT_NOTES = (
    "Sản lượng giảm do thiếu đơn hàng.",
    "Trong kỳ dừng sản xuất khoảng hai tuần để bảo dưỡng thiết bị.",
    "Giá nguyên vật liệu tăng, cơ sở giảm công suất.",
)
_COVID_NOTE = "Sản xuất bị ảnh hưởng bởi dịch COVID-19."
_MEASURE_NOTE = "Trong kỳ đã đưa vào vận hành giải pháp SXSH theo khuyến nghị của đánh giá."


# --- Specs --------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Site:
    """A facility of the registry as this seed sees it."""

    pk: int
    sector_code: str
    group: str
    size: str
    designated: bool
    in_scope: bool
    started: datetime.date | None
    suspended: datetime.date | None
    resumed: datetime.date | None
    closed: datetime.date | None
    product: str | None = None
    unit: str = ""
    capacity: float | None = None
    products: int = 0
    aware_from: datetime.date | None = None
    cp_units: list[tuple[datetime.date, datetime.date | None]] = field(default_factory=list)
    manager_id: int | None = None

    def operating_through(self, first: datetime.date, last: datetime.date) -> bool:
        """Open from `first` to `last`, with no suspension overlapping them."""
        if self.started is not None and self.started > first:
            return False
        if self.closed is not None and self.closed <= last:
            return False
        return not (
            self.suspended is not None
            and self.suspended <= last
            and (self.resumed is None or self.resumed > first)
        )

    def has_cp_unit_on(self, day: datetime.date) -> bool:
        return any(
            established <= day and (ended is None or ended > day)
            for established, ended in self.cp_units
        )


@dataclass(slots=True)
class _Profile:
    """What a facility makes in a normal year and what each unit of it takes."""

    output: float  # a normal year's output around 2020
    growth: float
    capacity: float | None
    intensity: dict[str, float]  # resource code → quantity per unit of product
    material_name: str


@dataclass(slots=True)
class _OptionSpec:
    technique: str
    description: str
    investment: int
    savings_vnd: int
    savings_toe: float
    savings_water: float
    savings_material: str
    status: str
    implemented_on: datetime.date | None = None
    verified_on: datetime.date | None = None


@dataclass(slots=True)
class _AssessmentSpec:
    site: _Site
    kind: str
    status: str
    started_on: datetime.date
    completed_on: datetime.date | None
    organisation: int  # index into _ORGANISATIONS
    team: str
    funding: str
    findings: str = ""
    baseline_year: int | None = None
    baseline_output: float | None = None
    baseline: dict[str, float] = field(default_factory=dict)
    options: list[_OptionSpec] = field(default_factory=list)


@dataclass(slots=True)
class _MeasureSpec:
    technique: str
    description: str
    implemented_on: datetime.date
    cost: int
    savings_vnd: int


@dataclass(slots=True)
class _ReportSpec:
    site: _Site
    year: int
    quarter: int
    status: str
    output: float
    unit: str
    consumption: dict[str, float]
    has_cp_unit: bool
    created_at: datetime.datetime
    notes: str = ""
    submitted_at: datetime.datetime | None = None
    reviewed_at: datetime.datetime | None = None
    reviewer_comment: str = ""
    # (from status, to status, by the submitter?, at, comment)
    transitions: list[tuple[str, str, bool, datetime.datetime, str]] = field(default_factory=list)
    measures: list[_MeasureSpec] = field(default_factory=list)


@dataclass(slots=True)
class _Reference:
    resources: dict[str, Resource]
    toe: dict[str, float]
    due_days: int

    @classmethod
    def load(cls) -> _Reference:
        resources = {resource.code: resource for resource in Resource.objects.all()}
        missing = {"electricity", "water", "main-material"} - set(resources)
        if missing:
            raise RuntimeError(f"Resources missing (migration 0004?): {sorted(missing)}")
        toe = {
            factor.resource.code: float(factor.toe_per_unit)
            for factor in ConversionFactor.objects.valid_on(datetime.date(2020, 1, 1))
            .select_related("resource")
            # The newest factor in force wins.
            .order_by("resource__code", "valid_from")
        }
        schedule = ReportingSchedule.objects.filter(
            period_kind=ReportingSchedule.PeriodKind.QUARTER
        ).first()
        return cls(
            resources=resources,
            toe=toe,
            due_days=schedule.days_after_period_end if schedule else 20,
        )


@dataclass(slots=True)
class _People:
    """Who moves the reports: the Department's reviewer and clerk, and the facilities' managers."""

    reviewer: User | None
    clerk: User | None
    managers: dict[int, User]

    @classmethod
    def load(cls, reviewer: User | None, clerk: User | None) -> _People:
        if clerk is not None and reviewer is not None and clerk.pk == reviewer.pk:
            raise ValueError("the clerk who keys in paper reports cannot also approve them")
        managers = User.objects.filter(
            pk__in=Facility.managers.through.objects.values("user_id")
        ).in_bulk()
        return cls(reviewer=reviewer, clerk=clerk, managers=managers)

    def submitter(self, site: _Site) -> User | None:
        """The facility's manager; for a paper report, the clerk, or else the reviewer (only
        on the bulk path: the services would refuse the reviewer's approval)."""
        if site.manager_id is not None:
            return self.managers[site.manager_id]
        return self.clerk or self.reviewer


# --- Public entry point -------------------------------------------------------------------------


def seed_assessments(
    *,
    scale: str,
    rng: random.Random,
    consultant: User | None,
    reviewer: User | None,
    manager: User | None = None,
    clerk: User | None = None,
) -> None:
    """Add support organisations, assessments and self-reports on top of the demo registry.

    Idempotent and deterministic for a given `rng`. The number of assessments follows the
    registry's size (facilities already seeded), not `scale`, which is checked for symmetry
    with the facility demo. `reviewer` (Department staff) verifies options and reviews
    reports; without one, options are verified by nobody in particular and reports carry no
    transitions, since every transition needs a person. `consultant`, if given, is moved to
    the organisation that carried out the most assessments. `manager`, if given, also runs the
    plant of a completed detailed assessment, so that the demo manager has reports to look at.

    A facility's manager submits its reports; `clerk` (a Department user other than `reviewer`)
    keys in the paper reports of facilities without a portal account, so that the four-eyes
    rule lets `reviewer` approve them. With both people given, at the demo scale, the reports
    of the current year (the review queue and what was just approved) are submitted, returned
    and approved through the workflow services, as a user's would be. Older reports, and all
    of them at the province and national scales, are bulk-written in their final state: the
    services take a dozen queries a step, and replaying the demo's 1,100 reports took
    seed_demo from 5 s to 14 s (tens of thousands at the larger scales would take many minutes).
    """
    check_scale(scale)
    with transaction.atomic():
        reference = _Reference.load()
        sites = _load_sites()
        draw = _Draw(rng, sites, reference)
        assessments = draw.assessments()
        if manager is not None:
            _hand_over_a_reporting_plant(assessments, manager)
        organisation_ids = _write_organisations(draw.assignments(assessments))
        _write_assessments(assessments, organisation_ids, reference, reviewer)
        existing = set(
            SelfReport.objects.filter(period_kind=SelfReport.PeriodKind.QUARTER).values_list(
                "facility_id", "year", "quarter", "version"
            )
        )
        people = _People.load(reviewer, clerk)
        replay = scale == "demo" and people.reviewer is not None and people.clerk is not None
        for chunk in draw.reports(assessments):
            live = [spec for spec in chunk if replay and spec.year >= _LIVE_FROM_YEAR]
            archive = [spec for spec in chunk if not (replay and spec.year >= _LIVE_FROM_YEAR)]
            _write_reports(archive, existing, reference, people, replay=False)
            _write_reports(live, existing, reference, people, replay=True)
        if consultant is not None:
            busiest = _busiest_organisation(assessments)
            organisation_id = organisation_ids[_ORGANISATIONS[busiest].name]
            if consultant.support_organisation_id != organisation_id:
                consultant.support_organisation_id = organisation_id
                consultant.save(update_fields=["support_organisation"])


def _hand_over_a_reporting_plant(assessments: list[_AssessmentSpec], manager: User) -> None:
    """Give `manager` the first plant with a completed detailed assessment, in Diễn Châu if one
    is there (the district whose officer is a demo login too). Draws nothing, so the rest of the
    demo stays as it was."""
    assessed = [
        spec.site
        for spec in assessments
        if spec.kind == _Kind.DETAILED and spec.completed_on is not None
    ]
    district = AdministrativeUnit.objects.filter(
        level=AdministrativeUnit.Level.DISTRICT, code=_MANAGER_DISTRICT
    ).valid_on(DISTRICT_LEVEL_ENDS)
    in_district = set(
        Facility.objects.filter(pk__in=[site.pk for site in assessed])
        .located_on(DISTRICT_LEVEL_ENDS, list(district.values_list("pk", flat=True)))
        .values_list("pk", flat=True)
    )
    site = next((site for site in assessed if site.pk in in_district), None) or next(
        iter(assessed), None
    )
    if site is not None and site.manager_id is None:
        site.manager_id = manager.pk
        Facility.objects.get(pk=site.pk).managers.add(manager)


def _busiest_organisation(assessments: list[_AssessmentSpec]) -> int:
    counts = [0] * len(_ORGANISATIONS)
    for spec in assessments:
        counts[spec.organisation] += 1
    # Ties go to the first listed: the provincial extension centre.
    return max(range(len(counts)), key=lambda index: (counts[index], -index))


# --- Reading the registry -----------------------------------------------------------------------


def _load_sites() -> list[_Site]:
    sites = [
        _Site(
            pk=pk,
            sector_code=sector,
            group=_group(sector),
            size=size,
            designated=designated,
            in_scope=in_scope,
            started=started,
            suspended=suspended,
            resumed=resumed,
            closed=closed,
        )
        for pk, sector, size, designated, in_scope, started, suspended, resumed, closed in (
            Facility.objects.order_by("tax_code").values_list(
                "pk",
                "sector__code",
                "size_class__code",
                "is_designated_energy_user",
                "in_scope",
                "started_on",
                "suspended_on",
                "resumed_on",
                "closed_on",
            )
        )
    ]
    by_pk = {site.pk: site for site in sites}
    for facility_id, name, unit, capacity in Product.objects.order_by(
        "facility_id", "pk"
    ).values_list("facility_id", "name", "unit", "annual_capacity"):
        site = by_pk[facility_id]
        if site.product is None:  # intensity is per unit of the first product
            site.product, site.unit = name, unit
            site.capacity = float(capacity) if capacity else None
        site.products += 1
    # Aware (target T1) from the day both halves hold: took part and confirmed.
    first_event = dict(
        OutreachParticipation.objects.values("facility_id")
        .annotate(first=Min("activity__held_on"))
        .values_list("facility_id", "first")
    )
    first_confirmation = dict(
        AwarenessConfirmation.objects.values("facility_id")
        .annotate(first=Min("confirmed_on"))
        .values_list("facility_id", "first")
    )
    for facility_id, confirmed in first_confirmation.items():
        event = first_event.get(facility_id)
        if event is not None:
            by_pk[facility_id].aware_from = max(event, confirmed)
    for facility_id, established, ended in DedicatedUnit.objects.order_by(
        "facility_id", "established_on", "pk"
    ).values_list("facility_id", "established_on", "ended_on"):
        by_pk[facility_id].cp_units.append((established, ended))
    for facility_id, user_id in Facility.managers.through.objects.order_by(
        "facility_id", "user_id"
    ).values_list("facility_id", "user_id"):
        if by_pk[facility_id].manager_id is None:
            by_pk[facility_id].manager_id = user_id
    return sites


# --- Drawing ------------------------------------------------------------------------------------


def _slips(site: _Site, period: tuple[int, int]) -> bool:
    """Whether this report awaiting review has a typing slip: one in five, drawn from a
    generator of its own so that the rest of the demo stays as it was."""
    return random.Random(f"slip {site.pk} {period}").random() < 0.2


def _quarter_end(year: int, quarter: int) -> datetime.date:
    if quarter == 4:
        return datetime.date(year, 12, 31)
    return datetime.date(year, 3 * quarter + 1, 1) - datetime.timedelta(days=1)


def _quarter_of(day: datetime.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def _next_quarter(year: int, quarter: int) -> tuple[int, int]:
    return (year + 1, 1) if quarter == 4 else (year, quarter + 1)


class _Draw(Drawer):
    """Draws organisations' work, assessments and self-reports from one `rng`, in a fixed order,
    without looking at what this seed wrote before."""

    def __init__(self, rng: random.Random, sites: list[_Site], reference: _Reference) -> None:
        super().__init__(rng)
        self.sites = sites
        self.reference = reference
        size = len(sites)
        self.factor = min(size / _PROVINCE_SIZE, _MAX_ASSESSMENTS / _ASSESSMENTS_PER_PROVINCE)
        self.profiles: dict[int, _Profile] = {}
        # Each organisation's consultants, who make up its assessment teams.
        self.staff = [
            [self._person(titled=True) for _ in range(rng.randint(4, 6))] for _ in _ORGANISATIONS
        ]

    # Helpers ----------------------------------------------------------------------------------

    def _person(self, *, titled: bool = False) -> str:
        rng = self.rng
        middle, given = rng.choice(_MIDDLE_GIVEN)
        name = f"{rng.choice(_SURNAMES)} {middle} {given}"
        return f"{rng.choice(_TITLES)} {name}" if titled else name

    def _count(self, low: int, high: int, floor: int) -> int:
        """A yearly count: the plan's band at the province's size, scaled to the registry, but
        never below `floor` so that a small demo still has a believable handful."""
        if self.factor >= 1:
            return self.rng.randint(round(low * self.factor), round(high * self.factor))
        scaled_low = max(floor, round(low * self.factor))
        return self.rng.randint(scaled_low, max(scaled_low + 1, round(high * self.factor)))

    def _choose(self, candidates: list[_Site], weights: list[float], count: int) -> list[_Site]:
        """`count` distinct candidates, drawn with probability in proportion to weight."""
        count = min(count, len(candidates))
        if count == 0:
            return []
        weights = cumulative(weights)
        chosen: list[_Site] = []
        taken: set[int] = set()
        while len(chosen) < count:
            index = self.index_by(weights)
            if index < len(candidates) and index not in taken:
                taken.add(index)
                chosen.append(candidates[index])
        return chosen

    def _profile(self, site: _Site) -> _Profile:
        """The facility's output and intensities, drawn the first time they are needed."""
        profile = self.profiles.get(site.pk)
        if profile is not None:
            return profile
        rng = self.rng
        base = _PRODUCT_INTENSITY.get(site.product or "")
        if base is None:
            per_tonne = _GROUP_INTENSITY_PER_TONNE[site.group]
            tonnes = _PRODUCT_TONNES.get(site.product or "", _UNIT_TONNES.get(site.unit, 0.01))
            base = _Intensity(
                per_tonne.kwh * tonnes,
                tuple((code, quantity * tonnes) for code, quantity in per_tonne.fuels),
                per_tonne.water * tonnes,
                per_tonne.material * tonnes,
                per_tonne.material_name,
            )
        # A second product makes the whole plant's use per unit of the first one larger.
        extra = 1 + 0.3 * (site.products - 1) * rng.random()
        waste = _SIZE_INEFFICIENCY[site.size] * extra
        intensity = {"electricity": base.kwh * waste * rng.uniform(0.8, 1.25)}
        for code, quantity in base.fuels:
            # Food and wood works burn whatever biomass is at hand: husk in the rice plain.
            if code == "firewood" and rng.random() < 0.4:
                code, quantity = "rice-husk", quantity * 0.38 / 0.3
            intensity[code] = quantity * waste * rng.uniform(0.8, 1.3)
        if "diesel" not in intensity and len(intensity) < 3 and rng.random() < 0.6:
            # Forklifts, loaders and the stand-by generator: a few per cent of the energy.
            toe = sum(
                quantity * self.reference.toe.get(code, 0) for code, quantity in intensity.items()
            )
            intensity["diesel"] = toe * rng.uniform(0.03, 0.08) / self.reference.toe["diesel"]
        intensity["water"] = base.water * waste * rng.uniform(0.7, 1.4)
        intensity["main-material"] = base.material * rng.uniform(0.95, 1.1) * (1 + (waste - 1) / 3)
        capacity = site.capacity
        output = (capacity or 1000.0) * rng.uniform(0.55, 0.9)
        profile = _Profile(
            output=output,
            growth=rng.uniform(-0.02, 0.06),
            capacity=capacity,
            intensity=intensity,
            material_name=base.material_name,
        )
        self.profiles[site.pk] = profile
        return profile

    def _yearly_output(self, profile: _Profile, year: int) -> float:
        output = profile.output * (1 + profile.growth) ** (year - 2020)
        if profile.capacity:
            output = min(output, profile.capacity * 0.98)
        return output

    # Assessments ------------------------------------------------------------------------------

    def assessments(self) -> list[_AssessmentSpec]:
        specs: list[_AssessmentSpec] = []
        quick_done: dict[int, int] = {}  # facility → year of its quick assessment
        detailed_done: set[int] = set()
        latest = _LATER_YEARS[-1]
        for year in (*_PLAN_YEARS, *_LATER_YEARS):
            if year in _PLAN_YEARS:
                quick_count, detailed_count = self._count(3, 5, 2), self._count(1, 3, 1)
            else:
                quick_count, detailed_count = self._count(1, 3, 1), self._count(0, 2, 0)
            if year == latest:
                # The current year has one under way and one planned besides those done.
                quick_count += 2
            quick = self._candidates(year, _Kind.QUICK, quick_done, detailed_done)
            chosen = self._choose(*quick, quick_count)
            for number, site in enumerate(chosen):
                stage = None
                if year == latest and number == len(chosen) - 1:
                    stage = _Status.PLANNED
                elif year == latest and number == len(chosen) - 2:
                    stage = _Status.IN_PROGRESS
                specs.append(self._assessment(site, _Kind.QUICK, year, stage))
                quick_done[site.pk] = year
            detailed = self._candidates(year, _Kind.DETAILED, quick_done, detailed_done)
            for site in self._choose(*detailed, detailed_count):
                # The current year's detailed assessments start late enough to be under way.
                stage = _Status.IN_PROGRESS if year == latest else None
                specs.append(self._assessment(site, _Kind.DETAILED, year, stage))
                detailed_done.add(site.pk)
        return specs

    def _candidates(
        self, year: int, kind: str, quick_done: dict[int, int], detailed_done: set[int]
    ) -> tuple[list[_Site], list[float]]:
        if kind == _Kind.QUICK:
            first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        else:
            # The baseline year must be a whole year of work, and the plant must last the
            # assessment out.
            first, last = datetime.date(year - 1, 1, 1), datetime.date(year + 1, 6, 30)
        candidates: list[_Site] = []
        weights: list[float] = []
        for site in self.sites:
            if (
                not site.in_scope
                or site.product is None
                or site.sector_code in _EXCLUDED_SECTORS
                or site.unit == Product.Unit.MWH
                or (kind == _Kind.QUICK and site.pk in quick_done)
                or site.pk in detailed_done
                or not site.operating_through(first, min(last, TODAY))
            ):
                continue
            weight = _SIZE_ASSESSMENT_WEIGHT[site.size] * _GROUP_ASSESSMENT_WEIGHT[site.group]
            if site.designated:
                weight *= 4
            if site.aware_from is not None and site.aware_from.year <= year:
                weight *= 3  # the Department offers assessments to those it has reached
            if kind == _Kind.DETAILED and quick_done.get(site.pk, year) < year:
                weight *= 5  # a quick assessment often leads to a detailed one
            candidates.append(site)
            weights.append(weight)
        return candidates, weights

    def _assessment(self, site: _Site, kind: str, year: int, stage: str | None) -> _AssessmentSpec:
        rng = self.rng
        if kind == _Kind.QUICK:
            if stage == _Status.PLANNED:
                started = TODAY + datetime.timedelta(days=rng.randint(5, 25))
            elif stage == _Status.IN_PROGRESS:
                started = TODAY - datetime.timedelta(days=rng.randint(1, 6))
            else:
                last = min(datetime.date(year, 11, 30), TODAY - datetime.timedelta(days=40))
                started = self.day_between(datetime.date(year, 3, 1), last)
            # A walk-through takes a day or two; the report follows within a few weeks.
            completed = started + datetime.timedelta(days=rng.randint(7, 25))
        else:
            if stage == _Status.IN_PROGRESS:
                started = self.day_between(datetime.date(year, 8, 1), TODAY)
            else:
                started = self.day_between(datetime.date(year, 2, 1), datetime.date(year, 9, 30))
            completed = started + datetime.timedelta(days=rng.randint(100, 240))
        status = _Status.COMPLETED
        if started > TODAY:
            status = _Status.PLANNED
        elif completed > TODAY:
            status = _Status.IN_PROGRESS
        organisation = self._organisation(site, kind, year)
        staff = self.staff[organisation]
        members = rng.sample(staff[1:], rng.randint(1, 2) if kind == _Kind.QUICK else 3)
        leader = staff[0] if kind == _Kind.DETAILED or rng.random() < 0.5 else staff[1]
        team = ", ".join([f"{leader} (trưởng nhóm)", *(m for m in members if m != leader)])
        spec = _AssessmentSpec(
            site=site,
            kind=kind,
            status=status,
            started_on=started,
            completed_on=completed if status == _Status.COMPLETED else None,
            organisation=organisation,
            team=team,
            funding=self.pick(_FUNDING_WEIGHTS[kind]),
        )
        profile = self._profile(site)
        # Yearly use the options are sized against: the baseline year's.
        reference_year = started.year - 1
        output = self._yearly_output(profile, reference_year) * rng.uniform(0.97, 1.03)
        if profile.capacity:
            output = min(output, profile.capacity * 0.99)
        use = {
            code: output * quantity * rng.uniform(0.95, 1.05)
            for code, quantity in profile.intensity.items()
        }
        if kind == _Kind.DETAILED:
            spec.baseline_year = reference_year
            spec.baseline_output = output
            spec.baseline = use
        if status != _Status.PLANNED:
            self._options(spec, use, profile)
        spec.findings = self._findings(spec, profile)
        return spec

    def _organisation(self, site: _Site, kind: str, year: int) -> int:
        weights = [
            (
                (organisation.quick_weight if kind == _Kind.QUICK else organisation.detailed_weight)
                * organisation.focus.get(site.group, 1)
                if organisation.active_from <= year
                else 0
            )
            for organisation in _ORGANISATIONS
        ]
        return self.rng.choices(range(len(_ORGANISATIONS)), weights=weights)[0]

    def _options(self, spec: _AssessmentSpec, use: dict[str, float], profile: _Profile) -> None:
        rng = self.rng
        if spec.status == _Status.COMPLETED:
            count = rng.randint(2, 5) if spec.kind == _Kind.QUICK else rng.randint(5, 12)
        elif spec.kind == _Kind.DETAILED:
            count = rng.randint(2, 5)  # found so far
        else:
            return
        templates = _templates(spec.site, profile)
        technique_weights = _TECHNIQUE_WEIGHTS[spec.kind]
        weights = [technique_weights[template.technique] for template in templates]
        fuels = [code for code in use if code in _PRICES and code not in ("electricity", "water")]
        price_rise = 1.03 ** (spec.started_on.year - 2015)
        for template in self._choose_templates(templates, weights, count):
            savings_vnd = toe = water = material = 0.0
            for kind, low, high in template.effects:
                share = rng.uniform(low, high)
                if kind == _E:
                    codes = ["electricity"]
                elif kind == _F:
                    codes = fuels[:1]  # the main fuel
                elif kind == _W:
                    codes = ["water"]
                else:
                    codes = ["main-material"]
                for code in codes:
                    saved = use.get(code, 0) * share
                    if code == "main-material":
                        material += saved
                        savings_vnd += saved * _MATERIAL_PRICES[spec.site.group] * price_rise
                        continue
                    savings_vnd += saved * _PRICES[code] * price_rise
                    if code == "water":
                        water += saved
                    else:
                        toe += saved * self.reference.toe.get(code, 0)
            savings = _round_money(savings_vnd)
            low, high = _PAYBACK[template.technique]
            investment = 0
            if template.technique != _T.HOUSEKEEPING or rng.random() < 0.7:
                investment = _round_money(savings * rng.uniform(low, high))
            option = _OptionSpec(
                technique=template.technique,
                description=template.text,
                investment=investment,
                savings_vnd=savings,
                savings_toe=toe,
                savings_water=water,
                savings_material=(
                    f"Khoảng {_vn(material, 1 if material < 100 else 0)} tấn "
                    f"{profile.material_name}/năm"
                    if material >= 0.05
                    else ""
                ),
                status=_OptionStatus.PROPOSED,
            )
            if spec.completed_on is not None:
                self._option_fate(option, spec.kind, spec.completed_on)
            spec.options.append(option)

    def _choose_templates(
        self, templates: list[_OptionTemplate], weights: list[float], count: int
    ) -> list[_OptionTemplate]:
        pool = list(range(len(templates)))
        chosen: list[_OptionTemplate] = []
        while pool and len(chosen) < count:
            index = self.rng.choices(pool, weights=[weights[i] for i in pool])[0]
            pool.remove(index)
            chosen.append(templates[index])
        return chosen

    def _option_fate(self, option: _OptionSpec, kind: str, completed: datetime.date) -> None:
        """Most options go ahead and are verified within 6–18 months; the rest wait or die."""
        rng = self.rng
        roll = rng.random()
        rejected = _REJECTION_CHANCE.get(option.technique, 0.07)
        undecided = 0.15 if kind == _Kind.QUICK else 0.08
        if roll < rejected:
            option.status = _OptionStatus.REJECTED
            return
        if roll < rejected + undecided:
            return  # still proposed: waiting for money or a decision
        low, high = _IMPLEMENTATION_DELAY[option.technique]
        implemented = completed + datetime.timedelta(days=rng.randint(low, high))
        verified = completed + datetime.timedelta(days=rng.randint(180, 540))
        verified = max(verified, implemented + datetime.timedelta(days=30))
        stalls = rng.random()
        if implemented > TODAY or stalls < 0.05:
            option.status = _OptionStatus.ACCEPTED
        elif verified > TODAY or stalls < 0.12:
            option.status, option.implemented_on = _OptionStatus.IMPLEMENTED, implemented
        else:
            option.status = _OptionStatus.VERIFIED
            option.implemented_on, option.verified_on = implemented, verified

    def _findings(self, spec: _AssessmentSpec, profile: _Profile) -> str:
        rng = self.rng
        product = (spec.site.product or "sản phẩm chính").lower()
        if spec.status == _Status.PLANNED:
            return f"Dự kiến khảo sát nhanh dây chuyền sản xuất {product} theo kế hoạch năm nay."
        observation = rng.choice(_OBSERVATIONS[_trade_key(spec.site, profile)])
        count = len(spec.options)
        if spec.status == _Status.IN_PROGRESS:
            if spec.kind == _Kind.QUICK:
                return f"Đang khảo sát hiện trạng dây chuyền {product}. {observation}."
            return (
                f"Đã thành lập nhóm SXSH của cơ sở và thu thập số liệu năm cơ sở "
                f"{spec.baseline_year}; đang lập cân bằng vật liệu – năng lượng cho dây chuyền "
                f"{product}. {observation}. Bước đầu xác định {count} cơ hội SXSH."
            )
        savings = sum(option.savings_vnd for option in spec.options) / 1e6
        investment = sum(option.investment for option in spec.options) / 1e6
        toe = sum(option.savings_toe for option in spec.options)
        water = sum(option.savings_water for option in spec.options)
        if spec.kind == _Kind.QUICK:
            free = sum(1 for option in spec.options if option.investment == 0)
            no_cost = f", trong đó {free} giải pháp không cần đầu tư" if free else ""
            return (
                f"Khảo sát nhanh dây chuyền {product}. {observation}. Xác định {count} cơ hội "
                f"sản xuất sạch hơn{no_cost}; tiềm năng tiết kiệm ước tính {_vn(savings)} triệu "
                f"đồng/năm."
            )
        water_text = f", {_vn(water)} m³ nước/năm" if water >= 1 else ""
        return (
            f"Đánh giá chi tiết theo phương pháp UNEP/UNIDO, năm cơ sở {spec.baseline_year}: "
            f"lập sơ đồ dòng và cân bằng vật liệu – năng lượng cho dây chuyền {product}. "
            f"{observation}. Đề xuất {count} giải pháp, tổng vốn đầu tư khoảng "
            f"{_vn(investment)} triệu đồng; tiết kiệm dự kiến {_vn(savings)} triệu đồng/năm, "
            f"{_vn(toe, 1)} TOE/năm{water_text}."
        )

    # Organisations' assignments ---------------------------------------------------------------

    def assignments(self, assessments: list[_AssessmentSpec]) -> list[set[int]]:
        """Facility ids each organisation is assigned: those it assessed and a share of the
        aware facilities of its trades, which it advises."""
        assigned: list[set[int]] = [set() for _ in _ORGANISATIONS]
        for spec in assessments:
            assigned[spec.organisation].add(spec.site.pk)
        aware = [site for site in self.sites if site.aware_from is not None and site.in_scope]
        for index, organisation in enumerate(_ORGANISATIONS):
            weights = [
                organisation.focus.get(site.group, 1) * _SIZE_REPORT_WEIGHT[site.size]
                for site in aware
            ]
            count = round(len(self.sites) * self.rng.uniform(0.02, 0.04))
            assigned[index].update(site.pk for site in self._choose(aware, weights, count))
        return assigned

    # Self-reports -----------------------------------------------------------------------------

    def reports(self, assessments: list[_AssessmentSpec]) -> Iterator[list[_ReportSpec]]:
        """The quarterly reports, in chunks; drawn lazily so a chunk is written before the next
        is drawn (the draw never looks at the database, so the interleaving changes nothing)."""
        detailed = [
            spec
            for spec in assessments
            if spec.kind == _Kind.DETAILED and spec.completed_on is not None
        ]
        with_detailed = {spec.site.pk for spec in assessments if spec.kind == _Kind.DETAILED}
        quick = {spec.site.pk for spec in assessments if spec.kind == _Kind.QUICK}
        sample = self._report_sample(with_detailed, quick)
        chunk: list[_ReportSpec] = []
        for spec in detailed:
            chunk += self._detailed_reports(spec)
            if len(chunk) >= _REPORT_CHUNK:
                yield chunk
                chunk = []
        for site in sample:
            chunk += self._sample_reports(site)
            if len(chunk) >= _REPORT_CHUNK:
                yield chunk
                chunk = []
        yield chunk

    def _report_sample(self, with_detailed: set[int], quick: set[int]) -> list[_Site]:
        last_end = _quarter_end(*_LAST_QUARTER)
        candidates: list[_Site] = []
        weights: list[float] = []
        for site in self.sites:
            if (
                site.pk in with_detailed
                or site.aware_from is None
                or site.aware_from > last_end
                or not site.in_scope
                or site.product is None
                or site.sector_code in _EXCLUDED_SECTORS
                or site.unit == Product.Unit.MWH
            ):
                continue
            weight = _SIZE_REPORT_WEIGHT[site.size]
            if site.designated:
                weight *= 3
            if site.pk in quick:
                weight *= 3
            if site.cp_units:
                weight *= 2
            candidates.append(site)
            weights.append(weight)
        count = min(round(len(candidates) * _SAMPLE_SHARE), _SAMPLE_MAX)
        chosen = self._choose(candidates, weights, count)
        order = {site.pk: index for index, site in enumerate(self.sites)}
        return sorted(chosen, key=lambda site: order[site.pk])

    def _detailed_reports(self, spec: _AssessmentSpec) -> list[_ReportSpec]:
        rng = self.rng
        assert spec.completed_on is not None and spec.baseline_output
        start = _next_quarter(*_quarter_of(spec.completed_on))
        # Where the facility ends up against its baseline: mostly between the plan's floor and
        # stretch, a quarter beyond the stretch, some not even at the floor.
        roll = rng.random()
        if roll < 0.2:
            target = rng.uniform(0.0, 0.05)
        elif roll < 0.72:
            target = rng.uniform(0.05, 0.13)
        else:
            target = rng.uniform(0.13, 0.18)
        intensity = {
            code: quantity / spec.baseline_output for code, quantity in spec.baseline.items()
        }
        measures: dict[tuple[int, int], list[_MeasureSpec]] = {}
        for option in spec.options:
            if option.implemented_on is not None and rng.random() < 0.6:
                measures.setdefault(_quarter_of(option.implemented_on), []).append(
                    _MeasureSpec(
                        technique=option.technique,
                        description=option.description,
                        implemented_on=option.implemented_on,
                        cost=option.investment,
                        savings_vnd=option.savings_vnd,
                    )
                )
        return self._reports_for(spec.site, start, intensity, target, rng.randint(4, 10), measures)

    def _sample_reports(self, site: _Site) -> list[_ReportSpec]:
        rng = self.rng
        assert site.aware_from is not None
        start = max(_SAMPLE_FROM, _next_quarter(*_quarter_of(site.aware_from)))
        if site.started is not None:
            start = max(start, _next_quarter(*_quarter_of(site.started)))
        profile = self._profile(site)
        # Without an assessment behind them, most move less.
        roll = rng.random()
        target = rng.uniform(0.0, 0.05) if roll < 0.45 else rng.uniform(0.05, 0.14)
        return self._reports_for(site, start, dict(profile.intensity), target, 12, {})

    def _reports_for(
        self,
        site: _Site,
        start: tuple[int, int],
        intensity: dict[str, float],
        target: float,
        ramp: int,
        measures: dict[tuple[int, int], list[_MeasureSpec]],
    ) -> list[_ReportSpec]:
        rng = self.rng
        profile = self._profile(site)
        season = _SEASON_MATERIALS if site.group == "materials" else _SEASON
        # Each facility has its habits: some never miss, some are always late.
        missing = min(max(rng.gauss(0.10, 0.06), 0.0), 0.4)
        late = min(max(rng.gauss(0.17, 0.10), 0.02), 0.5)
        # Water and materials move differently from energy.
        factors = {
            code: (
                rng.uniform(0.6, 1.6)
                if code == "water"
                else rng.uniform(0.2, 0.6)
                if code == "main-material"
                else rng.uniform(0.8, 1.2)
            )
            for code in intensity
        }
        reports: list[_ReportSpec] = []
        year, quarter = start
        number = 0
        while (year, quarter) <= _LAST_QUARTER:
            end = _quarter_end(year, quarter)
            begin = datetime.date(year, 3 * quarter - 2, 1)
            period = (year, quarter)
            year, quarter = _next_quarter(year, quarter)
            if not site.operating_through(begin, end):
                if site.closed is not None and site.closed <= end:
                    break
                continue
            progress = min(1.0, (number + 1) / ramp)
            number += 1
            load = season[period[1]] * _COVID.get(period, 1.0) * rng.gauss(1.0, 0.06)
            output = self._yearly_output(profile, period[0]) / 4 * load
            saving = target * progress
            consumption = {
                code: output
                * quantity
                * max(0.0, 1 - saving * factors[code])
                * rng.gauss(1.0, 0.05 if code == "water" else 0.03)
                for code, quantity in intensity.items()
            }
            report = self._workflow(site, period, end, missing, late)
            if report is None:
                continue
            if report.status == _ReportStatus.SUBMITTED and _slips(site, period):
                # Typed with one zero too many: what the review queue's warnings are for.
                consumption["electricity"] *= 10
            report.output = output
            report.consumption = consumption
            report.measures = measures.get(period, [])
            if report.measures:
                report.notes = _MEASURE_NOTE
            elif period in _COVID and rng.random() < 0.6:
                report.notes = _COVID_NOTE
            elif load < 0.85 and rng.random() < 0.5:
                report.notes = rng.choice(_LOW_OUTPUT_NOTES)
            elif not measures and rng.random() < 0.04:
                report.measures = [self._own_measure(site, begin, end, profile)]
            reports.append(report)
        return reports

    def _own_measure(
        self, site: _Site, begin: datetime.date, end: datetime.date, profile: _Profile
    ) -> _MeasureSpec:
        """A measure a facility took on its own: housekeeping or a modest piece of kit."""
        rng = self.rng
        templates = [
            template
            for template in _templates(site, profile)
            if template.technique in (_T.HOUSEKEEPING, _T.PROCESS_CONTROL, _T.EQUIPMENT)
            and all(effect[0] == _E for effect in template.effects)
        ]
        template = rng.choice(templates)
        kwh = self._yearly_output(profile, begin.year) * profile.intensity["electricity"]
        share = rng.uniform(*template.effects[0][1:])
        savings = _round_money(kwh * share * _PRICES["electricity"] * 1.03 ** (begin.year - 2015))
        low, high = _PAYBACK[template.technique]
        return _MeasureSpec(
            technique=template.technique,
            description=template.text,
            implemented_on=self.day_between(begin, end),
            cost=_round_money(savings * rng.uniform(low, high)),
            savings_vnd=savings,
        )

    def _workflow(
        self,
        site: _Site,
        period: tuple[int, int],
        end: datetime.date,
        missing: float,
        late: float,
    ) -> _ReportSpec | None:
        """A report's life from draft to approval, stopped wherever TODAY finds it; None for a
        report the facility never started."""
        rng = self.rng
        if rng.random() < missing:
            return None
        due = end + datetime.timedelta(days=self.reference.due_days)
        if rng.random() < late:
            submit_day = due + datetime.timedelta(days=1 + int(rng.random() ** 2 * 70))
        else:
            submit_day = due - datetime.timedelta(days=int(rng.random() ** 1.5 * 17))
        submitted = at(submit_day, self._submit_minutes())
        opened = max(
            submitted - datetime.timedelta(days=rng.randint(0, 6), hours=rng.randint(1, 8)),
            at(end + datetime.timedelta(days=1), 8 * 60),
        )
        report = _ReportSpec(
            site=site,
            year=period[0],
            quarter=period[1],
            status=_ReportStatus.DRAFT,
            output=0.0,
            unit=site.unit,
            consumption={},
            has_cp_unit=site.has_cp_unit_on(end),
            created_at=opened,
            transitions=[("", _ReportStatus.DRAFT, True, opened, "")],
        )
        # A few drafts are abandoned; in the last quarter some are simply not finished yet.
        abandoned = 0.12 if period == _LAST_QUARTER else 0.01
        if rng.random() < abandoned or submitted > _NOW:
            if opened > _NOW:
                return None
            return report
        report.status = _ReportStatus.SUBMITTED
        report.submitted_at = submitted
        report.transitions.append(
            (_ReportStatus.DRAFT, _ReportStatus.SUBMITTED, True, submitted, "")
        )
        review = self._review_time(submitted)
        approval_comment = ""
        if rng.random() < 0.08:
            if review > _NOW:
                return report
            comment = rng.choice(_RETURN_COMMENTS)
            report.status, report.reviewed_at, report.reviewer_comment = (
                _ReportStatus.RETURNED,
                review,
                comment,
            )
            report.transitions.append(
                (_ReportStatus.SUBMITTED, _ReportStatus.RETURNED, False, review, comment)
            )
            resubmitted = at(
                review.date() + datetime.timedelta(days=rng.randint(1, 20)), self._submit_minutes()
            )
            if resubmitted > _NOW:
                return report
            report.status, report.submitted_at = _ReportStatus.SUBMITTED, resubmitted
            report.transitions.append(
                (_ReportStatus.RETURNED, _ReportStatus.SUBMITTED, True, resubmitted,
                 _RESUBMIT_COMMENT)
            )  # fmt: skip
            review = self._review_time(resubmitted, quick=True)
            approval_comment = rng.choice(_APPROVAL_COMMENTS)
        if review > _NOW:
            return report
        # As approve_self_report does, the approval's comment replaces the return's.
        report.status, report.reviewed_at = _ReportStatus.APPROVED, review
        report.reviewer_comment = approval_comment
        report.transitions.append(
            (_ReportStatus.SUBMITTED, _ReportStatus.APPROVED, False, review, approval_comment)
        )
        return report

    def _submit_minutes(self) -> int:
        # Office hours mostly; some managers file from home in the evening.
        if self.rng.random() < 0.1:
            return self.rng.randint(20 * 60, 22 * 60 + 30)
        return self.rng.randint(7 * 60 + 30, 17 * 60)

    def _review_time(self, after: datetime.datetime, *, quick: bool = False) -> datetime.datetime:
        # Most reports are reviewed within a fortnight; a backlog now and then takes weeks.
        days = self.rng.randint(1, 10) if quick else 2 + int(self.rng.random() ** 2 * 55)
        if after >= _BACKLOG_FROM:
            days += self.rng.randint(5, 35)
        day = weekday(after.date() + datetime.timedelta(days=days))
        return at(day, self.rng.randint(8 * 60, 16 * 60 + 30))


# --- Writing ------------------------------------------------------------------------------------


def _write_organisations(assigned: list[set[int]]) -> dict[str, int]:
    """Create the missing organisations and assignments; return every organisation's id."""
    existing = {
        organisation.name: organisation
        for organisation in SupportOrganisation.objects.filter(
            name__in=[definition.name for definition in _ORGANISATIONS]
        )
    }
    for definition in _ORGANISATIONS:
        found = existing.get(definition.name)
        if found is None:
            continue
        # demo/run.py creates the extension centre bare; fill in what it left blank.
        changed = [
            name
            for name in ("email", "phone", "address", "expertise")
            if not getattr(found, name) and getattr(definition, name)
        ]
        for name in changed:
            setattr(found, name, getattr(definition, name))
        if changed:
            found._change_reason = CHANGE_REASON
            found.save()
    created = bulk(
        [
            SupportOrganisation(
                name=definition.name,
                kind=definition.kind,
                email=definition.email,
                phone=definition.phone,
                address=definition.address,
                expertise=definition.expertise,
            )
            for definition in _ORGANISATIONS
            if definition.name not in existing
        ],
        SupportOrganisation,
    )
    ids = {organisation.name: organisation.pk for organisation in (*existing.values(), *created)}
    link_missing(
        SupportOrganisation.facilities.through,
        ("supportorganisation_id", "facility_id"),
        {
            (ids[definition.name], facility_id)
            for definition, facilities in zip(_ORGANISATIONS, assigned, strict=True)
            for facility_id in facilities
        },
    )
    return ids


def _write_assessments(
    specs: list[_AssessmentSpec],
    organisation_ids: dict[str, int],
    reference: _Reference,
    reviewer: User | None,
) -> None:
    existing = set(Assessment.objects.values_list("facility_id", "kind", "started_on"))
    new = [spec for spec in specs if (spec.site.pk, spec.kind, spec.started_on) not in existing]
    assessments = bulk(
        [
            Assessment(
                facility_id=spec.site.pk,
                kind=spec.kind,
                status=spec.status,
                started_on=spec.started_on,
                completed_on=spec.completed_on,
                organisation_id=organisation_ids[_ORGANISATIONS[spec.organisation].name],
                team=spec.team,
                funding=spec.funding,
                findings=spec.findings,
            )
            for spec in new
        ],
        Assessment,
    )
    with_baseline = [
        (spec, assessment)
        for spec, assessment in zip(new, assessments, strict=True)
        if spec.baseline_year is not None
    ]
    baselines = bulk(
        [
            Baseline(
                assessment=assessment,
                year=spec.baseline_year,
                output=_quantity(spec.baseline_output or 0),
                output_unit=spec.site.unit,
            )
            for spec, assessment in with_baseline
        ],
        Baseline,
    )
    bulk(
        [
            BaselineConsumption(
                baseline=baseline,
                resource=reference.resources[code],
                quantity=_quantity(quantity),
            )
            for (spec, _assessment), baseline in zip(with_baseline, baselines, strict=True)
            for code, quantity in spec.baseline.items()
        ],
        BaselineConsumption,
    )
    bulk(
        [
            CPOption(
                assessment=assessment,
                technique=option.technique,
                description=option.description,
                investment_vnd=Decimal(option.investment),
                savings_vnd_per_year=Decimal(option.savings_vnd),
                savings_toe_per_year=_decimal(option.savings_toe, 3),
                savings_water_m3_per_year=_decimal(option.savings_water, 2),
                savings_material=option.savings_material,
                status=option.status,
                implemented_on=option.implemented_on,
                verified_on=option.verified_on,
                verified_by=reviewer if option.verified_on is not None else None,
            )
            for spec, assessment in zip(new, assessments, strict=True)
            for option in spec.options
        ],
        CPOption,
    )


def _write_reports(
    specs: list[_ReportSpec],
    existing: set[tuple[int, int, int | None, int]],
    reference: _Reference,
    people: _People,
    *,
    replay: bool,
) -> None:
    """Create the missing reports with their figures; `replay` writes them as first drafts and
    moves each through the workflow services, otherwise they are written in their final state."""
    new = [spec for spec in specs if (spec.site.pk, spec.year, spec.quarter, 1) not in existing]
    final = not replay
    reviewer = people.reviewer
    reports = [
        SelfReport(
            facility_id=spec.site.pk,
            period_kind=SelfReport.PeriodKind.QUARTER,
            year=spec.year,
            quarter=spec.quarter,
            status=spec.status if final else _ReportStatus.DRAFT,
            output=_quantity(spec.output),
            output_unit=spec.unit,
            has_cp_unit=spec.has_cp_unit,
            notes=spec.notes,
            submitted_at=spec.submitted_at if final else None,
            reviewed_at=spec.reviewed_at if final and reviewer is not None else None,
            reviewed_by=reviewer if final and spec.reviewed_at is not None else None,
            reviewer_comment=spec.reviewer_comment if final else "",
            created_at=spec.created_at,
        )
        for spec in new
    ]
    # created_at is auto_now_add, which even bulk_create fills with the current time: write
    # the drawn dates back before the history rows copy them.
    _create_keeping(reports, [spec.created_at for spec in new], "created_at", SelfReport)
    bulk(
        [
            SelfReportConsumption(
                report=report, resource=reference.resources[code], quantity=_quantity(quantity)
            )
            for spec, report in zip(new, reports, strict=True)
            for code, quantity in spec.consumption.items()
        ],
        SelfReportConsumption,
    )
    bulk(
        [
            SelfReportMeasure(
                report=report,
                technique=measure.technique,
                description=measure.description[:255],
                implemented_on=measure.implemented_on,
                cost_vnd=Decimal(measure.cost),
                savings_vnd_per_year=Decimal(measure.savings_vnd),
            )
            for spec, report in zip(new, reports, strict=True)
            for measure in spec.measures
        ],
        SelfReportMeasure,
    )
    if reviewer is None:
        return  # a transition needs a person
    # The creation is written in bulk either way, like the report rows above.
    _write_transitions(new, reports, people, creation_only=replay)
    if replay:
        facilities = Facility.objects.in_bulk({spec.site.pk for spec in new})
        for spec, report in zip(new, reports, strict=True):
            report.facility = facilities[spec.site.pk]
            _replay(spec, report, people)


def _write_transitions(
    specs: list[_ReportSpec],
    reports: list[SelfReport],
    people: _People,
    *,
    creation_only: bool,
) -> None:
    """Bulk-write the reports' transitions: all of them, or only the creation when the services
    write the rest."""
    assert people.reviewer is not None
    transitions: list[SelfReportTransition] = []
    times: list[datetime.datetime] = []
    for spec, report in zip(specs, reports, strict=True):
        submitter = people.submitter(spec.site)
        assert submitter is not None
        for from_status, to_status, by_submitter, moment, comment in (
            spec.transitions[:1] if creation_only else spec.transitions
        ):
            if not from_status and spec.site.manager_id is None:
                # Facilities without a portal account send paper reports that staff key in.
                comment = _PAPER_COMMENT
            transitions.append(
                SelfReportTransition(
                    report=report,
                    from_status=from_status,
                    to_status=to_status,
                    by=submitter if by_submitter else people.reviewer,
                    at=moment,
                    comment=comment,
                )
            )
            times.append(moment)
    SelfReportTransition.objects.bulk_create(transitions, batch_size=BATCH_SIZE)
    for transition, moment in zip(transitions, times, strict=True):
        transition.at = moment
    SelfReportTransition.objects.bulk_update(transitions, ["at"], batch_size=BATCH_SIZE)


def _replay(spec: _ReportSpec, report: SelfReport, people: _People) -> None:
    """Move a first draft through the drawn submissions, returns and approval with the
    services, each at its drawn moment."""
    reviewer, submitter = people.reviewer, people.submitter(spec.site)
    assert reviewer is not None and submitter is not None
    for _from_status, to_status, _by_submitter, moment, comment in spec.transitions[1:]:
        with clock_at(moment):
            if to_status == _ReportStatus.SUBMITTED:
                services.submit_self_report(report, by=submitter)
            elif to_status == _ReportStatus.RETURNED:
                services.return_self_report(report, by=reviewer, comment=comment)
            else:
                services.approve_self_report(report, by=reviewer, comment=comment)


def _create_keeping(
    objects: list[_M], values: Sequence[datetime.datetime], name: str, model: type[_M]
) -> None:
    """bulk_create_with_history, but keeping drawn values in an auto_now_add field."""
    model._default_manager.bulk_create(objects, batch_size=BATCH_SIZE)
    for obj, value in zip(objects, values, strict=True):
        setattr(obj, name, value)
    model._default_manager.bulk_update(objects, [name], batch_size=BATCH_SIZE)
    for obj, value in zip(objects, values, strict=True):
        obj._history_date = value  # type: ignore[attr-defined]  # the history starts then too
    model.history.bulk_history_create(  # type: ignore[attr-defined]
        objects, batch_size=BATCH_SIZE, default_change_reason=CHANGE_REASON
    )


def _decimal(value: float, places: int) -> Decimal:
    return Decimal(f"{value:.{places}f}")


def _quantity(value: float) -> Decimal:
    """As a plant would write it: whole units for large figures, decimals for small ones."""
    if value >= 1000:
        return Decimal(round(value))
    return _decimal(value, 1 if value >= 10 else 3)


def _round_money(value: float) -> int:
    """To the million above 100 million VND, to the thousand below."""
    return int(round(value, -6) if value >= 100_000_000 else round(value, -3))


def _vn(value: float, places: int = 0) -> str:
    """A number as Vietnamese documents write it: 1.234.567,8."""
    text = f"{value:,.{places}f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")
