"""The strategy workspace, under /workspace/<partnership>/strategy/.

The secretariat (MANAGE) writes versions, records evidence and engagement, submits, publishes
and links delivery; chairs and co-chairs (APPROVE_STRATEGY) review and decide. Each view signs
the visitor in first, loads the partnership through `strategy.access` (404 for an unknown
partnership, 403 without the permission), reaches versions and their content through it (an id
from another partnership is a 404), calls one service, and redirects with a message.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse

from core.views import handle_form

from ..access import partnership_for_secretariat, version_or_404


def _crumbs(partnership, *more):
    crumbs = [("Your partnerships", reverse("workspace:home"))]
    if partnership.can_manage:
        crumbs.append((partnership.name, reverse("workspace:dashboard", args=[partnership.slug])))
    crumbs.append(("Integrated care strategy", reverse("strategy:workspace", args=[partnership.slug])))
    return crumbs + list(more)


def _version_crumbs(version):
    partnership = version.strategy.partnership
    return _crumbs(partnership, (version.label, reverse("strategy:version", args=[partnership.slug, version.number])))


def _secretariat_version(request, slug, number):
    """The version the address names, for the secretariat of its partnership."""
    return version_or_404(partnership_for_secretariat(request, slug), number)


def _to_version(version):
    return redirect("strategy:version", slug=version.strategy.partnership.slug, number=version.number)


def _refuse_locked(request, version):
    """Send the secretariat back to the version, with the reason, if it can no longer change."""
    if version.is_editable:
        return None
    messages.error(
        request,
        f"{version.label} is {version.get_status_display().lower()} and can no longer be changed. "
        "Start a new draft to make changes.",
    )
    return _to_version(version)


def _version_form(request, version, form, template, *, on_valid, success, **context):
    """A form page of one version: the service on a valid POST, then back to the version."""
    return handle_form(
        request,
        form,
        on_valid=on_valid,
        success=success,
        redirect_to=_to_version(version),
        template=template,
        context={
            "partnership": version.strategy.partnership,
            "version": version,
            "crumbs": _version_crumbs(version),
            **context,
        },
    )


def _form_page(request, template, version, form, **context):
    context = {
        "partnership": version.strategy.partnership,
        "version": version,
        "form": form,
        "crumbs": _version_crumbs(version),
        **context,
    }
    return render(request, template, context)


def _service_message(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _move_part(request, version, part, move):
    """Move a section or priority one place up or down its version's list."""
    try:
        move(actor=request.user, direction=request.POST.get("direction", "down"))
    except ValidationError as error:
        _service_message(request, error)
    else:
        messages.success(request, f"“{part.title}” has been moved.")
    return _to_version(version)


def _part_form(request, version, template, *, form, save, success, **context):
    """A form page adding or changing a part of a version (a section, priority, measure or
    engagement). The form is built (`form()`) only once the version is known to be open to
    change; `save(form)` calls the service on a valid POST."""
    if refused := _refuse_locked(request, version):
        return refused
    form = form()
    return _version_form(request, version, form, template, on_valid=lambda: save(form), success=success, **context)


def _remove_part(request, version, remove, *, thing: str, removed: str):
    """Confirm, then remove a part of a version that can still change; `thing` names it on the
    confirmation page and `removed` is the message once it has gone."""
    if refused := _refuse_locked(request, version):
        return refused
    if request.method == "POST":
        try:
            remove(actor=request.user)
        except ValidationError as error:
            _service_message(request, error)
        else:
            messages.success(request, removed)
        return _to_version(version)
    return _form_page(request, "strategy/staff/confirm_remove.html", version, None, thing=thing)
