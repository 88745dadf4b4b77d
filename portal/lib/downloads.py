from __future__ import annotations

import logging
from collections.abc import Callable

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponseBase

logger = logging.getLogger(__name__)


def private_file_response(
    stored: FieldFile, *, filename: str, content_type: str = "application/pdf"
) -> FileResponse:
    """An uploaded file, sent to someone the calling view already let in.

    Uploads are never served from a public URL: each goes out through a view that checked who
    asks. Sent as an attachment under a name of ours, and never kept by shared caches.
    """
    if not stored:
        raise Http404
    try:
        handle = stored.open("rb")
    except FileNotFoundError:
        # Its row is there but not the file (a database restored without its media): a 404 for
        # the reader, an error in the log for whoever runs the server.
        logger.error("Stored file missing: %s", stored.name)
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=content_type
    )
    response["Cache-Control"] = "no-store"
    return response


class NoStoreDownloadsMiddleware:
    """An attachment whose view said nothing about caching leaves with `Cache-Control: no-store`.

    Views that send private files set it themselves (above); this catches the ones that forget,
    so a shared proxy or the browser's disk cache never keeps a facility list or a report. A view
    that chose a policy (a published public document may be cached) keeps its choice.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        attachment = response.get("Content-Disposition", "").startswith("attachment")
        if attachment and not response.has_header("Cache-Control"):
            response["Cache-Control"] = "no-store"
        return response
