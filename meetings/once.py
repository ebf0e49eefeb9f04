"""One-time form tokens: a form that creates a record creates it once, however often it is sent.

A double click, the browser's "resend", or a slow connection and a second press all send the
same form again; each would add another agenda item, decision or action to the public record.
Such a form carries a hidden random token, made when the empty form is shown. The view does
its write inside `submitted_once(form)`, which first stores the token in `FormSubmission`,
where it is unique: the first post stores it and goes on; a second post of the same form
cannot (the database refuses the duplicate, and when two arrive together the second waits for
the first to commit), so it raises `AlreadySubmitted` and writes nothing. A post the service
refuses rolls the token back with everything else, so the corrected form can be sent again.

A post without a token (from a client that never loaded the form) is not protected, not refused.
"""

import uuid
from contextlib import contextmanager

from django import forms
from django.db import IntegrityError, transaction

from .models import FormSubmission

TOKEN_FIELD = "form_token"  # noqa: S105 - the name of a form field, not a secret


class AlreadySubmitted(Exception):
    """The form was sent before and saved then; nothing was written this time."""


class _TokenField(forms.Field):
    widget = forms.HiddenInput

    def to_python(self, value):
        # Anything but a token we could have issued is treated as no token.
        try:
            return uuid.UUID(str(value))
        except ValueError:
            return None


class OnceForm(forms.Form):
    """A form with a one-time token (see the module). After validation the token is in
    `form.token`, not in `cleaned_data`, so the data can go to a service as it is."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[TOKEN_FIELD] = _TokenField(required=False, initial=uuid.uuid4)
        self.token = None

    def without_token(self):
        """The same form for changing an existing record, which is idempotent already."""
        self.fields.pop(TOKEN_FIELD, None)
        return self

    def full_clean(self):
        super().full_clean()
        if hasattr(self, "cleaned_data"):
            self.token = self.cleaned_data.pop(TOKEN_FIELD, None)


@contextmanager
def submitted_once(form: OnceForm):
    """Run the block in a transaction that first claims `form`'s token; `AlreadySubmitted`
    if the form was sent before. An exception in the block releases the token."""
    with transaction.atomic():
        if form.token is not None:
            try:
                with transaction.atomic():
                    FormSubmission.objects.create(token=form.token)
            except IntegrityError:
                raise AlreadySubmitted(
                    "This form was sent twice. It was saved the first time, so nothing was added again."
                ) from None
        yield
