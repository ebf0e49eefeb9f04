"""Forms of the secretariat's pages for one report through many bodies (`meetings.consultations`)."""

from django import forms

from core.forms import DateInput

from .forms import ChangeReasonMixin
from .models import Consideration
from .once import OnceForm

ROLE_REQUIRED = "Choose whether the paper is for decision, for information or for comment."


def _role_field():
    return forms.ChoiceField(
        label="What is the paper for at this step?",
        choices=Consideration.Role.choices,
        widget=forms.RadioSelect,
        error_messages={"required": ROLE_REQUIRED},
    )


def _outcome_field():
    return forms.ChoiceField(
        label="Outcome",
        choices=Consideration.Outcome.choices,
        required=False,
        widget=forms.RadioSelect,
        help_text="Leave as not yet recorded until the body has considered the paper.",
    )


def _outcome_note_field():
    return forms.CharField(
        label="What was decided or said (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Shown publicly with the outcome wherever the step is public. Do not include exempt information.",
    )


class PaperChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, paper):
        meeting = paper.agenda_item.meeting
        return f"{paper.title} – {meeting.partnership.name}, {meeting.date:%-d %B %Y}, item {paper.agenda_item.number}"


class ReusePaperForm(ChangeReasonMixin, forms.Form):
    paper = PaperChoiceField(
        label="Choose the paper",
        queryset=None,
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": "Choose the paper to table at this item.",
            "invalid_choice": "Choose one of the papers listed.",
        },
    )

    def __init__(self, *args, papers, published: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["paper"].queryset = papers
        self.fields["role"] = _role_field()
        self.add_change_reason(published)


class ConsiderationForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"] = _role_field()
        self.fields["outcome"] = _outcome_field()
        self.fields["outcome_note"] = _outcome_note_field()


class OutsideStepForm(OnceForm):
    body_name = forms.CharField(
        label="Body",
        max_length=200,
        help_text="For example ‘NHS North East and North Cumbria ICB board’ or "
        "‘Sunderland Health and Wellbeing Board’.",
        error_messages={"required": "Enter the name of the body, for example the ICB board."},
    )
    considered_on = forms.DateField(
        label="Date it considered the paper",
        widget=DateInput(),
        error_messages={"required": "Enter the date the body considered the paper.", "invalid": "Enter a real date."},
    )
    url = forms.URLField(
        label="Link to its papers or decision (optional)",
        required=False,
        assume_scheme="https",
        error_messages={"invalid": "Enter a full web address, starting https://"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"] = _role_field()
        self.fields["outcome"] = _outcome_field()
        self.fields["outcome_note"] = _outcome_note_field()
