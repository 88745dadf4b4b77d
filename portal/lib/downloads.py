from __future__ import annotations

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404


def private_file_response(
    stored: FieldFile, *, filename: str, content_type: str = "application/pdf"
) -> FileResponse:
    """An uploaded file, sent to someone the calling view already let in.

    Uploads are never served from a public URL: each goes out through a view that checked who
    asks. Sent as an attachment under a name of ours, and never kept by shared caches.
    """
    if not stored:
        raise Http404
    response = FileResponse(
        stored.open("rb"), as_attachment=True, filename=filename, content_type=content_type
    )
    response["Cache-Control"] = "no-store"
    return response
