"""One way to write a form view, and the public pages' breadcrumbs."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from .forms import add_service_errors


def posted(request):
    """The form data of a POST, even an empty one (an empty POST must still show its errors)."""
    return request.POST if request.method == "POST" else None


def handle_form(
    request,
    form,
    *,
    on_valid: Callable[[], Any],
    success: str | Callable[[Any], str],
    redirect_to: str | HttpResponse | Callable[[Any], str | HttpResponse],
    template: str,
    context: dict | Callable[[], dict],
    refused: bool = False,
    status: int = 200,
) -> HttpResponse:
    """The shape of every form page: on a valid POST call the service (`on_valid`); if it
    refuses, show its `ValidationError` on the form; if it succeeds, say so (`success`, or
    `success(result)`) and redirect (`redirect_to`, or `redirect_to(result)`: a URL, a URL name
    or a response). Otherwise show `template` with the form and `context` (a callable is only
    called when the page is shown, so a successful POST does not build it). `refused`: the user may
    not make this change (the context says why), so a POST does nothing; `status`: the page's
    status code (403 on a page that explains a refusal, where the caller says so)."""
    if request.method == "POST" and not refused and form.is_valid():
        try:
            result = on_valid()
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, success(result) if callable(success) else success)
            target = redirect_to(result) if callable(redirect_to) else redirect_to
            return target if isinstance(target, HttpResponse) else redirect(target)
    context = context() if callable(context) else context
    return render(request, template, {**context, "form": form}, status=status)


def public_crumbs(partnership, *more) -> list[tuple[str, str]]:
    """Home › Region › System › Partnership › anything more."""
    ics = partnership.ics
    return [
        ("Home", reverse("home")),
        (ics.region.name, ics.region.get_absolute_url()),
        (ics.name, ics.get_absolute_url()),
        (partnership.name, partnership.get_absolute_url()),
        *more,
    ]
