"""Demo registry: industrial facilities of Nghệ An and the outreach that reached them.

Never meant for a real deployment (`seed_demo` calls this, behind its DEBUG guard). Work runs in
two steps. First every record is drawn from `rng` into plain specs without looking at the
database; then only the specs whose natural keys (tax code; activity title and date) are missing
are bulk-created. Drawing before looking is what makes a second run with the same seed a no-op:
it draws the same tax codes and finds them all present.

The outreach history is shaped so that the plan's indicators look like a province that tried
hard and fell a little short: awareness (T1) rises from about a fifth of facilities in 2015 to
about four fifths in 2020, dedicated CP units (T4) from about a tenth in 2016 to about a third.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from stdnum.vn import mst

from demo.kit import Drawer, bulk, check_scale, create_missing, cumulative
from facilities.geography import load_admin_units
from facilities.models import (
    AdministrativeUnit,
    AwarenessConfirmation,
    DedicatedUnit,
    Facility,
    IndustrialZone,
    OutreachActivity,
    OutreachParticipation,
    Product,
    Sector,
    SizeClass,
)
from facilities.vietnamese import fold
from portal.models import User

SCALE_SIZES = {"demo": 300, "province": 3000, "national": 200_000}

# Nghệ An lists about 60 designated energy users; other scales keep the same proportion.
_DESIGNATED_PER_PROVINCE = 60
# Facilities are written in chunks so that the model instances of a national run never all sit
# in memory at once.
_CHUNK_SIZE = 20_000

_Unit = Product.Unit
_LegalForm = Facility.LegalForm
_Kind = OutreachActivity.Kind
_Method = AwarenessConfirmation.Method


def _day(year: int, month: int, day: int) -> int:
    # Dates are drawn as ordinals: plain ints are cheaper to compare 200,000 times over.
    return datetime.date(year, month, day).toordinal()


_LAST_DAY = _day(2025, 12, 31)

# --- Geography ----------------------------------------------------------------------------------

# Relative weight of each plan-era unit in the registry: Vinh and the coastal lowlands hold most
# of the industry, the western mountain districts little.
_DISTRICT_WEIGHTS: dict[str, float] = {
    "412": 22, "413": 3, "414": 3, "415": 1.5, "416": 1.5, "417": 1, "418": 1.5,
    "419": 3, "420": 4, "421": 8, "422": 2, "423": 3, "424": 3, "425": 8,
    "426": 4, "427": 6, "428": 4, "429": 10, "430": 4, "431": 6, "432": 8,
}  # fmt: skip

# Communes and wards used in addresses and in the names of co-operatives and household works,
# as they stood on 30/06/2025 (vietnamadminunits), so that remapping finds each one's new commune
# through the crosswalk. Lê Mao is the exception on purpose: the source has no ward of that name
# on the eve of the reform, so the Vinh facilities giving it are left for a person to place on
# the remap page. Cửa Lò's wards are Vinh's since 01/12/2024.
_COMMUNES: dict[str, tuple[str, ...]] = {
    "412": ("Lê Mao", "Hưng Bình", "Hưng Dũng", "Bến Thủy", "Trường Thi", "Quán Bàu",
            "Đông Vĩnh", "Hà Huy Tập", "Lê Lợi", "Cửa Nam", "Vinh Tân", "Trung Đô", "Hưng Phúc"),
    "413": ("Nghi Thủy", "Nghi Tân", "Thu Thủy", "Nghi Hải", "Nghi Hòa", "Nghi Hương"),
    "414": ("Hòa Hiếu", "Quang Tiến", "Quang Phong", "Long Sơn"),
    "415": ("Tiền Phong", "Châu Kim", "Mường Nọc", "Hạnh Dịch", "Kim Sơn", "Châu Thôn"),
    "416": ("Châu Hạnh", "Châu Bình", "Châu Tiến", "Châu Thuận", "Châu Phong", "Châu Hội"),
    "417": ("Hữu Kiệm", "Tà Cạ", "Chiêu Lưu", "Nậm Cắn", "Hữu Lập"),
    "418": ("Tam Quang", "Yên Thắng", "Xá Lượng", "Lưu Kiền", "Tam Thái", "Yên Na"),
    "419": ("Nghĩa Lâm", "Nghĩa Hội", "Nghĩa Sơn", "Nghĩa Long", "Nghĩa Trung", "Nghĩa Bình"),
    "420": ("Châu Quang", "Châu Lộc", "Châu Hồng", "Thọ Hợp", "Châu Cường", "Nam Sơn",
            "Châu Thành", "Minh Hợp"),
    "421": ("Quỳnh Bảng", "Quỳnh Đôi", "Quỳnh Giang", "Quỳnh Thạch", "Quỳnh Thanh",
            "Quỳnh Yên", "Quỳnh Văn", "Quỳnh Lâm", "Quỳnh Hậu", "Tân Sơn"),
    "422": ("Chi Khê", "Châu Khê", "Lạng Khê", "Môn Sơn", "Yên Khê", "Lục Dạ"),
    "423": ("Nghĩa Đồng", "Kỳ Sơn", "Tân Hương", "Nghĩa Thái", "Tân Xuân", "Kỳ Tân", "Đồng Văn"),
    "424": ("Hoa Sơn", "Cẩm Sơn", "Hội Sơn", "Tường Sơn", "Thành Sơn", "Đức Sơn", "Lĩnh Sơn"),
    "425": ("Diễn Hồng", "Diễn Kỷ", "Diễn Thành", "Diễn Phúc", "Diễn Yên", "Diễn Thịnh",
            "Ngọc Bích", "Diễn Lộc", "Hùng Hải", "Diễn Kim", "Diễn Thọ", "Diễn Trường"),
    "426": ("Minh Thành", "Hoa Thành", "Tăng Thành", "Đô Thành", "Quang Thành", "Xuân Thành",
            "Bắc Thành", "Tây Thành", "Phúc Thành"),
    "427": ("Đà Sơn", "Đặng Sơn", "Yên Sơn", "Thịnh Sơn", "Lạc Sơn", "Văn Sơn", "Bồi Sơn",
            "Thượng Sơn", "Tràng Sơn"),
    "428": ("Thanh Ngọc", "Thanh Liên", "Thanh Hương", "Đại Đồng", "Thanh Xuân",
            "Thanh Hà", "Thanh Mỹ", "Thanh Thủy"),
    "429": ("Nghi Xá", "Nghi Long", "Nghi Thiết", "Nghi Yên", "Nghi Trung", "Diên Hoa",
            "Nghi Phương", "Nghi Thạch", "Nghi Quang", "Nghi Thuận", "Nghi Vạn"),
    "430": ("Nam Giang", "Kim Liên", "Xuân Hòa", "Nam Anh", "Hùng Tiến", "Nam Hưng",
            "Nam Kim", "Nam Thanh"),
    "431": ("Hưng Đạo", "Hưng Tây", "Hưng Thành", "Hưng Lĩnh", "Hưng Yên Bắc", "Hưng Nghĩa",
            "Thịnh Mỹ", "Thông Tân", "Hưng Trung"),
    "432": ("Quỳnh Thiện", "Quỳnh Dị", "Quỳnh Phương", "Quỳnh Xuân", "Mai Hùng", "Quỳnh Vinh",
            "Quỳnh Lộc", "Quỳnh Lập"),
}  # fmt: skip

_VINH_STREETS = (
    "Lê Duẩn", "Nguyễn Du", "Lê Lợi", "Quang Trung", "Nguyễn Trãi", "Trường Chinh",
    "Đặng Thai Mai", "Nguyễn Sỹ Sách", "Phan Bội Châu", "Lê Hồng Phong", "Hồ Tùng Mậu",
    "Nguyễn Văn Cừ", "Lý Thường Kiệt",
)  # fmt: skip

# Where a trade clusters: stone in Quỳ Hợp, hydropower in the western mountains, fish sauce on
# the coast, dairy in Nghĩa Đàn. Multiplies the district weight for facilities of that sector.
_SECTOR_DISTRICT_BIAS: dict[str, dict[str, float]] = {
    "072": {"420": 12},
    "073": {"415": 12},
    "081": {"420": 8, "423": 3, "432": 3, "424": 2},
    "102": {"421": 4, "425": 4, "413": 5, "429": 3},
    "105": {"419": 12},
    "107": {"420": 3, "419": 4, "423": 3, "430": 2},
    "141": {"429": 3, "425": 2, "426": 2, "431": 2},
    "152": {"429": 2, "431": 3, "426": 2},
    "161": {"424": 2, "422": 3, "423": 2, "428": 2},
    "162": {"424": 2, "428": 2, "427": 2},
    "239": {"432": 4, "424": 3, "427": 2, "420": 3},
    "351": {"418": 12, "417": 10, "415": 10, "422": 6, "416": 8},
}

_UNIT_LABELS = {
    AdministrativeUnit.Kind.CITY: "thành phố",
    AdministrativeUnit.Kind.TOWN: "thị xã",
    AdministrativeUnit.Kind.DISTRICT: "huyện",
}

# --- Industry -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Trade:
    """A line of business: the word in the firm's name and the products it makes."""

    word: str
    weight: float
    # (product name, unit, yearly output of a small facility)
    products: tuple[tuple[str, str, int], ...]


@dataclass(frozen=True, slots=True)
class _Profile:
    weight: float  # how common the sector is among Nghệ An's facilities
    group: str  # the audience of sector-specific trainings and handbooks
    energy: float  # how energy-hungry: picks the designated energy users
    trades: tuple[_Trade, ...]


def _trade(word: str, *products: tuple[str, str, int], weight: float = 1) -> _Trade:
    return _Trade(word, weight, products)


_GROUP_LABELS = {
    "food": "chế biến nông sản, thực phẩm và đồ uống",
    "materials": "khai khoáng và vật liệu xây dựng",
    "textile": "dệt may, da giày",
    "wood": "chế biến gỗ, giấy và đồ nội thất",
    "engineering": "cơ khí, hóa chất và công nghiệp khác",
    "utilities": "điện, nước và xử lý chất thải",
}

# Short names for the units, so that each trade fits on a line of the table below.
T, KG, M3, M2 = _Unit.TONNE, _Unit.KG, _Unit.CUBIC_METRE, _Unit.SQUARE_METRE
L, KL, M, MWH = _Unit.LITRE, _Unit.THOUSAND_LITRES, _Unit.METRE, _Unit.MWH
PCS, KPCS, PAIR, SET = _Unit.PIECE, _Unit.THOUSAND_PIECES, _Unit.PAIR, _Unit.SET

_ELECTRONICS = (_trade("Điện tử", ("Thiết bị điện tử", PCS, 50_000)),)
_ELECTRICAL = (
    _trade("Thiết bị điện", ("Tủ điện", PCS, 2_000), ("Dây cáp điện", M, 500_000)),
    _trade("Điện công nghiệp", ("Đèn LED", PCS, 100_000)),
)
_MACHINERY = (
    _trade("Cơ khí chế tạo", ("Máy nông nghiệp", PCS, 500)),
    _trade("Chế tạo máy", ("Máy chế biến nông sản", PCS, 300)),
)
_VEHICLES = (_trade("Ô tô", ("Thùng xe tải", PCS, 500), ("Phụ tùng ô tô", SET, 10_000)),)
_CRAFTS = (_trade("Thủ công mỹ nghệ", ("Hàng thủ công mỹ nghệ", PCS, 20_000)),)

# Level-3 VSIC codes of sections B–E. Codes absent here (crude oil, weapons, aircraft…) get no
# facilities: Nghệ An has none.
_PROFILES: dict[str, _Profile] = {
    "071": _Profile(0.5, "materials", 2, (_trade("Khai thác quặng", ("Quặng sắt", T, 20_000)),)),
    "072": _Profile(1, "materials", 2, (
        _trade("Khoáng sản", ("Quặng thiếc", T, 500), ("Tinh quặng thiếc", T, 100)),
    )),
    "073": _Profile(0.3, "materials", 2, (_trade("Khai thác vàng", ("Quặng vàng", T, 5_000)),)),
    "081": _Profile(14, "materials", 2, (
        _trade("Khai thác đá", ("Đá xây dựng", M3, 50_000), ("Đá hộc", M3, 20_000), weight=3),
        _trade("Đá trắng", ("Đá khối trắng", M3, 5_000), ("Bột đá trắng", T, 30_000), weight=2),
        _trade("Cát sỏi", ("Cát xây dựng", M3, 30_000), ("Sỏi", M3, 10_000)),
        _trade("Khoáng sản", ("Đá vôi", T, 50_000), ("Đất sét", M3, 20_000)),
    )),
    "089": _Profile(1, "materials", 1, (
        _trade("Khoáng sản", ("Than bùn", T, 5_000), ("Đất sét trắng", T, 10_000)),
    )),
    "099": _Profile(0.5, "materials", 1, (
        _trade("Dịch vụ khai khoáng", ("Khoan nổ mìn", M3, 100_000)),
    )),
    "101": _Profile(4, "food", 1, (
        _trade("Chế biến thực phẩm", ("Thịt lợn mảnh", T, 500), ("Giò chả", KG, 20_000), weight=2),
        _trade("Chế biến thịt", ("Xúc xích", T, 100), ("Thịt gia cầm đông lạnh", T, 300)),
    )),
    "102": _Profile(9, "food", 1, (
        _trade("Chế biến thủy sản", ("Cá đông lạnh", T, 500), ("Mực khô", KG, 20_000), weight=2),
        _trade("Nước mắm", ("Nước mắm", L, 100_000), ("Mắm tôm", KG, 10_000), weight=2),
        _trade("Hải sản", ("Tôm đông lạnh", T, 200), ("Cá khô", KG, 30_000)),
    )),
    "103": _Profile(4, "food", 1, (
        _trade("Chế biến nông sản", ("Dứa cô đặc", T, 1_000), ("Rau quả sấy", T, 200)),
        _trade("Rau quả", ("Rau quả đông lạnh", T, 500), ("Nước cam ép", KL, 200)),
    )),
    "104": _Profile(1, "food", 1, (
        _trade("Dầu thực vật", ("Dầu lạc", L, 50_000), ("Dầu vừng", L, 10_000)),
    )),
    "105": _Profile(2, "food", 2, (
        _trade("Sữa", ("Sữa tươi tiệt trùng", KL, 5_000), ("Sữa chua", T, 1_000)),
    )),
    "106": _Profile(5, "food", 1, (
        _trade("Lương thực", ("Gạo", T, 5_000), ("Bột mì", T, 1_000), weight=2),
        _trade("Tinh bột sắn", ("Tinh bột sắn", T, 10_000)),
    )),
    "107": _Profile(7, "food", 2, (
        _trade("Mía đường", ("Đường kính trắng", T, 10_000), ("Mật rỉ", T, 3_000)),
        _trade("Chè", ("Chè búp khô", T, 300), ("Chè xanh", T, 200)),
        _trade("Thực phẩm", ("Bánh kẹo", T, 200), ("Kẹo cu đơ", KG, 20_000), weight=2),
    )),
    "108": _Profile(4, "food", 1, (
        _trade("Thức ăn chăn nuôi", ("Thức ăn gia súc", T, 10_000), ("Thức ăn thủy sản", T, 3_000)),
    )),
    "110": _Profile(8, "food", 2, (
        _trade("Bia", ("Bia chai", KL, 10_000), ("Bia hơi", KL, 3_000)),
        _trade("Nước giải khát", ("Nước khoáng", KL, 2_000), ("Nước uống", KL, 1_000), weight=2),
        _trade("Rượu", ("Rượu trắng", L, 20_000), ("Rượu vang sim", L, 5_000)),
    )),
    "131": _Profile(1, "textile", 2, (
        _trade("Sợi", ("Sợi cotton", T, 3_000)),
        _trade("Dệt", ("Vải mộc", M, 500_000)),
    )),
    "139": _Profile(1, "textile", 1, (
        _trade("Dệt thổ cẩm", ("Vải thổ cẩm", M, 5_000)),
        _trade("Bao bì", ("Bao dệt PP", KPCS, 5_000)),
    )),
    "141": _Profile(12, "textile", 1, (
        _trade("May mặc", ("Quần áo may sẵn", PCS, 500_000), ("Áo jacket", PCS, 200_000), weight=3),
        _trade("May xuất khẩu", ("Quần áo may sẵn", PCS, 800_000), ("Áo sơ mi", PCS, 300_000)),
        _trade("Dệt may", ("Quần áo bảo hộ lao động", PCS, 100_000)),
    )),
    "143": _Profile(2, "textile", 1, (
        _trade("Dệt kim", ("Áo dệt kim", PCS, 300_000), ("Tất", PAIR, 500_000)),
    )),
    "151": _Profile(0.5, "textile", 1, (
        _trade("Thuộc da", ("Da thuộc", M2, 50_000), ("Túi xách", PCS, 20_000)),
    )),
    "152": _Profile(4, "textile", 1, (
        _trade("Giày da", ("Giày thể thao", PAIR, 500_000), ("Dép", PAIR, 300_000), weight=2),
        _trade("Da giày", ("Mũ giày", PAIR, 500_000)),
    )),
    "161": _Profile(8, "wood", 1, (
        _trade("Chế biến gỗ", ("Gỗ xẻ", M3, 3_000), ("Gỗ ghép thanh", M3, 1_000), weight=2),
        _trade("Lâm sản", ("Dăm gỗ", T, 20_000), ("Gỗ xẻ", M3, 2_000)),
    )),
    "162": _Profile(10, "wood", 1, (
        _trade("Gỗ", ("Ván ép", M3, 5_000), ("Ván MDF", M3, 10_000), weight=2),
        _trade("Viên nén gỗ", ("Viên nén gỗ", T, 20_000)),
        _trade("Mây tre đan", ("Sản phẩm mây tre đan", PCS, 50_000), ("Tăm tre", T, 100)),
    )),
    "170": _Profile(2, "wood", 2, (
        _trade("Giấy", ("Giấy bao bì", T, 5_000), ("Giấy vàng mã", T, 500)),
        _trade("Bao bì", ("Thùng carton", PCS, 1_000_000)),
    )),
    "181": _Profile(2, "engineering", 0.5, (
        _trade("In", ("Ấn phẩm", KPCS, 5_000), ("Nhãn mác bao bì", KPCS, 10_000)),
    )),
    "201": _Profile(2, "engineering", 2, (
        _trade("Phân bón", ("Phân bón NPK", T, 20_000), ("Phân vi sinh", T, 5_000)),
    )),
    "202": _Profile(1, "engineering", 1, (
        _trade("Hóa chất", ("Sơn nước", L, 200_000), ("Chất tẩy rửa", T, 500)),
    )),
    "210": _Profile(1, "engineering", 1, (
        _trade("Dược phẩm", ("Thuốc viên", KPCS, 50_000), ("Dược liệu", KG, 20_000)),
    )),
    "221": _Profile(1, "engineering", 1, (
        _trade("Cao su", ("Mủ cao su sơ chế", T, 3_000), ("Săm lốp xe", PCS, 50_000)),
    )),
    "222": _Profile(3, "engineering", 1, (
        _trade("Nhựa", ("Ống nhựa", M, 500_000), ("Bao bì nhựa", T, 1_000)),
    )),
    "231": _Profile(0.5, "materials", 3, (_trade("Kính", ("Kính xây dựng", M2, 100_000)),)),
    "239": _Profile(30, "materials", 3, (
        _trade("Gạch ngói", ("Gạch tuynel", KPCS, 20_000), ("Ngói lợp", KPCS, 2_000), weight=4),
        _trade("Gạch tuynel", ("Gạch tuynel", KPCS, 30_000), weight=2),
        _trade("Xi măng", ("Xi măng PCB40", T, 100_000), ("Clinker", T, 100_000)),
        _trade("Đá ốp lát", ("Đá ốp lát", M2, 100_000), ("Đá mỹ nghệ", PCS, 2_000), weight=2),
        _trade("Bê tông", ("Bê tông tươi", M3, 50_000), ("Cọc bê tông", M, 100_000), weight=2),
        _trade("Vật liệu xây dựng", ("Gạch không nung", KPCS, 10_000), weight=3),
        _trade("Bột đá", ("Bột đá CaCO3", T, 50_000)),
        _trade("Vôi", ("Vôi nung", T, 10_000)),
    )),
    "241": _Profile(1, "engineering", 3, (
        _trade("Thép", ("Phôi thép", T, 50_000), ("Thép xây dựng", T, 50_000)),
    )),
    "242": _Profile(0.5, "engineering", 3, (_trade("Luyện kim màu", ("Thiếc thỏi", T, 500)),)),
    "243": _Profile(1, "engineering", 2, (_trade("Đúc", ("Sản phẩm gang đúc", T, 500)),)),
    "251": _Profile(4, "engineering", 1, (
        _trade("Kết cấu thép", ("Kết cấu thép", T, 2_000)),
        _trade("Cơ khí xây dựng", ("Cửa sắt, cửa nhôm", M2, 10_000), ("Bồn inox", PCS, 2_000)),
    )),
    "259": _Profile(4, "engineering", 1, (
        _trade("Cơ khí", ("Sản phẩm cơ khí", T, 500), ("Tôn lợp", M2, 200_000), weight=2),
        _trade("Gia công kim loại", ("Chi tiết gia công", PCS, 50_000), ("Đinh, ốc vít", T, 200)),
    )),
    "261": _Profile(1, "engineering", 1, (
        _trade("Linh kiện điện tử", ("Linh kiện điện tử", KPCS, 50_000)),
    )),
    "262": _Profile(0.3, "engineering", 1, _ELECTRONICS),
    "263": _Profile(0.5, "engineering", 1, _ELECTRONICS),
    "264": _Profile(0.3, "engineering", 1, _ELECTRONICS),
    "265": _Profile(0.2, "engineering", 1, _ELECTRONICS),
    "271": _Profile(1, "engineering", 1, _ELECTRICAL),
    "272": _Profile(0.3, "engineering", 1, (_trade("Ắc quy", ("Ắc quy", PCS, 20_000)),)),
    "273": _Profile(1, "engineering", 1, _ELECTRICAL),
    "274": _Profile(0.5, "engineering", 1, _ELECTRICAL),
    "275": _Profile(0.5, "engineering", 1, _ELECTRICAL),
    "279": _Profile(0.5, "engineering", 1, _ELECTRICAL),
    "281": _Profile(0.5, "engineering", 1, _MACHINERY),
    "282": _Profile(1, "engineering", 1, _MACHINERY),
    "292": _Profile(0.5, "engineering", 1, _VEHICLES),
    "293": _Profile(0.5, "engineering", 1, _VEHICLES),
    "301": _Profile(1, "engineering", 1, (
        _trade("Đóng tàu", ("Tàu cá vỏ gỗ", PCS, 20), ("Tàu vỏ thép", PCS, 10)),
    )),
    "309": _Profile(0.3, "engineering", 1, (_trade("Xe thô sơ", ("Xe đạp", PCS, 5_000)),)),
    "310": _Profile(4, "wood", 1, (
        _trade("Nội thất", ("Bàn ghế gỗ", SET, 5_000), ("Tủ gỗ", PCS, 2_000), weight=2),
        _trade("Đồ gỗ mỹ nghệ", ("Đồ gỗ mỹ nghệ", PCS, 3_000)),
    )),
    "321": _Profile(0.3, "engineering", 1, (_trade("Trang sức", ("Trang sức bạc", PCS, 10_000)),)),
    "323": _Profile(0.2, "engineering", 1, _CRAFTS),
    "324": _Profile(0.2, "engineering", 1, _CRAFTS),
    "325": _Profile(0.3, "engineering", 1, (
        _trade("Thiết bị y tế", ("Vật tư y tế", KPCS, 1_000)),
    )),
    "329": _Profile(1.5, "engineering", 1, (
        _trade("Hương trầm", ("Hương nén", KG, 20_000)),
        _trade("Thủ công mỹ nghệ", ("Chổi đót", PCS, 50_000), ("Hàng mỹ nghệ", PCS, 20_000)),
    )),
    "331": _Profile(2, "engineering", 1, (
        _trade("Sửa chữa cơ khí", ("Máy móc, thiết bị sửa chữa", PCS, 1_000)),
    )),
    "332": _Profile(1, "engineering", 1, (_trade("Lắp máy", ("Dây chuyền lắp đặt", SET, 100)),)),
    "351": _Profile(6, "utilities", 3, (
        _trade("Thủy điện", ("Điện năng", MWH, 50_000), weight=3),
        _trade("Điện mặt trời", ("Điện năng", MWH, 5_000)),
        _trade("Năng lượng", ("Điện năng", MWH, 20_000)),
    )),
    "352": _Profile(0.3, "utilities", 2, (
        _trade("Khí hóa lỏng", ("Khí LPG chiết nạp", T, 2_000)),
    )),
    "353": _Profile(0.3, "utilities", 3, (_trade("Năng lượng nhiệt", ("Hơi nước", T, 20_000)),)),
    "360": _Profile(4, "utilities", 1, (
        _trade("Cấp nước", ("Nước sạch", M3, 1_000_000), weight=2),
        _trade("Nước sạch", ("Nước sạch", M3, 500_000)),
    )),
    "370": _Profile(1, "utilities", 1, (
        _trade("Thoát nước", ("Nước thải được xử lý", M3, 500_000)),
    )),
    "381": _Profile(4, "utilities", 1, (
        _trade("Môi trường đô thị", ("Rác thải được thu gom", T, 20_000), weight=2),
        _trade("Vệ sinh môi trường", ("Rác thải được thu gom", T, 10_000)),
    )),
    "382": _Profile(2, "utilities", 2, (
        _trade("Xử lý chất thải", ("Chất thải rắn", T, 30_000), ("Phân compost", T, 5_000)),
        _trade("Môi trường xanh", ("Chất thải rắn", T, 20_000)),
    )),
    "383": _Profile(3, "utilities", 1, (
        _trade("Tái chế", ("Nhựa tái chế", T, 2_000), ("Giấy tái chế", T, 3_000)),
        _trade("Phế liệu", ("Kim loại tái chế", T, 3_000)),
    )),
    "390": _Profile(1, "utilities", 2, (
        _trade("Môi trường", ("Chất thải nguy hại được xử lý", T, 1_000)),
    )),
}  # fmt: skip

# --- Firms and people ---------------------------------------------------------------------------

_SIZE_WEIGHTS = {"micro": 35, "small": 35, "medium": 20, "large": 10}
# Output of a facility relative to a small one.
_SIZE_OUTPUT = {"micro": 0.15, "small": 1.0, "medium": 4.0, "large": 20.0}

# Household works are micro; the state and foreign investors run the larger plants.
_LEGAL_FORM_WEIGHTS: dict[str, dict[str, float]] = {
    "micro": {_LegalForm.HOUSEHOLD: 25, _LegalForm.PRIVATE: 25, _LegalForm.LIMITED: 35,
              _LegalForm.COOPERATIVE: 10, _LegalForm.JOINT_STOCK: 5},
    "small": {_LegalForm.LIMITED: 50, _LegalForm.JOINT_STOCK: 20, _LegalForm.PRIVATE: 15,
              _LegalForm.COOPERATIVE: 8, _LegalForm.HOUSEHOLD: 5, _LegalForm.PARTNERSHIP: 2},
    "medium": {_LegalForm.LIMITED: 40, _LegalForm.JOINT_STOCK: 40, _LegalForm.FOREIGN: 8,
               _LegalForm.STATE: 5, _LegalForm.COOPERATIVE: 5, _LegalForm.PRIVATE: 2},
    "large": {_LegalForm.JOINT_STOCK: 45, _LegalForm.LIMITED: 25, _LegalForm.FOREIGN: 18,
              _LegalForm.STATE: 12},
}  # fmt: skip

_NAME_PREFIXES = {
    _LegalForm.STATE: "Công ty TNHH MTV",
    _LegalForm.JOINT_STOCK: "Công ty Cổ phần",
    _LegalForm.LIMITED: "Công ty TNHH",
    _LegalForm.PRIVATE: "Doanh nghiệp tư nhân",
    _LegalForm.PARTNERSHIP: "Công ty hợp danh",
    _LegalForm.FOREIGN: "Công ty TNHH",
    _LegalForm.COOPERATIVE: "Hợp tác xã",
    _LegalForm.HOUSEHOLD: "Cơ sở",
}

_BRANDS = (
    "Hồng Lam", "Phú Thành", "Sông Lam", "Hoàng Long", "Trường Sơn", "Bắc Trung Bộ", "Thành Vinh",
    "Hùng Vương", "Kim Liên", "Trung Đô", "Bến Thủy", "Cửa Hội", "Đại Phát", "Thành Công",
    "Phúc Lộc", "An Phát", "Minh Khang", "Tân Thành", "Hưng Thịnh", "Vạn Xuân", "Thiên Phú",
    "Tiến Đạt", "Việt Á", "Đông Á", "Hợp Thành", "Tân Long", "Trung Kiên", "Phương Đông",
    "Quang Minh", "Hải Phong", "Hiệp Hòa", "Xuân Trường", "Nhật Quang", "Đức Thịnh", "Hà Trung",
    "Phú Sơn", "Hồng Phúc", "Bình Minh", "Thành Đạt", "Đồng Tiến", "Sao Mai", "Kim Thành",
    "Lam Giang", "Hoa Sen Vàng", "Thái Bình Dương", "Tân Phát", "Mạnh Hùng", "Quốc Tuấn",
    "Hoàng Anh", "Nam Việt", "Vĩnh Phúc", "Đại Dương", "Hồng Hà", "Phú Gia", "Long Hải",
    "Trường Thịnh", "Tuấn Hưng", "Đại Thành", "Phú Tài", "Đông Bắc", "Miền Trung", "Xứ Nghệ",
)  # fmt: skip
_FOREIGN_BRANDS = (
    "Hanvina", "Daehan", "Shinsung", "Sankyo", "Tokai", "Everwin", "Sunwoo", "Jinwon", "Kyoei",
    "Minh Hưng Đài", "Hoa Hạ", "Taiyo", "Seoul Tech", "Fuji Vina", "Gold Star",
)  # fmt: skip

_SURNAMES = {
    "Nguyễn": 30, "Trần": 9, "Lê": 10, "Hồ": 6, "Phan": 6, "Hoàng": 5, "Phạm": 5, "Đặng": 3,
    "Võ": 3, "Bùi": 3, "Đinh": 2, "Thái": 2, "Cao": 2, "Đậu": 2, "Ngô": 2, "Dương": 2, "Chu": 1,
    "Lưu": 1, "Tăng": 1, "Vi": 1, "Lô": 1, "Lương": 1, "Kha": 0.5, "Lang": 0.5,
}  # fmt: skip
_MALE_MIDDLE = ("Văn", "Văn", "Văn", "Đức", "Minh", "Quang", "Hữu", "Xuân", "Đình", "Công", "Trọng")
_MALE_GIVEN = (
    "Hùng", "Dũng", "Tuấn", "Minh", "Hải", "Nam", "Thắng", "Sơn", "Long", "Thành", "Quân", "Trung",
    "Phong", "Cường", "Hòa", "Bình", "Tâm", "Đạt", "Tiến", "Lâm", "Hiếu", "Quý", "Vinh", "Lực",
)  # fmt: skip
_FEMALE_MIDDLE = ("Thị", "Thị", "Thị", "Thu", "Thanh", "Ngọc", "Hồng", "Minh", "Kim")
_FEMALE_GIVEN = (
    "Hương", "Lan", "Hoa", "Mai", "Hà", "Thủy", "Hằng", "Nga", "Trang", "Linh", "Thảo", "Yến",
    "Nhung", "Loan", "Hạnh", "Phương", "Dung", "Huyền", "Vân", "Oanh",
)  # fmt: skip
_POSITIONS = (
    "Phó Giám đốc", "Trưởng phòng Kỹ thuật", "Quản đốc phân xưởng",
    "Trưởng phòng An toàn - Môi trường", "Phó phòng Kỹ thuật", "Cán bộ môi trường",
    "Trưởng ca sản xuất", "Kế toán trưởng", "Cán bộ quản lý năng lượng",
)  # fmt: skip

# Founding years lean recent: most of today's firms registered after the 2005 Enterprise Law.
_START_YEARS = tuple(range(1995, 2020))
_START_YEAR_WEIGHTS = tuple(
    1 if y < 2000 else 2 if y < 2005 else 3 if y < 2010 else 4 for y in _START_YEARS
)

# --- Outreach -----------------------------------------------------------------------------------

_YEARS = tuple(range(2015, 2026))
# Share of facilities that have taken part in outreach by the end of each year. The plan years
# climb steeply; afterwards mostly newcomers are reached.
_REACHED_BY = {
    2015: 0.20, 2016: 0.45, 2017: 0.60, 2018: 0.70, 2019: 0.78, 2020: 0.85,
    2021: 0.87, 2022: 0.885, 2023: 0.895, 2024: 0.905, 2025: 0.91,
}  # fmt: skip
# Below 1: reached earlier. The Department courted the big plants first.
_REACH_FACTOR = {"micro": 1.1, "small": 1.0, "medium": 0.85, "large": 0.7}
_DESIGNATED_REACH_FACTOR = 0.3
# Chance of a dedicated CP unit once reached; designated energy users always set one up.
_CP_UNIT_CHANCE = {"micro": 0.06, "small": 0.33, "medium": 0.75, "large": 0.92}
_MEDIA_CHANNELS = {
    "Đài Phát thanh - Truyền hình Nghệ An": (
        'Chuyên mục "Sản xuất sạch hơn – vì phát triển bền vững" trên Đài Phát thanh - '
        "Truyền hình Nghệ An",
        150_000,
        400_000,
    ),
    "Báo Nghệ An": ("Loạt bài tuyên truyền về sản xuất sạch hơn trên Báo Nghệ An", 20_000, 60_000),
    "Cổng thông tin điện tử Sở Công Thương Nghệ An": (
        "Tin bài về sản xuất sạch hơn trên Cổng thông tin điện tử Sở Công Thương",
        5_000,
        30_000,
    ),
    "Bản tin Công Thương Nghệ An": (
        "Chuyên đề sản xuất sạch hơn trên Bản tin Công Thương Nghệ An",
        3_000,
        10_000,
    ),
    "Đài Truyền thanh các huyện, thị xã": (
        "Phát thanh tuyên truyền sản xuất sạch hơn trên hệ thống truyền thanh cơ sở",
        50_000,
        200_000,
    ),
}
_DEPARTMENT = "Sở Công Thương Nghệ An"
_EXTENSION_CENTRE = "Trung tâm Khuyến công và Tư vấn phát triển công nghiệp Nghệ An"
_DESCRIPTIONS = {
    _Kind.WORKSHOP: "Giới thiệu lợi ích của sản xuất sạch hơn, kinh nghiệm của các cơ sở "
    "đã áp dụng và chính sách hỗ trợ của tỉnh.",
    _Kind.TRAINING: "Hướng dẫn phương pháp đánh giá sản xuất sạch hơn, cách lập cân bằng vật "
    "liệu, năng lượng và xây dựng kế hoạch thực hiện tại cơ sở.",
    _Kind.GUIDANCE_VISIT: "Khảo sát hiện trạng sản xuất, chỉ ra các cơ hội tiết kiệm nguyên "
    "liệu, năng lượng, nước và hướng dẫn thành lập bộ phận chuyên trách.",
    _Kind.MATERIALS: "Gửi sổ tay hướng dẫn, tờ rơi và tài liệu kỹ thuật về sản xuất sạch hơn.",
    _Kind.MEDIA: "Tuyên truyền nâng cao nhận thức của cộng đồng các cơ sở về sản xuất sạch "
    "hơn và sử dụng năng lượng tiết kiệm, hiệu quả.",
}
_CONFIRMATION_METHODS = {
    _Kind.WORKSHOP: _Method.SURVEY,
    _Kind.TRAINING: _Method.SURVEY,
    _Kind.GUIDANCE_VISIT: _Method.VISIT_RECORD,
    _Kind.MATERIALS: _Method.ACKNOWLEDGEMENT,
}
# Weight of an activity when a facility picks one: its own district's events draw best.
_DISTRICT_EVENT_WEIGHT = 3
_GROUP_EVENT_WEIGHT = 2


# --- Specs --------------------------------------------------------------------------------------


@dataclass(slots=True)
class _ActivitySpec:
    kind: str
    title: str
    held_on: int
    organiser: str
    area_code: str | None  # "40" for the province
    channel: str = ""
    estimated_reach: int | None = None
    # Who may take part: facilities of this district, of this sector group, or anyone.
    for_district: str | None = None
    for_group: str | None = None


@dataclass(slots=True)
class _FacilitySpec:
    tax_code: str
    name: str
    legal_form: str
    unit_code: str
    sector_code: str
    trade: _Trade
    size: str
    employees: int
    zone_name: str | None
    address: str
    contact_name: str
    contact_phone: str
    contact_email: str
    started: int
    closed: int | None
    suspended: int | None
    resumed: int | None
    in_scope: bool
    is_branch: bool
    energy_draw: float
    designated: bool = False
    products: list[tuple[str, str, Decimal]] = field(default_factory=list)
    # (index into the activity plan, people who attended)
    participations: list[tuple[int, int | None]] = field(default_factory=list)
    confirmation: tuple[int, str] | None = None
    # (established, ended, head, members)
    cp_units: list[tuple[int, int | None, str, str]] = field(default_factory=list)

    def operating_on(self, day: int) -> bool:
        if day < self.started or (self.closed is not None and day >= self.closed):
            return False
        return not (
            self.suspended is not None
            and self.suspended <= day
            and (self.resumed is None or day < self.resumed)
        )


@dataclass(slots=True)
class _Reference:
    """The shipped reference rows the registry points at."""

    sectors: dict[str, Sector]
    units: dict[str, AdministrativeUnit]
    province: AdministrativeUnit
    zones_by_unit: dict[str, list[IndustrialZone]]
    sizes: dict[str, SizeClass]

    @classmethod
    def load(cls) -> _Reference:
        plan_era = datetime.date(2020, 12, 31)
        units = {
            unit.code: unit
            for unit in AdministrativeUnit.objects.filter(
                level=AdministrativeUnit.Level.DISTRICT, code__in=_DISTRICT_WEIGHTS
            ).valid_on(plan_era)
        }
        missing = set(_DISTRICT_WEIGHTS) - set(units)
        if missing:
            raise RuntimeError(f"Plan-era units missing (migration 0003?): {sorted(missing)}")
        zones_by_unit: dict[str, list[IndustrialZone]] = {}
        # Facilities are drawn into zones and clusters only: the craft villages the places step
        # adds later (demo/places.py) must not change a second run's draws.
        zones = IndustrialZone.objects.filter(area__in=units.values()).exclude(
            kind=IndustrialZone.Kind.CRAFT_VILLAGE
        )
        for zone in zones.select_related("area"):
            zones_by_unit.setdefault(zone.area.code, []).append(zone)
        for zones in zones_by_unit.values():
            zones.sort(key=lambda zone: zone.name)  # database order is not a promise
        return cls(
            sectors={
                sector.code: sector for sector in Sector.objects.filter(level=3, code__in=_PROFILES)
            },
            units=units,
            province=AdministrativeUnit.objects.get(
                level=AdministrativeUnit.Level.PROVINCE, code="40"
            ),
            zones_by_unit=zones_by_unit,
            sizes={size.code: size for size in SizeClass.objects.all()},
        )


@dataclass(slots=True)
class _Registry:
    facilities: list[_FacilitySpec]
    activities: list[_ActivitySpec]
    manager_tax_codes: list[str]


# --- Public entry point -------------------------------------------------------------------------


def seed_facilities(*, scale: str, rng: random.Random, manager: User | None) -> int:
    """Fill the registry with a demo province and its outreach history; return its size.

    Idempotent: facilities are keyed on tax code and activities on title and date, so a second
    run with the same seed adds nothing. The number returned is the size of the demo registry
    (300, 3,000 or 200,000), whether this run created the facilities or found them.
    """
    check_scale(scale)
    with transaction.atomic():
        # The communes before and after 01/07/2025, so a fresh install has both maps.
        load_admin_units()
        reference = _Reference.load()
        registry = _RegistryDraw(rng, reference, SCALE_SIZES[scale]).draw()
        _write(registry, reference)
        if manager is not None:
            for facility in Facility.objects.filter(tax_code__in=registry.manager_tax_codes):
                facility.managers.add(manager)
    return len(registry.facilities)


# --- Drawing ------------------------------------------------------------------------------------


class _RegistryDraw(Drawer):
    """Draws a whole registry from one `rng`, in a fixed order, touching no database."""

    def __init__(self, rng: random.Random, reference: _Reference, size: int) -> None:
        super().__init__(rng)
        self.reference = reference
        self.size = size
        self.sector_codes = sorted(reference.sectors)
        self.sector_cum = cumulative([_PROFILES[code].weight for code in self.sector_codes])
        self.district_codes = sorted(_DISTRICT_WEIGHTS)
        self.district_cum: dict[str, list[float]] = {}
        self.tax_codes: set[str] = set()
        self.names: set[str] = set()
        self.branch_count: dict[str, int] = {}
        self.surnames = list(_SURNAMES)
        self.surname_cum = cumulative(list(_SURNAMES.values()))

    # The parts below are called in a fixed order; reordering them changes every later draw.
    def draw(self) -> _Registry:
        facilities: list[_FacilitySpec] = []
        parents: list[_FacilitySpec] = []
        # Every unit gets a facility first, so even a 300-facility demo covers all 21.
        first_units = self.district_codes[:]
        self.rng.shuffle(first_units)
        for index in range(self.size):
            forced_unit = first_units[index] if index < len(first_units) else None
            if forced_unit is None and parents and self.rng.random() < 0.03:
                spec = self._branch(self.rng.choice(parents))
            else:
                spec = self._facility(forced_unit)
                if spec.legal_form not in (_LegalForm.HOUSEHOLD, _LegalForm.COOPERATIVE):
                    parents.append(spec)
            facilities.append(spec)
        self._designate_energy_users(facilities)
        activities = self._plan_outreach()
        picker = _ActivityPicker(self.rng, activities)
        for spec in facilities:
            self._outreach_history(spec, picker)
            self._products(spec)
        activities = _finish_plan(activities, facilities)
        return _Registry(facilities, activities, self._manager_tax_codes(facilities))

    # Facilities -------------------------------------------------------------------------------

    def _tax_code(self) -> str:
        while True:
            first9 = "29" + f"{self.rng.randrange(10_000_000):07d}"
            check = mst.calc_check_digit(first9)
            # A remainder of 0 gives "10": no such code is ever issued, so draw again.
            if len(check) == 1 and first9[2:] != "0000000" and first9 + check not in self.tax_codes:
                code = first9 + check
                self.tax_codes.add(code)
                return code

    def _district_for(self, sector_code: str) -> str:
        cum = self.district_cum.get(sector_code)
        if cum is None:
            bias = _SECTOR_DISTRICT_BIAS.get(sector_code, {})
            cum = cumulative(
                [_DISTRICT_WEIGHTS[code] * bias.get(code, 1) for code in self.district_codes]
            )
            self.district_cum[sector_code] = cum
        return self.district_codes[self.index_by(cum)]

    def _person(self) -> str:
        rng = self.rng
        surname = self.surnames[self.index_by(self.surname_cum)]
        if rng.random() < 0.65:
            return f"{surname} {rng.choice(_MALE_MIDDLE)} {rng.choice(_MALE_GIVEN)}"
        return f"{surname} {rng.choice(_FEMALE_MIDDLE)} {rng.choice(_FEMALE_GIVEN)}"

    def _facility(self, forced_unit: str | None) -> _FacilitySpec:
        rng = self.rng
        sector_code = self.sector_codes[self.index_by(self.sector_cum)]
        profile = _PROFILES[sector_code]
        trade = rng.choices(profile.trades, weights=[t.weight for t in profile.trades])[0]
        unit_code = forced_unit or self._district_for(sector_code)
        size = self.pick(_SIZE_WEIGHTS)
        legal_form = self.pick(_LEGAL_FORM_WEIGHTS[size])
        commune = rng.choice(_COMMUNES[unit_code])
        name, brand = self._unique_name(legal_form, trade.word, unit_code, commune)
        return self._complete(
            name=name,
            brand=brand,
            tax_code=self._tax_code(),
            legal_form=legal_form,
            unit_code=unit_code,
            commune=commune,
            sector_code=sector_code,
            trade=trade,
            size=size,
            is_branch=False,
        )

    def _branch(self, parent: _FacilitySpec) -> _FacilitySpec:
        number = self.branch_count.get(parent.tax_code, 0) + 1
        self.branch_count[parent.tax_code] = number
        unit_code = self._district_for(parent.sector_code)
        unit = self.reference.units[unit_code]
        return self._complete(
            name=f"Chi nhánh {parent.name} tại {_UNIT_LABELS[unit.kind]} {unit.name}",
            brand=_own_domain(parent.contact_email),
            tax_code=f"{parent.tax_code}-{number:03d}",
            legal_form=parent.legal_form,
            unit_code=unit_code,
            commune=self.rng.choice(_COMMUNES[unit_code]),
            sector_code=parent.sector_code,
            trade=parent.trade,
            size=self.pick(_SIZE_WEIGHTS),
            is_branch=True,
        )

    def _unique_name(
        self, legal_form: str, word: str, unit_code: str, commune: str
    ) -> tuple[str, str]:
        """The firm's name, and the brand its web domain is made of."""
        rng = self.rng
        prefix = _NAME_PREFIXES[legal_form]
        district = self.reference.units[unit_code].name
        name = brand = ""
        # Short names first; once they run out (a national registry) a brand and a place.
        for attempt in range(8):
            roll = rng.random()
            if legal_form == _LegalForm.FOREIGN:
                where = "Việt Nam" if attempt < 4 else rng.choice(("Vina", "Nghệ An", district))
                place = f"{rng.choice(_FOREIGN_BRANDS)} {where}"
            elif attempt >= 4:
                place = f"{rng.choice(_BRANDS)} {rng.choice((commune, district))}"
            elif legal_form in (_LegalForm.COOPERATIVE, _LegalForm.HOUSEHOLD):
                place = commune if roll < 0.6 else district if roll < 0.8 else rng.choice(_BRANDS)
            elif legal_form == _LegalForm.STATE and roll < 0.5:
                place = "Nghệ An"
            else:
                place = rng.choice(_BRANDS) if roll < 0.65 else district
            name = f"{prefix} {word} {place}"
            brand = f"{word} {place}".removesuffix(" Việt Nam")
            if name not in self.names:
                break
        else:
            # Firms really do tell themselves apart by a number ("Hoàng Long 2").
            suffix = 2
            while f"{name} {suffix}" in self.names:
                suffix += 1
            name = f"{name} {suffix}"
            brand = f"{brand} {suffix}"
        self.names.add(name)
        return name, brand

    def _complete(
        self,
        *,
        name: str,
        brand: str,
        tax_code: str,
        legal_form: str,
        unit_code: str,
        commune: str,
        sector_code: str,
        trade: _Trade,
        size: str,
        is_branch: bool,
    ) -> _FacilitySpec:
        rng = self.rng
        unit = self.reference.units[unit_code]
        zone = self._zone(unit_code, size, legal_form)
        ward = "xã" if unit.kind == AdministrativeUnit.Kind.DISTRICT else "phường"
        where = f"{ward} {commune}, {_UNIT_LABELS[unit.kind]} {unit.name}, tỉnh Nghệ An"
        if zone is not None:
            address = f"Lô {rng.choice('ABCDE')}{rng.randint(1, 40)}, {zone.name}, {where}"
        elif unit_code == "412":
            address = f"Số {rng.randint(1, 250)} đường {rng.choice(_VINH_STREETS)}, {where}"
        elif unit.kind == AdministrativeUnit.Kind.DISTRICT:
            address = f"Xóm {rng.randint(1, 15)}, {where}"
        else:
            address = f"Khối {rng.randint(1, 12)}, {where}"
        contact = self._person()
        started = self._started(size)
        closed = suspended = resumed = None
        roll = rng.random()
        if roll < 0.05:
            low = max(_day(2017, 1, 1), started + 365)
            high = _day(2024, 12, 31)
            if low <= high:
                closed = low + rng.randrange(high - low + 1)
        elif roll < 0.08:
            low = max(_day(2016, 1, 1), started + 180)
            suspended = low + rng.randrange(_day(2024, 12, 31) - low + 1)
            if rng.random() < 0.5:
                resumed = min(suspended + rng.randint(60, 540), _LAST_DAY)
        return _FacilitySpec(
            tax_code=tax_code,
            name=name,
            legal_form=legal_form,
            unit_code=unit_code,
            sector_code=sector_code,
            trade=trade,
            size=size,
            employees=self._employees(size, sector_code),
            zone_name=zone.name if zone is not None else None,
            address=address,
            contact_name=contact,
            contact_phone=f"09{rng.randrange(100_000_000):08d}",
            contact_email=self._email(contact, brand, legal_form),
            started=started,
            closed=closed,
            suspended=suspended,
            resumed=resumed,
            in_scope=rng.random() >= 0.08,
            is_branch=is_branch,
            energy_draw=rng.random(),
        )

    def _zone(self, unit_code: str, size: str, legal_form: str) -> IndustrialZone | None:
        zones = self.reference.zones_by_unit.get(unit_code)
        if not zones or legal_form == _LegalForm.HOUSEHOLD:
            return None
        # Zones host the larger plants; about a quarter of all facilities end up in one.
        chance = {"micro": 0.1, "small": 0.25, "medium": 0.45, "large": 0.6}[size]
        return self.rng.choice(zones) if self.rng.random() < chance else None

    def _started(self, size: str) -> int:
        rng = self.rng
        year = rng.choices(_START_YEARS, weights=_START_YEAR_WEIGHTS)[0]
        if size == "large" and rng.random() < 0.4:
            year = rng.randint(1995, 2010)  # big plants are mostly older
        return _day(year, 1, 1) + rng.randrange(365)

    def _employees(self, size: str, sector_code: str) -> int:
        # Decree 80/2021 for industry: micro ≤ 10, small ≤ 100, medium ≤ 200 employees.
        r = self.rng.random()
        if size == "micro":
            return 2 + int(r * 9)
        if size == "small":
            return 11 + int(r**1.5 * 90)
        if size == "medium":
            return 101 + int(r * 100)
        if sector_code in ("141", "143", "152"):
            return 500 + int(r**1.5 * 6000)  # garment and shoe plants employ thousands
        return 201 + int(r**2 * 1800)

    def _email(self, person: str, brand: str, legal_form: str) -> str:
        # Vietnamese mailboxes put the given name first: Nguyễn Văn Hùng → hungnv.
        words = fold(person).split()
        local = words[-1] + "".join(word[0] for word in words[:-1])
        # Small firms and branches of them use a free mailbox, the others their own domain.
        if not brand or legal_form in (
            _LegalForm.HOUSEHOLD,
            _LegalForm.COOPERATIVE,
            _LegalForm.PRIVATE,
        ):
            return f"{local}{self.rng.randint(60, 99)}@gmail.com"
        return f"{local}@{''.join(fold(brand).split())}.com.vn"

    def _designate_energy_users(self, facilities: list[_FacilitySpec]) -> None:
        wanted = round(_DESIGNATED_PER_PROVINCE * self.size / SCALE_SIZES["province"])
        candidates = [
            spec
            for spec in facilities
            if spec.size == "large" and spec.in_scope and not spec.is_branch
        ]
        # Energy-hungry sectors first, with a drawn tie-break so each seed differs.
        candidates.sort(
            key=lambda spec: (_PROFILES[spec.sector_code].energy + 0.5) * spec.energy_draw,
            reverse=True,
        )
        for spec in candidates[:wanted]:
            spec.designated = True

    def _products(self, spec: _FacilitySpec) -> None:
        rng = self.rng
        options = list(spec.trade.products)
        count = 2 if len(options) > 1 and rng.random() < 0.45 else 1
        for name, unit, small_output in rng.sample(options, count):
            output = small_output * _SIZE_OUTPUT[spec.size] * (0.5 + rng.random())
            spec.products.append((name, unit, _round_output(output)))

    def _manager_tax_codes(self, facilities: list[_FacilitySpec]) -> list[str]:
        # The demo manager runs the first two ordinary, operating firms drawn in Diễn Châu, the
        # district whose officer is also a demo login.
        chosen = [
            spec.tax_code
            for spec in facilities
            if spec.unit_code == "425"
            and spec.in_scope
            and not spec.is_branch
            and spec.closed is None
            and spec.suspended is None
            and spec.legal_form != _LegalForm.HOUSEHOLD
        ]
        return chosen[:2]

    # Outreach ---------------------------------------------------------------------------------

    def _plan_outreach(self) -> list[_ActivitySpec]:
        """The year-by-year programme of events, sized to the registry."""
        rng = self.rng
        # Events grow with the registry so that each keeps a believable number of participants.
        rounds = max(1, round(self.size / SCALE_SIZES["province"]))
        district_cum = cumulative([_DISTRICT_WEIGHTS[code] for code in self.district_codes])
        groups = sorted(_GROUP_LABELS)
        plan: list[_ActivitySpec] = []
        for year in _YEARS:
            plan_era = year <= 2020
            # The district level ended on 1 July 2025: that year's events come before it.
            first = _day(year, 3, 1) if year < 2025 else _day(2025, 2, 10)
            last = _day(year, 11, 30) if year < 2025 else _day(2025, 6, 20)

            def when(first: int = first, last: int = last) -> int:
                return first + rng.randrange(last - first + 1)

            def district() -> AdministrativeUnit:
                code = self.district_codes[self.index_by(district_cum)]
                return self.reference.units[code]

            for _ in range(rounds):
                plan.append(
                    _ActivitySpec(
                        kind=_Kind.WORKSHOP,
                        title=(
                            f"Hội thảo Sản xuất sạch hơn trong công nghiệp tỉnh Nghệ An năm {year}"
                        ),
                        held_on=when(),
                        organiser=_DEPARTMENT,
                        area_code="40",
                    )
                )
            for _ in range(rng.randint(3, 5) * rounds if plan_era else 2 * rounds):
                unit = district()
                label = f"{_UNIT_LABELS[unit.kind]} {unit.name}"
                plan.append(
                    _ActivitySpec(
                        kind=_Kind.WORKSHOP,
                        title=f"Hội thảo phổ biến sản xuất sạch hơn tại {label} năm {year}",
                        held_on=when(),
                        organiser=f"{_DEPARTMENT} phối hợp với UBND {label}",
                        area_code=unit.code,
                        for_district=unit.code,
                    )
                )
            for _ in range(rng.randint(2, 3) * rounds if plan_era else rounds):
                group = rng.choice(groups)
                unit = district()
                plan.append(
                    _ActivitySpec(
                        kind=_Kind.TRAINING,
                        title=(
                            "Lớp tập huấn áp dụng sản xuất sạch hơn cho các cơ sở ngành "
                            f"{_GROUP_LABELS[group]} năm {year}"
                        ),
                        held_on=when(),
                        organiser=_EXTENSION_CENTRE,
                        area_code=unit.code,
                        for_group=group,
                    )
                )
            for _ in range(rng.randint(3, 6) * rounds if plan_era else 2 * rounds):
                unit = district()
                label = f"{_UNIT_LABELS[unit.kind]} {unit.name}"
                plan.append(
                    _ActivitySpec(
                        kind=_Kind.GUIDANCE_VISIT,
                        title=(
                            "Khảo sát, hướng dẫn áp dụng sản xuất sạch hơn tại các cơ sở trên "
                            f"địa bàn {label} năm {year}"
                        ),
                        held_on=when(),
                        organiser=_EXTENSION_CENTRE,
                        area_code=unit.code,
                        for_district=unit.code,
                    )
                )
            for _ in range(rounds):
                plan.append(
                    _ActivitySpec(
                        kind=_Kind.MATERIALS,
                        title=(
                            "Gửi tài liệu hướng dẫn sản xuất sạch hơn đến các cơ sở sản xuất "
                            f"công nghiệp năm {year}"
                        ),
                        held_on=when(),
                        organiser=_DEPARTMENT,
                        area_code="40",
                    )
                )
                if plan_era:
                    group = rng.choice(groups)
                    plan.append(
                        _ActivitySpec(
                            kind=_Kind.MATERIALS,
                            title=(
                                "Phát hành sổ tay hướng dẫn sản xuất sạch hơn ngành "
                                f"{_GROUP_LABELS[group]} năm {year}"
                            ),
                            held_on=when(),
                            organiser=_DEPARTMENT,
                            area_code="40",
                            for_group=group,
                        )
                    )
            channels = sorted(_MEDIA_CHANNELS)
            for channel in rng.sample(channels, rng.randint(2, 3) if plan_era else 1):
                title, low, high = _MEDIA_CHANNELS[channel]
                plan.append(
                    _ActivitySpec(
                        kind=_Kind.MEDIA,
                        title=f"{title} năm {year}",
                        held_on=when(),
                        organiser=_DEPARTMENT,
                        area_code="40",
                        channel=channel,
                        estimated_reach=round(rng.randint(low, high), -3),
                    )
                )
        return plan

    def _outreach_history(self, spec: _FacilitySpec, picker: _ActivityPicker) -> None:
        """Events attended, awareness confirmed and a CP unit set up, year by year.

        One propensity per facility fixes the year it is first reached (the first year whose
        cumulative share in _REACHED_BY exceeds it), so the shares hold at any registry size.
        """
        rng = self.rng
        group = _PROFILES[spec.sector_code].group
        factor = _DESIGNATED_REACH_FACTOR if spec.designated else _REACH_FACTOR[spec.size]
        propensity = rng.random() * factor
        attended: set[int] = set()
        first_day: int | None = None
        for year in _YEARS:
            if first_day is None:
                if propensity >= _REACHED_BY[year]:
                    continue
                chance = 1.0
            else:
                # Reached facilities come back now and then, less after the plan years.
                chance = 0.3 if year <= 2020 else 0.12
            while rng.random() < chance:
                picked = picker.pick(year, spec, group, attended)
                if picked is None:
                    break
                attended.add(picked)
                activity = picker.activities[picked]
                spec.participations.append((picked, self._attendance(activity.kind)))
                first_time = first_day is None
                if first_time:
                    first_day = activity.held_on
                if spec.confirmation is None:
                    # Most confirm after their first event; a few only after a later one.
                    self._confirm(spec, activity, chance_of=0.93 if first_time else 0.5)
                chance = 0.15  # a second event in the same year is rarer
        if first_day is not None:
            self._cp_unit(spec, first_day)

    def _attendance(self, kind: str) -> int | None:
        rng = self.rng
        if kind == _Kind.WORKSHOP:
            return rng.randint(1, 3)
        if kind == _Kind.TRAINING:
            return rng.randint(1, 5)
        if kind == _Kind.GUIDANCE_VISIT:
            return rng.randint(2, 6)
        return None  # a mailing has no attendees

    def _confirm(self, spec: _FacilitySpec, activity: _ActivitySpec, *, chance_of: float) -> None:
        rng = self.rng
        if rng.random() >= chance_of:
            return
        if activity.kind == _Kind.GUIDANCE_VISIT:
            day = activity.held_on + rng.randint(0, 10)  # signed in the visit record
        else:
            day = activity.held_on + rng.randint(10, 45)  # the follow-up survey comes back
        if spec.operating_on(day) and day <= _LAST_DAY:
            spec.confirmation = (day, _CONFIRMATION_METHODS[activity.kind])

    def _cp_unit(self, spec: _FacilitySpec, first_day: int) -> None:
        rng = self.rng
        chance = 1.0 if spec.designated else _CP_UNIT_CHANCE[spec.size]
        if rng.random() >= chance:
            return
        # Setting up a unit takes from a few months to a few years after first contact.
        established = first_day + 45 + int(rng.random() ** 2 * 900)
        if spec.designated:
            established = min(established, _day(2018, 6, 30))
            established = max(established, first_day + 30)
        if established > _LAST_DAY or not spec.operating_on(established):
            return
        ended: int | None = None
        if spec.closed is not None:
            ended = spec.closed
        elif rng.random() < 0.06:
            ended = established + rng.randint(365, 1460)
            if ended > _LAST_DAY:
                ended = None
        members = "\n".join(
            f"{self._person()} – {rng.choice(_POSITIONS)}" for _ in range(rng.randint(2, 5))
        )
        head = f"{self._person()} – {rng.choice(_POSITIONS[:5])}"
        spec.cp_units.append((established, ended, head, members))


def _finish_plan(plan: list[_ActivitySpec], facilities: list[_FacilitySpec]) -> list[_ActivitySpec]:
    """Drop the events nobody attended and number the rounds of an event by date.

    A small demo leaves some district events empty, and a workshop without a single facility
    reads like missing data. Titles are numbered only now, so that "đợt 1" is the earlier one.
    """
    attended = {index for spec in facilities for index, _people in spec.participations}
    kept = [
        index for index, event in enumerate(plan) if index in attended or event.kind == _Kind.MEDIA
    ]
    new_index = {old: new for new, old in enumerate(kept)}
    for spec in facilities:
        spec.participations = [(new_index[index], people) for index, people in spec.participations]
    events = [plan[index] for index in kept]
    rounds: dict[str, list[_ActivitySpec]] = {}
    for event in events:
        rounds.setdefault(event.title, []).append(event)
    for same in rounds.values():
        if len(same) > 1:
            same.sort(key=lambda event: event.held_on)
            for number, event in enumerate(same, start=1):
                event.title = f"{event.title} (đợt {number})"
    return events


def _own_domain(email: str) -> str:
    """The firm's own mail domain, which its branches share ("" for a free mailbox)."""
    domain = email.partition("@")[2]
    return domain.removesuffix(".com.vn") if domain.endswith(".com.vn") else ""


def _round_output(value: float) -> Decimal:
    """Two significant figures: capacities are declared in round numbers."""
    if value < 10:
        return Decimal(max(1, round(value)))
    digits = len(str(int(value))) - 2
    return Decimal(round(value, -digits))


class _ActivityPicker:
    """Chooses an event a facility could have attended: right year, district or trade, open."""

    def __init__(self, rng: random.Random, activities: list[_ActivitySpec]) -> None:
        self.rng = rng
        self.activities = activities
        self.by_year: dict[int, list[int]] = {}
        for index, activity in enumerate(activities):
            if activity.kind != _Kind.MEDIA:  # mass media reach the public, not a list
                year = datetime.date.fromordinal(activity.held_on).year
                self.by_year.setdefault(year, []).append(index)
        self.cache: dict[tuple[int, str, str], list[int]] = {}

    def candidates(self, year: int, unit_code: str, group: str) -> list[int]:
        key = (year, unit_code, group)
        found = self.cache.get(key)
        if found is None:
            found = []
            for index in self.by_year.get(year, []):
                activity = self.activities[index]
                if activity.for_district is not None:
                    if activity.for_district == unit_code:
                        found += [index] * _DISTRICT_EVENT_WEIGHT
                elif activity.for_group is not None:
                    if activity.for_group == group:
                        found += [index] * _GROUP_EVENT_WEIGHT
                else:
                    found.append(index)
            self.cache[key] = found
        return found

    def pick(self, year: int, spec: _FacilitySpec, group: str, attended: set[int]) -> int | None:
        options = self.candidates(year, spec.unit_code, group)
        if not options:
            return None
        # A few blind draws settle almost every case; the scan is for facilities that opened,
        # closed or paused mid-year, where most events fall outside their working days.
        for _ in range(6):
            index = self.rng.choice(options)
            if index not in attended and spec.operating_on(self.activities[index].held_on):
                return index
        open_events = [
            index
            for index in options
            if index not in attended and spec.operating_on(self.activities[index].held_on)
        ]
        return self.rng.choice(open_events) if open_events else None


# --- Writing ------------------------------------------------------------------------------------


def _write(registry: _Registry, reference: _Reference) -> None:
    activity_ids = _write_activities(registry.activities, reference)
    # One query for every tax code already registered, then set lookups: a national run
    # cannot afford a query per facility.
    existing = set(Facility.objects.values_list("tax_code", flat=True))
    new = [spec for spec in registry.facilities if spec.tax_code not in existing]
    zones = {zone.name: zone for zones in reference.zones_by_unit.values() for zone in zones}
    for start in range(0, len(new), _CHUNK_SIZE):
        _write_facilities(new[start : start + _CHUNK_SIZE], activity_ids, reference, zones)


def _write_activities(plan: list[_ActivitySpec], reference: _Reference) -> list[int]:
    """Create the missing events; return the id of every planned event, in plan order."""
    days = [spec.held_on for spec in plan]
    first, last = datetime.date.fromordinal(min(days)), datetime.date.fromordinal(max(days))
    ids = {
        (title, held_on.toordinal()): pk
        for title, held_on, pk in OutreachActivity.objects.filter(
            held_on__range=(first, last)
        ).values_list("title", "held_on", "pk")
    }
    areas = {"40": reference.province, **reference.units}
    return create_missing(
        plan,
        OutreachActivity,
        existing=ids,
        key=lambda spec: (spec.title, spec.held_on),
        row_key=lambda activity: (activity.title, activity.held_on.toordinal()),
        build=lambda spec: OutreachActivity(
            kind=spec.kind,
            title=spec.title,
            held_on=datetime.date.fromordinal(spec.held_on),
            organiser=spec.organiser,
            area=areas[spec.area_code] if spec.area_code else None,
            channel=spec.channel,
            estimated_reach=spec.estimated_reach,
            description=_DESCRIPTIONS[spec.kind],
        ),
    )


def _date(ordinal: int | None) -> datetime.date | None:
    return None if ordinal is None else datetime.date.fromordinal(ordinal)


def _write_facilities(
    specs: list[_FacilitySpec],
    activity_ids: list[int],
    reference: _Reference,
    zones: dict[str, IndustrialZone],
) -> None:
    facilities = []
    for spec in specs:
        facility = Facility(
            name=spec.name,
            tax_code=spec.tax_code,
            legal_form=spec.legal_form,
            address=spec.address,
            administrative_unit=reference.units[spec.unit_code],
            zone=zones[spec.zone_name] if spec.zone_name else None,
            sector=reference.sectors[spec.sector_code],
            size_class=reference.sizes[spec.size],
            employees=spec.employees,
            contact_name=spec.contact_name,
            contact_phone=spec.contact_phone,
            contact_email=spec.contact_email,
            started_on=_date(spec.started),
            suspended_on=_date(spec.suspended),
            resumed_on=_date(spec.resumed),
            closed_on=_date(spec.closed),
            in_scope=spec.in_scope,
            is_designated_energy_user=spec.designated,
        )
        # Bulk creation skips the save service, so the derived keys are set here.
        facility.refresh_search_keys()
        facilities.append(facility)
    ids = {facility.tax_code: facility.pk for facility in bulk(facilities, Facility)}

    products: list[Product] = []
    participations: list[OutreachParticipation] = []
    confirmations: list[AwarenessConfirmation] = []
    cp_units: list[DedicatedUnit] = []
    for spec in specs:
        facility_id = ids[spec.tax_code]
        products += [
            Product(facility_id=facility_id, name=name, unit=unit, annual_capacity=output)
            for name, unit, output in spec.products
        ]
        participations += [
            OutreachParticipation(
                activity_id=activity_ids[index], facility_id=facility_id, participants=people
            )
            for index, people in spec.participations
        ]
        if spec.confirmation is not None:
            day, method = spec.confirmation
            confirmations.append(
                AwarenessConfirmation(
                    facility_id=facility_id,
                    confirmed_on=datetime.date.fromordinal(day),
                    method=method,
                )
            )
        cp_units += [
            DedicatedUnit(
                facility_id=facility_id,
                established_on=datetime.date.fromordinal(established),
                ended_on=_date(ended),
                head=head,
                members=members,
            )
            for established, ended, head, members in spec.cp_units
        ]
    bulk(products, Product)
    bulk(participations, OutreachParticipation)
    bulk(confirmations, AwarenessConfirmation)
    bulk(cp_units, DedicatedUnit)
