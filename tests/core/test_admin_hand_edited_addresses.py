"""A hand-edited admin address gets Django's answer to a bad filter or the record's page, never a
500: a year past 9999 or past C's range in the date drill-down, an empty `_to_field`."""

import pytest
from django.contrib import admin

from core.admin_base import BoundedDateChangeList, ModelAdmin
from core.models import Unit

DATE_DRILL_DOWNS = [
    "year=9999",
    "year=99999999999999999999",
    "year=2026&date__month=99999999999999999999",
    "year=9999&date__month=12",
    "year=9999&date__month=12&date__day=31",
    "year=2026&date__month=13",
    "year=x",
]


@pytest.mark.parametrize("model_admin", admin.site._registry.values(), ids=str)
def test_every_admin_is_built_on_the_products_base(model_admin):
    assert isinstance(model_admin, ModelAdmin)


@pytest.mark.parametrize("admin_path", ["core/holiday", "core/calendardecision"])
@pytest.mark.parametrize("drill_down", DATE_DRILL_DOWNS)
def test_a_date_out_of_range_is_a_bad_filter(sysadmin, admin_path, drill_down):
    response = sysadmin.get(f"/admin/{admin_path}/?date__{drill_down}")

    # Django's answer to a filter it cannot apply: back to the list, flagged as an error.
    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")


def test_a_date_in_range_still_filters(sysadmin):
    response = sysadmin.get("/admin/core/holiday/?date__year=2026&date__month=9")

    assert response.status_code == 200
    assert isinstance(response.context["cl"], BoundedDateChangeList)
    shown = response.context["cl"].result_list
    assert shown  # National Day, 2 September
    assert {day.date.month for day in shown} == {9}


@pytest.mark.parametrize("page", ["change", "delete"])
def test_an_empty_to_field_means_the_primary_key(sysadmin, root, demo, page):
    unit = Unit.objects.earliest("pk")
    for path in (f"core/unit/{unit.pk}", f"core/user/{root.pk}"):
        response = sysadmin.get(f"/admin/{path}/{page}/?_to_field=")
        assert response.status_code == 200, path


def test_a_field_that_is_not_a_key_is_still_refused(sysadmin, demo):
    unit = Unit.objects.earliest("pk")

    response = sysadmin.get(f"/admin/core/unit/{unit.pk}/change/?_to_field=name")

    assert response.status_code == 400
