"""The facility list's export: sent at once when short, written by a task when long (Celery runs
in-process in tests), the requester's alone, and bounded in queries whatever its length."""

from __future__ import annotations

import io

import pytest
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from facilities.models import AdministrativeUnit
from reporting import exports
from reporting.models import DownloadLog, FacilityExport
from tests.factories import FacilityFactory, tax_code


def _rows(content: bytes) -> list[tuple]:
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    return list(workbook.active.iter_rows(values_only=True))


def _names(content: bytes) -> set[str]:
    return {row[0] for row in _rows(content)[1:]}


@pytest.fixture(autouse=True)
def _tasks_in_process():
    """The export's task runs here, inside the test's transaction: with a broker (CI's worker
    stage) it would go to a worker that cannot see this test's rows. The worker's own path is
    tests/reporting/test_export_worker.py."""
    from portal.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def long_lists(monkeypatch) -> None:
    """Every list counts as long: the background path with a handful of facilities."""
    monkeypatch.setattr(exports, "INLINE_ROWS", 1)
    monkeypatch.setattr(exports, "PROGRESS_EVERY", 2)


def test_a_short_list_is_sent_at_once_with_the_filtered_rows(users, facilities, client_for) -> None:
    response = client_for(users["official"]).get(
        reverse("reporting:facility_export"), {"q": "gach"}
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    rows = _rows(b"".join(response.streaming_content))
    assert rows[0][:2] == ("Tên cơ sở", "Mã số thuế")
    assert [row[0] for row in rows[1:]] == ["Công ty Cổ phần Gạch ngói Diễn Châu"]
    assert rows[1][10] == "Đang hoạt động"  # the status label, translated once for all rows
    assert not FacilityExport.objects.exists()


def test_the_export_reads_a_bounded_number_of_queries_whatever_the_rows(
    users, facilities, client_for, django_assert_max_num_queries
) -> None:
    client = client_for(users["department_staff"])
    url = reverse("reporting:facility_export")
    with django_assert_max_num_queries(10):
        few = client.get(url)
        b"".join(few.streaming_content)
    for n in range(20):
        FacilityFactory(name=f"Cơ sở thêm {n}", tax_code=tax_code(50_000 + 10 * n))
    with django_assert_max_num_queries(10):
        many = client.get(url)
        assert len(_rows(b"".join(many.streaming_content))) == 23


def test_a_long_list_is_written_by_a_task_and_offered_to_its_requester(
    users, facilities, client_for, long_lists, django_capture_on_commit_callbacks
) -> None:
    for n in range(3):
        FacilityFactory(name=f"Cơ sở thêm {n}", tax_code=tax_code(60_000 + 10 * n))
    client = client_for(users["department_staff"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("reporting:facility_export"))
    export = FacilityExport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reporting:export_detail", args=[export.pk])
    assert export.status == FacilityExport.Status.DONE
    assert (export.progress_done, export.progress_total) == (5, 5)

    page = client.get(response["Location"])
    assert reverse("reporting:export_download", args=[export.pk]) in page.content.decode()
    download = client.get(reverse("reporting:export_download", args=[export.pk]))
    assert download.status_code == 200
    assert download["Cache-Control"] == "no-store"
    names = _names(b"".join(download.streaming_content))
    assert len(names) == 5
    assert "Công ty TNHH Chế biến Thủy sản Quỳnh Lưu" in names
    assert DownloadLog.objects.filter(user=users["department_staff"]).count() == 1


def test_the_file_is_its_requesters_alone(
    users, facilities, client_for, long_lists, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        client_for(users["department_staff"]).get(reverse("reporting:facility_export"))
    export = FacilityExport.objects.get()
    for name in ("export_detail", "export_progress", "export_download"):
        url = reverse(f"reporting:{name}", args=[export.pk])
        assert client_for(users["department_admin"]).get(url).status_code == 404
        assert client_for(users["official"]).get(url).status_code == 404
        # The list's own permission first: a facility manager may not export at all.
        assert client_for(users["facility_manager"]).get(url).status_code == 403


def test_the_task_writes_only_what_the_requester_sees_under_the_lists_filters(
    users, facilities, client_for, long_lists, django_capture_on_commit_callbacks
) -> None:
    quynh_luu = AdministrativeUnit.objects.get(code="421", level="district")
    FacilityFactory(
        name="Công ty Gạch Quỳnh Lưu", tax_code=tax_code(70_000), administrative_unit=quynh_luu
    )
    FacilityFactory(
        name="Hợp tác xã Muối Quỳnh Lưu", tax_code=tax_code(70_010), administrative_unit=quynh_luu
    )
    officer = users["other_district_officer"]  # Quỳnh Lưu's
    client = client_for(officer)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("reporting:facility_export"), {"q": "cong ty"})
    export = FacilityExport.objects.get(requested_by=officer)
    download = client.get(reverse("reporting:export_download", args=[export.pk]))
    # Not the cooperative (the search), nor the Diễn Châu company (another district's).
    assert _names(b"".join(download.streaming_content)) == {
        "Công ty Gạch Quỳnh Lưu",
        "Công ty TNHH Chế biến Thủy sản Quỳnh Lưu",
    }


def test_asking_again_goes_to_the_unfinished_export_and_another_list_waits(
    users, facilities, client_for, long_lists
) -> None:
    staff = users["department_staff"]
    running = FacilityExport.objects.create(
        requested_by=staff, query="q=cong", as_of=timezone.localdate()
    )
    client = client_for(staff)
    same = client.get(reverse("reporting:facility_export"), {"q": "cong"})
    assert same["Location"] == reverse("reporting:export_detail", args=[running.pk])
    other = client.get(reverse("reporting:facility_export"), {"q": "ty"}, follow=True)
    assert "chưa xuất xong" in other.content.decode()
    assert FacilityExport.objects.count() == 1
    progress = client.get(
        reverse("reporting:export_progress", args=[running.pk]), headers={"HX-Request": "true"}
    )
    assert 'hx-trigger="every 2s"' in progress.content.decode()


def test_a_waiting_export_is_cancelled_at_once_and_a_running_one_stops(
    users, facilities, client_for
) -> None:
    staff = users["department_staff"]
    client = client_for(staff)
    waiting = FacilityExport.objects.create(requested_by=staff, as_of=timezone.localdate())
    response = client.post(reverse("reporting:export_cancel", args=[waiting.pk]))
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == FacilityExport.Status.CANCELLED
    assert exports.run(waiting.pk) == "skipped"  # the message reaches a worker later

    # A worker that died mid-file hands the export on as running; a cancel stops it.
    running = FacilityExport.objects.create(
        requested_by=staff, as_of=timezone.localdate(), status=FacilityExport.Status.RUNNING
    )
    client.post(reverse("reporting:export_cancel", args=[running.pk]))
    assert exports.run(running.pk) == "cancelled"
    running.refresh_from_db()
    assert running.status == FacilityExport.Status.CANCELLED
    assert not running.file
    page = client.get(reverse("reporting:export_detail", args=[running.pk]))
    assert "Xuất lại" in page.content.decode()
    assert client.get(reverse("reporting:export_download", args=[running.pk])).status_code == 302


def test_the_rows_stop_where_progress_says_so(users, facilities, monkeypatch) -> None:
    monkeypatch.setattr(exports, "PROGRESS_EVERY", 1)
    seen = []

    def progress(done: int) -> bool:
        seen.append(done)
        return done < 1

    filterset, day = exports.export_filter(users["department_staff"], QueryDict(""))
    with exports.workbook(filterset, day, progress=progress) as output:
        assert len(_rows(output.read())) == 2  # the header and the first facility
    assert seen == [1]


def test_a_user_keeps_their_latest_exports_only(users, facilities, long_lists) -> None:
    staff = users["department_staff"]
    for _n in range(exports.KEEP_EXPORTS + 2):
        export, _note = exports.start(staff, query="", as_of=timezone.localdate(), total=2)
        exports.run(export.pk)
    assert FacilityExport.objects.filter(requested_by=staff).count() == exports.KEEP_EXPORTS


def test_a_facility_named_like_a_formula_or_an_error_is_text(users, facilities, client_for) -> None:
    FacilityFactory(name="=1+1", tax_code=tax_code(80_000))
    FacilityFactory(name="#N/A", tax_code=tax_code(80_010))
    response = client_for(users["department_staff"]).get(reverse("reporting:facility_export"))
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    cells = {row[0].value: row[0].data_type for row in workbook.active.iter_rows(min_row=2)}
    assert cells["=1+1"] == "s"
    assert cells["#N/A"] == "s"
