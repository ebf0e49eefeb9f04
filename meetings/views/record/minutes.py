"""Minutes: the versions, writing a draft item by item, publishing, approving and correcting."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.dates import long_date
from core.views import handle_form

from ... import record_forms as forms
from ... import record_services as services
from ...access import meeting_for_staff
from ...models import Meeting, Minutes
from ...record import NOT_HELD, attendance_summary, has_started, members_at, quorum_record
from ._common import _meeting_crumbs, _page_context, _render, _url


def _refused(request, error: services.RecordError, to: str):
    messages.error(request, str(error))
    return redirect(to)


def _not_editable(request, minutes: Minutes, to: str):
    messages.error(
        request,
        f"Version {minutes.version} of these minutes is {minutes.get_status_display().lower()} and cannot be "
        "changed. A correction is made as a new version, with its reason.",
    )
    return redirect(to)


def _version_crumbs(meeting: Meeting, minutes: Minutes) -> list[tuple[str, str]]:
    """Breadcrumbs of a page about one version: the meeting's record, its minutes, the version."""
    return [
        *_meeting_crumbs(meeting),
        ("Minutes", _url("minutes", meeting)),
        (f"Version {minutes.version}", _url("minutes_version", meeting, version=minutes.version)),
    ]


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
            return _not_editable(request, minutes, version_url)
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
        return _not_editable(request, minutes, version_url)
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
    context = {"form": form, "minutes": minutes, "item": item}
    return _render(
        request, "minutes_entry.html", meeting, "minutes", crumbs=_version_crumbs(meeting, minutes), **context
    )


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
    return handle_form(
        request,
        form,
        on_valid=lambda: services.minutes_approve(
            minutes=minutes,
            approving_meeting=form.chosen_meeting,
            reference=form.cleaned_data["reference"],
            actor=request.user,
        ),
        success=lambda _decision: (
            f"Minutes approved as a correct record at the meeting of {long_date(form.chosen_meeting.date)}. "
            "The approved version now replaces the draft publicly."
        ),
        redirect_to=version_url,
        template="meetings/record/minutes_approve.html",
        context=lambda: _page_context(
            meeting, "minutes", crumbs=_version_crumbs(meeting, minutes), minutes=minutes, meetings=meetings
        ),
    )


@login_required
def minutes_correct(request, slug, pk, version):
    meeting = meeting_for_staff(request, slug, pk)
    minutes = _version(meeting, version)
    version_url = _url("minutes_version", meeting, version=version)
    if minutes.status != Minutes.Status.APPROVED:
        messages.error(request, "Only the approved version of the minutes can be corrected.")
        return redirect(version_url)
    form = forms.MinutesCorrectForm(request.POST or None)
    return handle_form(
        request,
        form,
        on_valid=lambda: services.minutes_correct(
            minutes=minutes, reason=form.cleaned_data["reason"], actor=request.user
        ),
        success=lambda correction: (
            f"Correction started as version {correction.version}. The approved version stays public until "
            "the correction is approved."
        ),
        redirect_to=lambda correction: _url("minutes_version", meeting, version=correction.version),
        template="meetings/record/minutes_correct.html",
        context=lambda: _page_context(meeting, "minutes", crumbs=_version_crumbs(meeting, minutes), minutes=minutes),
    )
