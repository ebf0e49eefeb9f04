"""People's sign-in accounts in the secretariat workspace, and the page where an invited person
creates theirs (see `membership.accounts` and docs/accounts.md).

Workspace views need `MANAGE` on the partnership in the address and reach people and invitations
through it, as in `membership.workspace`; the services decide, with a reason shown on the page,
whether this user may invite a person or change their account. The acceptance page is public: it
is reached only by the link in the invitation email.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from core.views import handle_form, posted

from . import accounts
from .accounts import InvitationUnusable
from .models import Invitation
from .permissions import MANAGE, may_see_contact_details, partnership_for_user
from .workspace._common import _crumbs, _person, _person_crumbs


class ConfirmForm(forms.Form):
    """A form with nothing to fill in: the page says what the button does."""


class InvitationAcceptForm(forms.Form):
    password1 = forms.CharField(
        label="Create a password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 10 characters. Not a common password, not only numbers, not like your name or email "
        "address. A few unrelated words make a good one.",
        error_messages={"required": "Enter a password."},
    )
    password2 = forms.CharField(
        label="Confirm your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Enter the password again."},
    )

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", "The passwords do not match.")
        return cleaned


def _person_page(partnership, person):
    return redirect("workspace:person", slug=partnership.slug, person_slug=person.slug)


def _invitations_url(partnership) -> str:
    return f"{reverse('workspace:dashboard', args=[partnership.slug])}#invitations"


@login_required
def invitation_send(request, slug, person_slug):
    """Invite a person to create their sign-in account: the page names the address and role, the
    button sends the email (or says why this user may not)."""
    partnership = partnership_for_user(request, slug, MANAGE)
    person = _person(partnership, person_slug)
    refusal = accounts.invitation_refusal(actor=request.user, partnership=partnership, person=person)
    form = ConfirmForm(posted(request))
    return handle_form(
        request,
        form,
        on_valid=lambda: accounts.invitation_send(actor=request.user, partnership=partnership, person=person),
        success=f"An invitation has been sent to {person}. The link works for {Invitation.VALID_FOR_DAYS} days.",
        redirect_to=lambda _: _person_page(partnership, person),
        template="membership/workspace/invitation_form.html",
        context=lambda: {
            "partnership": partnership,
            "person": person,
            "refusal": refusal,
            "role": accounts.person_roles_description(person, partnership),
            "email": person.email if may_see_contact_details(request.user, person) else "",
            "pending": partnership.invitations.pending().filter(person=person).first(),
            "days": Invitation.VALID_FOR_DAYS,
            "crumbs": _person_crumbs(partnership, person),
        },
        refused=bool(refusal),
    )


def _invitation(partnership, pk):
    return get_object_or_404(partnership.invitations.select_related("person"), pk=pk)


@login_required
def invitation_resend(request, slug, pk):
    """Send an invitation again, with a new link: the old one stops working."""
    partnership = partnership_for_user(request, slug, MANAGE)
    invitation = _invitation(partnership, pk)
    person = invitation.person
    refusal = ""
    if invitation.accepted_at:
        refusal = f"{person} has already accepted this invitation."
    else:
        refusal = accounts.invitation_refusal(
            actor=request.user, partnership=partnership, person=person, secretariat=invitation.secretariat
        )
    form = ConfirmForm(posted(request))
    return handle_form(
        request,
        form,
        on_valid=lambda: accounts.invitation_resend(actor=request.user, invitation=invitation),
        success=f"The invitation has been sent to {person} again, with a new link.",
        redirect_to=_invitations_url(partnership),
        template="membership/workspace/invitation_resend.html",
        context={
            "partnership": partnership,
            "person": person,
            "invitation": invitation,
            "refusal": refusal,
            "days": Invitation.VALID_FOR_DAYS,
            "crumbs": _crumbs(partnership),
        },
        refused=bool(refusal),
    )


@login_required
def invitation_revoke(request, slug, pk):
    """Withdraw an invitation that has not been accepted: its link stops working."""
    partnership = partnership_for_user(request, slug, MANAGE)
    invitation = _invitation(partnership, pk)
    if invitation.accepted_at or invitation.revoked_at:
        messages.info(request, f"This invitation has already been {invitation.status}.")
        return redirect("workspace:dashboard", slug=partnership.slug)
    form = ConfirmForm(posted(request))
    return handle_form(
        request,
        form,
        on_valid=lambda: accounts.invitation_revoke(actor=request.user, invitation=invitation),
        success=f"The invitation of {invitation.person} has been withdrawn.",
        redirect_to=_invitations_url(partnership),
        template="membership/workspace/invitation_revoke.html",
        context={
            "partnership": partnership,
            "person": invitation.person,
            "invitation": invitation,
            "crumbs": _crumbs(partnership),
        },
    )


def _account_change(request, slug, person_slug, *, active: bool):
    partnership = partnership_for_user(request, slug, MANAGE)
    person = _person(partnership, person_slug)
    refusal = accounts.account_change_refusal(actor=request.user, person=person)
    if not refusal and person.user.is_active == active:
        refusal = f"{person}'s account is already {'active' if active else 'deactivated'}."
    form = ConfirmForm(posted(request))
    service = accounts.account_reactivate if active else accounts.account_deactivate
    done = "can sign in again" if active else "has been deactivated: it can no longer sign in"
    return handle_form(
        request,
        form,
        on_valid=lambda: service(actor=request.user, partnership=partnership, person=person),
        success=f"{person}'s account {done}.",
        redirect_to=lambda _: _person_page(partnership, person),
        template="membership/workspace/account_form.html",
        context={
            "partnership": partnership,
            "person": person,
            "refusal": refusal,
            "active": active,
            "crumbs": _person_crumbs(partnership, person),
        },
        refused=bool(refusal),
    )


@login_required
def account_deactivate(request, slug, person_slug):
    """Stop a person's account signing in (only if every partnership relying on them is this user's)."""
    return _account_change(request, slug, person_slug, active=False)


@login_required
def account_reactivate(request, slug, person_slug):
    """Let a deactivated account sign in again."""
    return _account_change(request, slug, person_slug, active=True)


UNUSABLE_STATUS = {InvitationUnusable.UNKNOWN: 404}


def _unusable(request, error: InvitationUnusable):
    context = {
        "reason": error.reason,
        "invitation": error.invitation,
        "partnership": error.invitation.partnership if error.invitation else None,
        "days": Invitation.VALID_FOR_DAYS,
    }
    status = UNUSABLE_STATUS.get(error.reason, 410)
    return render(request, "registration/invitation_unusable.html", context, status=status)


@never_cache
@sensitive_post_parameters("password1", "password2")
def invitation_accept(request, token):
    """Where the link in an invitation email leads: the person chooses a password, their account
    is created and they are signed in with it. A link that cannot be used gets a page saying why
    and what to do, never an error."""
    try:
        invitation = accounts.invitation_for_token(token)
    except InvitationUnusable as error:
        return _unusable(request, error)
    form = InvitationAcceptForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            account = accounts.invitation_accept(token=token, password=form.cleaned_data["password1"])
        except InvitationUnusable as error:
            return _unusable(request, error)
        except ValidationError as exc:
            form.add_error("password1", exc)
        else:
            # Whoever was signed in here before is signed out: the session becomes the new account's.
            login(request, account, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, f"Your account has been created. Your username is {account.get_username()}.")
            return redirect(settings.LOGIN_REDIRECT_URL)
    context = {
        "invitation": invitation,
        "partnership": invitation.partnership,
        "username": accounts.invitation_username(invitation),
        "form": form,
        "expires_at": timezone.localtime(invitation.expires_at),
    }
    return render(request, "registration/invitation_accept.html", context)
