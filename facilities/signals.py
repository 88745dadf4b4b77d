"""Signals the domain sends for writes that Django's own signals do not see."""

from django.dispatch import Signal

# Sent after a bulk write (bulk_create, bulk_update, queryset.update) of records the programme's
# figures read, with `facility_ids`: the facilities whose records changed. The figures floor
# keeps its figures by it (reporting/kept.py), in the same transaction.
facts_changed = Signal()
