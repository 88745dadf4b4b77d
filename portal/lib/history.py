"""The change history of a record (django-simple-history), as staff read it on its page."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.text import capfirst


def recent_changes(record: models.Model, *, limit: int = 20) -> list[dict[str, Any]]:
    """The last `limit` saves of `record`, newest first, each with the fields it changed."""
    model = type(record)
    versions = list(
        record.history.select_related("history_user").order_by("-history_id")[: limit + 1]  # type: ignore[attr-defined]
    )
    changes = []
    for newer, older in zip(versions[:limit], [*versions[1:], None], strict=False):
        fields = []
        if older is not None:
            delta = newer.diff_against(older, foreign_keys_are_objs=False)
            fields = [capfirst(model._meta.get_field(c.field).verbose_name) for c in delta.changes]
        changes.append({"record": newer, "fields": fields})
    return changes
