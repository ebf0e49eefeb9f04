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


def _crumbs(partnership, *more):
    crumbs = [("Your partnerships", reverse("workspace:home"))]
    if partnership.can_manage:
        crumbs.append((partnership.name, reverse("workspace:dashboard", args=[partnership.slug])))
    crumbs.append(("Integrated care strategy", reverse("strategy:workspace", args=[partnership.slug])))
    return crumbs + list(more)


def _version_crumbs(version):
    partnership = version.strategy.partnership
    return _crumbs(partnership, (version.label, reverse("strategy:version", args=[partnership.slug, version.number])))


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


def _remove_part(request, version, part, remove, noun: str):
    """Confirm, then remove a section or priority from a version that can still change."""
    if refused := _refuse_locked(request, version):
        return refused
    if request.method == "POST":
        try:
            remove(actor=request.user)
        except ValidationError as error:
            _service_message(request, error)
        else:
            messages.success(request, f"The {noun} “{part.title}” has been removed from {version.label}.")
        return _to_version(version)
    return _form_page(request, "strategy/staff/confirm_remove.html", version, None, thing=f"the {noun} “{part.title}”")
