"""Forms for the strategy workspace. They check what a person typed and turn it into the
typed arguments of a service; the services hold the rules."""

from django import forms

from core.dates import EVIDENCE_DATES
from core.forms import DateInput
from meetings.validators import max_upload_bytes
from partnerships.models import LocalAuthority

from .models import Aim, EngagementActivity, Evidence, Priority, StrategyVersion
from .selectors import adopting_decisions
from .services.engagement import EngagementDetails
from .services.priorities import PriorityDetails


def _required(message: str) -> dict:
    return {"required": message}


def _date(label: str, *, required: bool = True, help_text: str = "", validators=()) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=DateInput(),
        help_text=help_text,
        validators=list(validators),
        error_messages={"required": f"Enter the {label.lower()} date.", "invalid": "Enter a real date."},
    )


class _ChoicesInOrder(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple


class StrategyStartForm(forms.Form):
    title = forms.CharField(
        max_length=200,
        initial="Integrated care strategy",
        help_text="You can change it at any time while the strategy is a draft.",
        error_messages=_required("Enter a title for the strategy."),
    )


class VersionDetailsForm(forms.Form):
    title = forms.CharField(max_length=200, error_messages=_required("Enter the strategy's title."))
    summary = forms.CharField(
        label="Introduction",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="A short introduction shown at the top of the strategy. Plain text.",
    )
    change_summary = forms.CharField(
        label="What changed in this version",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown publicly with the version and sent to the chairs when you submit it.",
    )


class SectionForm(forms.Form):
    title = forms.CharField(max_length=200, error_messages=_required("Enter the section's title."))
    body = forms.CharField(
        label="Text",
        required=False,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text="Write in Markdown: ## for a heading, - for a list item, [words](https://…) for a link, "
        "| for tables. Scripts and styles are removed.",
    )
    evidence = _ChoicesInOrder(label="Evidence this section cites", queryset=Evidence.objects.none(), required=False)

    def __init__(self, *args, strategy, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence"].queryset = strategy.evidence.select_related("local_authority").order_by(
            "local_authority__name", "-published_on", "pk"
        )


class PriorityForm(forms.Form):
    title = forms.CharField(max_length=200, error_messages=_required("Enter the priority's title."))
    summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What the partnership will do together, and why.",
        error_messages=_required("Summarise the priority."),
    )
    aims = forms.MultipleChoiceField(
        label="Which of the four aims of the integrated care system does it serve?",
        choices=Aim.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages=_required("Choose at least one of the four aims this priority serves."),
    )
    theme = forms.ChoiceField(
        label="Life-course theme or topic",
        choices=Priority.Theme.choices,
        widget=forms.RadioSelect,
        error_messages=_required("Choose a life-course theme, or say it is a topic."),
    )
    topic = forms.CharField(
        max_length=200,
        required=False,
        help_text="If it is a topic: for example 'Special educational needs and disabilities (SEND)' or 'Falls'.",
    )
    places = _ChoicesInOrder(label="Places it focuses on", queryset=None, required=False)
    local_authorities = _ChoicesInOrder(label="Councils it focuses on", queryset=None, required=False)
    evidence = _ChoicesInOrder(label="Evidence it cites", queryset=None, required=False)

    def __init__(self, *args, strategy, **kwargs):
        super().__init__(*args, **kwargs)
        ics_id = strategy.partnership.ics_id
        self.fields["places"].queryset = strategy.partnership.ics.places.order_by("name")
        self.fields["local_authorities"].queryset = LocalAuthority.objects.filter(system_areas__ics_id=ics_id).order_by(
            "name"
        )
        self.fields["evidence"].queryset = strategy.evidence.select_related("local_authority").order_by(
            "local_authority__name", "-published_on", "pk"
        )

    def clean(self):
        data = super().clean()
        if data.get("theme") == Priority.Theme.TOPIC and not (data.get("topic") or "").strip():
            self.add_error("topic", "Name the topic, for example 'Falls prevention'.")
        return data

    def details(self) -> PriorityDetails:
        data = self.cleaned_data
        return PriorityDetails(
            title=data["title"],
            summary=data["summary"],
            aims=list(data["aims"]),
            theme=data["theme"],
            topic=data.get("topic", ""),
            places=list(data["places"]),
            local_authorities=list(data["local_authorities"]),
            evidence=list(data["evidence"]),
        )

    @staticmethod
    def initial_for(priority: Priority) -> dict:
        return {
            "title": priority.title,
            "summary": priority.summary,
            "aims": priority.aims,
            "theme": priority.theme,
            "topic": priority.topic,
            "places": list(priority.places.all()),
            "local_authorities": list(priority.local_authorities.all()),
            "evidence": list(priority.evidence.all()),
        }


class MeasureForm(forms.Form):
    name = forms.CharField(
        label="Measure",
        max_length=300,
        help_text="For example 'Healthy life expectancy at birth' or 'Emergency admissions after a fall, aged 65+'.",
        error_messages=_required("Say what is measured."),
    )
    baseline = forms.CharField(max_length=100, error_messages=_required("Enter the baseline: where we are now."))
    baseline_period = forms.CharField(
        label="Baseline period", max_length=50, required=False, help_text="For example '2019 to 2021'."
    )
    target = forms.CharField(max_length=100, error_messages=_required("Enter the target."))
    target_date = forms.CharField(
        label="Target by", max_length=50, required=False, help_text="For example 'March 2030'."
    )


class EngagementForm(forms.Form):
    title = forms.CharField(
        max_length=200,
        help_text="For example 'Healthwatch community conversations'.",
        error_messages=_required("Give the activity a title."),
    )
    audiences = forms.MultipleChoiceField(
        label="Whom did you involve?",
        choices=EngagementActivity.Audience.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    audience_detail = forms.CharField(
        label="Anyone else", max_length=300, required=False, help_text="For example 'carers' groups in Hartlepool'."
    )
    started_on = _date("From")
    ended_on = _date("To", required=False, help_text="Leave empty for a single day.")
    method = forms.CharField(
        label="How",
        max_length=300,
        help_text="For example 'online survey and 14 listening events'.",
        error_messages=_required("Say how you involved people."),
    )
    participants = forms.IntegerField(
        label="How many people took part",
        required=False,
        min_value=0,
        widget=forms.NumberInput(attrs={"class": "nhsuk-input--width-10", "inputmode": "numeric"}),
        error_messages={"invalid": "Enter a whole number.", "min_value": "Enter a number of people, 0 or more."},
    )
    heard = forms.CharField(
        label="What you heard (you said)",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages=_required("Say what you heard."),
    )
    response = forms.CharField(
        label="What you did in response (we did)",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What changed in the strategy because of what people said.",
        error_messages=_required("Say what you did in response."),
    )

    def clean(self):
        data = super().clean()
        if not data.get("audiences") and not (data.get("audience_detail") or "").strip():
            self.add_error("audiences", "Say whom you involved.")
        started, ended = data.get("started_on"), data.get("ended_on")
        if started and ended and ended < started:
            self.add_error("ended_on", "The end date must be on or after the start date.")
        return data

    def details(self) -> EngagementDetails:
        data = self.cleaned_data
        return EngagementDetails(
            title=data["title"],
            audiences=list(data["audiences"]),
            audience_detail=data["audience_detail"],
            started_on=data["started_on"],
            ended_on=data["ended_on"],
            method=data["method"],
            participants=data["participants"],
            heard=data["heard"],
            response=data["response"],
        )

    @staticmethod
    def initial_for(activity: EngagementActivity) -> dict:
        return {
            name: getattr(activity, name)
            for name in (
                "title",
                "audiences",
                "audience_detail",
                "started_on",
                "ended_on",
                "method",
                "participants",
                "heard",
                "response",
            )
        }


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(
        label="What is it?",
        choices=Evidence.Kind.choices,
        widget=forms.RadioSelect,
        error_messages=_required("Say what kind of evidence it is."),
    )
    title = forms.CharField(max_length=300, error_messages=_required("Enter the document's title."))
    local_authority = forms.ModelChoiceField(
        label="Council",
        queryset=None,
        required=False,
        empty_label="Choose the council",
        help_text="The council whose health and wellbeing board wrote it. Needed for a JSNA or a "
        "health and wellbeing strategy.",
    )
    published_on = _date("Publication", help_text="When it was published or approved.", validators=[EVIDENCE_DATES])
    url = forms.URLField(
        label="Link",
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text="Where the public can read it. Give a link, upload a PDF, or both.",
        error_messages={"invalid": "Enter a full web address, starting with https://"},
    )
    file = forms.FileField(
        label="PDF file",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
        help_text="Optional if you gave a link.",
        error_messages={"empty": "The selected file is empty.", "invalid": "The file could not be read."},
    )
    summary = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text="What it tells us, in a sentence or two."
    )

    def __init__(self, *args, strategy, has_file: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.has_file = has_file
        self.fields["local_authority"].queryset = LocalAuthority.objects.filter(
            system_areas__ics_id=strategy.partnership.ics_id
        ).order_by("name")
        self.fields[
            "file"
        ].help_text = f"Optional if you gave a link. Smaller than {max_upload_bytes() // (1024 * 1024)} MB."

    def clean(self):
        data = super().clean()
        if data.get("kind") in {Evidence.Kind.JSNA, Evidence.Kind.HWB_STRATEGY} and not data.get("local_authority"):
            self.add_error("local_authority", "Choose the council whose health and wellbeing board wrote it.")
        if not data.get("url") and not data.get("file") and not self.has_file and "file" not in self.errors:
            self.add_error("url", "Give a link to the document or upload it as a PDF.")
        return data


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[
            ("approved", "Approve this version"),
            ("changes_requested", "Ask for changes"),
        ],
        widget=forms.RadioSelect,
        error_messages=_required("Choose whether you approve this version or ask for changes."),
    )
    comment = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Needed if you ask for changes: say what needs to change. The secretariat receives it.",
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "changes_requested" and not (data.get("comment") or "").strip():
            self.add_error("comment", "Say what needs to change.")
        return data


class PublishForm(forms.Form):
    """The decision that adopted the version. Only decisions that can have adopted it are
    offered (`adopting_decisions`); the service checks again and says why it refuses one."""

    decision = forms.ModelChoiceField(
        label="The decision that adopted this version",
        queryset=None,
        empty_label="Choose the decision",
        help_text="An agreed decision of a public meeting of the partnership, held on or after the day the "
        "version was approved, that has not adopted another version.",
        error_messages={
            **_required("Choose the decision that adopted this version."),
            "invalid_choice": "Choose one of the decisions listed: only they can have adopted this version.",
        },
    )

    def __init__(self, *args, partnership, version, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["decision"]
        field.queryset = adopting_decisions(partnership, version)
        field.label_from_instance = lambda decision: (
            f"{decision.meeting.date:%-d %b %Y}: {decision.reference + ' – ' if decision.reference else ''}"
            f"{decision.wording[:120]}"
        )


class CompareForm(forms.Form):
    """Two versions to compare, chosen from those the reader may see."""

    old = forms.TypedChoiceField(label="Compare", coerce=int)
    new = forms.TypedChoiceField(label="with", coerce=int)

    def __init__(self, *args, versions: list[StrategyVersion], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(version.number, f"{version.label}: {version.get_status_display()}") for version in versions]
        self.fields["old"].choices = choices
        self.fields["new"].choices = choices

    def clean(self):
        data = super().clean()
        if data.get("old") is not None and data.get("old") == data.get("new"):
            self.add_error("new", "Choose two different versions.")
        return data


class DeliveryLinkForm(forms.Form):
    """One agenda item, decision or action of a meeting, given as 'item-12', 'decision-3'…"""

    target = forms.ChoiceField(
        label="What carries this priority forward?",
        widget=forms.RadioSelect,
        error_messages=_required("Choose an agenda item, decision or action to link."),
    )

    def __init__(self, *args, items, decisions, actions, **kwargs):
        super().__init__(*args, **kwargs)
        self.objects = {}
        choices = []
        for prefix, label, rows in (
            ("item", "Agenda item", items),
            ("decision", "Decision", decisions),
            ("action", "Action", actions),
        ):
            for row in rows:
                key = f"{prefix}-{row.pk}"
                self.objects[key] = (prefix, row)
                choices.append((key, f"{label}: {_describe(prefix, row)}"))
        self.fields["target"].choices = choices

    def chosen(self) -> dict:
        prefix, row = self.objects[self.cleaned_data["target"]]
        return {{"item": "agenda_item", "decision": "decision", "action": "action"}[prefix]: row}


def _describe(prefix: str, row) -> str:
    if prefix == "item":
        return f"{row.position}. {row.title}{' (exempt)' if row.is_exempt else ''}"
    if prefix == "decision":
        return f"{row.reference + ' – ' if row.reference else ''}{row.wording[:150]}"
    return row.description[:150]
