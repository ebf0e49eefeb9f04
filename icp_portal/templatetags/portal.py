from django import template
from django.forms import CheckboxInput, ClearableFileInput, RadioSelect, Select, SelectMultiple, Textarea

from core.dates import long_date as _long_date
from core.dates import short_date as _short_date
from core.forms import error_anchor as _error_anchor
from core.urls import row_url as _row_url

register = template.Library()


def _widget_class(widget) -> str:
    if isinstance(widget, Textarea):
        return "nhsuk-textarea"
    if isinstance(widget, RadioSelect):
        return "nhsuk-radios__input"
    if isinstance(widget, (Select, SelectMultiple)):
        return "nhsuk-select"
    if isinstance(widget, CheckboxInput):
        return "nhsuk-checkboxes__input"
    if isinstance(widget, ClearableFileInput):
        return "nhsuk-file-upload"
    return "nhsuk-input"


@register.filter
def nhsuk_widget(bound_field):
    """Render a form field's widget with NHS.UK classes and the hint/error ids it is described by."""
    css = _widget_class(bound_field.field.widget)
    if bound_field.errors:
        css += f" {css}--error"
    described_by = []
    if bound_field.help_text:
        described_by.append(f"{bound_field.id_for_label}-hint")
    if bound_field.errors:
        described_by.append(f"{bound_field.id_for_label}-error")
    attrs = {"class": css}
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return bound_field.as_widget(attrs=attrs)


@register.filter
def error_anchor(bound_field) -> str:
    """Where the error summary links for a field (`core.forms.error_anchor`)."""
    return _error_anchor(bound_field)


@register.filter
def long_date(value, weekday="") -> str:
    """What `|date:"j F Y"` writes, '1 December 2026' (with `:"weekday"`, what `|date:"l j F Y"`
    writes, 'Tuesday 1 December 2026'), a moment on its day in the portal's time zone. For pages
    that list many dates: the date filter parses its format string on every call."""
    if value in (None, ""):
        return ""
    return _long_date(value, weekday=weekday == "weekday")


@register.filter
def short_date(value, weekday="") -> str:
    """What `|date:"j M Y"` writes, '1 Dec 2026' (with `:"weekday"`, what `|date:"D j M Y"`
    writes, 'Tue 1 Dec 2026'), a moment on its day in the portal's time zone: `long_date`,
    abbreviated, for tables."""
    if value in (None, ""):
        return ""
    return _short_date(value, weekday=weekday == "weekday")


@register.simple_tag
def row_url(viewname, *args) -> str:
    """What `{% url viewname arg ... %}` writes, for a link on every row of a long table: the
    route is reversed once, not once a row (`core.urls.row_url`)."""
    return _row_url(viewname, *args)
