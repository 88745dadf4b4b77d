"""Signals the domain sends for writes that Django's own signals do not see, and batches of
writes announced once."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.dispatch import Signal

# Sent after a bulk write (bulk_create, bulk_update, queryset.update) of records the programme's
# figures read, with `facility_ids`: the facilities whose records changed. The figures floor
# keeps its figures by it (reporting/kept.py), in the same transaction.
facts_changed = Signal()

_batch: ContextVar[set[int] | None] = ContextVar("facts_batch", default=None)


@contextmanager
def facts_in_batch() -> Iterator[None]:
    """Within the block, the facilities whose records are written are gathered (`gathered`)
    and announced once, by `facts_changed`, when it ends without an error: a service that
    writes many facilities' records (a remap) has their figures rebuilt once, not per save."""
    if _batch.get() is not None:
        yield  # an outer batch announces them
        return
    batch: set[int] = set()
    token = _batch.set(batch)
    try:
        yield
    finally:
        _batch.reset(token)
    facts_changed.send(sender=None, facility_ids=sorted(batch))


def gathered(facility_ids: Iterable[int]) -> bool:
    """Add `facility_ids` to the open batch, if any: whether one was open (a receiver then
    leaves them to the batch's end)."""
    batch = _batch.get()
    if batch is None:
        return False
    batch.update(facility_ids)
    return True
