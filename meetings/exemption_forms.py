"""Forms of the exemption review pages (see `meetings.exemptions`): extend or release."""

from django import forms

from core.forms import DateInput

from .models import Decision


class ExtendExemptionForm(forms.Form):
    review_on = forms.DateField(
        label="New review date",
        widget=DateInput(),
        help_text="The date by which the exemption must be reviewed again. For example, 31 3 2027.",
        error_messages={"required": "Enter the new review date.", "invalid": "Enter a real date."},
    )
    reason = forms.CharField(
        label="Why is the information still exempt?",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kept with the exemption and in the audit trail; not published.",
        error_messages={"required": "Say why the information is still exempt."},
    )


class DecisionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        reference = f"{obj.reference}: " if obj.reference else ""
        wording = obj.wording if len(obj.wording) <= 100 else obj.wording[:99] + "…"
        return f"{reference}{wording} ({obj.meeting.date:%-d %B %Y})"


class ReleaseExemptionForm(forms.Form):
    reason = forms.CharField(
        label="Why is the information no longer exempt?",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kept with the release and in the audit trail; not published.",
        error_messages={"required": "Say why the information is no longer exempt."},
    )
    decision = DecisionChoiceField(
        label="The partnership's decision that allowed the release",
        queryset=Decision.objects.none(),
        required=False,
        empty_label="No decision: an officer determined it",
    )
    determination = forms.CharField(
        label="Officer's determination",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="If no decision of the partnership allowed it: who determined that the information is no longer "
        "exempt, and when (for example, the monitoring officer's determination of 3 May 2027).",
    )

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].queryset = (
            Decision.objects.of_partnership(partnership)
            .filter(status__in=[Decision.Status.AGREED, Decision.Status.AGREED_WITH_AMENDMENTS])
            .filter(inquorate=False)
            .select_related("meeting")
            .order_by("-meeting__starts_at", "-pk")
        )
