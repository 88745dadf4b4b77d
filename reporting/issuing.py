"""Issuing a report, closing its period, and comparing it with today's figures.

Decisions:
- Issuing re-renders the PDF and the Word file: the same snapshot the run was generated from,
  built again from the engine with the parts staff wrote, printed with the number ("Số:
  125/BC-SCT"), the place and signing date and the signer. Saving what staff wrote for the
  parts (`revise_texts`) prints both files again the same way, before issuing. The rebuilt
  figures must equal the run's figures as generated; if a write changed them in between (the
  period was not closed yet), the step is refused and staff generate a new version. So the
  issued figures are the generated ones, and the issued PDF is what is signed. The workbook
  carries no number and is kept as generated. It takes the seconds one PDF takes, in the
  request: a clerk's act, done a few times per report.
- From then on the run never changes: the worker settles only runs not done, a regeneration is
  a new version, and the issued run's files, SHA-256 and `figures` stay. The unnumbered PDF it
  replaced is deleted once the issue is committed.
- Issuing closes the figures through the report's data date (`portal.lib.closing.close`), in
  the same transaction. Only a report whose data date has passed may be issued: self-reports
  approved today still count for today.
- The number is unique per audience and year of signing (each body's register restarts every
  year), checked here with a clear message and by a database constraint.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from portal.access import DEPARTMENT, role_of
from portal.lib import closing
from portal.lib.dates import local_today
from portal.models import User
from reporting import builders, docx, indicators, pdf, services
from reporting.models import ReportRun, ReportSettings
from reporting.snapshot import RATIO, SECTION_KEYS, Snapshot, summary_figure


@transaction.atomic
def issue_report(
    run: ReportRun,
    *,
    by: User,
    number: str,
    issued_on: datetime.date,
    signer_name: str,
) -> ReportRun:
    """Issue `run` under `number`, signed by `signer_name` on `issued_on`, and close its period.
    Department staff only; the run must be done and not issued yet."""
    if role_of(by) not in DEPARTMENT:
        raise PermissionDenied
    run = ReportRun.objects.select_for_update().select_related("plan").get(pk=run.pk)
    if run.status != ReportRun.Status.DONE:
        raise ValidationError(_("Chỉ ban hành được báo cáo đã tạo xong."))
    if run.is_issued:
        raise ValidationError(
            _("Báo cáo này đã được ban hành (số %(reference)s).") % {"reference": run.reference}
        )
    number = number.strip()
    if not number:
        raise ValidationError(_("Vui lòng ghi số văn bản."))
    today = local_today()
    if run.as_of >= today:
        raise ValidationError(
            _(
                "Chỉ ban hành được báo cáo có ngày số liệu đã qua: số liệu ngày %(date)s còn có "
                "thể thay đổi trong ngày."
            )
            % {"date": run.as_of.strftime("%d/%m/%Y")}
        )
    if issued_on > today:
        raise ValidationError(_("Ngày ban hành không được sau hôm nay."))
    if issued_on < run.as_of:
        raise ValidationError(_("Ngày ban hành không được trước ngày số liệu của báo cáo."))
    if _number_taken(run, number, issued_on.year):
        raise ValidationError(
            _("Số %(number)s đã dùng cho một báo cáo gửi %(audience)s ban hành năm %(year)s.")
            % {"number": number, "audience": run.get_audience_display(), "year": issued_on.year}
        )

    if not (signer_name.strip() or ReportSettings.objects.for_audience(run.audience).signer_name):
        raise ValidationError(_("Vui lòng ghi họ và tên người ký."))
    snapshot, figures = _render_again(
        run, number=number, issued_on=issued_on, signer_name=signer_name.strip()
    )
    run.figures = figures
    run.number = number
    run.symbol = snapshot.symbol
    run.issued_on = issued_on
    run.issued_year = issued_on.year
    run.signer_name = snapshot.signer_name
    run.issued_by = by
    run.issued_at = timezone.now()
    try:
        with transaction.atomic():
            run.save()
    except IntegrityError as exc:
        # Someone issued the same number at the same moment: the constraint is the last word.
        for name in (run.pdf.name, run.docx.name):
            default_storage.delete(name)
        raise ValidationError(
            _("Số %(number)s vừa được dùng cho một báo cáo khác, vui lòng chọn số khác.")
            % {"number": number}
        ) from exc
    closing.close(through=run.as_of, label=run.reference, run_id=run.pk, by=by)
    return run


@transaction.atomic
def revise_texts(run: ReportRun, *, by: User, texts: dict[str, str]) -> ReportRun:
    """Keep what staff wrote for the parts of an unissued report (`snapshot.SECTIONS`; an empty
    part prints the portal's draft) and print its PDF and Word file again with it. The figures
    are rebuilt and must be the ones generated, as when issuing."""
    if role_of(by) not in DEPARTMENT:
        raise PermissionDenied
    run = ReportRun.objects.select_for_update().select_related("plan").get(pk=run.pk)
    if run.status != ReportRun.Status.DONE:
        raise ValidationError(_("Chỉ sửa được nội dung của báo cáo đã tạo xong."))
    if run.is_issued:
        raise ValidationError(_("Báo cáo đã ban hành không sửa được; vui lòng tạo phiên bản mới."))
    run.texts = {key: texts.get(key, "").strip() for key in SECTION_KEYS}
    _render_again(run)
    run.save()
    return run


def _render_again(run: ReportRun, **changes: Any) -> tuple[Snapshot, dict[str, Any]]:
    """Build `run`'s snapshot again with its texts and `changes` (number, date, signer), check
    that its figures are the ones generated, and store its PDF and Word file in place of the
    old ones (deleted once the transaction commits)."""
    with translation.override(settings.LANGUAGE_CODE):
        snapshot = builders.build(
            run.plan,
            year=run.year,
            quarter=run.quarter,
            audience=run.audience,
            as_of=run.as_of,
            basis=run.basis,
            texts=run.texts,
            area_grouping=run.area_grouping,
        )
        changes = {key: value for key, value in changes.items() if value}
        snapshot = replace(snapshot, **changes)
        figures = snapshot.figures()
        if not _same_figures(run, figures):
            raise ValidationError(
                _(
                    "Số liệu đã thay đổi từ khi tạo phiên bản này. Vui lòng tạo phiên bản mới, "
                    "kiểm tra rồi ban hành phiên bản mới."
                )
            )
        rendered = pdf.render(snapshot)
        word = docx.render(snapshot)
    for field, content in (("pdf", rendered.content), ("docx", word)):
        old = getattr(run, field).name
        name = services.store_file(run, field, content)
        transaction.on_commit(lambda old=old, name=name: _forget(old, keep=name))
        services.attach(run, field, name)
    run.pdf_pages = rendered.pages
    run.drafts = snapshot.drafts
    return snapshot, figures


def _number_taken(run: ReportRun, number: str, year: int) -> bool:
    return (
        ReportRun.objects.filter(
            audience=run.audience, issued_year=year, number=number, issued_at__isnull=False
        )
        .exclude(pk=run.pk)
        .exists()
    )


def _same_figures(run: ReportRun, figures: dict[str, Any]) -> bool:
    """Whether `figures` are the run's figures as generated. A run generated before figures
    were kept has its summary only (value and status of each indicator): compared on that."""
    if run.figures:
        return run.figures == figures
    kept = [(row["code"], row["value"], row["status"]) for row in run.summary]
    return kept == [(row["code"], row["value"], row["status"]) for row in figures["summary"]]


def _forget(draft: str, *, keep: str) -> None:
    if draft and draft != keep:
        default_storage.delete(draft)


# --- restatement -----------------------------------------------------------------------------


@dataclass(frozen=True)
class RestatedFigure:
    code: str
    name: str
    kind: str
    issued: dict[str, Any]
    today: dict[str, Any]
    changes: list[closing.Change]

    @property
    def changed(self) -> bool:
        keys = ("value", "numerator", "denominator", "status")
        return any(self.issued.get(key) != self.today.get(key) for key in keys)

    @property
    def difference(self) -> str:
        """Today's value less the issued one: percentage points for a share, a count else."""
        old, new = self.issued.get("value"), self.today.get("value")
        if old is None or new is None or old == new:
            return ""
        delta = Decimal(new) - Decimal(old)
        sign = "+" if delta > 0 else "−"
        if self.kind == RATIO:
            points = number_format(abs(delta) * 100, decimal_pos=1)
            return _("%(sign)s%(points)s điểm phần trăm") % {"sign": sign, "points": points}
        return f"{sign}{number_format(abs(delta), decimal_pos=0)}"


def restatement(run: ReportRun) -> list[RestatedFigure]:
    """Each indicator of an issued run as issued and as computed today for the same plan, year
    and data date, with the writes recorded since the issue that changed figures up to that
    date (`closing.changes_since`)."""
    if not run.is_issued:
        return []
    today = indicators.compute(run.plan, as_of=run.as_of, year=run.year)
    issued = {row["code"]: row for row in run.figures.get("summary", [])}
    changes = closing.changes_since(run.issued_at, run.as_of)
    rows = []
    for code, figure in today.items():
        row = builders.summary_row(figure)
        rows.append(
            RestatedFigure(
                code=code,
                name=row.name,
                kind=row.kind,
                issued=issued.get(code, {}),
                today=summary_figure(row),
                changes=[change for change in changes if code in change.indicators],
            )
        )
    return rows
