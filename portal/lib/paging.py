"""A paginator for lists that can hold millions of rows (a province's or a nation's reports)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.utils.functional import cached_property

# Counted exactly up to here; past it the list says "more than" and a filter narrows it.
COUNT_CAP = 10_000


class CappedPaginator(Paginator):
    """Counts at most `cap` rows: an exact COUNT over millions of rows would be most of the
    page's time, and nobody pages past the 200th page of a queue. Past the cap, `capped` is
    true, `count` is the cap and the pages stop there."""

    def __init__(self, object_list, per_page: int, cap: int | None = None) -> None:
        super().__init__(object_list, per_page)
        self.cap = COUNT_CAP if cap is None else cap

    @cached_property
    def found(self) -> int:
        """Rows counted, the cap plus one at most (no ordering: any rows will do to count)."""
        return self.object_list.order_by()[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self.found, self.cap)

    @property
    def capped(self) -> bool:
        return self.found > self.cap
