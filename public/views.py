"""The public CP information page the plan asks for, and the pages staff keep it with.

Public views need no login and show only what is meant for everyone: what staff published,
aggregate figures of the plan, the honours and the support organisations. Nothing here reads a
tax code, a self-report or a portal user. Staff pages are under `quan-ly/` with `@allow`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.sitemaps import Sitemap
from django.contrib.syndication.views import Feed
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Model, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.models import SupportOrganisation
from facilities.models import OutreachActivity
from portal import access
from portal.access import DEPARTMENT, allow
from portal.lib.downloads import private_file_response
from programs.models import Award, Course, Plan
from public.forms import ArticleForm, CaseStudyForm, PublicDocumentForm
from public.models import (
    Article,
    CaseStudy,
    PublicationStatus,
    PublicDocument,
    image_type,
)
from reporting import dashboards, indicators

# The plan's figures move slowly and cost a dozen aggregate queries: the public home shows them
# from the cache, at most this old.
INDICATOR_CACHE_SECONDS = 12 * 60
PAGE_SIZE = 12
# Published files and images may be kept by browsers and proxies for this long.
PUBLIC_FILE_MAX_AGE = 60 * 60
# What kinds of outreach are events a member of the public could attend or follow.
PUBLIC_OUTREACH_KINDS = (OutreachActivity.Kind.WORKSHOP, OutreachActivity.Kind.TRAINING)


# --- What the public may see ------------------------------------------------------------------


def _visible(manager: Any, request: HttpRequest) -> QuerySet[Any]:
    """Published items for everyone; staff also reach drafts, to preview them before publishing."""
    if access.role_of(request.user) in DEPARTMENT:
        return manager.all()
    return manager.published()


def plan_progress(today: datetime.date, plan: Plan | None = None) -> dict[str, Any]:
    """A published plan's figures (by default the plan in force), aggregates only, as of today
    or its last day: an ended plan's final results."""
    plan = plan or Plan.objects.shown_by_default(today)
    if plan is None:
        return {}
    as_of = min(today, datetime.date(plan.end_year, 12, 31))
    key = f"public:indicators:{plan.pk}:{as_of.isoformat()}"
    figures = cache.get(key)
    if figures is None:
        figures = indicators.compute(plan, as_of=as_of)
        cache.set(key, figures, INDICATOR_CACHE_SECONDS)
    cards = dashboards.indicator_cards(figures, as_of=as_of, links=False)
    final = today > datetime.date(plan.end_year, 12, 31)
    earlier = Plan.objects.published().filter(end_year__lt=today.year).exclude(pk=plan.pk)
    return {
        "plan": plan,
        "as_of": as_of,
        "cards": cards,
        "final": final,
        "earlier_plans": list(earlier.order_by("-end_year", "-pk")),
    }


@dataclass(frozen=True)
class Event:
    """A course or a workshop, read the same way on the events page."""

    title: str
    kind: str
    starts_on: datetime.date
    ends_on: datetime.date
    place: str
    organiser: str


def events(today: datetime.date, *, upcoming: bool, limit: int) -> list[Event]:
    """Training courses and public outreach events from `today` on (or before it, latest
    first), at most `limit`: two queries whatever the number of events."""
    if upcoming:
        courses = Course.objects.filter(ends_on__gte=today).order_by("starts_on")
        outreach = OutreachActivity.objects.filter(held_on__gte=today).order_by("held_on")
    else:
        courses = Course.objects.filter(ends_on__lt=today).order_by("-starts_on")
        outreach = OutreachActivity.objects.filter(held_on__lt=today).order_by("-held_on")
    found = [
        Event(c.title, c.get_kind_display(), c.starts_on, c.ends_on, c.place, c.organiser)
        for c in courses[:limit]
    ] + [
        Event(
            a.title,
            a.get_kind_display(),
            a.held_on,
            a.held_on,
            a.area.name if a.area else "",
            a.organiser,
        )
        for a in outreach.filter(kind__in=PUBLIC_OUTREACH_KINDS).select_related("area")[:limit]
    ]
    found.sort(key=lambda event: event.starts_on, reverse=not upcoming)
    return found[:limit]


# --- Public pages -----------------------------------------------------------------------------


def home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    published = Article.objects.published()
    context = {
        **plan_progress(today),
        "news": published.filter(kind=Article.Kind.NEWS)[:3],
        "guides": published.filter(kind=Article.Kind.GUIDANCE)[:3],
        "case_studies": CaseStudy.objects.published().select_related("facility__sector")[:3],
        "events": events(today, upcoming=True, limit=3),
        "documents": PublicDocument.objects.published().order_by("-published_at")[:4],
        "award_count": Award.objects.count(),
        "organisation_count": SupportOrganisation.objects.count(),
    }
    return render(request, "public/home.html", context)


def plan_results(request: HttpRequest, pk: int) -> HttpResponse:
    """A published plan's results: the final results of a plan that has ended stay reachable
    once another is in force. Drafts are not found."""
    plan = get_object_or_404(Plan.objects.published(), pk=pk)
    return render(request, "public/plan_results.html", plan_progress(timezone.localdate(), plan))


def article_list(request: HttpRequest, kind: str) -> HttpResponse:
    articles = Article.objects.published().filter(kind=kind)
    return render(
        request,
        "public/article_list.html",
        {
            "kind": kind,
            "heading": Article.Kind(kind).label,
            "page": Paginator(articles, PAGE_SIZE).get_page(request.GET.get("page")),
        },
    )


def article_detail(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    article = get_object_or_404(_visible(Article.objects, request), pk=pk)
    if slug != article.slug:
        return redirect(article, permanent=True)
    return render(request, "public/article_detail.html", {"article": article})


def case_study_list(request: HttpRequest) -> HttpResponse:
    studies = CaseStudy.objects.published().select_related(
        "facility__sector", "facility__administrative_unit"
    )
    return render(
        request,
        "public/case_study_list.html",
        {"page": Paginator(studies, PAGE_SIZE).get_page(request.GET.get("page"))},
    )


def case_study_detail(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    study = get_object_or_404(
        _visible(CaseStudy.objects, request).select_related(
            "facility__sector", "facility__administrative_unit"
        ),
        pk=pk,
    )
    if slug != study.slug:
        return redirect(study, permanent=True)
    return render(request, "public/case_study_detail.html", {"study": study})


def award_list(request: HttpRequest) -> HttpResponse:
    """Honoured enterprises by year: the name, the honour and who gave it, nothing more."""
    awards = Award.objects.select_related("facility").order_by(
        "-year", "facility__name_sort_key", "pk"
    )
    years = list(Award.objects.order_by("-year").values_list("year", flat=True).distinct())
    chosen = request.GET.get("nam", "")
    if chosen.isdigit():
        awards = awards.filter(year=int(chosen))
    return render(
        request,
        "public/award_list.html",
        {"awards": awards, "years": years, "chosen": chosen},
    )


def organisation_list(request: HttpRequest) -> HttpResponse:
    """The network of CP support organisations: their public contacts, never their assignments."""
    return render(
        request,
        "public/organisation_list.html",
        {"organisations": SupportOrganisation.objects.order_by("kind", "name")},
    )


def document_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "public/document_list.html",
        {"documents": PublicDocument.objects.published()},
    )


def document_file(request: HttpRequest, pk: int, slug: str) -> FileResponse:
    """A library file: to anyone once published, to staff also as a draft (and then not cached)."""
    document = get_object_or_404(_visible(PublicDocument.objects, request), pk=pk)
    filename = f"{document.slug or 'tai-lieu'}.{document.extension}"
    if not document.is_public:
        return private_file_response(
            document.file, filename=filename, content_type=document.content_type
        )
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=filename,
        content_type=document.content_type,
    )
    response["Cache-Control"] = f"public, max-age={PUBLIC_FILE_MAX_AGE}"
    return response


def _image_response(item: Article | CaseStudy) -> FileResponse:
    if not item.image:
        raise Http404
    handle = item.image.open("rb")
    kind = image_type(handle.read(12))
    handle.seek(0)
    if kind is None:  # checked on upload; a file changed behind our back is not served
        handle.close()
        raise Http404
    response = FileResponse(handle, content_type=kind)
    response["Cache-Control"] = (
        f"public, max-age={PUBLIC_FILE_MAX_AGE}" if item.is_public else "no-store"
    )
    return response


def article_image(request: HttpRequest, pk: int) -> FileResponse:
    return _image_response(get_object_or_404(_visible(Article.objects, request), pk=pk))


def case_study_image(request: HttpRequest, pk: int) -> FileResponse:
    return _image_response(get_object_or_404(_visible(CaseStudy.objects, request), pk=pk))


def event_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    return render(
        request,
        "public/event_list.html",
        {
            "upcoming": events(today, upcoming=True, limit=20),
            "recent": events(today, upcoming=False, limit=10),
        },
    )


def contact(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "public/contact.html",
        {"organisation_count": SupportOrganisation.objects.count()},
    )


# --- Sitemap and feed -------------------------------------------------------------------------


class PageSitemap(Sitemap):
    changefreq = "weekly"

    def items(self) -> list[str]:
        return [
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

    def location(self, item: str) -> str:
        return reverse(item)


class PublishedSitemap(Sitemap):
    changefreq = "monthly"

    def __init__(self, model: type[Article] | type[CaseStudy]) -> None:
        self.model = model

    def items(self) -> QuerySet[Any]:
        return self.model.objects.published().order_by("-published_at", "-pk")

    def lastmod(self, item: Model) -> datetime.datetime:
        return item.updated_at  # type: ignore[attr-defined]


SITEMAPS = {
    "pages": PageSitemap(),
    "articles": PublishedSitemap(Article),
    "case-studies": PublishedSitemap(CaseStudy),
}


class NewsFeed(Feed):
    """An Atom feed of the latest news, for readers and other government sites."""

    feed_type = Atom1Feed
    title = gettext_lazy("Tin tức sản xuất sạch hơn Nghệ An")
    subtitle = gettext_lazy("Tin tức của chương trình sản xuất sạch hơn trong công nghiệp tỉnh")

    def link(self) -> str:
        return reverse("public:news_list")

    def items(self) -> QuerySet[Article]:
        return Article.objects.published().filter(kind=Article.Kind.NEWS)[:20]

    def item_title(self, item: Article) -> str:
        return item.title

    def item_description(self, item: Article) -> str:
        return item.summary

    def item_pubdate(self, item: Article) -> datetime.datetime | None:
        return item.published_at

    def item_updateddate(self, item: Article) -> datetime.datetime:
        return item.updated_at


# --- Staff: keeping the page ------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    """One kind of content staff manage: its model, form, list template and wording."""

    model: type[Article] | type[CaseStudy] | type[PublicDocument]
    form: type[forms.ModelForm]
    list_url: str
    edit_url: str
    template: str


SECTIONS = {
    "article": Section(
        Article,
        ArticleForm,
        "public:manage_articles",
        "public:manage_article_edit",
        "public/manage_articles.html",
    ),
    "case_study": Section(
        CaseStudy,
        CaseStudyForm,
        "public:manage_case_studies",
        "public:manage_case_study_edit",
        "public/manage_case_studies.html",
    ),
    "document": Section(
        PublicDocument,
        PublicDocumentForm,
        "public:manage_documents",
        "public:manage_document_edit",
        "public/manage_documents.html",
    ),
}


def _manage_list(request: HttpRequest, section: Section, items: QuerySet[Any]) -> HttpResponse:
    status = request.GET.get("trang_thai", "")
    if status in PublicationStatus.values:
        items = items.filter(status=status)
    return render(
        request,
        section.template,
        {
            "page": Paginator(items, 50).get_page(request.GET.get("page")),
            "status": status,
            "statuses": PublicationStatus.choices,
            "now": timezone.now(),
        },
    )


def _manage_edit(request: HttpRequest, section: Section, pk: int | None) -> HttpResponse:
    item = get_object_or_404(section.model, pk=pk) if pk else section.model()
    form = section.form(request.POST or None, request.FILES or None, instance=item)
    if request.method == "POST" and form.is_valid():
        item = form.save()
        if item.is_public:
            messages.success(request, _("Đã lưu và đăng công khai."))
        else:
            messages.success(request, _("Đã lưu. Mục này chưa hiện trên trang công khai."))
        return redirect(section.edit_url, pk=item.pk)
    return render(
        request,
        "public/manage_form.html",
        {
            "form": form,
            "item": item,
            "title": _("Sửa: %(title)s") % {"title": item.title}
            if item.pk
            else _("Thêm %(kind)s") % {"kind": section.model._meta.verbose_name},
            "back": section.list_url,
        },
    )


@allow(DEPARTMENT)
def manage_articles(request: HttpRequest) -> HttpResponse:
    return _manage_list(request, SECTIONS["article"], Article.objects.all())


@allow(DEPARTMENT)
def manage_article_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    return _manage_edit(request, SECTIONS["article"], pk)


@allow(DEPARTMENT)
def manage_case_studies(request: HttpRequest) -> HttpResponse:
    return _manage_list(
        request, SECTIONS["case_study"], CaseStudy.objects.select_related("facility")
    )


@allow(DEPARTMENT)
def manage_case_study_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    return _manage_edit(request, SECTIONS["case_study"], pk)


@allow(DEPARTMENT)
def manage_documents(request: HttpRequest) -> HttpResponse:
    return _manage_list(request, SECTIONS["document"], PublicDocument.objects.all())


@allow(DEPARTMENT)
def manage_document_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    return _manage_edit(request, SECTIONS["document"], pk)
