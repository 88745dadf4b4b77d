"""Django's admin, hardened against ids that are not ids.

The admin hands what a browser sends straight to the database in a few places: an autocomplete
field shown again after a failed save looks up the posted ids, a list action filters on the
posted selection, the change, delete and history pages look up the id in the URL, and a foreign
key or many-to-many field looks up its posted value. A value that is not a number (`abc`) raises
ValueError there, and one past 64 bits raises OverflowError on SQLite: both were server errors.
Every lookup below first asks the model field whether the value can be one of its values; one
that cannot is treated as what it is, a row that does not exist.

Every ModelAdmin of the project inherits `HardenedAdmin`, every inline `HardenedInline`; the
admins of Django and django-celery-beat are registered again with it in portal/admin.py.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.db import models
from django.forms import ModelChoiceField, ModelMultipleChoiceField
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _


def can_look_up(field: models.Field, value: Any) -> bool:
    """Whether `value` can be compared with `field` in a query without the database raising.

    The field's own conversion and validators decide: an integer field's validators carry the
    database's integer range, so 99999999999999999999 is refused here rather than by SQLite.
    """
    if isinstance(value, models.Model):
        return True
    try:
        python_value = field.to_python(value)
        if python_value is not None:
            field.run_validators(python_value)
            field.get_prep_value(python_value)
    except (ValidationError, ValueError, TypeError, OverflowError):
        return False
    return True


def _target(field: models.Field) -> models.Field:
    """The field of the related model a foreign key or many-to-many field points at."""
    remote = field.remote_field
    opts = remote.model._meta
    return opts.get_field(getattr(remote, "field_name", None) or opts.pk.name)


def _key_field(queryset: models.QuerySet, to_field_name: str | None) -> models.Field:
    opts = queryset.model._meta
    return opts.get_field(to_field_name) if to_field_name else opts.pk


class SafeModelChoiceField(ModelChoiceField):
    """A posted value that cannot be a key is an invalid choice, not a database error."""

    def to_python(self, value: Any) -> Any:
        if value not in self.empty_values and not can_look_up(
            _key_field(self.queryset, self.to_field_name), value
        ):
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return super().to_python(value)


class SafeModelMultipleChoiceField(ModelMultipleChoiceField):
    """As SafeModelChoiceField, for each value of a many-to-many field."""

    def _check_values(self, value: Iterable[Any]) -> models.QuerySet:
        key = _key_field(self.queryset, self.to_field_name)
        for pk in value:
            if not can_look_up(key, pk):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


class _SafeAutocomplete:
    """Shown again after a failed save, the widget looks up the posted ids: drop impossible ones."""

    field: models.Field

    def optgroups(self, name: str, value: list[Any], attr: Any = None) -> Any:
        target = _target(self.field)
        possible = [item for item in value if can_look_up(target, item)]
        return super().optgroups(name, possible, attr)  # type: ignore[misc]


class SafeAutocompleteSelect(_SafeAutocomplete, AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(_SafeAutocomplete, AutocompleteSelectMultiple):
    pass


class SafeInlineFormSet(BaseInlineFormSet):
    """Each inline row's hidden id is a ModelChoiceField the formset adds itself."""

    def add_fields(self, form: Any, index: int | None) -> None:
        super().add_fields(form, index)
        pk_name = self.model._meta.pk.name
        field = form.fields.get(pk_name)
        if type(field) is ModelChoiceField:
            field.__class__ = SafeModelChoiceField


class _HardenedFields:
    """Relation fields of a ModelAdmin or an inline that check posted ids before looking them up."""

    admin_site: admin.AdminSite

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey, request: HttpRequest, **kwargs: Any
    ) -> Any:
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):  # type: ignore[attr-defined]
            kwargs["widget"] = SafeAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        kwargs.setdefault("form_class", SafeModelChoiceField)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]

    def formfield_for_manytomany(
        self, db_field: models.ManyToManyField, request: HttpRequest, **kwargs: Any
    ) -> Any:
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):  # type: ignore[attr-defined]
            kwargs["widget"] = SafeAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        kwargs.setdefault("form_class", SafeModelMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]


class HardenedInline(_HardenedFields):
    """Mix into every InlineModelAdmin (first, before Django's class)."""

    formset = SafeInlineFormSet


class HardenedAdmin(_HardenedFields):
    """Mix into every ModelAdmin (first, before Django's or simple-history's class)."""

    model: type[models.Model]

    def _key_is_possible(self, object_id: str, from_field: str | None = None) -> bool:
        opts = self.model._meta
        return can_look_up(opts.get_field(from_field) if from_field else opts.pk, object_id)

    def get_object(
        self, request: HttpRequest, object_id: str, from_field: str | None = None
    ) -> Any:
        if not self._key_is_possible(object_id, from_field):
            return None  # the admin answers "does not exist" and goes back to the list
        return super().get_object(request, object_id, from_field)  # type: ignore[misc]

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: Any = None
    ) -> HttpResponse:
        # simple-history's view looks the id up itself, without get_object().
        if not self._key_is_possible(unquote(object_id)):
            return self._get_obj_does_not_exist_redirect(request, self.model._meta, object_id)  # type: ignore[attr-defined]
        return super().history_view(request, object_id, extra_context)  # type: ignore[misc]

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: Any = None
    ) -> HttpResponse:
        history_model = self.model.history.model  # type: ignore[attr-defined]
        if not (
            self._key_is_possible(unquote(object_id))
            and can_look_up(history_model._meta.pk, version_id)
        ):
            return self._get_obj_does_not_exist_redirect(request, self.model._meta, object_id)  # type: ignore[attr-defined]
        return super().history_form_view(request, object_id, version_id, extra_context)  # type: ignore[misc]

    def response_action(self, request: HttpRequest, queryset: models.QuerySet) -> Any:
        selected = request.POST.getlist(ACTION_CHECKBOX_NAME)
        if not all(can_look_up(self.model._meta.pk, value) for value in selected):
            self.message_user(  # type: ignore[attr-defined]
                request,
                _("Lựa chọn không hợp lệ, không mục nào được thay đổi."),
                messages.WARNING,
            )
            return None  # the changelist goes back to itself
        return super().response_action(request, queryset)  # type: ignore[misc]


def hardened(admin_class: type[admin.ModelAdmin]) -> type[admin.ModelAdmin]:
    """`admin_class` with HardenedAdmin mixed in first, and its inlines with HardenedInline."""
    inlines = [
        inline if issubclass(inline, HardenedInline) else _mixed(HardenedInline, inline)
        for inline in admin_class.inlines
    ]
    if issubclass(admin_class, HardenedAdmin):
        if inlines == list(admin_class.inlines):
            return admin_class
        return type(admin_class.__name__, (admin_class,), {"inlines": inlines})
    return _mixed(HardenedAdmin, admin_class, inlines=inlines)


def _mixed(mixin: type, base: type, **attributes: Any) -> Any:
    namespace = {"__module__": base.__module__, "__qualname__": base.__qualname__, **attributes}
    return type(base.__name__, (mixin, base), namespace)


class PortalAdminSite(admin.AdminSite):
    """The admin site: every ModelAdmin registered on it is hardened, the project's own (which
    inherit HardenedAdmin already) and those of Django, django-axes and django-celery-beat."""

    def register(self, model_or_iterable: Any, admin_class: Any = None, **options: Any) -> None:
        super().register(model_or_iterable, hardened(admin_class or admin.ModelAdmin), **options)
