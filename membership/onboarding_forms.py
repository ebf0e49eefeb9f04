"""Forms for starting a partnership and for the records the secretariat keeps besides people
(see `membership.onboarding`). As in `workspace_forms`, they check one form's worth; the
services check the rest."""

from django import forms

from partnerships.models import IntegratedCareSystem, Organisation, Partnership

from .onboarding import REFERENCE_SECTORS
from .workspace_forms import PartnershipDetailsForm, date_field, text_field


class SystemChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        # `statutory_icp_count` is annotated by the view: one query for the whole list.
        return obj.name if not getattr(obj, "statutory_icp_count", 0) else f"{obj.name} (has a statutory ICP)"


class ParentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.ics.name})"


class PartnershipCreateForm(PartnershipDetailsForm):
    """A new partnership: its system, kind, name and parent, then the same details the
    secretariat edits later (quorum, access to information rule, terms of reference…)."""

    ics = SystemChoiceField(
        queryset=IntegratedCareSystem.objects.none(),
        label="Integrated care system",
        empty_label="Choose a system",
        help_text="A system has one statutory integrated care partnership; it may have any number of "
        "area or place partnerships, assemblies and sub-groups.",
        error_messages={"required": "Choose the system.", "invalid_choice": "Choose a system from the list."},
    )
    kind = forms.ChoiceField(
        choices=Partnership.Kind.choices,
        initial=Partnership.Kind.STATUTORY_ICP,
        widget=forms.RadioSelect,
        label="Kind of partnership",
        error_messages={"required": "Choose the kind of partnership."},
    )
    name = text_field(
        "Name",
        200,
        required=True,
        help_text="As the partnership calls itself, e.g. Surrey Heartlands Integrated Care Partnership.",
    )
    parent = ParentChoiceField(
        queryset=Partnership.objects.none(),
        required=False,
        label="Part of (optional)",
        empty_label="None: it is the top of its system",
        help_text="For a sub-partnership: the partnership of the same system it reports to.",
        error_messages={"invalid_choice": "Choose a partnership from the list."},
    )
    established_on = date_field("Date established (optional)", required=False)

    field_order = ["ics", "kind", "name", "parent", "established_on"]

    def __init__(self, *args, systems, parents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ics"].queryset = systems
        self.fields["parent"].queryset = parents
        self.fields[
            "terms_of_reference"
        ].help_text = "A PDF, Word (.docx) or OpenDocument (.odt) file of at most 20 MB."
        self.fields["quorum_substitutes_count"].initial = True
        self.fields["access_rule"].initial = Partnership.AccessRule.LGA_1972
        self.fields["minutes_due_working_days"].initial = 10

    def clean(self):
        cleaned = super().clean()
        ics, parent = cleaned.get("ics"), cleaned.get("parent")
        if ics and parent and parent.ics_id != ics.pk:
            self.add_error("parent", "A sub-partnership must belong to the same system as its parent.")
        if cleaned.get("kind") == Partnership.Kind.STATUTORY_ICP and parent:
            self.add_error("parent", "The statutory ICP is the top of its system: it has no parent.")
        return cleaned

    def details(self) -> dict:
        """The arguments of the details, for `services.partnership_update`."""
        return {name: self.cleaned_data[name] for name in PartnershipDetailsForm.base_fields}


class SecretariatInviteForm(forms.Form):
    given_name = text_field("Given name", 100, required=True)
    family_name = text_field("Family name", 100, required=True)
    email = forms.EmailField(
        label="Email address",
        help_text="Their work address. The invitation is sent there and becomes their username; it is private to "
        "this partnership's secretariat.",
        error_messages={
            "required": "Enter their email address.",
            "invalid": "Enter an email address in the correct format, like name@example.org.",
        },
    )


PARTNER_SECTORS = [(value, label) for value, label in Organisation.Sector.choices if value not in REFERENCE_SECTORS]


class OrganisationForm(forms.Form):
    name = text_field("Name", 200, required=True, help_text="Its full name, e.g. Healthwatch Surrey.")
    sector = forms.ChoiceField(
        choices=[("", "Choose a sector")] + PARTNER_SECTORS,
        label="Sector",
        help_text="Seats that represent the organisation take its sector unless they say otherwise.",
        error_messages={"required": "Choose the sector.", "invalid_choice": "Choose a sector from the list."},
    )
    website = forms.URLField(
        label="Website (optional)",
        required=False,
        assume_scheme="https",
        error_messages={"invalid": "Enter a web address, like https://www.example.org."},
    )
    valid_from = date_field(
        "Date it came into being (optional)", required=False, help_text="Only if it is recent. For example, 2025-04-01."
    )

    def __init__(self, *args, organisation: Organisation | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if organisation is not None:
            self.initial = {name: getattr(organisation, name) for name in self.fields}


class EndWithReasonForm(forms.Form):
    end_date = date_field("End date", help_text="The last day. For example, 2025-03-31.")
    end_reason = text_field("Reason", 300, required=True)

    def __init__(self, *args, reason_hint: str, start=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["end_reason"].help_text = reason_hint
        self.start = start

    def clean(self):
        cleaned = super().clean()
        if self.start and cleaned.get("end_date") and cleaned["end_date"] < self.start:
            self.add_error("end_date", "The end date must be on or after the start date.")
        return cleaned


class PersonSearchForm(forms.Form):
    q = forms.CharField(label="Search by name", max_length=100, required=False)
