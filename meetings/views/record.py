"""Recording a meeting: attendance, declarations, minutes, decisions and actions (for the
secretariat), and the public decisions register and action log.

Staff views load the meeting through `meetings.access` (MANAGE on the partnership: 404
outside it, 403 without it), call a service in `record_services`, and redirect after a
successful POST with a message. Public views read only through the `public()` querysets;
readers who may see exempt material get it marked as such.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from membership.models import Person
from membership.person_chooser import Chooser, choose, chooser_json, wants_json
from partnerships.access import public_partnership_or_404
from partnerships.models import Organisation

from .. import record_forms as forms
from .. import record_services as services
from ..access import can_read_exempt, meeting_for_staff, partnership_for_staff
from ..conflicts import declaration_prefill
from ..http import public_page
from ..models import Action, ActionUpdate, Decision, Meeting, Minutes
from ..once import AlreadySubmitted, submitted_once
from ..record import (
    NOT_HELD,
    actions_carried_forward,
    attendance_summary,
    has_started,
    long_date,
    members_at,
    quorum_record,
    seat_label,
)

PAGE_SIZE = 25

# The record's own pages, in the order of the sub-navigation.
SECTIONS = [
    ("meeting", "Overview"),
    ("attendance", "Attendance"),
    ("declarations", "Declarations"),
    ("minutes", "Minutes"),
    ("decisions", "Decisions"),
    ("actions", "Actions"),
]


# Shared helpers -----------------------------------------------------------------------------


def _workspace_crumbs(partnership) -> list[tuple[str, str]]:
    return [
        ("Your partnerships", reverse("workspace:home")),
        (partnership.name, reverse("workspace:dashboard", kwargs={"slug": partnership.slug})),
    ]


def _meeting_crumbs(meeting: Meeting, *, hub: bool = True) -> list[tuple[str, str]]:
    slug = meeting.partnership.slug
    crumbs = [
        *_workspace_crumbs(meeting.partnership),
        ("Meetings", reverse("meetings:staff_list", kwargs={"slug": slug})),
        (str(meeting), reverse("meetings:staff_meeting", kwargs={"slug": slug, "pk": meeting.pk})),
    ]
    if hub:
        crumbs.append(("Record of the meeting", _url("meeting", meeting)))
    return crumbs


def _url(name: str, meeting: Meeting, **kwargs) -> str:
    return reverse(f"record:{name}", kwargs={"slug": meeting.partnership.slug, "pk": meeting.pk, **kwargs})


def _render(request, template: str, meeting: Meeting, section: str, **context):
    nav = [(label, _url(name, meeting), name == section) for name, label in SECTIONS]
    context.setdefault("crumbs", _meeting_crumbs(meeting, hub=section != "meeting"))
    return render(
        request,
        f"meetings/record/{template}",
        {"meeting": meeting, "partnership": meeting.partnership, "section": section, "record_nav": nav, **context},
    )


def _member_choices(memberships) -> list[tuple[int, str]]:
    return [
        (m.person_id, f"{m.person.display_name} – {seat_label(m)}" if seat_label(m) else m.person.display_name)
        for m in memberships
    ]


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


def _refused(request, error: services.RecordError, to: str):
    messages.error(request, str(error))
    return redirect(to)


def _sent_twice(request, error: AlreadySubmitted, to: str):
    messages.info(request, str(error))
    return redirect(to)


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


# The overview -------------------------------------------------------------------------------


@login_required
def meeting_record(request, slug, pk):
    """What has been recorded for the meeting so far, and what is left to do."""
    meeting = meeting_for_staff(request, slug, pk)
    attendance = list(meeting.attendance.all())
    memberships = list(members_at(meeting))
    versions = list(meeting.minutes_versions.select_related("approved_at_meeting").order_by("-version"))
    context = {
        "quorum": quorum_record(meeting, attendance=attendance, memberships=memberships),
        "attendance_count": len(attendance),
        "member_count": len(memberships),
        "declaration_count": meeting.declarations.count(),
        "latest_minutes": versions[0] if versions else None,
        "decision_count": meeting.decisions.count(),
        "action_count": meeting.actions.count(),
        "carried_forward_count": actions_carried_forward(meeting).count(),
        "has_started": has_started(meeting),
        "not_held": meeting.status in NOT_HELD,
    }
    return _render(request, "meeting.html", meeting, "meeting", **context)


# Attendance ---------------------------------------------------------------------------------


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


# Declarations -------------------------------------------------------------------------------


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


# Minutes ------------------------------------------------------------------------------------


def _version(meeting: Meeting, version: int) -> Minutes:
    return get_object_or_404(
        meeting.minutes_versions.select_related("approved_at_meeting", "approval_decision", "created_by"),
        version=version,
    )


@login_required
def minutes(request, slug, pk):
    """Every version of the minutes, and what can be done next."""
    meeting = meeting_for_staff(request, slug, pk)
    versions = list(meeting.minutes_versions.select_related("approved_at_meeting", "created_by").order_by("-version"))
    draft = next((v for v in versions if v.status == Minutes.Status.DRAFT), None)
    approved = next((v for v in versions if v.status == Minutes.Status.APPROVED), None)
    context = {
        "versions": versions,
        "draft": draft,
        "approved": approved,
        "can_start": not versions and has_started(meeting) and meeting.status not in NOT_HELD,
        "has_started": has_started(meeting),
        "not_held": meeting.status in NOT_HELD,
    }
    return _render(request, "minutes.html", meeting, "minutes", **context)


@login_required
@require_POST
def minutes_start(request, slug, pk):
    meeting = meeting_for_staff(request, slug, pk)
    try:
        draft = services.minutes_start_draft(meeting=meeting, actor=request.user)
    except services.RecordError as error:
        return _refused(request, error, _url("minutes", meeting))
    messages.success(request, "Draft minutes started: write the minute of each item.")
    return redirect(_url("minutes_version", meeting, version=draft.version))


def _minute_form(minutes: Minutes, item, entry, data=None):
    """A draft's minute of `item` in the page's one form (fields prefixed by the item's id, so
    that a moved item keeps its text); None when the version cannot be changed. It carries the
    fingerprint of the minute as shown, so that saving can tell the items this writer changed
    from those someone else saved meanwhile."""
    if not minutes.is_editable:
        return None
    discussion, resolutions = (entry.discussion, entry.resolutions) if entry else ("", "")
    initial = {
        "discussion": discussion,
        "resolutions": resolutions,
        "seen": forms.minute_fingerprint(discussion, resolutions),
    }
    return forms.MinuteEntryForm(data, initial=initial, item=item, prefix=f"minute-{item.pk}", auto_id="%s")


def _minutes_save(request, minutes: Minutes, agenda, entries):
    """Save every item whose minute the writer changed, each on its own (as `minutes_entry`
    does), and keep every typed word: returns the items saved, the problems, the posted data
    with each saved or clashing item's fingerprint brought up to date, and whether any item's
    text was refused (its errors are shown beside it, with the text as typed)."""
    data = request.POST.copy()
    saved, problems, invalid = [], [], False
    for item in agenda:
        if f"minute-{item.pk}-seen" not in data:
            continue  # added to the agenda after the page was shown: nothing typed
        form = _minute_form(minutes, item, entries.get(item.pk), data)
        if not form.is_valid():
            invalid = True
            continue
        entry = entries.get(item.pk)
        stored = (entry.discussion, entry.resolutions) if entry else ("", "")
        stored_print = forms.minute_fingerprint(*stored)
        posted = form.text()
        if forms.minute_fingerprint(*posted) in (stored_print, form.cleaned_data["seen"]):
            continue  # as stored, or untouched by this writer (someone else's newer minute stays)
        if form.cleaned_data["seen"] != stored_print:
            problems.append(
                (
                    item,
                    f"Someone else saved the minute of item {item.position} while you were writing: your text "
                    "is kept and not saved. Compare it with theirs, shown with it, then save again.",
                )
            )
            data[f"minute-{item.pk}-seen"] = stored_print
            continue
        try:
            services.minutes_update_entry(
                minutes=minutes, agenda_item=item, actor=request.user, discussion=posted[0], resolutions=posted[1]
            )
        except services.RecordError as error:
            problems.append((item, f"Item {item.position}: {error}"))
            continue
        saved.append(item)
        data[f"minute-{item.pk}-seen"] = forms.minute_fingerprint(*posted)
    return saved, problems, data, invalid


@login_required
def minutes_version(request, slug, pk, version):
    """A version of the minutes; a draft's page is one form of every item's minute beside the
    agenda. Each item's **Save** posts the whole form and saves every item changed, so text
    typed in other items is never lost; an item in error is shown with its text as typed."""
    meeting = meeting_for_staff(request, slug, pk)
    minutes = _version(meeting, version)
    version_url = _url("minutes_version", meeting, version=version)
    agenda = list(meeting.agenda_items.order_by("position"))
    entries = {entry.agenda_item_id: entry for entry in minutes.entries.all()}
    data, problems = None, []
    if request.method == "POST":
        if not minutes.is_editable:
            messages.error(
                request,
                f"Version {minutes.version} of these minutes is {minutes.get_status_display().lower()} and cannot "
                "be changed. A correction is made as a new version, with its reason.",
            )
            return redirect(version_url)
        saved, problems, data, invalid = _minutes_save(request, minutes, agenda, entries)
        if not problems and not invalid:
            back = next((item for item in agenda if str(item.pk) == request.POST.get("save")), None)
            messages.success(request, _saved_message(saved))
            return redirect(f"{version_url}#item-{back.position}" if back else version_url)
        if saved:
            messages.success(request, _saved_message(saved))
        entries = {entry.agenda_item_id: entry for entry in minutes.entries.all()}
    items = [(item, entries.get(item.pk), _minute_form(minutes, item, entries.get(item.pk), data)) for item in agenda]
    attendance = list(meeting.attendance.select_related("person", "substitute_for"))
    memberships = list(members_at(meeting))
    latest = meeting.minutes_versions.order_by("-version").values_list("version", flat=True).first()
    context = {
        "heading": f"Minutes: version {minutes.version}",
        "minutes": minutes,
        "items": items,
        "problems": problems,
        "clashes": {item.pk for item, _message in problems},
        "item_errors": [form for _item, _entry, form in items if form is not None and form.errors],
        "quorum": quorum_record(meeting, attendance=attendance, memberships=memberships, items=agenda),
        "attendance": attendance_summary(attendance, memberships, agenda),
        "can_correct": minutes.status == Minutes.Status.APPROVED and latest == minutes.version,
    }
    crumbs = [*_meeting_crumbs(meeting), ("Minutes", _url("minutes", meeting))]
    return _render(request, "minutes_version.html", meeting, "minutes", crumbs=crumbs, **context)


def _saved_message(saved) -> str:
    if not saved:
        return "Minutes saved: nothing had changed."
    numbers = [str(item.position) for item in saved]
    if len(numbers) == 1:
        return f"Minute of item {numbers[0]} saved."
    return f"Minutes of items {', '.join(numbers[:-1])} and {numbers[-1]} saved."


@login_required
def minutes_entry(request, slug, pk, version, item_pk):
    meeting = meeting_for_staff(request, slug, pk)
    minutes = _version(meeting, version)
    item = get_object_or_404(meeting.agenda_items, pk=item_pk)
    version_url = _url("minutes_version", meeting, version=version)
    if not minutes.is_editable:
        messages.error(
            request,
            f"Version {minutes.version} of these minutes is {minutes.get_status_display().lower()} and cannot be "
            "changed. A correction is made as a new version, with its reason.",
        )
        return redirect(version_url)
    entry = minutes.entries.filter(agenda_item=item).first()
    initial = {"discussion": entry.discussion, "resolutions": entry.resolutions} if entry else {}
    form = forms.MinuteEntryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            discussion, resolutions = form.text()
            services.minutes_update_entry(
                minutes=minutes, agenda_item=item, actor=request.user, discussion=discussion, resolutions=resolutions
            )
        except services.RecordError as error:
            return _refused(request, error, version_url)
        messages.success(request, f"Minute of item {item.position} saved.")
        return redirect(f"{version_url}#item-{item.position}")
    crumbs = [
        *_meeting_crumbs(meeting),
        ("Minutes", _url("minutes", meeting)),
        (f"Version {minutes.version}", version_url),
    ]
    context = {"form": form, "minutes": minutes, "item": item}
    return _render(request, "minutes_entry.html", meeting, "minutes", crumbs=crumbs, **context)


@login_required
@require_POST
def minutes_publish(request, slug, pk, version):
    meeting = meeting_for_staff(request, slug, pk)
    minutes = _version(meeting, version)
    version_url = _url("minutes_version", meeting, version=version)
    try:
        services.minutes_publish_draft(minutes=minutes, actor=request.user)
    except services.RecordError as error:
        return _refused(request, error, version_url)
    messages.success(request, "Draft minutes published. They are shown as a draft until a later meeting approves them.")
    return redirect(version_url)


def _approving_meetings(minutes: Minutes):
    """Meetings of the partnership that may approve `minutes`: later, held, and begun."""
    meeting = minutes.meeting
    return (
        meeting.partnership.meetings.filter(starts_at__gt=meeting.starts_at, starts_at__lte=timezone.now())
        .exclude(status__in=NOT_HELD)
        .order_by("starts_at")
    )


@login_required
def minutes_approve(request, slug, pk, version):
    meeting = meeting_for_staff(request, slug, pk)
    minutes = _version(meeting, version)
    version_url = _url("minutes_version", meeting, version=version)
    if minutes.status != Minutes.Status.DRAFT or not minutes.published_at:
        messages.error(
            request,
            "Only a published draft can be approved as a correct record."
            if minutes.status == Minutes.Status.DRAFT
            else f"Version {minutes.version} is {minutes.get_status_display().lower()} already.",
        )
        return redirect(version_url)
    meetings = list(_approving_meetings(minutes))
    form = forms.MinutesApproveForm(request.POST or None, meetings=meetings)
    if request.method == "POST" and form.is_valid():
        try:
            services.minutes_approve(
                minutes=minutes,
                approving_meeting=form.chosen_meeting,
                reference=form.cleaned_data["reference"],
                actor=request.user,
            )
        except services.RecordError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                f"Minutes approved as a correct record at the meeting of {long_date(form.chosen_meeting.date)}. "
                "The approved version now replaces the draft publicly.",
            )
            return redirect(version_url)
    crumbs = [
        *_meeting_crumbs(meeting),
        ("Minutes", _url("minutes", meeting)),
        (f"Version {minutes.version}", version_url),
    ]
    context = {"form": form, "minutes": minutes, "meetings": meetings}
    return _render(request, "minutes_approve.html", meeting, "minutes", crumbs=crumbs, **context)


@login_required
def minutes_correct(request, slug, pk, version):
    meeting = meeting_for_staff(request, slug, pk)
    minutes = _version(meeting, version)
    version_url = _url("minutes_version", meeting, version=version)
    if minutes.status != Minutes.Status.APPROVED:
        messages.error(request, "Only the approved version of the minutes can be corrected.")
        return redirect(version_url)
    form = forms.MinutesCorrectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            correction = services.minutes_correct(
                minutes=minutes, reason=form.cleaned_data["reason"], actor=request.user
            )
        except services.RecordError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                f"Correction started as version {correction.version}. The approved version stays public until "
                "the correction is approved.",
            )
            return redirect(_url("minutes_version", meeting, version=correction.version))
    crumbs = [
        *_meeting_crumbs(meeting),
        ("Minutes", _url("minutes", meeting)),
        (f"Version {minutes.version}", version_url),
    ]
    context = {"form": form, "minutes": minutes}
    return _render(request, "minutes_correct.html", meeting, "minutes", crumbs=crumbs, **context)


# Decisions and actions of a meeting ---------------------------------------------------------


@login_required
def decisions(request, slug, pk):
    """The meeting's decisions, and a form to record another."""
    meeting = meeting_for_staff(request, slug, pk)
    form = forms.DecisionForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            with submitted_once(form):
                decision = services.decision_record(meeting=meeting, actor=request.user, **form.cleaned_data)
        except AlreadySubmitted as error:
            return _sent_twice(request, error, _url("decisions", meeting))
        except services.RecordError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Decision recorded{f' ({decision.reference})' if decision.reference else ''}.")
            return redirect(_url("decisions", meeting))
    context = {
        "form": form,
        "decisions": meeting.decisions.select_related("agenda_item").order_by("agenda_item__position", "pk"),
        "quorum": quorum_record(meeting),
        "has_started": has_started(meeting),
        "not_held": meeting.status in NOT_HELD,
    }
    return _render(request, "decisions.html", meeting, "decisions", **context)


def _owner_people(meeting: Meeting, *also: int | None):
    members = members_at(meeting).values("person_id")
    return (
        Person.objects.filter(Q(pk__in=members) | Q(attendance__meeting=meeting) | Q(pk__in=[pk for pk in also if pk]))
        .defer("email", "phone")
        .distinct()
        .order_by("family_name", "given_name", "pk")
    )


def _owner_organisations(partnership, *also: int | None):
    """Organisations represented on the partnership, the system's ICB and its councils."""
    return (
        Organisation.objects.filter(
            Q(memberships__partnership=partnership)
            | Q(integratedcareboard__ics=partnership.ics_id)
            | Q(localauthority__system_areas__ics=partnership.ics_id)
            | Q(pk__in=[pk for pk in also if pk])
        )
        .distinct()
        .order_by("name", "pk")
    )


@login_required
def actions(request, slug, pk):
    """The actions the meeting set, those carried forward to it, and a form to add one."""
    meeting = meeting_for_staff(request, slug, pk)
    form = forms.ActionForm(
        request.POST or None,
        meeting=meeting,
        people=_owner_people(meeting),
        organisations=_owner_organisations(meeting.partnership),
    )
    if request.method == "POST" and form.is_valid():
        try:
            with submitted_once(form):
                services.action_record(meeting=meeting, actor=request.user, **form.cleaned_data)
        except AlreadySubmitted as error:
            return _sent_twice(request, error, _url("actions", meeting))
        except services.RecordError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Action recorded.")
            return redirect(_url("actions", meeting))
    context = {
        "form": form,
        "actions": meeting.actions.select_related("agenda_item", "owner_person", "owner_organisation").order_by(
            "agenda_item__position", "due_date", "pk"
        ),
        "carried_forward": actions_carried_forward(meeting),
        "has_started": has_started(meeting),
        "not_held": meeting.status in NOT_HELD,
    }
    return _render(request, "actions.html", meeting, "actions", **context)


# The partnership's registers (staff) --------------------------------------------------------


def _register_context(partnership, **context):
    return {"partnership": partnership, "crumbs": _workspace_crumbs(partnership), **context}


@login_required
def decision_register(request, slug):
    """Every decision of the partnership, newest meeting first, exempt ones marked."""
    partnership = partnership_for_staff(request, slug)
    queryset = (
        Decision.objects.filter(meeting__partnership=partnership)
        .select_related("meeting__partnership", "agenda_item")
        .order_by("-meeting__starts_at", "agenda_item__position", "pk")
    )
    context = _register_context(partnership, page=_page(request, queryset), staff=True)
    return render(request, "meetings/record/decision_register.html", context)


@login_required
def decision_edit(request, slug, decision_pk):
    partnership = partnership_for_staff(request, slug)
    decision = get_object_or_404(
        Decision.objects.filter(meeting__partnership=partnership).select_related("meeting", "agenda_item"),
        pk=decision_pk,
    )
    decision.meeting.partnership = partnership
    form = forms.DecisionForm.for_decision(decision, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_update(decision=decision, actor=request.user, **form.cleaned_data)
        except services.RecordError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Decision updated.")
            return redirect(_url("decisions", decision.meeting))
    crumbs = [*_meeting_crumbs(decision.meeting), ("Decisions", _url("decisions", decision.meeting))]
    context = {"form": form, "decision": decision, "is_approval": decision.approved_minutes.exists()}
    return _render(request, "decision_form.html", decision.meeting, "decisions", crumbs=crumbs, **context)


def _action_log_queryset(base, status: str):
    """`status` is open, closed or all (ActionFilterForm keeps it to those)."""
    return (
        getattr(base, status)()
        .select_related("meeting__partnership", "agenda_item", "owner_person", "owner_organisation")
        .order_by("due_date", "-meeting__starts_at", "pk")
    )


def _action_filters(base) -> list[tuple[str, str, int]]:
    """(value, label, count) for the open/closed/all filter, counted in one query."""
    counts = base.aggregate(
        open=Count("pk", filter=Q(status__in=[Action.Status.OPEN, Action.Status.IN_PROGRESS])), all=Count("pk")
    )
    return [
        ("open", "Open", counts["open"]),
        ("closed", "Closed", counts["all"] - counts["open"]),
        ("all", "All", counts["all"]),
    ]


@login_required
def action_log(request, slug):
    """The partnership's actions, open ones first by due date; filter open, closed or all."""
    partnership = partnership_for_staff(request, slug)
    status = forms.ActionFilterForm(request.GET).chosen()
    base = Action.objects.filter(partnership=partnership)
    context = _register_context(
        partnership,
        page=_page(request, _action_log_queryset(base, status)),
        status=status,
        filters=_action_filters(base),
        staff=True,
    )
    return render(request, "meetings/record/action_log.html", context)


def _action(request, slug, action_pk):
    partnership = partnership_for_staff(request, slug)
    action = get_object_or_404(
        partnership.actions.select_related(
            "meeting", "agenda_item", "owner_person", "owner_organisation"
        ).prefetch_related(Prefetch("updates", queryset=ActionUpdate.objects.select_related("author"))),
        pk=action_pk,
    )
    action.meeting.partnership = partnership
    return action


def _action_page(request, action, *, form=None, update_form=None):
    meeting = action.meeting
    form = form or forms.ActionForm.for_action(
        action,
        people=_owner_people(meeting, action.owner_person_id),
        organisations=_owner_organisations(meeting.partnership, action.owner_organisation_id),
    )
    update_form = update_form or forms.ActionUpdateForm(
        initial={"status": action.status, "written_on": timezone.localdate()}
    )
    crumbs = [
        *_workspace_crumbs(meeting.partnership),
        ("Action log", reverse("record:action_log", kwargs={"slug": meeting.partnership.slug})),
    ]
    context = {
        "partnership": meeting.partnership,
        "meeting": meeting,
        "action": action,
        "form": form,
        "update_form": update_form,
        "crumbs": crumbs,
    }
    return render(request, "meetings/record/action_detail.html", context)


@login_required
def action_detail(request, slug, action_pk):
    """An action: change what it is, who owns it and when it is due."""
    action = _action(request, slug, action_pk)
    if request.method != "POST":
        return _action_page(request, action)
    meeting = action.meeting
    form = forms.ActionForm.for_action(
        action,
        people=_owner_people(meeting, action.owner_person_id),
        organisations=_owner_organisations(meeting.partnership, action.owner_organisation_id),
        data=request.POST,
    )
    if form.is_valid():
        try:
            services.action_change(action=action, actor=request.user, **form.cleaned_data)
        except services.RecordError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Action changed.")
            return redirect("record:action", slug=slug, action_pk=action.pk)
    return _action_page(request, action, form=form)


@login_required
def action_update(request, slug, action_pk):
    """Record progress on an action, and its status after it."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    action = _action(request, slug, action_pk)
    update_form = forms.ActionUpdateForm(request.POST)
    if update_form.is_valid():
        try:
            services.action_add_update(action=action, actor=request.user, **update_form.cleaned_data)
        except services.RecordError as error:
            update_form.add_error(None, str(error))
        else:
            messages.success(request, "Update recorded.")
            return redirect("record:action", slug=slug, action_pk=action.pk)
    return _action_page(request, action, update_form=update_form)


# Public registers ---------------------------------------------------------------------------


def _public_crumbs(partnership):
    ics = partnership.ics
    return [
        ("Home", reverse("home")),
        (ics.region.name, ics.region.get_absolute_url()),
        (ics.name, ics.get_absolute_url()),
        (partnership.name, partnership.get_absolute_url()),
    ]


@public_page
def public_decisions(request, slug):
    """The partnership's decisions register: public items of public meetings. Readers who
    may see exempt material also see exempt items and private sessions, marked."""
    partnership = public_partnership_or_404(slug)
    reader = can_read_exempt(request.user, partnership)
    base = Decision.objects.all() if reader else Decision.objects.public()
    queryset = (
        base.filter(meeting__partnership=partnership)
        .select_related("meeting__partnership", "agenda_item")
        .order_by("-meeting__starts_at", "agenda_item__position", "pk")
    )
    context = {
        "partnership": partnership,
        "page": _page(request, queryset),
        "reader": reader,
        "crumbs": _public_crumbs(partnership),
    }
    return render(request, "meetings/record/public_decisions.html", context)


@public_page
def public_actions(request, slug):
    """The partnership's action log: public items of public meetings, open ones by default."""
    partnership = public_partnership_or_404(slug)
    reader = can_read_exempt(request.user, partnership)
    status = forms.ActionFilterForm(request.GET).chosen()
    base = (Action.objects.all() if reader else Action.objects.public()).filter(partnership=partnership)
    context = {
        "partnership": partnership,
        "page": _page(request, _action_log_queryset(base, status)),
        "status": status,
        "filters": _action_filters(base),
        "reader": reader,
        "crumbs": _public_crumbs(partnership),
    }
    return render(request, "meetings/record/public_actions.html", context)
