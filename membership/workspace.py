"""The secretariat workspace: signed-in pages where a partnership's secretariat keeps its
membership current without Django admin.

Every view except `home` needs `MANAGE` on the partnership named in the address: it signs the
visitor in first (`login_required`), then loads the partnership through
`partnership_for_user` (404 for an unknown partnership, 403 without the permission). People
and terms are then reached through that partnership, so an id from another partnership is a
404. Writes go through `membership.services`; forms post, then redirect with a message.
"""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from core.views import handle_form
from partnerships.models import Organisation

from . import accounts, services
from .audit_sentences import audit_sentence, audit_when
from .due import due_tasks
from .imports import (
    COLUMNS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    ImportFileError,
    import_applied,
    import_rows_check,
    rows_from_upload,
)
from .models import ChairAppointment, Membership, Person
from .permissions import (
    MANAGE,
    is_portal_administrator,
    may_link_accounts,
    may_see_contact_details,
    partnership_for_user,
    partnerships_for_user,
    people_whose_contact_details_show,
)
from .person_chooser import chooser_json, person_chooser, system_chooser, wants_json
from .selectors import (
    composition_gaps,
    interest_reminders,
    partnership_people,
    partnerships_with_counts,
    people_without_a_role,
    system_people,
)
from .workspace_forms import (
    ChairAppointForm,
    EndTermForm,
    ImportUploadForm,
    InterestForm,
    MembershipForm,
    NilReturnForm,
    PartnershipDetailsForm,
    PersonForm,
    SecretariatAssignForm,
    SecretariatEndForm,
)
from .workspace_presenters import PRIVATE_PERSON_FIELDS, action_label, audit_change_lines, private_details

PAGE_SIZE = 50


def _crumbs(partnership=None, *more):
    crumbs = [("Your partnerships", reverse("workspace:home"))]
    if partnership is not None:
        crumbs.append((partnership.name, reverse("workspace:dashboard", args=[partnership.slug])))
    return crumbs + list(more)


def _posted(request):
    """The form data of a POST, even an empty one (an empty POST must still show its errors)."""
    return request.POST if request.method == "POST" else None


def _uploaded(request):
    return request.FILES if request.method == "POST" else None


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _long(value) -> str:
    return date_format(value, "j F Y")


def _dashboard(partnership):
    return redirect("workspace:dashboard", slug=partnership.slug)


def _person(partnership, person_slug):
    return get_object_or_404(partnership_people(partnership).select_related("user"), slug=person_slug)


def _person_url(partnership, person) -> str:
    return reverse("workspace:person", args=[partnership.slug, person.slug])


def _person_crumbs(partnership, person):
    return _crumbs(partnership, (str(person), _person_url(partnership, person)))


def _end_term_context(partnership, term, *, title: str, explanation: str, button: str) -> dict:
    """The page that ends a membership, a chair's term or a secretariat assignment."""
    return {
        "partnership": partnership,
        "term": term,
        "title": title,
        "explanation": explanation,
        "button": button,
        "crumbs": _crumbs(partnership),
    }


def _not_ended(queryset):
    """Terms that are current or still to come: the ones that can be ended."""
    return queryset.filter(Q(end_date__isnull=True) | Q(end_date__gte=timezone.localdate()))


@login_required
def home(request):
    """Your partnerships: those you run as secretariat, with what is due in each and counts, and
    those you sit on or chair."""
    managed = list(partnerships_with_counts(partnerships_for_user(request.user, MANAGE)))
    # What is due in each partnership run, asked once for all of them (membership.due).
    due = due_tasks(managed, timezone.localdate())
    for partnership in managed:
        partnership.due = due.get(partnership.pk, [])
    seats = (
        Membership.objects.current()
        .filter(person__user=request.user)
        .select_related("partnership", "organisation")
        .order_by("partnership__name")
    )
    chairs = (
        ChairAppointment.objects.current()
        .filter(person__user=request.user)
        .select_related("partnership")
        .order_by("partnership__name")
    )
    context = {"managed": managed, "seats": seats, "chairs": chairs}
    if is_portal_administrator(request.user):
        from .workspace_onboarding import systems_without_a_partnership

        context["portal_administrator"] = True
        context["systems_without_a_partnership"] = list(systems_without_a_partnership())
    return render(request, "membership/workspace/home.html", context)


@login_required
def dashboard(request, slug):
    """A partnership at a glance: what is due in the meeting cycle first, then composition,
    reminders, members, chairs, secretariat."""
    partnership = partnership_for_user(request, slug, MANAGE)
    today = timezone.localdate()
    members = (
        partnership.memberships.current(today)
        .select_related("person", "organisation")
        .order_by("person__family_name", "person__given_name", "pk")
    )
    context = {
        "partnership": partnership,
        "due": due_tasks([partnership], today).get(partnership.pk, []),
        "gaps": composition_gaps(partnership, today),
        "reminders": interest_reminders(partnership, today),
        "members": _page(request, members),
        "starting": partnership.memberships.filter(start_date__gt=today)
        .select_related("person", "organisation")
        .order_by("start_date", "person__family_name"),
        "chairs": _not_ended(partnership.chair_appointments.all())
        .select_related("person")
        .order_by("role", "start_date"),
        "secretariat": _not_ended(partnership.secretariat_assignments.all())
        .select_related("user")
        .order_by("start_date", "pk"),
        "without_a_role": people_without_a_role(partnership),
        "invitations": partnership.invitations.open().select_related("person").order_by("-created_at", "-pk"),
        "crumbs": _crumbs(),
    }
    return render(request, "membership/workspace/dashboard.html", context)


@login_required
def past_members(request, slug):
    """Memberships that have ended, latest first: the partnership's history, never deleted."""
    partnership = partnership_for_user(request, slug, MANAGE)
    memberships = (
        partnership.memberships.past()
        .select_related("person", "organisation")
        .order_by("-end_date", "person__family_name", "pk")
    )
    context = {"partnership": partnership, "memberships": _page(request, memberships), "crumbs": _crumbs(partnership)}
    return render(request, "membership/workspace/past_members.html", context)


@login_required
def person_detail(request, slug, person_slug):
    """One person as the secretariat sees them: their seats and chairs on this partnership, their
    register of interests and, if this secretariat may see them, their contact details."""
    partnership = partnership_for_user(request, slug, MANAGE)
    person = _person(partnership, person_slug)
    context = {
        "partnership": partnership,
        "person": person,
        "private": private_details(person, shown=may_see_contact_details(request.user, person)),
        "refusal": services.person_shared_refusal(actor=request.user, person=person),
        "invitation": partnership.invitations.filter(person=person).first(),
        "may_invite": not person.user_id
        and not accounts.invitation_refusal(actor=request.user, partnership=partnership, person=person),
        "may_change_account": bool(person.user_id)
        and not accounts.account_change_refusal(actor=request.user, person=person),
        "memberships": person.memberships.filter(partnership=partnership)
        .select_related("organisation")
        .order_by("-start_date"),
        "chairs": person.chair_appointments.filter(partnership=partnership).order_by("-start_date"),
        "interests": person.interests.order_by("-declared_on", "-pk"),
        "nil_returns": person.nil_returns.order_by("-declared_on")[:5],
        "today": timezone.localdate(),
        "crumbs": _crumbs(partnership),
    }
    return render(request, "membership/workspace/person.html", context)


@login_required
def person_add(request, slug):
    partnership = partnership_for_user(request, slug, MANAGE)
    form = PersonForm(_posted(request), can_link_account=may_link_accounts(request.user), contact_details=True)
    return handle_form(
        request,
        form,
        on_valid=lambda: services.person_create(actor=request.user, partnership=partnership, **form.cleaned_data),
        success=lambda person: f"{person} has been added. Now give them a seat on {partnership}.",
        redirect_to=lambda person: (
            f"{reverse('workspace:membership_add', args=[partnership.slug])}?person={person.slug}"
        ),
        template="membership/workspace/person_form.html",
        context={"partnership": partnership, "crumbs": _crumbs(partnership)},
    )


@login_required
def person_edit(request, slug, person_slug):
    """Edit a person's name and, where this user may see them, contact details. A person on the
    record of a partnership this user does not run is shown with the reason instead of a form;
    only a portal administrator sees the sign-in account field."""
    partnership = partnership_for_user(request, slug, MANAGE)
    person = _person(partnership, person_slug)
    form = PersonForm(
        _posted(request),
        person=person,
        can_link_account=may_link_accounts(request.user),
        contact_details=may_see_contact_details(request.user, person),
    )
    return handle_form(
        request,
        form,
        on_valid=lambda: services.person_update(
            actor=request.user, partnership=partnership, person=person, **form.cleaned_data
        ),
        success=lambda saved: f"{saved}'s details have been saved.",
        redirect_to=lambda saved: _person_url(partnership, saved),
        template="membership/workspace/person_form.html",
        context=lambda: {
            "partnership": partnership,
            "person": person,
            "refusal": services.person_shared_refusal(actor=request.user, person=person),
            "crumbs": _person_crumbs(partnership, person),
        },
    )


@login_required
def membership_add(request, slug):
    partnership = partnership_for_user(request, slug, MANAGE)
    if wants_json(request):  # the chooser's matches as you type (static/js/person-chooser.mjs)
        return chooser_json(system_chooser(request, partnership))
    initial = {"start_date": timezone.localdate()}
    chosen = request.GET.get("person")
    if chosen:
        initial["person"] = system_people(partnership).filter(slug=chosen).values_list("pk", flat=True).first()
    form = MembershipForm(_posted(request), initial=initial, partnership=partnership)
    return handle_form(
        request,
        form,
        on_valid=lambda: services.membership_add(actor=request.user, partnership=partnership, **form.cleaned_data),
        success=lambda membership: (
            f"{membership.person} is a {membership.get_role_display().lower()} from {_long(membership.start_date)}."
        ),
        redirect_to=_dashboard(partnership),
        template="membership/workspace/membership_form.html",
        context=lambda: {
            "partnership": partnership,
            "chooser": person_chooser(request, partnership, form),
            "sectors": dict(Organisation.Sector.choices),
            "crumbs": _crumbs(partnership),
        },
    )


@login_required
def membership_end(request, slug, pk):
    partnership = partnership_for_user(request, slug, MANAGE)
    membership = get_object_or_404(partnership.memberships.select_related("person", "organisation"), pk=pk)
    if membership.end_date and membership.end_date < timezone.localdate():
        messages.info(request, f"{membership.person}'s membership already ended on {_long(membership.end_date)}.")
        return _dashboard(partnership)
    form = EndTermForm(_posted(request), initial={"end_date": timezone.localdate()})
    return handle_form(
        request,
        form,
        on_valid=lambda: services.membership_end(actor=request.user, membership=membership, **form.cleaned_data),
        success=lambda _: f"{membership.person}'s membership ends on {_long(form.cleaned_data['end_date'])}.",
        redirect_to=_dashboard(partnership),
        template="membership/workspace/end_term.html",
        context=_end_term_context(
            partnership,
            membership,
            title=f"End {membership.person}'s membership",
            explanation="The membership stays in the partnership's history. A member with a sign-in account "
            "can read exempt papers up to and including the end date.",
            button="End membership",
        ),
    )


@login_required
def chair_appoint(request, slug):
    partnership = partnership_for_user(request, slug, MANAGE)
    if wants_json(request):  # the chooser's matches as you type (static/js/person-chooser.mjs)
        return chooser_json(system_chooser(request, partnership))
    initial = {}
    chosen = request.GET.get("person")
    if chosen:
        initial["person"] = system_people(partnership).filter(slug=chosen).values_list("pk", flat=True).first()
    form = ChairAppointForm(_posted(request), initial=initial, partnership=partnership)
    return handle_form(
        request,
        form,
        on_valid=lambda: services.chair_appoint(actor=request.user, partnership=partnership, **form.cleaned_data),
        success=lambda appointment: (
            f"{appointment.person} is {appointment.get_role_display().lower()} from {_long(appointment.start_date)}."
        ),
        redirect_to=_dashboard(partnership),
        template="membership/workspace/chair_form.html",
        context=lambda: {
            "partnership": partnership,
            "chooser": person_chooser(request, partnership, form),
            "crumbs": _crumbs(partnership),
        },
    )


@login_required
def chair_end(request, slug, pk):
    partnership = partnership_for_user(request, slug, MANAGE)
    appointment = get_object_or_404(partnership.chair_appointments.select_related("person"), pk=pk)
    if appointment.end_date and appointment.end_date < timezone.localdate():
        messages.info(request, f"This term already ended on {_long(appointment.end_date)}.")
        return _dashboard(partnership)
    form = EndTermForm(_posted(request), initial={"end_date": timezone.localdate()})
    role = appointment.get_role_display().lower()
    return handle_form(
        request,
        form,
        on_valid=lambda: services.chair_appointment_end(
            actor=request.user, appointment=appointment, **form.cleaned_data
        ),
        success=lambda _: f"{appointment.person}'s term as {role} ends on {_long(form.cleaned_data['end_date'])}.",
        redirect_to=_dashboard(partnership),
        template="membership/workspace/end_term.html",
        context=_end_term_context(
            partnership,
            appointment,
            title=f"End {appointment.person}'s term as {role}",
            explanation="The appointment stays in the partnership's record.",
            button="End term",
        ),
    )


@login_required
def interest_add(request, slug, person_slug):
    partnership = partnership_for_user(request, slug, MANAGE)
    person = _person(partnership, person_slug)
    form = InterestForm(_posted(request))
    return handle_form(
        request,
        form,
        on_valid=lambda: services.interest_record(
            actor=request.user, partnership=partnership, person=person, **form.cleaned_data
        ),
        success=f"The interest has been added to {person}'s register.",
        redirect_to=_person_url(partnership, person),
        template="membership/workspace/interest_form.html",
        context={"partnership": partnership, "person": person, "crumbs": _person_crumbs(partnership, person)},
    )


@login_required
def nil_return_add(request, slug, person_slug):
    partnership = partnership_for_user(request, slug, MANAGE)
    person = _person(partnership, person_slug)
    form = NilReturnForm(_posted(request))
    current_interests = person.interests.filter(Q(end_date__isnull=True) | Q(end_date__gte=timezone.localdate()))
    return handle_form(
        request,
        form,
        on_valid=lambda: services.nil_return_record(
            actor=request.user, partnership=partnership, person=person, **form.cleaned_data
        ),
        success=f"{person}'s nil return has been recorded.",
        redirect_to=_person_url(partnership, person),
        template="membership/workspace/nil_return_form.html",
        context={
            "partnership": partnership,
            "person": person,
            "current_interests": current_interests,
            "crumbs": _person_crumbs(partnership, person),
        },
    )


@login_required
def partnership_edit(request, slug):
    partnership = partnership_for_user(request, slug, MANAGE)
    form = PartnershipDetailsForm(
        _posted(request), _uploaded(request), initial=PartnershipDetailsForm.initial_for(partnership)
    )
    return handle_form(
        request,
        form,
        on_valid=lambda: services.partnership_update(actor=request.user, partnership=partnership, **form.cleaned_data),
        success=f"The details of {partnership} have been saved.",
        redirect_to=_dashboard(partnership),
        template="membership/workspace/partnership_form.html",
        context={"partnership": partnership, "crumbs": _crumbs(partnership)},
    )


@login_required
def secretariat_assign(request, slug):
    partnership = partnership_for_user(request, slug, MANAGE)
    form = SecretariatAssignForm(_posted(request))
    return handle_form(
        request,
        form,
        on_valid=lambda: services.secretariat_assign(actor=request.user, partnership=partnership, **form.cleaned_data),
        success=lambda assignment: (
            f"{assignment.user.get_username()} is on the secretariat from {_long(assignment.start_date)}."
        ),
        redirect_to=_dashboard(partnership),
        template="membership/workspace/secretariat_form.html",
        context={"partnership": partnership, "crumbs": _crumbs(partnership)},
    )


@login_required
def secretariat_end(request, slug, pk):
    partnership = partnership_for_user(request, slug, MANAGE)
    assignment = get_object_or_404(partnership.secretariat_assignments.select_related("user"), pk=pk)
    if assignment.end_date and assignment.end_date < timezone.localdate():
        messages.info(request, f"This assignment already ended on {_long(assignment.end_date)}.")
        return _dashboard(partnership)
    form = SecretariatEndForm(_posted(request), initial={"end_date": timezone.localdate()})
    username = assignment.user.get_username()
    return handle_form(
        request,
        form,
        on_valid=lambda: services.secretariat_assignment_end(
            actor=request.user, assignment=assignment, **form.cleaned_data
        ),
        success=lambda _: f"{username} leaves the secretariat after {_long(form.cleaned_data['end_date'])}.",
        redirect_to=_dashboard(partnership),
        template="membership/workspace/end_term.html",
        context=_end_term_context(
            partnership,
            assignment,
            title=f"End {username}'s secretariat assignment",
            explanation="They can manage the partnership up to and including the end date.",
            button="End assignment",
        ),
    )


def _import_key(partnership) -> str:
    return f"membership-import-{partnership.pk}"


@login_required
def import_upload(request, slug):
    """Step 1 of the bulk import: upload a CSV file. The rows wait in the session (never on
    disk) until they are confirmed or cancelled."""
    partnership = partnership_for_user(request, slug, MANAGE)
    form = ImportUploadForm(_posted(request), _uploaded(request))
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = rows_from_upload(upload)
        except ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            request.session[_import_key(partnership)] = {
                "token": uuid.uuid4().hex,
                "file_name": upload.name[:200],
                "rows": rows,
            }
            return redirect("workspace:import_preview", slug=partnership.slug)
    context = {
        "partnership": partnership,
        "form": form,
        "columns": COLUMNS,
        "roles": Membership.Role.choices,
        "sectors": Organisation.Sector.choices,
        "max_rows": MAX_ROWS,
        "max_megabytes": MAX_FILE_BYTES // 1024 // 1024,
        "crumbs": _crumbs(partnership),
    }
    return render(request, "membership/workspace/import_upload.html", context)


def _import_already_applied(request, partnership, key: str, token: str):
    """A second confirm of the same preview (a double click, another tab): say so, import nothing."""
    if request.session.get(key, {}).get("token") == token:
        request.session.pop(key)
    messages.info(request, "This import has already been applied. Nothing was imported again.")
    return _dashboard(partnership)


@login_required
def import_preview(request, slug):
    """Step 2: every row with its problems; confirming imports all the rows or none of them."""
    partnership = partnership_for_user(request, slug, MANAGE)
    key = _import_key(partnership)
    pending = request.session.get(key)
    problem = ""
    if request.method == "POST":
        if request.POST.get("action") == "cancel":
            request.session.pop(key, None)
            messages.info(request, "The import was cancelled. Nothing was imported.")
            return redirect("workspace:import_upload", slug=partnership.slug)
        token = request.POST.get("token", "")
        if token and import_applied(partnership=partnership, token=token):
            return _import_already_applied(request, partnership, key, token)
        if not pending or token != pending["token"]:
            messages.error(request, "That preview is out of date, so nothing was imported. Upload the file again.")
            return redirect("workspace:import_upload", slug=partnership.slug)
        try:
            result = services.membership_import(
                actor=request.user,
                partnership=partnership,
                rows=pending["rows"],
                file_name=pending["file_name"],
                token=token,
            )
        except services.ImportAlreadyApplied:
            return _import_already_applied(request, partnership, key, token)
        except ValidationError as exc:
            problem = " ".join(exc.messages)
        else:
            request.session.pop(key, None)
            count = len(result.memberships)
            messages.success(
                request,
                f"{count} membership{'s' if count != 1 else ''} imported from {pending['file_name']}, "
                f"with {result.people_created} new {'person' if result.people_created == 1 else 'people'}.",
            )
            return _dashboard(partnership)
    rows = import_rows_check(partnership=partnership, rows=pending["rows"]) if pending else []
    bad = [row for row in rows if row.errors]
    context = {
        "partnership": partnership,
        "pending": pending,
        "rows": rows,
        "bad": bad,
        "problem": problem,
        "new_people": len({row.person_key for row in rows if row.person is None and not row.errors}),
        "crumbs": _crumbs(partnership, ("Import members", reverse("workspace:import_upload", args=[partnership.slug]))),
    }
    return render(request, "membership/workspace/import_preview.html", context)


def _audit_lines(user, events) -> None:
    """Give each event its label and change lines. A person's contact details and account show
    only to those who may see them on the person's page; for anyone else they are withheld."""
    person_type = ContentType.objects.get_for_model(Person)

    def person_id(event):
        is_person = event.content_type_id == person_type.pk and event.object_id.isdigit()
        return int(event.object_id) if is_person else None

    shown = people_whose_contact_details_show(user, {person_id(e) for e in events} - {None})
    for event in events:
        pk = person_id(event)
        withheld = PRIVATE_PERSON_FIELDS if event.content_type_id == person_type.pk and pk not in shown else frozenset()
        event.label = action_label(event.action)
        event.sentence = audit_sentence(event)
        event.when = audit_when(event)
        event.lines = audit_change_lines(event.changes, withheld)


@login_required
def audit_trail(request, slug):
    """Who changed what on the partnership, and when: its audit log, newest first."""
    partnership = partnership_for_user(request, slug, MANAGE)
    events = _page(request, partnership.audit_events.select_related("actor").order_by("-created_at", "-pk"))
    _audit_lines(request.user, events)
    context = {"partnership": partnership, "events": events, "crumbs": _crumbs(partnership)}
    return render(request, "membership/workspace/audit.html", context)
