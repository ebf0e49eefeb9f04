"""Form pieces every app uses the same way."""

from django import forms
from django.core.exceptions import ValidationError


class DateInput(forms.DateInput):
    """A native date picker, ten characters wide (NHS.UK date fields), in ISO format so the
    browser fills it in when the form is shown again."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs={"class": "nhsuk-input--width-10", **(attrs or {})}, format="%Y-%m-%d")


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's `ValidationError` on `form`: per field where the form has that field,
    in the error summary otherwise."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def error_anchor(bound: forms.BoundField) -> str:
    """The id an error summary's link goes to: the field's own, or for radios and checkboxes,
    which are a group with no single id, the first option's (the NHS.UK error summary pattern)."""
    return bound.id_for_label or f"{bound.auto_id}_0"
