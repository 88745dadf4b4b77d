"""The facility list's XLSX export, at any size.

A list of up to INLINE_ROWS facilities is written within the request and sent (a few seconds).
A longer one would not be: 200,000 facilities take minutes on two cores, and gunicorn ends a
request after 60 s. It becomes a `FacilityExport` that a Celery task writes to storage, with its
progress on a page, a cancel button and the file offered once done, kept across reloads, as the
registry import does (facilities/tasks.py).

Decisions:
- The rows are those the requester sees (`Facility.objects.visible_to`) under the list's filters,
  read when the file is written. The file is the requester's alone: its page and its download
  check the export's permission again, and anyone else gets a 404.
- One unfinished export per user (a database constraint). Asking again for the same list goes
  to the one under way; asking for another list while one runs is refused with a message.
- Rows are read in chunks and written by openpyxl's write-only mode into a temporary file,
  then copied into storage: memory stays flat whatever the number of rows.
- A user keeps their KEEP_EXPORTS latest files; older ones are deleted when a new one starts.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any

from django.conf import settings
from django.contrib import messages
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import FileResponse, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from facilities.forms import AsOfForm
from facilities.models import Facility
from portal.access import PROGRAMME_READERS, allow
from portal.lib.downloads import private_file_response
from portal.models import User
from reporting import excel
from reporting.forms import FacilityFilter, with_list_columns
from reporting.models import DownloadLog, FacilityExport
from reporting.registry import export_rows
from reporting.services import log_download

# Above this many rows the workbook is written by a task (about 1,000 rows a second on the
# production machine: a few seconds in the request at most).
INLINE_ROWS = 5_000
KEEP_EXPORTS = 3
PROGRESS_EVERY = 2_000
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export_filter(
    user: User, query: QueryDict, day: datetime.date | None = None
) -> tuple[FacilityFilter, datetime.date]:
    """The list's filters over what `user` sees, and the day the list is read at: `day` when
    given (a task writes the list of the day it was asked for), else the query's or today."""
    if day is None:
        day = timezone.localdate()
        as_of = AsOfForm(query)
        if as_of.is_valid() and as_of.cleaned_data["on"]:
            day = as_of.cleaned_data["on"]
    filterset = FacilityFilter(query or None, queryset=Facility.objects.visible_to(user), today=day)
    return filterset, day


def workbook(
    filterset: FacilityFilter, day: datetime.date, *, progress: Callable[[int], bool] | None = None
) -> IO[bytes]:
    """The filtered list as XLSX in a temporary file, rewound. `progress(rows written)` is told
    every PROGRESS_EVERY rows and at the end; when it answers False the rows stop there."""
    facilities = with_list_columns(filterset.qs, day).iterator(chunk_size=PROGRESS_EVERY)
    rows = export_rows(facilities, today=day)
    if progress is not None:
        rows = _reporting(rows, progress)
    return excel.facility_rows_xlsx(rows)


def _reporting(rows: Iterable[list[Any]], progress: Callable[[int], bool]) -> Iterator[list[Any]]:
    done = 0
    for done, row in enumerate(rows, start=1):  # noqa: B007 - the count is reported at the end
        yield row
        if done % PROGRESS_EVERY == 0 and not progress(done):
            return
    progress(done)


@allow(PROGRAMME_READERS)
def facility_export(request: HttpRequest) -> HttpResponse:
    """The filtered list as XLSX: sent at once when short, else written by a task whose page
    the requester is taken to."""
    filterset, day = export_filter(request.user, request.GET)
    count = filterset.qs.count()
    if count > INLINE_ROWS:
        export, note = start(request.user, query=request.GET.urlencode(), as_of=day, total=count)
        if note:
            messages.warning(request, note)
        return redirect("reporting:export_detail", pk=export.pk)
    log_download(
        request.user, kind=DownloadLog.Kind.FACILITY_EXPORT, detail=request.GET.urlencode()
    )
    response = FileResponse(
        workbook(filterset, day),
        as_attachment=True,
        filename=f"danh-sach-co-so-{day:%Y%m%d}.xlsx",
        content_type=CONTENT_TYPE,
    )
    response["Cache-Control"] = "no-store"
    return response


# --- The task's side: start, run, cancel -----------------------------------------------------


def start(
    user: User, *, query: str, as_of: datetime.date, total: int
) -> tuple[FacilityExport, str]:
    """The export of this list for `user`: the one under way if it is the same list, else a new
    one queued. Also returns a message for the user when another list is still being written."""
    from reporting import tasks  # the tasks module imports this one

    _settle_stale(user)
    running = FacilityExport.objects.filter(
        requested_by=user, status__in=FacilityExport.UNFINISHED
    ).first()
    if running is not None:
        if running.query == query and running.as_of == as_of:
            return running, ""
        return running, _(
            "Bạn đang có một danh sách chưa xuất xong: vui lòng chờ danh sách này xong hoặc hủy "
            "nó rồi xuất lại."
        )
    _forget_old(user)
    try:
        with transaction.atomic():
            export = FacilityExport.objects.create(
                requested_by=user, query=query, as_of=as_of, progress_total=total
            )
    except IntegrityError:
        # Two clicks at once: the constraint let the other one through.
        running = FacilityExport.objects.get(
            requested_by=user, status__in=FacilityExport.UNFINISHED
        )
        return running, ""
    language = translation.get_language() or settings.LANGUAGE_CODE
    transaction.on_commit(lambda: tasks.export_facilities.delay(export.pk, language))
    return export, ""


def _settle_stale(user: User) -> None:
    # A task killed with its worker leaves its export unfinished: past the task time limit it
    # no longer blocks its user.
    stale = timezone.now() - datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)
    FacilityExport.objects.filter(
        requested_by=user, status__in=FacilityExport.UNFINISHED, requested_at__lt=stale
    ).update(status=FacilityExport.Status.FAILED, message=_("Quá thời gian cho phép."))


def _forget_old(user: User) -> None:
    """Delete the user's finished exports beyond the KEEP_EXPORTS - 1 latest (a new one is about
    to start), files included."""
    finished = FacilityExport.objects.filter(requested_by=user).exclude(
        status__in=FacilityExport.UNFINISHED
    )
    for old in finished[KEEP_EXPORTS - 1 :]:
        if old.file:
            old.file.delete(save=False)
        old.delete()


def run(export_id: int) -> str:
    """Write a queued export. Run again after a worker died, it starts the file over."""
    export = FacilityExport.objects.select_related("requested_by").filter(pk=export_id).first()
    if export is None or not export.is_unfinished:
        return "skipped"
    if export.cancel_requested:
        _finish(export_id, FacilityExport.Status.CANCELLED)
        return "cancelled"
    started = FacilityExport.objects.filter(
        pk=export_id, status__in=FacilityExport.UNFINISHED
    ).update(status=FacilityExport.Status.RUNNING, started_at=timezone.now(), progress_done=0)
    if not started:
        return "skipped"  # cancelled in the meantime
    filterset, day = export_filter(export.requested_by, QueryDict(export.query), export.as_of)

    def progress(done: int) -> bool:
        rows = FacilityExport.objects.filter(pk=export_id)
        rows.update(progress_done=done)
        return not rows.values_list("cancel_requested", flat=True).first()

    with workbook(filterset, day, progress=progress) as output:
        if FacilityExport.objects.filter(pk=export_id, cancel_requested=True).exists():
            _finish(export_id, FacilityExport.Status.CANCELLED)
            return "cancelled"
        export.file.save(export.filename, File(output), save=False)
    _finish(
        export_id,
        FacilityExport.Status.DONE,
        file=export.file.name,
        progress_total=F("progress_done"),
    )
    return "done"


def fail(export_id: int, message: str) -> None:
    FacilityExport.objects.filter(pk=export_id, status__in=FacilityExport.UNFINISHED).update(
        status=FacilityExport.Status.FAILED, message=message, finished_at=timezone.now()
    )


def _finish(export_id: int, status: str, **values: Any) -> None:
    FacilityExport.objects.filter(pk=export_id).update(
        status=status, finished_at=timezone.now(), **values
    )


def request_cancel(export: FacilityExport) -> bool:
    """Cancel an export still waiting for a worker at once (a stopped worker must not keep it,
    and its user, waiting); ask a running one to stop at its next progress report. False when
    nothing is left to cancel."""
    rows = FacilityExport.objects.filter(pk=export.pk)
    waiting = rows.filter(status=FacilityExport.Status.QUEUED).update(
        status=FacilityExport.Status.CANCELLED, cancel_requested=True, finished_at=timezone.now()
    )
    running = rows.filter(status=FacilityExport.Status.RUNNING).update(cancel_requested=True)
    return bool(waiting or running)


# --- The requester's pages -------------------------------------------------------------------


def _own_export(request: HttpRequest, pk: int) -> FacilityExport:
    """An export is its requester's alone: anyone else, staff included, gets a 404."""
    return get_object_or_404(FacilityExport, pk=pk, requested_by=request.user)


@allow(PROGRAMME_READERS)
def export_detail(request: HttpRequest, pk: int) -> HttpResponse:
    export = _own_export(request, pk)
    return render(request, "reporting/export_detail.html", {"export": export})


@allow(PROGRAMME_READERS)
def export_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress panel alone, polled by htmx every two seconds while the file is written."""
    export = _own_export(request, pk)
    response = render(request, "reporting/export_progress.html", {"export": export})
    if not export.is_unfinished and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"  # show the download or the message
    return response


@allow(PROGRAMME_READERS)
@require_POST
def export_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    export = _own_export(request, pk)
    if request_cancel(export):
        messages.info(request, _("Đã yêu cầu hủy: cổng dừng ở lần cập nhật tiến độ tiếp theo."))
    return redirect("reporting:export_detail", pk=export.pk)


@allow(PROGRAMME_READERS)
def export_download(request: HttpRequest, pk: int) -> HttpResponse:
    export = _own_export(request, pk)
    if export.status != FacilityExport.Status.DONE:
        return redirect("reporting:export_detail", pk=export.pk)
    log_download(request.user, kind=DownloadLog.Kind.FACILITY_EXPORT, detail=export.query)
    return private_file_response(export.file, filename=export.filename, content_type=CONTENT_TYPE)


urlpatterns = [
    path("co-so/xuat-excel/", facility_export, name="facility_export"),
    path("co-so/xuat-excel/<int:pk>/", export_detail, name="export_detail"),
    path("co-so/xuat-excel/<int:pk>/tien-do/", export_progress, name="export_progress"),
    path("co-so/xuat-excel/<int:pk>/huy/", export_cancel, name="export_cancel"),
    path("co-so/xuat-excel/<int:pk>/tai/", export_download, name="export_download"),
]
