"""Declarations of interest made at a meeting: choosing the person, then the interest."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect

from membership.models import Person
from membership.person_chooser import Chooser, choose, chooser_json, wants_json

from ... import record_forms as forms
from ... import record_services as services
from ...access import meeting_for_staff
from ...conflicts import declaration_prefill
from ...models import Meeting
from ...once import AlreadySubmitted, submitted_once
from ...record import members_at
from ._common import _meeting_crumbs, _render, _sent_twice, _url


def _meeting_people(meeting: Meeting, memberships) -> list[Person]:
    """Members on the day and everyone recorded as attending."""
    people = {m.person_id: m.person for m in memberships}
    for row in meeting.attendance.select_related("person"):
        people.setdefault(row.person_id, row.person)
    return sorted(people.values(), key=lambda p: (p.family_name, p.given_name, p.pk))


def _people_of_the_meeting(meeting: Meeting):
    """Members on the day and everyone recorded as attending, as a queryset to search."""
    return Person.objects.filter(
        Q(pk__in=members_at(meeting).order_by().values("person_id")) | Q(pk__in=meeting.attendance.values("person_id"))
    )


def _attendance_chooser(request, meeting: Meeting, people, value, **options) -> Chooser:
    """Choosing a substitute or someone in attendance by searching (never a list of everyone)."""
    hint = (
        "People who have sat on or attended this partnership, or whom it added. Part of a name is enough. "
        "Not found? Give the name of someone new below."
    )
    return choose(request, people, value, by="pk", label="Who attended? Search by name", hint=hint, **options)


def _declaration_chooser(request, meeting: Meeting, errors=()) -> Chooser:
    hint = "Members of the partnership on the day of the meeting and everyone recorded as attending it."
    return choose(
        request,
        _people_of_the_meeting(meeting),
        None,
        choose_url=f"{_url('declaration_add', meeting)}?person=",
        by="pk",
        label="Who declared an interest? Search by name",
        hint=hint,
        errors=list(errors),
    )


@login_required
def declarations(request, slug, pk):
    meeting = meeting_for_staff(request, slug, pk)
    chooser = _declaration_chooser(request, meeting)
    if wants_json(request):  # the chooser's matches as you type (static/js/person-chooser.mjs)
        return chooser_json(chooser)
    rows = meeting.declarations.select_related("agenda_item", "person", "interest").order_by(
        "agenda_item__position", "person__family_name", "pk"
    )
    context = {
        "declarations": rows,
        "chooser": chooser,
        "has_items": meeting.agenda_items.exists(),
    }
    return _render(request, "declarations.html", meeting, "declarations", **context)


@login_required
def declaration_add(request, slug, pk):
    """Step 2 of recording a declaration: the person is chosen (?person=), now the item,
    the entry of their register, and what they did."""
    meeting = meeting_for_staff(request, slug, pk)
    people = _meeting_people(meeting, members_at(meeting))
    person_form = forms.DeclarationPersonForm(request.GET, people=people)
    if not person_form.is_valid():
        context = {
            "declarations": meeting.declarations.select_related("agenda_item", "person", "interest"),
            "person_form": person_form,
            "chooser": _declaration_chooser(request, meeting, person_form.errors.get("person", [])),
            "has_items": meeting.agenda_items.exists(),
        }
        return _render(request, "declarations.html", meeting, "declarations", **context)
    person = next(p for p in people if p.pk == person_form.cleaned_data["person"])
    interests = list(person.interests.order_by("-declared_on", "-pk"))
    # A conflicts of interest prompt links here with the item, register entry, organisation and kind.
    prefill = declaration_prefill(request.GET, meeting=meeting, interests=interests)
    form = forms.DeclarationForm(request.POST or None, meeting=meeting, interests=interests, initial=prefill)
    if request.method == "POST" and form.is_valid():
        try:
            with submitted_once(form):
                declaration = services.declaration_record(
                    meeting=meeting, person=person, actor=request.user, **form.service_arguments()
                )
        except AlreadySubmitted as error:
            return _sent_twice(request, error, _url("declarations", meeting))
        except services.RecordError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Declaration by {person} on item {declaration.agenda_item.position} recorded.")
            return redirect(_url("declarations", meeting))
    crumbs = [*_meeting_crumbs(meeting), ("Declarations", _url("declarations", meeting))]
    context = {"form": form, "person": person, "interests": interests}
    return _render(request, "declaration_form.html", meeting, "declarations", crumbs=crumbs, **context)


@login_required
def declaration_remove(request, slug, pk, declaration_pk):
    meeting = meeting_for_staff(request, slug, pk)
    declaration = get_object_or_404(meeting.declarations.select_related("agenda_item", "person"), pk=declaration_pk)
    if request.method == "POST":
        services.declaration_remove(declaration=declaration, actor=request.user)
        messages.success(request, f"Declaration by {declaration.person} removed.")
        return redirect(_url("declarations", meeting))
    crumbs = [*_meeting_crumbs(meeting), ("Declarations", _url("declarations", meeting))]
    context = {"declaration": declaration}
    return _render(request, "declaration_remove.html", meeting, "declarations", crumbs=crumbs, **context)
