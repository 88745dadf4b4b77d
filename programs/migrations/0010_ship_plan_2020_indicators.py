"""T1–T5 and A1–A4 of the plan to 2020 become the catalogue's first entries, computed as before.

Their names and definitions (Vietnamese and English) are those the engine and the reports
printed when they were fixed in code (programs.models.Indicator, reporting.indicators.DEFINITIONS).
"""

from django.db import migrations

ENTRIES = {
    "T1": {
        "rank": 1,
        "kind": "facility_share",
        "condition": "aware",
        "name": "Cơ sở được tuyên truyền, phổ biến và nhận thức được lợi ích của SXSH",
        "name_en": "Facilities reached by outreach and aware of the benefits of CP",
        "definition": "T1 – tỷ lệ cơ sở nhận thức về SXSH. Tử số: cơ sở trong mẫu số đã tham "
        "gia hoạt động tuyên truyền, hướng dẫn tổ chức đến ngày số liệu và đã "
        "xác nhận nhận thức đến ngày đó. Mẫu số: cơ sở sản xuất công nghiệp "
        "thuộc phạm vi kế hoạch đang hoạt động tại ngày số liệu.",
        "definition_en": "T1 – share of facilities aware of CP. Numerator: facilities of the "
        "denominator that took part in outreach held by the data date and "
        "confirmed their awareness by then. Denominator: industrial "
        "facilities in the plan's scope operating on the data date.",
    },
    "T2": {
        "rank": 2,
        "kind": "facility_share",
        "condition": "applying",
        "name": "Cơ sở áp dụng SXSH",
        "name_en": "Facilities applying CP",
        "definition": "T2 – tỷ lệ cơ sở áp dụng SXSH. Tử số: cơ sở trong mẫu số có ít nhất "
        "một giải pháp đã thực hiện và được kiểm chứng đến ngày số liệu: giải "
        "pháp của một cuộc đánh giá được Sở kiểm chứng, hoặc giải pháp trong "
        "báo cáo định kỳ đã duyệt đang có hiệu lực tại ngày đó (giải pháp bị "
        "bản sửa đã duyệt loại bỏ thì không tính). Mẫu số: như T1.",
        "definition_en": "T2 – share of facilities applying CP. Numerator: facilities of the "
        "denominator with at least one measure implemented and verified by "
        "the data date: an assessment's option verified by the Department, "
        "or a measure in an approved self-report in force on that date (a "
        "measure removed by an approved correction does not count). "
        "Denominator: as for T1.",
    },
    "T3": {
        "rank": 3,
        "kind": "savings",
        "name": "Mức tiết kiệm năng lượng, nguyên vật liệu trên đơn vị sản phẩm",
        "name_en": "Savings of energy and materials per unit of product",
        "definition": "T3 – tiết kiệm năng lượng và nguyên vật liệu trên đơn vị sản phẩm. Mỗi "
        "cơ sở so sánh một kỳ đủ một năm với năm cơ sở: báo cáo năm gần nhất "
        "sau năm cơ sở, hoặc bốn quý liên tiếp gần nhất sau năm cơ sở (cộng dồn "
        "tiêu thụ và sản lượng) nếu kết thúc muộn hơn; chỉ dùng số liệu đã "
        "duyệt đang có hiệu lực. Mức tiết kiệm = (suất tiêu hao năm cơ sở − "
        "suất tiêu hao kỳ so sánh) / suất tiêu hao năm cơ sở. Số liệu của cơ sở "
        "là trung bình cộng của mức tiết kiệm năng lượng (quy đổi TOE; năm cơ "
        "sở và kỳ so sánh dùng cùng hệ số quy đổi, hệ số có hiệu lực ngày cuối "
        "kỳ so sánh) và mức tiết kiệm nguyên vật liệu chính; thiếu một trong "
        "hai thì cơ sở không có số liệu. T3 là trung vị số liệu của các cơ sở "
        "đang áp dụng SXSH có số liệu; tỷ lệ đạt mức tối thiểu, mức phấn đấu "
        "tính trên tổng số cơ sở đang áp dụng SXSH (như T2). Tiết kiệm nước chỉ "
        "để tham khảo, không tính vào T3.",
        "definition_en": "T3 – savings of energy and materials per unit of product. Each "
        "facility compares a whole year with its baseline year: its latest "
        "year report after the baseline year or, if it ends later, its "
        "latest four consecutive quarters after the baseline year "
        "(consumption and output summed); only approved figures in force "
        "count. Saving = (baseline intensity − intensity of the compared "
        "period) / baseline intensity. A facility's figure is the mean of "
        "its energy saving (in TOE; the baseline and the compared period "
        "converted with the same factors, those in force on the last day of "
        "the compared period) and its main-material saving; a facility "
        "lacking either has no figure. T3 is the median of the figures of "
        "the facilities applying CP that have one; the shares reaching the "
        "floor and the stretch are out of all facilities applying CP (as in "
        "T2). Water savings are for information and not part of T3.",
    },
    "T4": {
        "rank": 4,
        "kind": "facility_share",
        "condition": "cp_unit",
        "name": "Cơ sở có bộ phận chuyên trách SXSH",
        "name_en": "Facilities with a dedicated CP unit",
        "definition": "T4 – tỷ lệ cơ sở có bộ phận chuyên trách SXSH. Tử số: cơ sở trong mẫu "
        "số có bộ phận chuyên trách thành lập đến ngày số liệu và chưa giải "
        "thể. Mẫu số: như T1.",
        "definition_en": "T4 – share of facilities with a dedicated CP unit. Numerator: "
        "facilities of the denominator with a dedicated unit set up by the "
        "data date and not yet dissolved. Denominator: as for T1.",
    },
    "T5": {
        "rank": 5,
        "kind": "officials_trained",
        "name": "Cán bộ chuyên trách SXSH các cấp, các ngành được đào tạo, tập huấn",
        "name_en": "Dedicated CP officials at all levels and in all sectors trained",
        "definition": "T5 – tỷ lệ cán bộ chuyên trách SXSH được đào tạo, tập huấn. Tử số: cán "
        "bộ trong mẫu số đã hoàn thành một khóa đào tạo đạt yêu cầu kết thúc "
        "đến ngày số liệu. Mẫu số: cán bộ được giao chuyên trách SXSH tại ngày "
        "số liệu.",
        "definition_en": "T5 – share of dedicated CP officials trained. Numerator: officials "
        "of the denominator who completed a qualifying course that ended by "
        "the data date. Denominator: officials dedicated to CP on the data "
        "date.",
    },
    "A1": {
        "rank": 6,
        "kind": "record_count",
        "record": "provincial_projects",
        "name": "Dự án SXSH được hỗ trợ từ ngân sách tỉnh",
        "name_en": "CP projects supported from the provincial budget",
        "definition": "A1 – số dự án SXSH được hỗ trợ từ ngân sách tỉnh trong năm: dự án của "
        "năm báo cáo có nguồn ngân sách tỉnh, được phê duyệt đến ngày số liệu "
        "(kể cả đang thực hiện, đã hoàn thành).",
        "definition_en": "A1 – CP projects supported from the provincial budget in the year: "
        "projects of the report's year funded by the provincial budget and "
        "approved by the data date (in progress or completed included).",
    },
    "A2": {
        "rank": 7,
        "kind": "record_count",
        "record": "ministry_models",
        "name": "Mô hình SXSH đề nghị Bộ Công Thương hỗ trợ",
        "name_en": "CP models proposed to the Ministry of Industry and Trade for support",
        "definition": "A2 – số mô hình SXSH đề nghị Bộ Công Thương hỗ trợ trong năm: đề xuất "
        "gửi trong năm báo cáo đến ngày số liệu, dù kết quả thế nào.",
        "definition_en": "A2 – CP models proposed to the Ministry of Industry and Trade for "
        "support in the year: proposals made in the report's year by the "
        "data date, whatever the answer.",
    },
    "A3": {
        "rank": 8,
        "kind": "record_count",
        "record": "quick_assessments",
        "name": "Cơ sở được hỗ trợ đánh giá nhanh SXSH",
        "name_en": "Facilities supported with a quick CP assessment",
        "definition": "A3 – số cuộc đánh giá nhanh SXSH được hỗ trợ trong năm: cuộc đánh giá "
        "nhanh do chương trình hỗ trợ kinh phí (ngân sách tỉnh, trung ương hoặc "
        "nhà tài trợ), hoàn thành trong năm báo cáo đến ngày số liệu; các cuộc "
        "đang thực hiện được nêu riêng.",
        "definition_en": "A3 – quick CP assessments supported in the year: quick assessments "
        "the programme funded (provincial or central budget, or a donor) and "
        "completed in the report's year by the data date; those in progress "
        "are shown apart.",
    },
    "A4": {
        "rank": 9,
        "kind": "record_count",
        "record": "detailed_assessments",
        "name": "Cơ sở được hỗ trợ đánh giá chi tiết, tư vấn áp dụng SXSH",
        "name_en": "Facilities supported with a detailed CP assessment and consulting",
        "definition": "A4 – số cuộc đánh giá chi tiết, tư vấn SXSH được hỗ trợ trong năm: như "
        "A3, với đánh giá chi tiết.",
        "definition_en": "A4 – detailed CP assessments and consulting supported in the year: "
        "as A3, for detailed assessments.",
    },
}


def ship(apps, schema_editor):
    IndicatorDefinition = apps.get_model("programs", "IndicatorDefinition")
    for code, fields in ENTRIES.items():
        IndicatorDefinition.objects.update_or_create(
            code=code, defaults={**fields, "built_in": True}
        )


def unship(apps, schema_editor):
    apps.get_model("programs", "IndicatorDefinition").objects.filter(
        code__in=list(ENTRIES), built_in=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("programs", "0009_indicator_catalogue")]

    operations = [migrations.RunPython(ship, unship)]
