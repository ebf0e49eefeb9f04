"""Forms for recording a meeting: they check what was typed and hand typed values to
`record_services`, which holds the rules (and refuses what a form cannot know about)."""

import hashlib
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.forms.formsets import TOTAL_FORM_COUNT

from core.dates import MEETING_DATES
from core.forms import DateInput
from membership.models import Interest, Membership, Person
from partnerships.models import Organisation

from .models import Action, AgendaItem, Attendance, Decision, Declaration
from .once import OnceForm
from .record import seat_label

STALE_FORM = "The list of people changed while you were editing. Check the attendance below and save it again."


def _date_field(label: str, **kwargs) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=DateInput(),
        validators=[MEETING_DATES],
        error_messages={"required": f"Enter the {label.lower()}.", "invalid": "Enter a real date, like 31/3/2027."},
        **kwargs,
    )


def _text(label: str, *, required: bool = True, rows: int = 4, help_text: str = "", **kwargs) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
        error_messages={"required": f"Enter the {label.lower()}."},
        **kwargs,
    )


def item_label(item: AgendaItem) -> str:
    exempt = " (exempt)" if item.is_exempt else ""
    return f"Item {item.position}: {item.title}{exempt}"


class AgendaItemChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return item_label(obj)


# Attendance ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class AttendanceLine:
    """One line of the attendance form: a current member (with their seat), or someone
    already recorded who is not a member (a substitute or someone in attendance)."""

    person: Person
    membership: Membership | None
    attendance: Attendance | None
    # What the form offers for a line nothing is recorded for yet: "present" once the meeting
    # has started, so that the secretariat marks only the exceptions (apologies, absent, late).
    default_status: str = ""

    @property
    def is_recorded(self) -> bool:
        return self.attendance is not None

    @property
    def is_member(self) -> bool:
        return self.membership is not None

    @property
    def description(self) -> str:
        if self.membership:
            voting = "" if self.membership.is_voting else " (non-voting)"
            return seat_label(self.membership) + voting
        return self.attendance.capacity if self.attendance else ""

    @property
    def initial(self) -> dict:
        row = self.attendance
        return {
            "person": self.person.pk,
            "status": row.status if row else self.default_status,
            "substitute_for": row.substitute_for_id if row and row.substitute_for_id else "",
            "capacity": row.capacity if row else "",
            "arrived_at_item": row.arrived_at_item_id if row and row.arrived_at_item_id else "",
            "left_after_item": row.left_after_item_id if row and row.left_after_item_id else "",
        }


def attendance_lines(members, attendance, *, default_present: bool = False) -> list[AttendanceLine]:
    """Members first (in name order), then everyone else on the record. With `default_present`
    (the meeting has started), a member with nothing recorded is offered as present."""
    rows = {row.person_id: row for row in attendance}
    default = Attendance.Status.PRESENT if default_present else ""
    lines = [AttendanceLine(m.person, m, rows.pop(m.person_id, None), default) for m in members]
    others = sorted(rows.values(), key=lambda row: (row.person.family_name, row.person.given_name, row.pk))
    return lines + [AttendanceLine(row.person, None, row) for row in others]


MEMBER_CHOICES = [
    ("", "Not recorded"),
    (Attendance.Status.PRESENT, "Present"),
    (Attendance.Status.APOLOGIES, "Apologies"),
    (Attendance.Status.ABSENT, "Absent"),
]
OTHER_CHOICES = [
    (Attendance.Status.SUBSTITUTE, "Substitute"),
    (Attendance.Status.IN_ATTENDANCE, "In attendance"),
    ("", "Remove from the record"),
]


class AttendanceRowForm(forms.Form):
    person = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(required=False)
    substitute_for = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    capacity = forms.CharField(max_length=200, required=False)
    arrived_at_item = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    left_after_item = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)

    def __init__(self, *args, line: AttendanceLine, member_choices, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.line = line
        self.items = {item.pk: item for item in items}
        name = line.person.display_name
        self.fields["status"].label = f"Attendance of {name}"
        numbered = [(item.pk, f"Item {item.position}") for item in items]
        self.fields["arrived_at_item"].label = f"Item {name} arrived at"
        self.fields["arrived_at_item"].choices = [("", "From the start")] + numbered
        self.fields["left_after_item"].label = f"Item {name} left after"
        self.fields["left_after_item"].choices = [("", "To the end")] + numbered
        if line.is_member:
            self.fields["status"].choices = MEMBER_CHOICES
            del self.fields["substitute_for"], self.fields["capacity"]
            return
        choices = list(OTHER_CHOICES)
        current = line.attendance.status if line.attendance else ""
        if current and current not in dict(choices):
            # A former member still recorded as present, say: keep what is recorded selectable.
            choices.insert(0, (current, Attendance.Status(current).label))
        self.fields["status"].choices = choices
        self.fields["substitute_for"].label = f"Whom {name} substituted for"
        self.fields["substitute_for"].choices = [("", "Not a substitute")] + list(member_choices)
        self.fields["capacity"].label = f"Role of {name}"

    def clean(self):
        data = super().clean()
        name = self.line.person.display_name
        if data.get("status") == Attendance.Status.SUBSTITUTE and not data.get("substitute_for"):
            self.add_error("substitute_for", f"Choose whom {name} substituted for.")
        arrived, left = self.arrived_item, self.left_item
        if (arrived or left) and data.get("status") not in Attendance.IN_THE_ROOM:
            field = "arrived_at_item" if arrived else "left_after_item"
            self.add_error(field, f"{name} is not recorded as attending: they cannot arrive or leave during it.")
        elif arrived and left and left.position < arrived.position:
            self.add_error("left_after_item", f"{name} cannot leave before the item they arrived at.")
        return data

    @property
    def arrived_item(self):
        return self.items.get(self.cleaned_data.get("arrived_at_item"))

    @property
    def left_item(self):
        return self.items.get(self.cleaned_data.get("left_after_item"))


class BaseAttendanceFormSet(forms.BaseFormSet):
    """One form per line, in the order the page showed them. The number of forms is ours,
    not the browser's: a list that changed meanwhile is reported, not guessed at."""

    def __init__(self, *args, lines: list[AttendanceLine], member_choices, items=(), **kwargs):
        self.lines = lines
        self.member_choices = member_choices
        self.items = list(items)
        super().__init__(*args, initial=[line.initial for line in lines], **kwargs)

    def total_form_count(self):
        return len(self.lines)

    def initial_form_count(self):
        return len(self.lines)

    def get_form_kwargs(self, index):
        return {"line": self.lines[index], "member_choices": self.member_choices, "items": self.items}

    def clean(self):
        if self.is_bound and self.management_form.cleaned_data.get(TOTAL_FORM_COUNT) != len(self.lines):
            raise ValidationError(STALE_FORM)
        for form, line in zip(self.forms, self.lines, strict=True):
            if form.cleaned_data.get("person") != line.person.pk:
                raise ValidationError(STALE_FORM)


AttendanceFormSet = forms.formset_factory(AttendanceRowForm, formset=BaseAttendanceFormSet, extra=0)


class AttendanceAddForm(forms.Form):
    status = forms.ChoiceField(
        label="How did they attend?",
        widget=forms.RadioSelect,
        choices=[
            (Attendance.Status.SUBSTITUTE, "As a substitute for a member"),
            (Attendance.Status.IN_ATTENDANCE, "In attendance (an officer, presenter or guest; not a member)"),
        ],
        error_messages={"required": "Choose how they attended."},
    )
    substitute_for = forms.TypedChoiceField(
        label="Whom did they substitute for?",
        required=False,
        coerce=int,
        empty_value=None,
        help_text="Only for a substitute. They count towards the quorum in that member's place.",
    )
    # Chosen by searching (membership.person_chooser, on the page); the form carries the choice.
    person = forms.IntegerField(
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid": "Search for the person by name and choose them again."},
    )
    honorific = forms.CharField(
        label="Title (optional)", max_length=30, required=False, help_text="For example Cllr or Dr."
    )
    given_name = forms.CharField(label="First name", max_length=100, required=False)
    family_name = forms.CharField(label="Last name", max_length=100, required=False)
    capacity = forms.CharField(
        label="Role (optional)",
        max_length=200,
        required=False,
        help_text="For example 'Director of Adult Social Services' or 'Presenting item 5'.",
    )

    def __init__(self, *args, member_choices, people, **kwargs):
        """`people`: a queryset of those who may be chosen (searched, never listed in full)."""
        super().__init__(*args, **kwargs)
        self.fields["substitute_for"].choices = [("", "Choose a member")] + list(member_choices)
        self.people = people
        self._chosen = None

    def clean_person(self):
        pk = self.cleaned_data.get("person")
        if pk is not None:
            self._chosen = self.people.filter(pk=pk).first()
            if self._chosen is None:
                raise ValidationError("Search for the person by name and choose them again.")
        return pk

    def clean(self):
        data = super().clean()
        if data.get("status") == Attendance.Status.SUBSTITUTE and not data.get("substitute_for"):
            self.add_error("substitute_for", "Choose the member they substituted for.")
        named = (data.get("given_name") or "").strip() or (data.get("family_name") or "").strip()
        if "person" in self.errors:
            return data
        if data.get("person") and named:
            self.add_error("person", "Choose a person or enter the name of someone new, not both.")
        elif not data.get("person"):
            if not (data.get("given_name") or "").strip():
                self.add_error("given_name", "Enter their first name, or search for the person and choose them.")
            if not (data.get("family_name") or "").strip():
                self.add_error("family_name", "Enter their last name, or search for the person and choose them.")
        return data

    @property
    def chosen_person(self) -> Person | None:
        return self._chosen


# Declarations -------------------------------------------------------------------------------


class DeclarationPersonForm(forms.Form):
    person = forms.TypedChoiceField(
        label="Who declared an interest?",
        coerce=int,
        help_text="Members of the partnership on the day of the meeting and everyone recorded as attending it.",
        error_messages={
            "required": "Search for the person who declared an interest and choose them.",
            "invalid_choice": "Search for the person who declared an interest and choose them.",
        },
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [("", "Choose a person")] + [(p.pk, p.display_name) for p in people]


NEW_INTEREST = "new"


class DeclarationForm(OnceForm):
    agenda_item = AgendaItemChoiceField(
        label="Agenda item",
        queryset=AgendaItem.objects.none(),
        empty_label="Choose an item",
        error_messages={"required": "Choose the agenda item the interest was declared on."},
    )
    interest = forms.ChoiceField(
        label="Which interest?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose an interest from their register, or describe a new one."},
    )
    new_category = forms.ChoiceField(
        label="Kind of interest",
        required=False,
        choices=[("", "Choose a kind")] + list(Interest.Category.choices),
    )
    new_description = _text(
        "Description of the interest",
        required=False,
        rows=3,
        help_text="It is added to their register of interests, dated the day of the meeting.",
    )
    new_organisation = forms.CharField(label="Organisation (optional)", max_length=200, required=False)
    action_taken = forms.ChoiceField(
        label="What did they do?",
        widget=forms.RadioSelect,
        choices=Declaration.ActionTaken.choices,
        initial=Declaration.ActionTaken.NOTED,
        error_messages={"required": "Choose what they did about the interest."},
    )

    def __init__(self, *args, meeting, interests, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = meeting.agenda_items.order_by("position")
        self.interests = {str(i.pk): i for i in interests}
        self.fields["interest"].choices = [(str(i.pk), str(i)) for i in interests] + [
            (NEW_INTEREST, "An interest not on their register")
        ]

    def clean(self):
        data = super().clean()
        if data.get("interest") == NEW_INTEREST:
            if not data.get("new_category"):
                self.add_error("new_category", "Choose the kind of interest.")
            if not (data.get("new_description") or "").strip():
                self.add_error("new_description", "Describe the interest.")
        return data

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        arguments = {"agenda_item": data["agenda_item"], "action_taken": data["action_taken"]}
        if data["interest"] == NEW_INTEREST:
            arguments["new_interest"] = {
                "category": data["new_category"],
                "description": data["new_description"],
                "organisation_name": data["new_organisation"],
            }
        else:
            arguments["interest"] = self.interests[data["interest"]]
        return arguments


# Minutes ------------------------------------------------------------------------------------


MINUTE_MAX_LENGTH = 20_000


def minute_text(text: str) -> str:
    """A minute's text as it is compared and kept: browsers post line endings as CRLF."""
    return (text or "").replace("\r\n", "\n").strip()


def minute_fingerprint(discussion: str, resolutions: str) -> str:
    """A short fingerprint of a minute's text as stored, to tell on saving whether someone else
    saved the item since the page was shown. Line endings and outer spaces do not count."""
    text = "\x00".join(minute_text(part) for part in (discussion, resolutions))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _minute_text(label: str, rows: int, help_text: str) -> forms.CharField:
    return _text(
        label,
        required=False,
        rows=rows,
        help_text=help_text,
        max_length=MINUTE_MAX_LENGTH,
    )


class MinuteEntryForm(forms.Form):
    discussion = _minute_text(
        "Discussion", 8, "A summary of the discussion: who presented, the main points and questions raised."
    )
    resolutions = _minute_text(
        "Resolutions", 4, "What the partnership resolved, noted or agreed, one resolution per line."
    )
    # The fingerprint of the minute as the page showed it (`minute_fingerprint`).
    seen = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, item: AgendaItem | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        of_item = f" of item {item.position}" if item is not None else ""
        for name in ("discussion", "resolutions"):
            field = self.fields[name]
            field.label = f"{field.label}{of_item}"
            field.error_messages["max_length"] = (
                f"The {name}{of_item} must be %(limit_value)s characters or fewer "
                "(it has %(show_value)s): shorten it, or put the detail in a paper."
            )

    def text(self) -> tuple[str, str]:
        """The minute as posted, as it would be kept."""
        return minute_text(self.cleaned_data["discussion"]), minute_text(self.cleaned_data["resolutions"])


class MinutesApproveForm(forms.Form):
    approving_meeting = forms.TypedChoiceField(
        label="At which meeting were the minutes approved?",
        widget=forms.RadioSelect,
        coerce=int,
        error_messages={"required": "Choose the meeting that approved the minutes."},
    )
    reference = forms.CharField(
        label="Decision reference (optional)", max_length=30, required=False, help_text="For example ICP/2026/14."
    )

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.meetings = {m.pk: m for m in meetings}
        self.fields["approving_meeting"].choices = [(m.pk, str(m)) for m in meetings]

    @property
    def chosen_meeting(self):
        return self.meetings[self.cleaned_data["approving_meeting"]]


class MinutesCorrectForm(forms.Form):
    reason = forms.CharField(
        label="Reason for the correction",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example 'Cllr Patel's apologies were omitted'. It is kept with the new version.",
        error_messages={"required": "Give the reason for the correction."},
    )


# Decisions and actions ----------------------------------------------------------------------


class DecisionForm(OnceForm):
    agenda_item = AgendaItemChoiceField(
        label="Agenda item", queryset=AgendaItem.objects.none(), required=False, empty_label="Not linked to an item"
    )
    reference = forms.CharField(
        label="Reference (optional)",
        max_length=30,
        required=False,
        help_text="For example ICP/2026/14. Each reference is used once in the partnership.",
    )
    wording = _text(
        "Wording of the decision", rows=4, help_text="As the chair put it, for example 'The partnership agreed…'."
    )
    status = forms.ChoiceField(label="Status", choices=Decision.Status.choices, initial=Decision.Status.AGREED)
    inquorate = forms.BooleanField(
        label="Recorded without a quorum",
        required=False,
        help_text="Only if the item was not quorate and the meeting took the decision all the same. It is not a "
        "valid decision of the partnership, and the public record says it was recorded without a quorum.",
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = meeting.agenda_items.order_by("position")

    @classmethod
    def for_decision(cls, decision, data=None):
        initial = {
            "agenda_item": decision.agenda_item_id,
            "reference": decision.reference,
            "wording": decision.wording,
            "status": decision.status,
            "inquorate": decision.inquorate,
        }
        return cls(data=data, initial=initial, meeting=decision.meeting).without_token()


class ActionForm(OnceForm):
    agenda_item = AgendaItemChoiceField(
        label="Agenda item", queryset=AgendaItem.objects.none(), required=False, empty_label="Not linked to an item"
    )
    description = _text("Action", rows=3, help_text="What is to be done, and by when if it matters.")
    owner_person = forms.ModelChoiceField(
        label="Owner (person)", queryset=Person.objects.none(), required=False, empty_label="No named person"
    )
    owner_organisation = forms.ModelChoiceField(
        label="Owner (organisation)",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="No organisation",
        help_text="Give a person, an organisation or both.",
    )
    due_date = _date_field("Due date", required=False)

    def __init__(self, *args, meeting, people, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = meeting.agenda_items.order_by("position")
        self.fields["owner_person"].queryset = people
        self.fields["owner_organisation"].queryset = organisations

    def clean(self):
        data = super().clean()
        if not data.get("owner_person") and not data.get("owner_organisation") and "owner_person" not in self.errors:
            self.add_error("owner_person", "Give the action an owner: a person, an organisation or both.")
        return data

    @classmethod
    def for_action(cls, action, *, people, organisations, data=None):
        initial = {
            "agenda_item": action.agenda_item_id,
            "description": action.description,
            "owner_person": action.owner_person_id,
            "owner_organisation": action.owner_organisation_id,
            "due_date": action.due_date,
        }
        form = cls(data=data, initial=initial, meeting=action.meeting, people=people, organisations=organisations)
        return form.without_token()


class ActionUpdateForm(forms.Form):
    text = _text("Update", rows=3, help_text="What has happened since the action was set or last updated.")
    status = forms.ChoiceField(
        label="Status after this update",
        choices=Action.Status.choices,
        help_text="Choose 'Completed' or 'No longer required' to close the action.",
    )
    written_on = _date_field("Date of the update")


class ActionFilterForm(forms.Form):
    """?status=open|closed|all on the action logs."""

    status = forms.ChoiceField(
        label="Show",
        required=False,
        choices=[("open", "Open actions"), ("closed", "Closed actions"), ("all", "All actions")],
    )

    def chosen(self) -> str:
        return (self.cleaned_data.get("status") or "open") if self.is_valid() else "open"
