from __future__ import annotations

import datetime
from decimal import Decimal

import nh3
from django.contrib.auth.models import AbstractUser
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


class Role(models.TextChoices):
    DEPARTMENT_ADMIN = "department_admin", _("Quản trị viên Sở Công Thương")
    DEPARTMENT_STAFF = "department_staff", _("Cán bộ Sở Công Thương")
    FACILITY_MANAGER = "facility_manager", _("Quản lý cơ sở sản xuất")
    AGENCY_OFFICER = "agency_officer", _("Cán bộ cơ quan phối hợp")
    OFFICIAL = "official", _("Lãnh đạo (UBND tỉnh, Bộ Công Thương)")
    CONSULTANT = "consultant", _("Chuyên gia tư vấn")


class OfficialBody(models.TextChoices):
    PROVINCIAL_COMMITTEE = "ppc", _("UBND tỉnh Nghệ An")
    MINISTRY = "moit", _("Bộ Công Thương")


class User(AbstractUser):
    """A person who signs in. The role says what they may use; the link says whose data."""

    full_name = models.CharField(_("họ và tên"), max_length=150, blank=True)
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    agency = models.ForeignKey(
        "programs.Agency",
        verbose_name=_("cơ quan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="officers",
    )
    support_organisation = models.ForeignKey(
        "assessments.SupportOrganisation",
        verbose_name=_("tổ chức hỗ trợ"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consultants",
    )
    official_body = models.CharField(
        _("cơ quan lãnh đạo"), max_length=4, choices=OfficialBody.choices, blank=True
    )

    # Password hashes and login times are not programme data and must not pile up in history.
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role=Role.AGENCY_OFFICER) | Q(agency__isnull=False),
                name="portal_user_agency_officer_has_agency",
            ),
            models.CheckConstraint(
                condition=~Q(role=Role.CONSULTANT) | Q(support_organisation__isnull=False),
                name="portal_user_consultant_has_organisation",
            ),
            models.CheckConstraint(
                condition=~Q(role=Role.OFFICIAL) | ~Q(official_body=""),
                name="portal_user_official_has_body",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name or super().get_full_name() or self.username

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if self.role == Role.AGENCY_OFFICER and not self.agency_id:
            errors["agency"] = _("Cán bộ cơ quan phối hợp phải thuộc một cơ quan.")
        if self.role == Role.CONSULTANT and not self.support_organisation_id:
            errors["support_organisation"] = _("Chuyên gia tư vấn phải thuộc một tổ chức hỗ trợ.")
        if self.role == Role.OFFICIAL and not self.official_body:
            errors["official_body"] = _("Hãy chọn UBND tỉnh hoặc Bộ Công Thương.")
        if errors:
            raise ValidationError(errors)

    def apply_role_flags(self) -> None:
        """Only department admins reach Django's admin, and there they may do everything."""
        is_admin = self.role == Role.DEPARTMENT_ADMIN
        self.is_staff = is_admin
        self.is_superuser = is_admin


# --- The public CP information page --------------------------------------------------------
# The plan asks the province to keep a public CP information page. What it publishes is
# written by Department staff here; everything else it shows is aggregated from programme data.

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
    if magic is None or not _head(upload, len(magic)).startswith(magic):
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

    history = HistoricalRecords()

    class Meta(Publishable.Meta):
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
    history = HistoricalRecords()

    class Meta(Publishable.Meta):
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

    history = HistoricalRecords()

    class Meta(Publishable.Meta):
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
