"""The portal's template filters (icp_portal/templatetags/portal.py)."""

import datetime as dt

import pytest
from django.template import engines

UTC = dt.UTC


def render(text: str, **context) -> str:
    return engines["django"].from_string("{% load portal %}" + text).render(context)


@pytest.mark.parametrize(
    "value",
    [
        # 11:30pm on 29 March 2026 by UTC is already 30 March in London (summer time).
        dt.datetime(2026, 3, 29, 23, 30, tzinfo=UTC),
        dt.datetime(2026, 12, 1, 9, 30, tzinfo=UTC),
        dt.date(2026, 7, 1),
        None,
        "",
    ],
)
def test_long_date_writes_what_the_date_filter_writes(value):
    assert render("{{ value|long_date }}", value=value) == render('{{ value|date:"j F Y" }}', value=value)
    assert render('{{ value|long_date:"weekday" }}', value=value) == render('{{ value|date:"l j F Y" }}', value=value)
