"""Forms for the secretariat's meeting pages. They check what a person typed and turn
it into the typed arguments of a service; the services hold the rules."""

import datetime as dt

from django import forms
from django.utils import timezone

from core.dates import MEETING_DATES
from core.forms import DateInput

from .models import SCHEDULE_12A_PARAGRAPHS, WEEKDAYS, AgendaItem, MeetingSeries
from .once import OnceForm
from .services import SERIES_MAX_MONTHS_AHEAD, SERIES_MONTHS_AHEAD, local_datetime
from .validators import max_upload_bytes


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%H:%M")


def _date_field(label, **kwargs):
    return forms.DateField(
        label=label,
        widget=DateInput(),
        error_messages={"required": f"Enter the {label.lower()}.", "invalid": "Enter a real date."},
        **kwargs,
    )


def _time_field(label, **kwargs):
    return forms.TimeField(
        label=label,
        widget=TimeInput(),
        help_text=kwargs.pop("help_text", "Use the 24-hour clock, for example 14:00."),
        error_messages={"required": f"Enter the {label.lower()}.", "invalid": "Enter a real time, for example 14:00."},
        **kwargs,
    )


def _url_field(label, help_text=""):
    return forms.URLField(
        label=label,
        required=False,
        assume_scheme="https",
        help_text=help_text,
        error_messages={"invalid": "Enter a full web address, starting with https://"},
    )


class MeetingForm(forms.Form):
    title = forms.CharField(max_length=200, error_messages={"required": "Enter the title of the meeting."})
    date = _date_field("Date", validators=[MEETING_DATES])
    start_time = _time_field("Start time")
    end_time = _time_field("End time")
    venue = forms.CharField(max_length=300, required=False, help_text="Building and room, or 'Online'.")
    joining_url = _url_field("Online joining link", "For the public to watch or join, if they may.")
    webcast_url = _url_field("Webcast or recording link")
    is_public = forms.BooleanField(
        label="Held in public",
        required=False,
        initial=True,
        help_text="Untick for a private session: it is listed only for members and staff.",
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", "The end time must be after the start time.")
        return data

    @property
    def starts_at(self) -> dt.datetime:
        return local_datetime(self.cleaned_data["date"], self.cleaned_data["start_time"])

    @property
    def ends_at(self) -> dt.datetime:
        return local_datetime(self.cleaned_data["date"], self.cleaned_data["end_time"])

    def meeting_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "starts_at": self.starts_at,
            "ends_at": self.ends_at,
            "venue": data["venue"],
            "joining_url": data["joining_url"],
            "webcast_url": data["webcast_url"],
            "is_public": data["is_public"],
        }


class ScheduleMeetingForm(MeetingForm):
    recorded_after_event = forms.BooleanField(
        label="This meeting has already been held: record it after the event",
        required=False,
        help_text="For a past meeting entered to keep its record. Its agenda is shown as recorded after the "
        "meeting, never as published on time or late.",
    )

    def clean(self):
        data = super().clean()
        date = data.get("date")
        if date is None:
            return data
        past = date < timezone.localdate()
        if past and not data.get("recorded_after_event"):
            self.add_error(
                "date",
                "The date is in the past. If the meeting has already been held, tick "
                "'record it after the event'; otherwise choose today or a later date.",
            )
        if not past and data.get("recorded_after_event") and date > timezone.localdate():
            self.add_error("recorded_after_event", "Only a meeting that has already been held is recorded after it.")
        return data

    def meeting_arguments(self) -> dict:
        return {**super().meeting_arguments(), "recorded_after_event": self.cleaned_data["recorded_after_event"]}


class EditMeetingForm(MeetingForm):
    notice = forms.CharField(
        label="Public notice",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown on the public meeting page. Needed if you change the date: say that the meeting has moved.",
    )

    @classmethod
    def for_meeting(cls, meeting, data=None):
        start, end = timezone.localtime(meeting.starts_at), timezone.localtime(meeting.ends_at)
        initial = {
            "title": meeting.title,
            "date": start.date(),
            "start_time": start.time(),
            "end_time": end.time(),
            "venue": meeting.venue,
            "joining_url": meeting.joining_url,
            "webcast_url": meeting.webcast_url,
            "is_public": meeting.is_public,
            "notice": meeting.notice,
        }
        return cls(data=data, initial=initial)


class CancelMeetingForm(forms.Form):
    outcome = forms.ChoiceField(
        label="What is happening to the meeting?",
        choices=[("cancel", "It is cancelled"), ("postpone", "It is postponed to a date to be confirmed")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the meeting is cancelled or postponed."},
    )
    notice = forms.CharField(
        label="Public notice",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Shown on the public meeting page and in calendars. Say why, and what happens next.",
        error_messages={"required": "Say publicly why the meeting is cancelled or postponed."},
    )


class MeetingsDayForm(forms.Form):
    date = _date_field("Date", validators=[MEETING_DATES])
    title = forms.CharField(max_length=200, initial="ICP meetings day")
    description = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What happens on the day, for example an informal lunch between sessions.",
    )
    venue = forms.CharField(max_length=300, required=False, help_text="Used for every session.")

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date < timezone.localdate():
            raise forms.ValidationError("The date must be today or in the future.")
        return date


class SessionForm(forms.Form):
    title = forms.CharField(max_length=200, error_messages={"required": "Enter the title of the session."})
    start_time = _time_field("Start time", help_text="")
    end_time = _time_field("End time", help_text="")
    access = forms.ChoiceField(
        label="Who may attend",
        choices=[("public", "Held in public"), ("private", "Private session")],
        initial="public",
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", "The session must end after it starts.")
        return data


class BaseSessionFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        if not [form for form in self.forms if form.has_changed() and not self._should_delete_form(form)]:
            raise forms.ValidationError("Add at least one session.")


# Every row may be left empty (so the first need not be the one filled in); the formset's
# clean() asks for at least one session.
SessionFormSet = forms.formset_factory(SessionForm, formset=BaseSessionFormSet, extra=6, max_num=12, validate_max=True)


class SeriesForm(forms.Form):
    title = forms.CharField(max_length=200, help_text="Used as the title of every meeting in the series.")
    frequency = forms.ChoiceField(
        label="How often", choices=MeetingSeries.Frequency.choices, initial=MeetingSeries.Frequency.QUARTERLY
    )
    week_of_month = forms.TypedChoiceField(
        label="On which day of the month",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "The same date as the first meeting")] + list(MeetingSeries.WeekOfMonth.choices),
        help_text="Or a weekday of the month, such as the second Thursday: choose the week and the weekday.",
    )
    weekday = forms.TypedChoiceField(
        label="Weekday",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "Choose a weekday")] + list(enumerate(WEEKDAYS)),
    )
    first_date = _date_field("First date", validators=[MEETING_DATES])
    start_time = _time_field("Start time")
    duration_minutes = forms.IntegerField(
        label="Length in minutes", min_value=15, max_value=720, initial=120, widget=forms.NumberInput()
    )
    venue = forms.CharField(max_length=300, required=False)
    is_public = forms.BooleanField(label="Held in public", required=False, initial=True)
    months_ahead = forms.IntegerField(
        label="Create meetings this many months ahead",
        min_value=1,
        max_value=SERIES_MAX_MONTHS_AHEAD,
        initial=SERIES_MONTHS_AHEAD,
        help_text="Partnerships usually publish their dates 15 months ahead.",
    )
    template_day = forms.ModelChoiceField(
        label="Repeat a meetings day (optional)",
        queryset=None,
        required=False,
        empty_label="No: single meetings",
        help_text="Each date then gets a copy of the day with all its sessions; the title and times above are "
        "not used.",
    )

    def __init__(self, *args, partnership=None, **kwargs):
        super().__init__(*args, **kwargs)
        days = partnership.meetings_days.filter(series__isnull=True) if partnership is not None else None
        self.fields["template_day"].queryset = days.order_by("-date") if days is not None else None
        if days is None or not days.exists():
            del self.fields["template_day"]

    def clean(self):
        data = super().clean()
        if (data.get("week_of_month") is None) != (data.get("weekday") is None):
            target = "weekday" if data.get("weekday") is None else "week_of_month"
            if not self.has_error(target):
                self.add_error(target, "Choose both the week of the month and the weekday, or neither.")
        return data


class SeriesGenerateForm(forms.Form):
    months_ahead = forms.IntegerField(
        label="Months ahead",
        min_value=1,
        max_value=SERIES_MAX_MONTHS_AHEAD,
        initial=SERIES_MONTHS_AHEAD,
        help_text="Dates that already have a meeting are skipped.",
    )


def _change_reason_field():
    return forms.CharField(
        label="Why is the agenda changing?",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="The agenda is published, so this change is published as a supplementary agenda with this "
        "reason: ‘Changed on <date> because <reason>’. Do not include exempt information.",
        error_messages={"required": "Say why the agenda is changing; the reason is published with the change."},
    )


class ChangeReasonMixin:
    """Adds a required `change_reason` once the agenda is published (`published=True`)."""

    def add_change_reason(self, published: bool) -> None:
        if published:
            self.fields["change_reason"] = _change_reason_field()


class AgendaItemForm(ChangeReasonMixin, OnceForm):
    title = forms.CharField(max_length=300, error_messages={"required": "Enter the title of the item."})
    purpose = forms.ChoiceField(choices=AgendaItem.Purpose.choices, initial=AgendaItem.Purpose.DISCUSSION)
    presenter = forms.CharField(
        max_length=200, required=False, help_text="Name and role, for example 'Director of Public Health'."
    )
    minutes_allotted = forms.IntegerField(label="Time allotted in minutes", required=False, min_value=1, max_value=600)
    is_exempt = forms.BooleanField(
        label="Exempt: the public are excluded for this item",
        required=False,
        help_text="Only the title and the Schedule 12A paragraph are published; its papers are not.",
    )
    exempt_paragraph = forms.TypedChoiceField(
        label="Schedule 12A paragraph",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "Choose a paragraph")] + [(n, f"{n}: {text}") for n, text in SCHEDULE_12A_PARAGRAPHS.items()],
    )
    exempt_reason = forms.CharField(
        label="Public interest reason",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why the public interest in withholding the information outweighs disclosing it. "
        "Members and staff see this; the public do not.",
    )
    urgency_reason = forms.CharField(
        label="The chair's reason for urgency",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The agenda is already published, so this is a late item. The reason is published with it.",
        error_messages={"required": "Give the chair's reason for considering this late item as a matter of urgency."},
    )

    def __init__(self, *args, late: bool = False, published: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not late:
            del self.fields["urgency_reason"]
        self.add_change_reason(published)

    @classmethod
    def for_item(cls, item, data=None, *, published: bool = False):
        initial = {
            name: getattr(item, name)
            for name in (
                "title",
                "purpose",
                "presenter",
                "minutes_allotted",
                "is_exempt",
                "exempt_paragraph",
                "exempt_reason",
                "urgency_reason",
            )
        }
        return cls(data=data, initial=initial, late=item.is_late, published=published).without_token()

    def clean(self):
        data = super().clean()
        if data.get("is_exempt"):
            if not data.get("exempt_paragraph"):
                self.add_error("exempt_paragraph", "Choose the Schedule 12A paragraph that makes this item exempt.")
            if not (data.get("exempt_reason") or "").strip():
                self.add_error("exempt_reason", "Give the public interest reason for excluding the public.")
        return data

    def item_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "purpose": data["purpose"],
            "presenter": data["presenter"],
            "minutes_allotted": data["minutes_allotted"],
            "is_exempt": data["is_exempt"],
            "exempt_paragraph": data["exempt_paragraph"],
            "exempt_reason": data["exempt_reason"],
            "urgency_reason": data.get("urgency_reason", ""),
        }

    def change_arguments(self) -> dict:
        return {**self.item_arguments(), "change_reason": self.cleaned_data.get("change_reason", "")}


def _pdf_file_field(label="PDF file"):
    return forms.FileField(
        label=label,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
        help_text=f"A PDF of up to {max_upload_bytes() // (1024 * 1024)} MB.",
        error_messages={
            "required": "Choose a PDF file to upload.",
            "empty": "The selected file is empty.",
            "invalid": "The file could not be read. Choose it again.",
        },
    )


class PaperUploadForm(ChangeReasonMixin, forms.Form):
    title = forms.CharField(max_length=300, error_messages={"required": "Enter the title of the paper."})
    file = forms.FileField()
    restricted = forms.BooleanField(
        label="Withhold this paper from the public",
        required=False,
        help_text="For an exempt appendix to a public item. Papers of exempt items are always withheld.",
    )

    def __init__(self, *args, published: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"] = _pdf_file_field()
        self.add_change_reason(published)


class PaperReplaceForm(forms.Form):
    file = forms.FileField()
    reason = forms.CharField(
        label="Reason for the new version",
        max_length=300,
        help_text="Kept with the version history, for example 'Corrected figures in table 2'.",
        error_messages={"required": "Say why the paper is being replaced."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"] = _pdf_file_field("New PDF file")

    field_order = ["file", "reason"]


class PaperEditForm(ChangeReasonMixin, forms.Form):
    title = forms.CharField(max_length=300, error_messages={"required": "Enter the title of the paper."})
    restricted = forms.BooleanField(
        label="Withhold this paper from the public",
        required=False,
        help_text="For an exempt appendix to a public item. Papers of exempt items are always withheld.",
    )

    def __init__(self, *args, published: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_change_reason(published)


class MoveItemForm(ChangeReasonMixin, forms.Form):
    direction = forms.ChoiceField(
        label="Move the item",
        choices=[("up", "Up one place"), ("down", "Down one place")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to move the item up or down."},
    )

    def __init__(self, *args, published: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_change_reason(published)


class WithdrawItemForm(forms.Form):
    reason = forms.CharField(
        label="Why is the item withdrawn?",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Published on the agenda beside the item and as a supplementary agenda. "
        "Do not include exempt information.",
        error_messages={"required": "Say why the item is withdrawn; the reason is published."},
    )


class PublishAgendaForm(forms.Form):
    """Confirms publication; after the deadline, asks for the chair's reason for urgency."""

    late_reason = forms.CharField(
        label="The chair's reason for considering the agenda as a matter of urgency",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The deadline has passed. Section 100B(4) of the Local Government Act 1972 allows the meeting "
        "to consider this business only if the chair rules it urgent, for reasons given. The reason is published "
        "on the meeting page.",
        error_messages={"required": "Give the chair's reason for considering the late agenda as a matter of urgency."},
    )

    def __init__(self, *args, late: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not late:
            del self.fields["late_reason"]
