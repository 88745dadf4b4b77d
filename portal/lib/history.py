"""The change history of a record (django-simple-history), as staff read it on its page."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db import models
from django.utils.text import capfirst
from simple_history.utils import get_m2m_reverse_field_name


def recent_changes(record: models.Model, *, limit: int = 20) -> list[dict[str, Any]]:
    """The last `limit` saves of `record`, newest first, each with the fields it changed."""
    model = type(record)
    versions = list(
        record.history.select_related("history_user").order_by("-history_id")[: limit + 1]  # type: ignore[attr-defined]
    )
    m2m_names = [field.name for field in record.history.model._history_m2m_fields]  # type: ignore[attr-defined]
    links = _m2m_links(model, versions, m2m_names)
    changes = []
    for newer, older in zip(versions[:limit], [*versions[1:], None], strict=False):
        fields = []
        if older is not None:
            delta = newer.diff_against(
                older, foreign_keys_are_objs=False, excluded_fields=m2m_names
            )
            names = [change.field for change in delta.changes] + [
                name
                for name in m2m_names
                if links[name][newer.history_id] != links[name][older.history_id]
            ]
            fields = [capfirst(model._meta.get_field(name).verbose_name) for name in names]
        changes.append({"record": newer, "fields": fields})
    return changes


def _m2m_links(
    model: type[models.Model], versions: list[Any], names: list[str]
) -> dict[str, dict[int, set[int]]]:
    """Field name → history id → the linked pks of that version, in one query per field
    (diff_against would query each version's links one by one)."""
    links: dict[str, dict[int, set[int]]] = {}
    for name in names:
        linked = get_m2m_reverse_field_name(model._meta.get_field(name))
        by_version: dict[int, set[int]] = defaultdict(set)
        if versions:
            rows = getattr(versions[0], name).model.objects.filter(
                history_id__in=[version.history_id for version in versions]
            )
            for history_id, pk in rows.values_list("history_id", linked):
                by_version[history_id].add(pk)
        links[name] = by_version
    return links
