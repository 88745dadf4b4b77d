"""The public CP information page's content: what Department staff write and publish.

The plan asks the province to keep a public CP information page. What it publishes is written by
Department staff here; everything else it shows is aggregated from programme data (`reporting`).

These models began in `portal`; their tables kept the names they had there (`portal_article`,
`portal_historicalarticle`, ...) so that moving the code did not move a row.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import nh3
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from portal.lib.uploads import is_pdf

MAX_IMAGE_BYTES = 3 * 1024 * 1024
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024

# Rich text from staff is kept only after nh3 (the Ammonia sanitiser) has removed everything
# but these: no scripts, styles, images or event handlers can reach a public page.
ALLOWED_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "s", "sub", "sup", "h2", "h3", "h4",
    "ul", "ol", "li", "blockquote", "a", "table", "thead", "tbody", "tr", "th", "td",
    "caption", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope", "colspan"}, "td": {"colspan"}}
# Crispy forms render help texts as HTML: no angle brackets here.
RICH_TEXT_HELP = _(
    "HTML đơn giản: đoạn văn (p), tiêu đề (h2–h4), chữ đậm (strong), nghiêng (em), danh sách "
    "(ul, ol, li), liên kết (a href), bảng (table), trích dẫn (blockquote). Các thẻ khác "
    "(script, style, ảnh, thuộc tính sự kiện) bị loại bỏ khi lưu."
)


def sanitise_html(value: str) -> str:
    return nh3.clean(
        value,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    ).strip()


def slug_for(title: str) -> str:
    # slugify drops letters without an ASCII decomposition, and đ is one of them.
    return slugify(title.replace("đ", "d").replace("Đ", "D"))[:200] or "trang"


def _head(upload: object, length: int) -> bytes:
    handle = getattr(upload, "file", upload)
    position = handle.tell() if hasattr(handle, "tell") else 0
    head = handle.read(length) if hasattr(handle, "read") else b""
    if hasattr(handle, "seek"):
        handle.seek(position)
    return head


def image_type(head: bytes) -> str | None:
    """The content type a file's first bytes prove, for the image formats a page may show."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def validate_image(upload: object) -> None:
    """A picture must be PNG, JPEG or WebP by its first bytes (never SVG: it can carry script)
    and at most 3 MB."""
    if (getattr(upload, "size", 0) or 0) > MAX_IMAGE_BYTES:
        raise ValidationError(_("Ảnh quá lớn; tối đa 3 MB."))
    if image_type(_head(upload, 12)) is None:
        raise ValidationError(_("Tệp không phải ảnh PNG, JPEG hoặc WebP."))


# Extension → (first bytes the file must start with, content type it is sent with).
DOCUMENT_TYPES = {
    "pdf": (b"%PDF-", "application/pdf"),
    "docx": (
        b"PK\x03\x04",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "xlsx": (b"PK\x03\x04", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}


def validate_document(upload: object) -> None:
    """A public document must be PDF, DOCX or XLSX, its first bytes matching its extension,
    and at most 20 MB."""
    if (getattr(upload, "size", 0) or 0) > MAX_DOCUMENT_BYTES:
        raise ValidationError(_("Tệp quá lớn; tối đa 20 MB."))
    extension = str(getattr(upload, "name", "")).rsplit(".", 1)[-1].lower()
    magic = DOCUMENT_TYPES.get(extension, (None, ""))[0]
    if (
        magic is None
        or not _head(upload, len(magic)).startswith(magic)
        or (extension == "pdf" and not is_pdf(upload))
    ):
        raise ValidationError(_("Nội dung tệp không khớp với định dạng PDF, DOCX hoặc XLSX."))


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", _("Bản nháp")
    PUBLISHED = "published", _("Đã đăng")


class PublishedQuerySet(models.QuerySet):
    def published(self, now: datetime.datetime | None = None) -> PublishedQuerySet:
        """What the public sees: published, and not dated in the future (a scheduled post)."""
        return self.filter(
            status=PublicationStatus.PUBLISHED, published_at__lte=now or timezone.now()
        )


class Publishable(models.Model):
    """What articles, case studies and documents share: a title, a draft → published status
    and the moment it went (or goes) public."""

    title = models.CharField(_("tiêu đề"), max_length=200)
    slug = models.SlugField(
        _("đường dẫn"),
        max_length=200,
        blank=True,
        help_text=_("Để trống để tạo từ tiêu đề."),
    )
    status = models.CharField(
        _("trạng thái"),
        max_length=10,
        choices=PublicationStatus.choices,
        default=PublicationStatus.DRAFT,
    )
    published_at = models.DateTimeField(
        _("thời điểm đăng"),
        null=True,
        blank=True,
        help_text=_("Để trống: đăng ngay khi chuyển sang Đã đăng. Ngày sau: hẹn giờ đăng."),
    )
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    objects = PublishedQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-published_at", "-pk"]

    # The public page of one item; its URL carries the pk, the slug is only for readers.
    url_name = ""

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(self.url_name, kwargs={"pk": self.pk, "slug": self.slug or "trang"})

    def clean(self) -> None:
        super().clean()
        # A year-1 date passes the form but overflows when stored in UTC.
        if self.published_at is not None and not 2000 <= self.published_at.year <= 2100:
            raise ValidationError({"published_at": _("Thời điểm đăng phải từ năm 2000 đến 2100.")})
        self.slug = self.slug or slug_for(self.title)
        if self.status == PublicationStatus.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()

    @property
    def is_public(self) -> bool:
        return (
            self.status == PublicationStatus.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )


def _published_has_date(model: str) -> models.CheckConstraint:
    # Constraint names keep the portal_ prefix of the tables they live on (see the docstring).
    return models.CheckConstraint(
        condition=Q(status=PublicationStatus.DRAFT) | Q(published_at__isnull=False),
        name=f"portal_{model}_published_has_date",
    )


class Article(Publishable):
    """A news item or a guidance article of the public page."""

    class Kind(models.TextChoices):
        NEWS = "news", _("Tin tức")
        GUIDANCE = "guidance", _("Hướng dẫn")

    url_name = "public:article_detail"

    kind = models.CharField(_("loại bài"), max_length=10, choices=Kind.choices)
    summary = models.CharField(
        _("tóm tắt"),
        max_length=300,
        help_text=_("Một hai câu: hiện trong danh sách và làm mô tả trang cho công cụ tìm kiếm."),
    )
    body = models.TextField(_("nội dung"), help_text=RICH_TEXT_HELP)
    image = models.ImageField(
        _("ảnh minh họa"),
        upload_to="public/images/%Y/",
        blank=True,
        validators=[FileExtensionValidator(["png", "jpg", "jpeg", "webp"]), validate_image],
    )
    image_alt = models.CharField(
        _("mô tả ảnh"),
        max_length=200,
        blank=True,
        help_text=_("Cho người đọc không nhìn thấy ảnh."),
    )

    history = HistoricalRecords(table_name="portal_historicalarticle")

    class Meta(Publishable.Meta):
        db_table = "portal_article"
        verbose_name = _("bài viết")
        verbose_name_plural = _("bài viết")
        constraints = [_published_has_date("article")]

    def clean(self) -> None:
        super().clean()
        self.body = sanitise_html(self.body)


class CaseStudyQuerySet(PublishedQuerySet):
    def published(self, now: datetime.datetime | None = None) -> PublishedQuerySet:
        # A withdrawn consent takes a story off the page even if nobody unpublished it.
        return super().published(now).filter(consent_given=True)


class CaseStudy(Publishable):
    """A facility's CP story and savings. Published only with the facility's written consent:
    the figures are the facility's, and the public sees them only because it agreed."""

    url_name = "public:case_study_detail"

    facility = models.ForeignKey(
        "facilities.Facility",
        verbose_name=_("cơ sở"),
        on_delete=models.PROTECT,
        related_name="case_studies",
    )
    year = models.PositiveSmallIntegerField(_("năm thực hiện"), null=True, blank=True)
    summary = models.CharField(_("tóm tắt"), max_length=300)
    body = models.TextField(_("câu chuyện"), help_text=RICH_TEXT_HELP)
    investment_vnd = models.DecimalField(
        _("vốn đầu tư (đồng)"), max_digits=18, decimal_places=0, null=True, blank=True
    )
    yearly_savings_vnd = models.DecimalField(
        _("tiết kiệm mỗi năm (đồng)"), max_digits=18, decimal_places=0, null=True, blank=True
    )
    energy_saved_toe = models.DecimalField(
        _("năng lượng tiết kiệm (TOE/năm)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    water_saved_m3 = models.DecimalField(
        _("nước tiết kiệm (m³/năm)"), max_digits=14, decimal_places=1, null=True, blank=True
    )
    consent_given = models.BooleanField(_("cơ sở đồng ý công bố"), default=False)
    consent_on = models.DateField(_("ngày đồng ý"), null=True, blank=True)
    consent_reference = models.CharField(
        _("văn bản đồng ý"),
        max_length=200,
        blank=True,
        help_text=_("Số công văn hoặc biên bản cơ sở đồng ý công bố (không hiện công khai)."),
    )
    image = models.ImageField(
        _("ảnh minh họa"),
        upload_to="public/images/%Y/",
        blank=True,
        validators=[FileExtensionValidator(["png", "jpg", "jpeg", "webp"]), validate_image],
    )
    image_alt = models.CharField(_("mô tả ảnh"), max_length=200, blank=True)

    objects = CaseStudyQuerySet.as_manager()
    history = HistoricalRecords(table_name="portal_historicalcasestudy")

    class Meta(Publishable.Meta):
        db_table = "portal_casestudy"
        verbose_name = _("điển hình SXSH")
        verbose_name_plural = _("điển hình SXSH")
        constraints = [
            _published_has_date("casestudy"),
            models.CheckConstraint(
                condition=Q(consent_given=False) | Q(consent_on__isnull=False),
                name="portal_casestudy_consent_has_date",
            ),
            models.CheckConstraint(
                condition=Q(status=PublicationStatus.DRAFT) | Q(consent_given=True),
                name="portal_casestudy_published_with_consent",
            ),
        ]

    def clean(self) -> None:
        super().clean()
        self.body = sanitise_html(self.body)
        errors: dict[str, str] = {}
        if self.consent_given and self.consent_on is None:
            errors["consent_on"] = _("Ghi ngày cơ sở đồng ý công bố.")
        if self.status == PublicationStatus.PUBLISHED and not self.consent_given:
            errors["status"] = _("Chỉ đăng được khi cơ sở đã đồng ý công bố.")
        if errors:
            raise ValidationError(errors)

    @property
    def payback_years(self) -> Decimal | None:
        if not self.investment_vnd or not self.yearly_savings_vnd:
            return None
        return self.investment_vnd / self.yearly_savings_vnd


class PublicDocument(Publishable):
    """A file of the documents library: the plan, decisions, guides, templates."""

    class Kind(models.TextChoices):
        PLAN = "plan", pgettext_lazy("document type", "Kế hoạch")
        DECISION = "decision", _("Quyết định, văn bản chỉ đạo")
        GUIDE = "guide", _("Tài liệu hướng dẫn")
        TEMPLATE = "template", _("Biểu mẫu")
        OTHER = "other", _("Tài liệu khác")

    url_name = "public:document_file"

    kind = models.CharField(_("loại tài liệu"), max_length=10, choices=Kind.choices)
    number = models.CharField(_("số, ký hiệu"), max_length=60, blank=True)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    issued_by = models.CharField(_("cơ quan ban hành"), max_length=200, blank=True)
    description = models.TextField(_("mô tả"), blank=True)
    file = models.FileField(
        _("tệp (PDF, DOCX, XLSX)"),
        upload_to="public/documents/%Y/",
        validators=[FileExtensionValidator(list(DOCUMENT_TYPES)), validate_document],
    )

    history = HistoricalRecords(table_name="portal_historicalpublicdocument")

    class Meta(Publishable.Meta):
        db_table = "portal_publicdocument"
        verbose_name = _("tài liệu công khai")
        verbose_name_plural = _("tài liệu công khai")
        ordering = ["kind", "-issued_on", "-pk"]
        constraints = [_published_has_date("publicdocument")]

    @property
    def extension(self) -> str:
        return self.file.name.rsplit(".", 1)[-1].lower() if self.file else ""

    @property
    def content_type(self) -> str:
        return DOCUMENT_TYPES.get(self.extension, (b"", "application/octet-stream"))[1]
