"""The portal's template filters (icp_portal/templatetags/portal.py)."""

import datetime as dt
import uuid

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
def test_long_and_short_dates_write_what_the_date_filter_writes(value):
    assert render("{{ value|long_date }}", value=value) == render('{{ value|date:"j F Y" }}', value=value)
    assert render('{{ value|long_date:"weekday" }}', value=value) == render('{{ value|date:"l j F Y" }}', value=value)
    assert render("{{ value|short_date }}", value=value) == render('{{ value|date:"j M Y" }}', value=value)
    assert render('{{ value|short_date:"weekday" }}', value=value) == render('{{ value|date:"D j M Y" }}', value=value)


@pytest.mark.parametrize(
    ("template", "context"),
    [
        ("{% url 'record:action' slug pk %}", {"slug": "leeds-place-2", "pk": 41}),
        ("{% url 'record:decisions' slug pk %}", {"slug": "x", "pk": 7}),
        ("{% url 'meetings:paper' token %}", {"token": uuid.UUID("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0")}),
        # Escaped for HTML, as the url tag escapes.
        ("{% url 'alerts:confirm' token %}", {"token": "a&b<c>\"d'e"}),
    ],
)
def test_row_url_writes_what_the_url_tag_writes(template, context):
    assert render(template.replace("{% url ", "{% row_url "), **context) == render(template, **context)
