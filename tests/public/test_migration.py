"""The public page's content moved from `portal` to `public` without a row moving: a database
holding articles, case studies and documents under portal's models reads them through public's
after `migrate`, and their permissions, admin log entries and history follow them."""

from __future__ import annotations

import datetime

import pytest
from django.apps import apps as current_apps
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from public.models import Article, CaseStudy, PublicDocument
from tests.factories import FacilityFactory, UserFactory

# The last migration before the move: the tables exist and portal owns the models.
BEFORE = [("portal", "0003_public_information_page")]
MOVED = [
    "article",
    "casestudy",
    "publicdocument",
    "historicalarticle",
    "historicalcasestudy",
    "historicalpublicdocument",
]


def migrate(targets: list[tuple[str, str]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    # The real ContentType manager caches rows by label; the migrations just relabelled them.
    ContentType.objects.clear_cache()
    return executor


def labels() -> set[str]:
    return set(
        ContentType.objects.filter(model__in=MOVED).values_list("app_label", flat=True).distinct()
    )


def latest() -> list[tuple[str, str]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_content_written_under_portal_is_read_through_public_after_migrating(
    reference_data: None,
) -> None:
    # The test database was built by the migrations, so post_migrate made the content types
    # under "public"; going back relabels them "portal", as a database of before the move has.
    facility = FacilityFactory(name="Công ty Cổ phần Gạch ngói Diễn Châu")
    editor = UserFactory()
    executor = migrate(BEFORE)
    assert labels() == {"portal"}
    old = executor.loader.project_state(BEFORE).apps
    published = {"status": "published", "published_at": timezone.now()}

    article = old.get_model("portal", "Article").objects.create(
        kind="news", title="Tin cũ", slug="tin-cu", summary="-", body="<p>Nội dung</p>", **published
    )
    old.get_model("portal", "HistoricalArticle").objects.create(
        id=article.pk,
        kind="news",
        title="Tin cũ",
        slug="tin-cu",
        summary="-",
        body="<p>Nội dung</p>",
        status="published",
        published_at=article.published_at,
        updated_at=article.updated_at,
        history_date=timezone.now(),
        history_type="+",
        history_user_id=editor.pk,
    )
    study = old.get_model("portal", "CaseStudy").objects.create(
        facility_id=facility.pk,
        title="Điển hình cũ",
        slug="dien-hinh-cu",
        summary="-",
        body="-",
        consent_given=True,
        consent_on=datetime.date(2024, 5, 1),
        **published,
    )
    document = old.get_model("portal", "PublicDocument").objects.create(
        kind="guide", title="Sổ tay", slug="so-tay", file="public/documents/2024/so-tay.pdf"
    )
    article_type = ContentType.objects.get(app_label="portal", model="article")
    LogEntry.objects.create(
        user=editor,
        content_type=article_type,
        object_id=str(article.pk),
        object_repr="Tin cũ",
        action_flag=ADDITION,
    )

    migrate(latest())

    assert labels() == {"public"}
    assert ContentType.objects.get_for_id(article_type.pk).model_class() is Article
    assert Article.objects.published().get().pk == article.pk
    assert Article.objects.get().history.get().history_user == editor
    moved = CaseStudy.objects.published().select_related("facility").get()
    assert (moved.pk, moved.facility) == (study.pk, facility)
    assert list(facility.case_studies.all()) == [moved]
    assert PublicDocument.objects.get(pk=document.pk).file.name.endswith("so-tay.pdf")
    assert LogEntry.objects.get().get_edited_object() == Article.objects.get()
    assert Permission.objects.get(codename="change_article").content_type == article_type
    assert current_apps.get_app_config("portal").models.keys().isdisjoint(MOVED)

    # And back: the rows stay, the labels return to portal, and forward again for the next test.
    migrate(BEFORE)
    assert labels() == {"portal"}
    assert Article.objects.count() == 1
    migrate(latest())
    assert labels() == {"public"}
