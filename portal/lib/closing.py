"""Closed periods: once a report is issued, the figures up to its data date stay as issued.

The engine computes every indicator as of a date from dated facts, so a past date's figures
change only through writes that set or change a date on or before it, or that change an undated
attribute of a record that counts by then (a facility's scope, a project's status). Issuing a
report closes the figures through its data date (`ClosedPeriod`); this module answers "is this
date closed?" and refuses the writes that would change a closed date's figures, until a
department admin reopens the period with a reason.

How a write is judged, precisely rather than by a blanket rule: each guarded model says, in its
`closing_rule`, which of its facts the figures read and how the record counts over time, as
*spans* — "counts from `start` (inclusive) until `end` (exclusive, None: for good) as `key`".
A write changes a closed period's figures exactly when the record's spans clipped to the closed
dates differ before and after it: a new record (nothing before) whose spans start on or before
the closed date, a deletion of one that did, a date moved across or within the closed dates, an
undated attribute (scope, status, funding, kind, …) changed on a record that counts by then.
Everything else passes: a new record with only later dates, a closing date set after the
closed date, a typo corrected in a name. The old values are read from the database, the new
ones from the instance, so the same rule serves ModelForms, the admin and the services (each
calls `full_clean()`, which runs the models' `clean()`, where `ClosingGuard` checks), and the
restatement page (`changes_since`), which applies it to the history rows written since an issue.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.apps import apps
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from portal.access import ADMINS, role_of
from portal.models import ClosedPeriod, User

# "Counts from start until end (exclusive; None: for good) as key".
Span = tuple[datetime.date, datetime.date | None, Hashable]
# A record without its start date counts from the beginning (a facility without a start date
# is operating on every date).
EARLIEST = datetime.date.min


def span(
    start: datetime.date | None, end: datetime.date | None = None, key: Hashable = None
) -> list[Span]:
    """One span, or none when the record never starts counting or ends before it starts."""
    if start is None or (end is not None and end <= start):
        return []
    return [(start, end, key)]


def day_after(day: datetime.date | None) -> datetime.date | None:
    """The exclusive end of an inclusive last day (`dedicated_to`, `valid_to`)."""
    return None if day is None else day + datetime.timedelta(days=1)


@dataclass(frozen=True)
class Rule:
    """What of a model's records the figures read (`fields`, relation paths allowed:
    "course__ends_on"), how a record counts over time (`spans`, from a mapping of those fields),
    and which indicators it feeds (for the restatement page)."""

    fields: tuple[str, ...]
    spans: Callable[[Mapping[str, Any]], list[Span]]
    indicators: tuple[str, ...] = ()
    # Fields shown as "what changed" (the model's own; relation paths are context).
    own_fields: tuple[str, ...] = field(default=())

    def shown_fields(self) -> tuple[str, ...]:
        return self.own_fields or tuple(name for name in self.fields if "__" not in name)


class ClosingGuard:
    """Mixed into a domain model with a `closing_rule`: its `clean()` refuses a write that would
    change a closed period's figures. Put it before `models.Model` in the bases."""

    closing_rule: ClassVar[Rule]

    def clean(self) -> None:
        super().clean()  # type: ignore[misc]
        check_write(self)  # type: ignore[arg-type]


# Within `period_read_once()`, the closing in force as first read (a list: unset until read).
_period_of_run: ContextVar[list[ClosedPeriod | None] | None] = ContextVar(
    "period_of_run", default=None
)


def in_force() -> ClosedPeriod | None:
    """The closing in force reaching furthest, if any (a reopened one no longer holds)."""
    remembered = _period_of_run.get()
    if remembered:
        return remembered[0]
    period = ClosedPeriod.objects.in_force().order_by("-closed_through", "-closed_at").first()
    if remembered is not None:
        remembered.append(period)
    return period


@contextmanager
def period_read_once() -> Iterator[None]:
    """Read the closing in force once for the whole block rather than once per record: an
    import validates up to 20,000 facilities, each of whose `clean()` would ask again."""
    token = _period_of_run.set([])
    try:
        yield
    finally:
        _period_of_run.reset(token)


def is_closed(day: datetime.date) -> bool:
    period = in_force()
    return period is not None and day <= period.closed_through


def clipped(spans: Iterable[Span], through: datetime.date) -> Counter[Span]:
    """The spans as seen from the dates up to `through`: later starts drop out, and an end after
    `through` is as good as none."""
    seen: Counter[Span] = Counter()
    for start, end, key in spans:
        if start > through:
            continue
        seen[(start, end if end is not None and end <= through else None, key)] += 1
    return seen


def changes_closed(
    rule: Rule,
    old: Mapping[str, Any] | None,
    new: Mapping[str, Any] | None,
    through: datetime.date,
) -> bool:
    """Whether going from `old` to `new` (None: no record) changes a figure of a date up to
    `through`."""
    before = clipped(rule.spans(old), through) if old is not None else Counter()
    after = clipped(rule.spans(new), through) if new is not None else Counter()
    return before != after


def _resolve(instance: models.Model, path: str) -> Any:
    """`instance`'s value at `path` ("facility_id", "course__ends_on"), None past a missing link."""
    value: Any = instance
    for part in path.split("__"):
        try:
            value = getattr(value, part)
        except ObjectDoesNotExist:
            return None
        if value is None:
            return None
    return value


def _rule_of(instance: models.Model) -> Rule:
    return type(instance).closing_rule  # type: ignore[attr-defined]


def stored_values(instance: models.Model) -> dict[str, Any] | None:
    """The record as the database has it (None for a new one)."""
    if instance.pk is None or instance._state.adding:
        return None
    model = type(instance)
    return model._base_manager.filter(pk=instance.pk).values(*_rule_of(instance).fields).first()


def current_values(instance: models.Model) -> dict[str, Any]:
    return {path: _resolve(instance, path) for path in _rule_of(instance).fields}


def refusal(
    period: ClosedPeriod, instance: models.Model, *, deleting: bool = False
) -> ValidationError:
    values = {
        "record": type(instance)._meta.verbose_name,
        "date": period.closed_through.strftime("%d/%m/%Y"),
        "label": period.label,
    }
    if deleting:
        message = _(
            "Không xóa được %(record)s: Sở đã chốt số liệu đến ngày %(date)s (báo cáo số "
            "%(label)s) và bản ghi này được tính trong số liệu đó. Đề nghị quản trị viên Sở mở "
            "lại kỳ trước khi sửa."
        )
    else:
        message = _(
            "Không lưu được %(record)s: Sở đã chốt số liệu đến ngày %(date)s (báo cáo số "
            "%(label)s) và thay đổi này làm thay đổi số liệu đó. Đề nghị quản trị viên Sở mở lại "
            "kỳ trước khi sửa."
        )
    return ValidationError(message % values, code="closed_period")


def check_write(instance: models.Model) -> None:
    """Refuse saving `instance` as it is now if that changes a closed date's figures."""
    period = in_force()
    if period is None:
        return
    try:
        changed = changes_closed(
            _rule_of(instance),
            stored_values(instance),
            current_values(instance),
            period.closed_through,
        )
    except (TypeError, ValueError):
        # A value that did not convert (a date typed as text): the field's own error says so,
        # and the record cannot be saved anyway.
        return
    if changed:
        raise refusal(period, instance)


def check_delete(instance: models.Model) -> None:
    """Refuse deleting `instance` if it counts in a closed date's figures. The app's views and
    services call this before deleting a guarded record (Django's admin does not: see README)."""
    period = in_force()
    if period is None:
        return
    if changes_closed(_rule_of(instance), stored_values(instance), None, period.closed_through):
        raise refusal(period, instance, deleting=True)


# --- closing and reopening -----------------------------------------------------------------


def close(*, through: datetime.date, label: str, run_id: int | None, by: User) -> ClosedPeriod:
    """Close the figures through `through` (called by the reporting floor when it issues)."""
    period = ClosedPeriod(closed_through=through, label=label, report_run_id=run_id, closed_by=by)
    period._history_user = by  # type: ignore[attr-defined]
    period.full_clean()
    period.save()
    return period


@transaction.atomic
def reopen(period: ClosedPeriod, *, by: User, reason: str) -> ClosedPeriod:
    """Reopen a closed period: department admins only, with a reason, kept in its history."""
    if role_of(by) not in ADMINS:
        raise PermissionDenied
    period = ClosedPeriod.objects.select_for_update().get(pk=period.pk)
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Vui lòng ghi lý do mở lại kỳ đã chốt."))
    if period.reopened_at is not None:
        raise ValidationError(_("Kỳ này đã được mở lại."))
    period.reopened_at = timezone.now()
    period.reopened_by = by
    period.reopen_reason = reason
    period._history_user = by  # type: ignore[attr-defined]
    period._change_reason = reason[:100]  # type: ignore[attr-defined]
    period.full_clean()
    period.save()
    return period


# --- what changed since an issue -------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """A history row written after an issue that changed figures up to its data date."""

    model: str
    record_id: int
    record: str
    action: str  # "+" created, "~" changed, "-" deleted
    at: datetime.datetime
    by: str
    fields: list[str]
    indicators: tuple[str, ...]


def guarded_models() -> list[type[models.Model]]:
    return [model for model in apps.get_models() if issubclass(model, ClosingGuard)]


def changes_since(since: datetime.datetime, through: datetime.date) -> list[Change]:
    """The writes recorded in history after `since` that changed a figure of a date up to
    `through`, oldest first: each history row against the version before it, judged by the same
    rules as the writes themselves.

    An approximation, stated where it is shown: the related records a rule reads through a
    relation ("course__ends_on") are read as they are now, not as they were at the time of the
    row; changes made without a history row (bulk updates in the database) are not seen. Two
    queries per guarded model, and one for the users."""
    # (model, the history row, the version before it or None)
    found: list[tuple[type[models.Model], dict[str, Any], dict[str, Any] | None]] = []
    for model in guarded_models():
        rule: Rule = model.closing_rule  # type: ignore[attr-defined]
        history = model.history  # type: ignore[attr-defined]
        touched = set(history.filter(history_date__gt=since).values_list("id", flat=True))
        if not touched:
            continue
        columns = ("history_id", "history_date", "history_type", "history_user_id", "id")
        versions = history.filter(id__in=touched).order_by("id", "history_date", "history_id")
        previous: dict[int, dict[str, Any]] = {}
        for row in versions.values(*columns, *rule.fields):
            before = previous.get(row["id"])
            previous[row["id"]] = row
            if row["history_date"] <= since:
                continue
            old = None if before is None or before["history_type"] == "-" else before
            new = None if row["history_type"] == "-" else row
            if changes_closed(rule, old, new, through):
                found.append((model, row, old))
    people = {
        user.pk: user.get_full_name()
        for user in User.objects.filter(pk__in={row["history_user_id"] for _m, row, _o in found})
    }
    names: dict[type[models.Model], dict[int, models.Model]] = {}
    changes = []
    for model, row, old in found:
        if model not in names:
            ids = [other["id"] for kind, other, _o in found if kind is model]
            names[model] = model._default_manager.in_bulk(ids)
        record = names[model].get(row["id"])
        rule = model.closing_rule  # type: ignore[attr-defined]
        shown = [
            str(capfirst(model._meta.get_field(name.removesuffix("_id")).verbose_name))
            for name in rule.shown_fields()
            if old is None or row["history_type"] == "-" or old.get(name) != row.get(name)
        ]
        changes.append(
            Change(
                model=str(model._meta.verbose_name),
                record_id=row["id"],
                record=str(record) if record is not None else _("(đã xóa)"),
                action=row["history_type"],
                at=row["history_date"],
                by=people.get(row["history_user_id"], ""),
                fields=shown,
                indicators=rule.indicators,
            )
        )
    return sorted(changes, key=lambda change: change.at)
