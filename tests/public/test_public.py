"""The public CP information page: what anyone may read, what staff keep, what never leaks."""

from __future__ import annotations

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from demo import run as demo
from facilities.models import Facility
from portal.models import User
from programs.models import Plan
from public.models import (
    Article,
    CaseStudy,
    PublicationStatus,
    PublicDocument,
    validate_document,
    validate_image,
)
from tests.files import PDF

PUBLISHED = PublicationStatus.PUBLISHED
DRAFT = PublicationStatus.DRAFT
PUBLIC_PAGES = [
    "home",
    "public:news_list",
    "public:guidance_list",
    "public:case_study_list",
    "public:award_list",
    "public:organisation_list",
    "public:document_list",
    "public:event_list",
    "public:contact",
]


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    # The indicator cache outlives a test's database; a figure cached by another test must not
    # be read back by this one.
    cache.clear()


def png(size: tuple[int, int] = (4, 3)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (23, 96, 58)).save(buffer, format="PNG")
    return buffer.getvalue()


def make_article(**fields: object) -> Article:
    values: dict[str, object] = {
        "kind": Article.Kind.NEWS,
        "title": "Tin thử nghiệm",
        "summary": "Tóm tắt",
        "body": "<p>Nội dung</p>",
        "status": PUBLISHED,
        **fields,
    }
    article = Article(**values)
    article.full_clean()
    article.save()
    return article


def make_case_study(facility: Facility, **fields: object) -> CaseStudy:
    values: dict[str, object] = {
        "facility": facility,
        "title": "Điển hình thử nghiệm",
        "summary": "Tóm tắt",
        "body": "<p>Câu chuyện</p>",
        "yearly_savings_vnd": Decimal("123456789"),
        "consent_given": True,
        "consent_on": datetime.date(2020, 1, 2),
        "status": PUBLISHED,
        **fields,
    }
    study = CaseStudy(**values)
    study.full_clean()
    study.save()
    return study


def make_document(**fields: object) -> PublicDocument:
    values: dict[str, object] = {
        "kind": PublicDocument.Kind.GUIDE,
        "title": "Sổ tay SXSH",
        "status": PUBLISHED,
        **fields,
    }
    document = PublicDocument(**values)
    document.file.save("so-tay.pdf", SimpleUploadedFile("so-tay.pdf", PDF), save=False)
    document.full_clean()
    document.save()
    return document


# --- The home page ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_anonymous_visitors_get_the_public_home_with_a_login_link(client) -> None:
    response = client.get(reverse("home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="login-link"' in html
    assert 'data-testid="progress"' in html  # the shipped plan's figures
    assert '<meta name="description"' in html


def test_signed_in_users_see_a_link_to_their_dashboard(users, client_for) -> None:
    html = client_for(users["facility_manager"]).get(reverse("home")).content.decode()
    assert 'data-testid="dashboard-link"' in html
    assert 'data-testid="login-link"' not in html


@pytest.mark.django_db
def test_the_plans_figures_come_from_the_cache_on_the_second_visit(client) -> None:
    with CaptureQueriesContext(transaction.get_connection()) as cold:
        client.get(reverse("home"))
    with CaptureQueriesContext(transaction.get_connection()) as warm:
        client.get(reverse("home"))
    # The engine runs up to ten aggregate queries; the warm page runs none of them.
    assert len(cold) - len(warm) >= 5, (len(cold), len(warm))


@pytest.mark.django_db
def test_the_cached_figures_read_in_the_visitors_language(client) -> None:
    assert "Cơ sở áp dụng SXSH" in client.get(reverse("home")).content.decode()
    client.post(reverse("set_language"), {"language": "en"})
    html = client.get(reverse("home")).content.decode()
    assert '<html lang="en">' in html
    assert "Cơ sở áp dụng SXSH" not in html  # the T2 card, cached in Vietnamese, reads English


# --- Publishing -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_drafts_and_scheduled_posts_stay_off_the_public_pages(client) -> None:
    make_article(title="Tin đã đăng")
    make_article(title="Tin còn nháp", status=DRAFT)
    make_article(title="Tin hẹn giờ", published_at=timezone.now() + datetime.timedelta(days=1))
    html = client.get(reverse("public:news_list")).content.decode()
    feed = client.get(reverse("public:news_feed")).content.decode()
    sitemap = client.get(reverse("public:sitemap")).content.decode()
    assert "Tin đã đăng" in html and "Tin đã đăng" in feed
    for hidden in ("Tin còn nháp", "Tin hẹn giờ"):
        assert hidden not in html and hidden not in feed
    assert sitemap.count("/thong-tin/bai-viet/") == 1


def test_staff_preview_a_draft_that_others_cannot_find(users, client_for) -> None:
    article = make_article(status=DRAFT)
    url = article.get_absolute_url()
    assert client_for(None).get(url).status_code == 404
    assert client_for(users["official"]).get(url).status_code == 404
    preview = client_for(users["department_staff"]).get(url)
    assert preview.status_code == 200
    assert "Bản xem trước" in preview.content.decode()


@pytest.mark.django_db
def test_an_article_answers_at_its_canonical_address(client) -> None:
    article = make_article(title="Hội thảo đánh giá SXSH")
    assert article.slug == "hoi-thao-danh-gia-sxsh"
    response = client.get(reverse("public:article_detail", args=[article.pk, "cu"]))
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()


def test_staff_write_and_publish_an_article_from_the_portal(users, client_for) -> None:
    client = client_for(users["department_staff"])
    response = client.post(
        reverse("public:manage_article_create"),
        {
            "kind": "guidance",
            "title": "Hướng dẫn quản lý nội vi",
            "summary": "Tóm tắt",
            "body": "<p>Tắt máy khi không dùng.</p>",
            "status": "published",
            "image": SimpleUploadedFile("anh.png", png()),
            "image_alt": "Xưởng sản xuất",
        },
    )
    article = Article.objects.get()
    assert response.status_code == 302
    assert article.is_public and article.published_at is not None
    assert article.history.count() == 1
    image = client_for(None).get(reverse("public:article_image", args=[article.pk]))
    assert image["Content-Type"] == "image/png"
    assert "public" in image["Cache-Control"]


def test_rich_text_is_sanitised_when_staff_save_it(users, client_for) -> None:
    client_for(users["department_staff"]).post(
        reverse("public:manage_article_create"),
        {
            "kind": "news",
            "title": "Tin có mã độc",
            "summary": "Tóm tắt",
            "body": (
                '<h2 onclick="steal()">Tiêu đề</h2><script>alert(1)</script>'
                '<img src=x onerror="alert(2)"><a href="javascript:alert(3)">liên kết</a>'
                '<a href="https://moit.gov.vn">Bộ Công Thương</a><style>body{}</style>'
            ),
            "status": "published",
        },
    )
    body = Article.objects.get().body
    for dangerous in ("<script", "onclick", "onerror", "<img", "javascript:", "<style"):
        assert dangerous not in body
    assert "<h2>Tiêu đề</h2>" in body
    assert 'href="https://moit.gov.vn"' in body and 'rel="noopener noreferrer nofollow"' in body


def test_a_publication_date_out_of_range_is_refused_not_a_server_error(users, client_for):
    response = client_for(users["department_staff"]).post(
        reverse("public:manage_article_create"),
        {
            "kind": "news",
            "title": "Tin",
            "summary": "-",
            "body": "-",
            "status": "published",
            "published_at": "0001-01-01T00:00",
        },
    )
    assert response.status_code == 200
    assert not Article.objects.exists()


# --- Case studies and consent -----------------------------------------------------------------


def test_a_case_study_cannot_be_published_without_the_facilitys_consent(
    users, facilities, client_for
) -> None:
    response = client_for(users["department_staff"]).post(
        reverse("public:manage_case_study_create"),
        {
            "facility_code": facilities["own"].tax_code,
            "title": "Điển hình chưa đồng ý",
            "summary": "Tóm tắt",
            "body": "<p>Câu chuyện</p>",
            "status": "published",
        },
    )
    assert response.status_code == 200
    assert "Chỉ đăng được khi cơ sở đã đồng ý công bố." in response.content.decode()
    assert "is violated" not in response.content.decode()  # no raw constraint message
    assert not CaseStudy.objects.exists()
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseStudy.objects.create(
            facility=facilities["own"],
            title="Lách qua biểu mẫu",
            summary="-",
            body="-",
            status=PUBLISHED,
            published_at=timezone.now(),
        )


def test_case_study_figures_appear_only_with_consent(facilities, client) -> None:
    agreed = make_case_study(facilities["own"], yearly_savings_vnd=Decimal("987654321"))
    make_case_study(
        facilities["other"],
        title="Chưa đồng ý",
        yearly_savings_vnd=Decimal("555444333"),
        consent_given=False,
        consent_on=None,
        status=DRAFT,
    )
    pages = [client.get(reverse(name)).content.decode() for name in PUBLIC_PAGES]
    detail = client.get(agreed.get_absolute_url()).content.decode()
    assert "987.654.321" in detail
    assert all("555.444.333" not in html and "Chưa đồng ý" not in html for html in pages)
    assert facilities["own"].tax_code not in detail


# --- Files ------------------------------------------------------------------------------------


def test_a_document_is_downloadable_by_everyone_only_once_published(users, client_for) -> None:
    document = make_document(status=DRAFT)
    url = document.get_absolute_url()
    assert client_for(None).get(url).status_code == 404
    preview = client_for(users["department_staff"]).get(url)
    assert preview.status_code == 200 and preview["Cache-Control"] == "no-store"
    document.status = PUBLISHED
    document.full_clean()
    document.save()
    response = client_for(None).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"].startswith("public")
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("tai-lieu.pdf", b"<html>not a pdf</html>"),
        ("bieu-mau.docx", PDF),
        ("bieu-mau.xlsx", b"plain text"),
        ("script.html", b"<script></script>"),
    ],
)
def test_documents_are_checked_by_their_first_bytes(name: str, content: bytes) -> None:
    with pytest.raises(ValidationError):
        validate_document(SimpleUploadedFile(name, content))


def test_a_docx_starting_like_a_zip_is_accepted() -> None:
    validate_document(SimpleUploadedFile("mau.docx", b"PK\x03\x04rest of the archive"))


@pytest.mark.parametrize(
    "content", [b"<svg onload='alert(1)'></svg>", b"GIF89a...", b"%PDF-1.4 pretending"]
)
def test_images_must_be_png_jpeg_or_webp_by_their_first_bytes(content: bytes) -> None:
    with pytest.raises(ValidationError):
        validate_image(SimpleUploadedFile("anh.png", content))


def test_oversized_uploads_are_refused() -> None:
    image = SimpleUploadedFile("anh.png", png())
    image.size = 4 * 1024 * 1024
    document = SimpleUploadedFile("tai-lieu.pdf", PDF)
    document.size = 21 * 1024 * 1024
    with pytest.raises(ValidationError, match="3 MB"):
        validate_image(image)
    with pytest.raises(ValidationError, match="20 MB"):
        validate_document(document)


# --- Bounded work -----------------------------------------------------------------------------


def test_public_lists_run_a_bounded_number_of_queries(
    facilities, client, django_assert_max_num_queries
) -> None:
    for n in range(15):
        make_article(title=f"Tin số {n}")
        make_case_study(facilities["own"], title=f"Điển hình số {n}")
        make_document(title=f"Tài liệu số {n}")
    client.get(reverse("home"))  # warms the indicator cache
    for name in PUBLIC_PAGES:
        # The home page's plan and the plans whose final results it links to: one query each.
        with django_assert_max_num_queries(11):
            assert client.get(reverse(name)).status_code == 200


# --- Nothing private leaks --------------------------------------------------------------------


@pytest.mark.django_db
def test_no_public_page_shows_a_tax_code_a_user_or_an_unconsented_figure(client, settings):
    """The demo is loaded once, then every public page, every published item and every page of
    every list is read as an anonymous visitor."""
    settings.DEBUG = True
    demo.seed()
    withheld = list(CaseStudy.objects.filter(consent_given=False))
    assert withheld, "the demo should keep one case study without consent"
    assert CaseStudy.objects.published().exists()

    urls = [reverse(name) for name in PUBLIC_PAGES]
    urls += [item.get_absolute_url() for item in Article.objects.published()]
    urls += [item.get_absolute_url() for item in CaseStudy.objects.published()]
    urls += [f"{reverse('public:award_list')}?nam={year}" for year in range(2015, 2022)]
    urls += [reverse("public:news_feed"), reverse("public:sitemap")]
    pages = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        pages[url] = response.content.decode()

    tax_codes = list(Facility.objects.values_list("tax_code", flat=True))
    people = list(User.objects.values_list("username", "email", "full_name"))
    unconsented = [
        f"{value:,.0f}".replace(",", ".")
        for study in withheld
        for value in (study.yearly_savings_vnd, study.investment_vnd)
        if value
    ]
    for url, html in pages.items():
        text = html.replace("-", "")  # "2900123456-001" and "2900123456001" alike
        assert not [code for code in tax_codes if code.replace("-", "") in text], url
        for username, email, full_name in people:
            # An organisation's own address may begin like a username ("tuvan@songlam…").
            assert not re.search(rf"(?<![\w@.]){re.escape(username)}(?![\w@])", html), url
            assert email not in html and full_name not in html, (url, email)
        for study in withheld:
            assert study.title not in html, url
        assert not [figure for figure in unconsented if figure in html], url
    for study in CaseStudy.objects.published():
        figure = f"{study.yearly_savings_vnd:,.0f}".replace(",", ".")
        assert figure in pages[study.get_absolute_url()]


@pytest.mark.django_db
def test_the_plan_in_force_is_shown_and_the_final_results_of_the_2020_plan_stay_reachable(
    client,
) -> None:
    cache.clear()
    earlier = Plan.objects.get(start_year=2016, end_year=2020)
    current = Plan.objects.get(start_year=2021, end_year=2030)
    draft = reverse("public:plan_results", kwargs={"pk": current.pk})
    assert client.get(draft).status_code == 404  # a draft is never public
    Plan.objects.filter(pk=current.pk).update(status=Plan.Status.ACTIVE)

    home = client.get(reverse("home")).content.decode()
    assert current.name in home and 'data-testid="final-results"' not in home
    link = reverse("public:plan_results", kwargs={"pk": earlier.pk})
    assert f'href="{link}"' in home

    results = client.get(link)
    assert results.status_code == 200
    page = results.content.decode()
    assert earlier.name in page and 'data-testid="final-results"' in page
    assert "31/12/2020" in page
