"""Every model in the Django admin opens: its list, a search, its add form and one record."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

REGISTERED = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


@pytest.mark.parametrize(
    ("model", "model_admin"), REGISTERED, ids=[model._meta.label for model, _ in REGISTERED]
)
def test_the_admin_pages_of_each_model_open(users, facilities, client_for, model, model_admin):
    client = client_for(users["department_admin"])
    info = (model._meta.app_label, model._meta.model_name)
    changelist = reverse("admin:{}_{}_changelist".format(*info))
    assert client.get(changelist).status_code == 200
    if model_admin.search_fields:
        assert client.get(changelist, {"q": "Diễn Châu"}).status_code == 200
    request = RequestFactory().get(changelist)
    request.user = users["department_admin"]
    if model_admin.has_add_permission(request):
        assert client.get(reverse("admin:{}_{}_add".format(*info))).status_code == 200
    record = model._default_manager.order_by("pk").first()
    if record is not None:
        change = reverse("admin:{}_{}_change".format(*info), args=[record.pk])
        assert client.get(change).status_code == 200
