"""Attendance: the members' list in one form, and adding substitutes and others in attendance."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import redirect

from membership.models import Person
from membership.person_chooser import Chooser, choose, chooser_json, wants_json

from ... import record_forms as forms
from ... import record_services as services
from ...access import meeting_for_staff
from ...models import Meeting
from ...record import NOT_HELD, has_started, members_at, quorum_record, seat_label
from ._common import _meeting_crumbs, _render, _url


def _member_choices(memberships) -> list[tuple[int, str]]:
    return [
        (m.person_id, f"{m.person.display_name} – {seat_label(m)}" if seat_label(m) else m.person.display_name)
        for m in memberships
    ]


def _attendance_chooser(request, meeting: Meeting, people, value, **options) -> Chooser:
    """Choosing a substitute or someone in attendance by searching (never a list of everyone)."""
    hint = (
        "People who have sat on or attended this partnership, or whom it added. Part of a name is enough. "
        "Not found? Give the name of someone new below."
    )
    return choose(request, people, value, by="pk", label="Who attended? Search by name", hint=hint, **options)


@login_required
def attendance(request, slug, pk):
    """Every current member's attendance, and everyone else recorded, in one form: once the
    meeting has started, members not yet recorded are offered as present, so the secretariat
    marks only the exceptions; substitutes are added inline (the form of `attendance_add`)."""
    meeting = meeting_for_staff(request, slug, pk)
    memberships = list(members_at(meeting))
    rows = list(meeting.attendance.select_related("person", "substitute_for"))
    add_people = _known_people(meeting, {row.person_id for row in rows} | {m.person_id for m in memberships})
    if wants_json(request):  # the chooser's matches as you type (static/js/person-chooser.mjs)
        return chooser_json(_attendance_chooser(request, meeting, add_people, None, then="#add"))
    items = list(meeting.agenda_items.order_by("position"))
    started = has_started(meeting)
    lines = forms.attendance_lines(memberships, rows, default_present=started)
    member_choices = _member_choices(memberships)
    formset = forms.AttendanceFormSet(
        request.POST or None, lines=lines, member_choices=member_choices, items=items, prefix="attendance"
    )
    errors = []
    if request.method == "POST" and formset.is_valid():
        people = {m.person_id: m.person for m in memberships}
        entries = [
            services.AttendanceEntry(
                person=line.person,
                status=form.cleaned_data["status"],
                substitute_for=people.get(form.cleaned_data.get("substitute_for")),
                capacity=form.cleaned_data.get("capacity") or "",
                arrived_at_item=form.arrived_item,
                left_after_item=form.left_item,
            )
            for form, line in zip(formset.forms, lines, strict=True)
        ]
        try:
            counts = services.attendance_record(meeting=meeting, entries=entries, actor=request.user)
        except services.RecordError as error:
            errors.append(str(error))
        else:
            changed = sum(counts.values())
            messages.success(
                request,
                f"Attendance saved ({counts['created']} added, {counts['changed']} changed, "
                f"{counts['removed']} removed)."
                if changed
                else "Attendance saved: nothing had changed.",
            )
            return redirect(_url("attendance", meeting))
    context = {
        "formset": formset,
        "rows": list(zip(formset.forms, lines, strict=True)),
        "errors": errors,
        "items": items,
        "quorum": quorum_record(meeting, attendance=rows, memberships=memberships, items=items),
        "has_started": started,
        "not_held": meeting.status in NOT_HELD,
        "defaulted": sum(1 for line in lines if line.is_member and not line.is_recorded) if started else 0,
        # Sent in advance: apologies recorded before the meeting began (Attendance.recorded_at).
        "apologies": [line for line in lines if line.is_recorded and line.attendance.sent_before(meeting.starts_at)],
        # Substitutes and others are added inline, on this page, by the form of `attendance_add`,
        # the person chosen by searching (`?q=`, then `?person=`).
        "add_form": forms.AttendanceAddForm(member_choices=member_choices, people=add_people),
        "add_chooser": _attendance_chooser(request, meeting, add_people, request.GET.get("person"), then="#add"),
    }
    return _render(request, "attendance.html", meeting, "attendance", **context)


def _known_people(meeting: Meeting, exclude: set[int]):
    """People the partnership's secretariat has met: past and present members, people it
    added, and people who attended its meetings. Not those already on this record."""
    partnership = meeting.partnership
    return (
        Person.objects.filter(
            Q(memberships__partnership=partnership)
            | Q(added_for=partnership)
            | Q(attendance__meeting__partnership=partnership)
        )
        .exclude(pk__in=exclude)
        .defer("email", "phone")
        .distinct()
        .order_by("family_name", "given_name", "pk")
    )


@login_required
def attendance_add(request, slug, pk):
    """Add a substitute or someone in attendance who is not a member."""
    meeting = meeting_for_staff(request, slug, pk)
    memberships = list(members_at(meeting))
    recorded = set(meeting.attendance.values_list("person_id", flat=True))
    people = _known_people(meeting, recorded | {m.person_id for m in memberships})
    if wants_json(request):  # the chooser's matches as you type (static/js/person-chooser.mjs)
        return chooser_json(_attendance_chooser(request, meeting, people, None))
    form = forms.AttendanceAddForm(request.POST or None, member_choices=_member_choices(memberships), people=people)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        substitute_for = next((m.person for m in memberships if m.person_id == data.get("substitute_for")), None)
        try:
            row = services.attendance_add(
                meeting=meeting,
                status=data["status"],
                actor=request.user,
                person=form.chosen_person,
                honorific=data["honorific"],
                given_name=data["given_name"] if not form.chosen_person else "",
                family_name=data["family_name"] if not form.chosen_person else "",
                substitute_for=substitute_for,
                capacity=data["capacity"],
            )
        except services.RecordError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{row.person} added to the attendance ({row.get_status_display().lower()}).")
            return redirect(_url("attendance", meeting))
    chosen = form["person"].value() if request.method == "POST" else request.GET.get("person")
    chooser = _attendance_chooser(request, meeting, people, chosen, errors=form["person"].errors)
    context = {"form": form, "chooser": chooser, "has_started": has_started(meeting)}
    crumbs = [*_meeting_crumbs(meeting), ("Attendance", _url("attendance", meeting))]
    return _render(request, "attendance_add.html", meeting, "attendance", crumbs=crumbs, **context)
