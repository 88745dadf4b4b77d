"""Figures computed once and served from the cache until a fact they are computed from changes.

Every write of a domain record (facilities, assessments, programs: saved, deleted, or a
many-to-many link changed) and every write of the kept figures gives `FiguresVersion` a new
random token, in the writer's transaction. Cached figures are keyed by the token read before
they were computed, so:

- a write is visible on the next request: the token it committed has no figures cached yet;
- a reader that computed while a write committed keeps its figures under the old token, which
  nobody reads once the new one is committed;
- figures computed inside a transaction that rolls back are cached under a token that never
  becomes current (a random one, not a counter that the next write would reuse).

A migration's data changes the version once `migrate` ends. Bulk writes that send no signal
announce themselves by `facts_changed` (facilities/signals.py), which rebuilds their kept
figures (reporting/kept.py) and so changes the token too. Without the row (a database flushed
by a test), nothing is cached.

The cache is Django's: Redis shared by every web and worker process when `CACHE_URL` is set,
each process's memory otherwise.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from django.apps import apps as django_apps
from django.core.cache import cache
from django.db import connections, models
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.utils import timezone, translation

from reporting.models import FiguresVersion

_T = TypeVar("_T")

# The apps whose records the figures are computed from.
DOMAIN_APPS = frozenset({"facilities", "assessments", "programs"})
# A cached figure is dropped after a day even if nothing changed (today's date is in its key).
TIMEOUT = 24 * 60 * 60
_MISSING = object()


def token() -> str | None:
    """The current version of the facts; None when there is no version row (nothing cached)."""
    return FiguresVersion.objects.filter(pk=1).values_list("token", flat=True).first()


def changed() -> None:
    """The facts changed: a new token, in the caller's transaction."""
    FiguresVersion.objects.filter(pk=1).update(token=uuid.uuid4().hex)


def cached(key: tuple[Any, ...], read: Callable[[], _T], *, version: str | None = None) -> _T:
    """`read()`, or what it returned before under the same facts. `version` is the token read
    before (a page reads it once); else it is read now, before `read()` runs."""
    version = token() if version is None else version
    if version is None:
        return read()
    name = repr((version, translation.get_language(), timezone.localdate(), key))
    full = "figures:" + hashlib.sha256(name.encode()).hexdigest()
    found = cache.get(full, _MISSING)
    if found is _MISSING:
        found = read()
        cache.set(full, found, TIMEOUT)
    return found  # type: ignore[return-value]


def is_fact(model: type[models.Model]) -> bool:
    """Whether writing `model` changes the facts (its history rows come with a write that does).
    A migration's models are not the app's: `migrate` changes the version once, at its end."""
    meta = model._meta
    return (
        meta.app_label in DOMAIN_APPS
        and not meta.model_name.startswith("historical")
        and meta.apps is django_apps
    )


def _on_write(sender: type[models.Model], **kwargs: Any) -> None:
    changed()


def _on_migrate(using: str = "default", **kwargs: Any) -> None:
    # Not after migrating back to before the version's table existed.
    if FiguresVersion._meta.db_table in connections[using].introspection.table_names():
        changed()


def connect() -> None:
    """Called once by the app's `ready()`. Each fact model by name (a receiver for every
    model would cost every bulk delete elsewhere, the kept figures' among them, its fast path:
    Django then loads each row deleted to signal it)."""
    post_migrate.connect(_on_migrate, dispatch_uid="freshness-migrate")
    for model in django_apps.get_models(include_auto_created=True):
        if not is_fact(model):
            continue
        label = model._meta.label
        if model._meta.auto_created:  # a many-to-many link's table
            m2m_changed.connect(_on_write, sender=model, dispatch_uid=f"freshness-link-{label}")
            continue
        post_save.connect(_on_write, sender=model, dispatch_uid=f"freshness-save-{label}")
        post_delete.connect(_on_write, sender=model, dispatch_uid=f"freshness-delete-{label}")
