"""Import tasks: thin wrappers that take an import's id and call facilities.importer."""

from __future__ import annotations

import logging
from collections.abc import Callable

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.utils import translation
from django.utils.translation import gettext as _

from facilities import importer
from facilities.models import FacilityImport

logger = logging.getLogger(__name__)


def _fail(batch_id: int, message: str) -> str:
    # A write that failed midway rolled back: the file stays checked, to be tried again.
    FacilityImport.objects.filter(pk=batch_id, status=FacilityImport.Status.APPLYING).update(
        status=FacilityImport.Status.CHECKED, message=message
    )
    FacilityImport.objects.filter(pk=batch_id, status=FacilityImport.Status.CHECKING).update(
        status=FacilityImport.Status.FAILED, message=message
    )
    return "failed"


def _run(step: Callable[[int], str], batch_id: int, language: str) -> str:
    with translation.override(language):
        try:
            return step(batch_id)
        except SoftTimeLimitExceeded:
            return _fail(batch_id, _("Quá thời gian cho phép; chưa có cơ sở nào được ghi."))
        except Exception:
            # Not something a retry mends: shown on the import, logged in full.
            logger.exception("Import %s failed", batch_id)
            return _fail(
                batch_id,
                _("Lỗi hệ thống khi xử lý tệp; chưa có cơ sở nào được ghi. Vui lòng thử lại."),
            )


# No automatic retry: the dry run is cheap to start again from the page, and the write must
# not run twice unasked.
@shared_task(time_limit=15 * 60, soft_time_limit=14 * 60)
def check_import(batch_id: int, language: str = "vi") -> str:
    return _run(importer.run_check, batch_id, language)


@shared_task(time_limit=15 * 60, soft_time_limit=14 * 60)
def apply_import(batch_id: int, language: str = "vi") -> str:
    return _run(importer.run_apply, batch_id, language)
