"""Demo content of the public CP information page: articles, case studies, documents, events.

Called from `demo.run.seed()` after the programme steps, because case studies tell the story
of demo facilities that were honoured and have verified CP options. Idempotent (keyed on titles)
and deterministic: no draw, facilities chosen in tax-code order. One case study is left without
the facility's consent, as a draft, so the demo shows (and the tests check) that its figures
stay off the public page.
"""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db.models import Exists, OuterRef, Q, Sum
from django.utils.html import escape
from openpyxl import Workbook
from weasyprint import HTML

from assessments.models import CPOption
from facilities.models import Facility, OutreachActivity
from portal.lib.dates import LOCAL_TZ
from programs.models import Award, Course, Plan
from public.models import Article, CaseStudy, PublicationStatus, PublicDocument

PUBLISHED = PublicationStatus.PUBLISHED
DRAFT = PublicationStatus.DRAFT


def _at(year: int, month: int, day: int) -> datetime.datetime:
    return datetime.datetime(year, month, day, 9, 0, tzinfo=LOCAL_TZ)


ARTICLES = [
    (
        Article.Kind.NEWS,
        "Nghệ An tổng kết 5 năm thực hiện kế hoạch sản xuất sạch hơn trong công nghiệp",
        "Sở Công Thương tổng kết kế hoạch giai đoạn 2016–2020: kết quả tuyên truyền, đánh giá "
        "và hỗ trợ áp dụng sản xuất sạch hơn tại các cơ sở sản xuất công nghiệp.",
        "<p>Sở Công Thương Nghệ An đã tổ chức hội nghị tổng kết kế hoạch thực hiện Chiến lược "
        "sản xuất sạch hơn trong công nghiệp giai đoạn 2016–2020.</p>"
        "<h2>Những kết quả chính</h2><ul><li>Tuyên truyền, hướng dẫn cho phần lớn cơ sở sản "
        "xuất công nghiệp trong phạm vi chương trình;</li><li>Hỗ trợ đánh giá nhanh và đánh giá "
        "chi tiết tại các cơ sở trọng điểm;</li><li>Khen thưởng các cơ sở điển hình."
        "</li></ul><p>Số liệu tổng hợp được cập nhật trên trang chủ của Cổng.</p>",
        PUBLISHED,
        _at(2021, 1, 20),
    ),
    (
        Article.Kind.NEWS,
        "Hội thảo giới thiệu sản xuất sạch hơn cho các cơ sở vật liệu xây dựng",
        "Hơn 60 cơ sở sản xuất gạch, xi măng và đá ốp lát tham dự hội thảo về giải pháp tiết "
        "kiệm năng lượng và nguyên vật liệu.",
        "<p>Hội thảo giới thiệu các giải pháp sản xuất sạch hơn cho ngành vật liệu xây dựng: "
        "quản lý nội vi, cải tiến lò nung, thu hồi nhiệt thải.</p>"
        "<blockquote>Nhiều giải pháp không cần đầu tư lớn mà vẫn tiết kiệm đáng kể.</blockquote>",
        PUBLISHED,
        _at(2020, 9, 15),
    ),
    (
        Article.Kind.NEWS,
        "Khen thưởng cơ sở điển hình áp dụng sản xuất sạch hơn",
        "UBND tỉnh và Sở Công Thương khen thưởng các cơ sở có nỗ lực và kết quả nổi bật "
        "trong sản xuất sạch hơn.",
        "<p>Danh sách các cơ sở được khen thưởng qua các năm được đăng tại mục "
        "<a href='/thong-tin/khen-thuong/'>Khen thưởng</a>.</p>",
        PUBLISHED,
        _at(2019, 12, 28),
    ),
    (
        Article.Kind.GUIDANCE,
        "Sản xuất sạch hơn là gì? Tám nhóm giải pháp cho các cơ sở",
        "Giới thiệu sản xuất sạch hơn và tám nhóm giải pháp: từ quản lý nội vi đến thay đổi "
        "công nghệ và cải tiến sản phẩm.",
        "<p>Sản xuất sạch hơn là việc cải tiến liên tục quá trình sản xuất để sử dụng hiệu quả "
        "nguyên vật liệu, năng lượng, nước và giảm phát thải.</p><h2>Tám nhóm giải pháp</h2><ol>"
        "<li>Quản lý nội vi</li><li>Thay đổi nguyên vật liệu đầu vào</li><li>Kiểm soát quá trình "
        "tốt hơn</li><li>Cải tiến thiết bị</li><li>Thay đổi công nghệ</li><li>Thu hồi, tái sử "
        "dụng tại chỗ</li><li>Tạo ra sản phẩm phụ hữu ích</li><li>Cải tiến sản phẩm</li></ol>",
        PUBLISHED,
        _at(2018, 3, 5),
    ),
    (
        Article.Kind.GUIDANCE,
        "Các bước đánh giá sản xuất sạch hơn tại cơ sở",
        "Đánh giá nhanh tìm cơ hội dễ thấy; đánh giá chi tiết theo phương pháp của UNEP/UNIDO "
        "lập cân bằng vật chất, năng lượng và phân tích khả thi.",
        "<h2>Đánh giá nhanh</h2><p>Một đến hai ngày khảo sát tại xưởng để tìm các cơ hội dễ "
        "thấy.</p><h2>Đánh giá chi tiết</h2><p>Thành lập nhóm, lập sơ đồ quy trình, cân bằng "
        "vật chất và năng lượng, tìm nguyên nhân, đề xuất và phân tích khả thi các giải pháp, "
        "thực hiện và giám sát.</p><p>Cơ sở có thể được nhà nước hỗ trợ tối đa 50% chi "
        "phí tư vấn.</p>",
        PUBLISHED,
        _at(2018, 6, 12),
    ),
    (
        Article.Kind.NEWS,
        "Bản nháp: kế hoạch truyền thông năm tới",
        "Bản nháp nội bộ, chưa công bố.",
        "<p>Nội dung đang soạn.</p>",
        DRAFT,
        None,
    ),
]

PLAN_SUMMARY = (
    "Mục tiêu: sản xuất sạch hơn được áp dụng rộng rãi tại các cơ sở sản xuất công nghiệp trên "
    "địa bàn tỉnh, nhằm nâng cao hiệu quả sử dụng tài nguyên, nguyên vật liệu, nhiên liệu; giảm "
    "phát thải và hạn chế gia tăng ô nhiễm; bảo vệ môi trường và sức khỏe con người."
)
PLAN_TARGETS = [
    "90% cơ sở sản xuất công nghiệp được tuyên truyền, hướng dẫn và nhận thức được lợi ích SXSH",
    "25% đến 50% cơ sở áp dụng SXSH, tiết kiệm 5% đến 13% năng lượng, nguyên vật liệu trên đơn "
    "vị sản phẩm",
    "25% đến 50% cơ sở có bộ phận chuyên trách SXSH",
    "100% cán bộ chuyên trách SXSH các cấp, các ngành được đào tạo, tập huấn",
]


def seed_public_page() -> None:
    _seed_articles()
    _seed_case_studies()
    _seed_documents()
    _seed_upcoming_events()


def _seed_articles() -> None:
    for kind, title, summary, body, status, published_at in ARTICLES:
        article = Article.objects.filter(kind=kind, title=title).first() or Article(
            kind=kind, title=title
        )
        article.summary, article.body = summary, body
        article.status, article.published_at = status, published_at
        article.full_clean()  # sanitises the body, as a staff edit would
        article.save()


def _seed_case_studies() -> None:
    """The first honoured facilities (in tax-code order) with verified CP options: two agreed
    to publish their story, the third did not (yet)."""
    done_statuses = [CPOption.Status.IMPLEMENTED, CPOption.Status.VERIFIED]
    done = Q(assessments__options__status__in=done_statuses)
    facilities = list(
        Facility.objects.filter(
            Exists(Award.objects.filter(facility=OuterRef("pk"))),
            Exists(
                CPOption.objects.filter(
                    assessment__facility=OuterRef("pk"), status__in=done_statuses
                )
            ),
        )
        .annotate(
            investment=Sum("assessments__options__investment_vnd", filter=done),
            money=Sum("assessments__options__savings_vnd_per_year", filter=done),
            toe=Sum("assessments__options__savings_toe_per_year", filter=done),
            water=Sum("assessments__options__savings_water_m3_per_year", filter=done),
        )
        .select_related("sector")
        .order_by("tax_code")[:3]
    )
    for index, facility in enumerate(facilities):
        consenting = index < 2
        title = f"{facility.name}: tiết kiệm nhờ sản xuất sạch hơn"
        study = CaseStudy.objects.filter(facility=facility, title=title).first() or CaseStudy(
            facility=facility, title=title
        )
        sector = facility.sector.name.lower() if facility.sector else "sản xuất công nghiệp"
        study.summary = (
            f"Một cơ sở ngành {sector} áp dụng các giải pháp quản lý nội vi, cải tiến thiết bị "
            "và thu hồi nhiệt, giảm tiêu hao năng lượng và nước trên mỗi đơn vị sản phẩm."
        )
        study.body = (
            "<p>Sau đánh giá sản xuất sạch hơn, nhóm SXSH của cơ sở đã lựa chọn các giải pháp "
            "có thời gian hoàn vốn ngắn, thực hiện từng bước và theo dõi kết quả hằng quý.</p>"
            "<h2>Giải pháp đã thực hiện</h2><ul><li>Khắc phục rò rỉ hơi, khí nén và nước;</li>"
            "<li>Lắp biến tần cho quạt và bơm;</li><li>Bảo ôn đường ống, thu hồi nhiệt thải."
            "</li></ul><p>Cơ sở đồng ý chia sẻ kết quả để các cơ sở khác tham khảo.</p>"
        )
        study.year = 2019
        study.investment_vnd = facility.investment
        study.yearly_savings_vnd = facility.money
        study.energy_saved_toe = _rounded(facility.toe, "0.01")
        study.water_saved_m3 = _rounded(facility.water, "0.1")
        study.consent_given = consenting
        study.consent_on = datetime.date(2020, 11, 10) if consenting else None
        study.consent_reference = "Công văn đồng ý công bố thông tin" if consenting else ""
        study.status = PUBLISHED if consenting else DRAFT
        study.published_at = _at(2020, 12, 1 + index) if consenting else None
        study.full_clean()
        study.save()


def _rounded(value: Decimal | None, step: str) -> Decimal | None:
    return value.quantize(Decimal(step)) if value is not None else None


def _seed_documents() -> None:
    plan = Plan.objects.filter(start_year=2016, end_year=2020).order_by("pk").first()
    documents = [
        (
            PublicDocument.Kind.PLAN,
            plan.name if plan else "Kế hoạch thực hiện Chiến lược sản xuất sạch hơn",
            plan.decision_number if plan else "",
            plan.decision_date if plan else None,
            "UBND tỉnh Nghệ An",
            "ke-hoach-sxsh.pdf",
            lambda: _pdf(plan.name if plan else "Kế hoạch", [PLAN_SUMMARY, *PLAN_TARGETS]),
            PUBLISHED,
        ),
        (
            PublicDocument.Kind.GUIDE,
            "Sổ tay hướng dẫn đánh giá nhanh sản xuất sạch hơn",
            "",
            datetime.date(2018, 5, 2),
            "Sở Công Thương Nghệ An",
            "so-tay-danh-gia-nhanh.pdf",
            lambda: _pdf(
                "Sổ tay hướng dẫn đánh giá nhanh sản xuất sạch hơn",
                [
                    "Bước 1: chuẩn bị và khảo sát sơ bộ.",
                    "Bước 2: đi khảo sát xưởng, ghi nhận lãng phí.",
                    "Bước 3: đề xuất giải pháp và ước tính lợi ích.",
                ],
            ),
            PUBLISHED,
        ),
        (
            PublicDocument.Kind.TEMPLATE,
            "Mẫu báo cáo kết quả áp dụng sản xuất sạch hơn",
            "",
            datetime.date(2019, 1, 15),
            "Sở Công Thương Nghệ An",
            "mau-bao-cao-ket-qua.xlsx",
            _template_workbook,
            PUBLISHED,
        ),
        (
            PublicDocument.Kind.OTHER,
            "Bản nháp: tài liệu nội bộ chưa công bố",
            "",
            None,
            "",
            "noi-bo.pdf",
            lambda: _pdf("Bản nháp", ["Chưa công bố."]),
            DRAFT,
        ),
    ]
    for index, (kind, title, number, issued_on, issued_by, name, render, status) in enumerate(
        documents
    ):
        document = PublicDocument.objects.filter(kind=kind, title=title).first() or (
            PublicDocument(kind=kind, title=title)
        )
        document.number, document.issued_on, document.issued_by = number, issued_on, issued_by
        document.status = status
        document.published_at = _at(2021, 2, 1 + index) if status == PUBLISHED else None
        if not document.file:
            document.file.save(name, ContentFile(render()), save=False)
        document.full_clean()
        document.save()


def _pdf(title: str, paragraphs: list[str]) -> bytes:
    body = "".join(f"<li>{escape(text)}</li>" for text in paragraphs)
    html = (
        "<html lang='vi'><head><meta charset='utf-8'><style>body{font-family:'DejaVu Serif',serif;"
        "font-size:12pt} h1{font-size:15pt}</style></head><body>"
        f"<h1>{escape(title)}</h1><ul>{body}</ul></body></html>"
    )
    return HTML(string=html).write_pdf()


def _template_workbook() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Báo cáo"
    sheet.append(["Giải pháp SXSH", "Ngày thực hiện", "Vốn đầu tư (đồng)", "Tiết kiệm/năm (đồng)"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _seed_upcoming_events() -> None:
    """Two events after the demo's history, so the events page has something to announce.
    Neither has participants: they change no indicator."""
    Course.objects.get_or_create(
        title="Tập huấn kỹ thuật sản xuất sạch hơn ngành vật liệu xây dựng",
        starts_on=datetime.date(2027, 3, 16),
        defaults={
            "kind": Course.Kind.TECHNICAL,
            "ends_on": datetime.date(2027, 3, 18),
            "organiser": "Sở Công Thương Nghệ An",
            "place": "Thành phố Vinh",
        },
    )
    OutreachActivity.objects.get_or_create(
        title="Hội thảo giới thiệu sản xuất sạch hơn cho các cơ sở Khu kinh tế Đông Nam",
        held_on=datetime.date(2027, 4, 20),
        defaults={
            "kind": OutreachActivity.Kind.WORKSHOP,
            "organiser": "Sở Công Thương Nghệ An",
        },
    )
