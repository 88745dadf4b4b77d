"""A file that claims to be a PDF must be structured as one; wrong extensions are explained in
Vietnamese."""

from __future__ import annotations

import io

import pytest
import weasyprint
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from assessments.models import validate_pdf
from facilities.models import AwarenessConfirmation
from portal.lib.uploads import is_pdf
from public.models import validate_document
from tests.files import PDF, minimal_pdf

HTML_PRETENDING = b"%PDF-1.4\n<html><body><script>alert(1)</script></body></html>\n%%EOF\n"
# Everything a naive check looks for, but the offset points at nothing of the kind.
TRAILER_ONLY = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\nstartxref\n9\n%%EOF\n"


def test_the_shared_fixture_and_a_weasyprint_report_are_pdfs() -> None:
    assert is_pdf(io.BytesIO(PDF))
    assert is_pdf(io.BytesIO(minimal_pdf("Bao cao")))
    assert is_pdf(io.BytesIO(weasyprint.HTML(string="<p>Báo cáo</p>").write_pdf()))


@pytest.mark.parametrize(
    "content",
    [HTML_PRETENDING, TRAILER_ONLY, PDF[:-30], b"%PDF-", b"", PDF.replace(b"%PDF-1.4", b"<html>")],
    ids=["html", "offset to nothing", "truncated", "header only", "empty", "no header"],
)
def test_what_only_looks_like_a_pdf_is_refused_by_every_pdf_validator(content: bytes) -> None:
    assert not is_pdf(io.BytesIO(content))
    for validator in (validate_pdf, validate_document):
        with pytest.raises(ValidationError):
            validator(SimpleUploadedFile("bao-cao.pdf", content))


def test_the_check_leaves_the_file_where_it_was() -> None:
    handle = io.BytesIO(PDF)
    handle.seek(7)
    assert is_pdf(handle)
    assert handle.tell() == 7


def _post_evidence(client, facility, name: str, content: bytes):
    return client.post(
        reverse("facilities:awareness_add", args=[facility.pk]),
        {
            "confirmed_on": "01/03/2026",
            "method": AwarenessConfirmation.Method.SURVEY,
            "evidence": SimpleUploadedFile(name, content),
        },
    )


def test_an_html_page_named_pdf_is_refused_as_evidence_in_vietnamese(
    users, facilities, client_for
) -> None:
    response = _post_evidence(
        client_for(users["department_staff"]), facilities["own"], "phieu.pdf", HTML_PRETENDING
    )
    assert response.status_code == 200
    assert "không phải PDF hợp lệ" in response.content.decode()
    assert not AwarenessConfirmation.objects.exists()


def test_a_real_pdf_is_accepted_as_evidence(users, facilities, client_for) -> None:
    response = _post_evidence(
        client_for(users["department_staff"]), facilities["own"], "phieu.pdf", PDF
    )
    assert response.status_code == 302
    assert AwarenessConfirmation.objects.get().evidence.read() == PDF


def test_a_wrong_extension_is_explained_in_vietnamese(users, facilities, client_for) -> None:
    with translation.override("vi"):
        response = _post_evidence(
            client_for(users["department_staff"]), facilities["own"], "phieu.html", b"<html>"
        )
    page = response.content.decode()
    assert "Không nhận tệp có đuôi “html”" in page
    assert "is not allowed" not in page
