"""Forms of the secretariat workspace. They check what a single form can (required fields,
formats, one date against another); the services check the rest and their `ValidationError`
is shown on the same form (`add_service_errors`)."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from partnerships.models import ConflictsPolicy, IntegratedCareBoard, Organisation, Partnership, system_council_ids

from .imports import MAX_FILE_BYTES
from .models import ChairAppointment, Interest, Membership, Person
from .selectors import system_people

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
TERMS_OF_REFERENCE_TYPES = {".pdf": b"%PDF", ".docx": b"PK\x03\x04", ".odt": b"PK\x03\x04"}
TERMS_OF_REFERENCE_MAX_BYTES = 20 * 1024 * 1024


def date_field(label: str, *, required: bool = True, help_text: str = "", initial=None) -> forms.DateField:
    """A date as `<input type="date">`, also accepting DD/MM/YYYY from browsers without a date picker."""
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text or "For example, 2025-04-01.",
        initial=initial,
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": f"Enter the {label[0].lower()}{label[1:]}.", "invalid": "Enter a real date."},
    )


def text_field(label: str, max_length: int, *, required: bool = False, help_text: str = "", **kwargs):
    error_messages = {"required": f"Enter the {label[0].lower()}{label[1:]}."}
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        help_text=help_text,
        error_messages=error_messages,
        **kwargs,
    )


class AccountField(forms.CharField):
    """A sign-in account, entered as its username or email address."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 254)
        kwargs.setdefault("help_text", "The username of their portal account, or the email address it uses.")
        super().__init__(**kwargs)

    def clean(self, value):
        text = super().clean(value).strip()
        if not text:
            return None
        users = get_user_model().objects.filter(is_active=True)
        user = users.filter(username__iexact=text).first()
        if user:
            return user
        matches = list(users.filter(email__iexact=text)[:2])
        if len(matches) > 1:
            raise ValidationError("More than one account uses that email address: enter the username instead.")
        if not matches:
            raise ValidationError("No active account has that username or email address.")
        return matches[0]


def start_and_end_in_order(form: forms.Form, start: str = "start_date", end: str = "end_date") -> None:
    cleaned = form.cleaned_data
    if cleaned.get(start) and cleaned.get(end) and cleaned[end] < cleaned[start]:
        form.add_error(end, "The end date must be on or after the start date.")


class PersonForm(forms.Form):
    """A person's name, contact details and, for a portal administrator only, sign-in account.

    The account field exists only when `can_link_account` (the services refuse a secretariat's
    account anyway, so a hand-made `user` value is dropped here and refused there), and the
    contact fields only when the user may see the person's contact details: a field that is
    absent cannot show them, nor blank them by being saved empty."""

    honorific = text_field("Honorific (optional)", 30, help_text="For example Cllr, Dr, Professor.")
    given_name = text_field("Given name", 100, required=True)
    family_name = text_field("Family name", 100, required=True)
    post_nominals = text_field("Post-nominal letters (optional)", 50, help_text="For example OBE, MBE.")
    pronouns = text_field("Pronouns (optional)", 30, help_text="For example she/her, they/them.")
    email = forms.EmailField(
        label="Email address (optional)",
        required=False,
        help_text="Private: seen only by this partnership's secretariat, never published.",
        error_messages={"invalid": "Enter an email address in the correct format, like name@example.org."},
    )
    phone = text_field("Phone number (optional)", 40, help_text="Private: seen only by this partnership's secretariat.")
    user = AccountField(
        label="Sign-in account (optional)",
        required=False,
        help_text="Link their portal account, by its username or email address, so that they can read "
        "the papers for their committees. The account gains every role the person holds, on every partnership. "
        "Leave blank if they have none.",
    )

    def __init__(self, *args, person: Person | None = None, can_link_account: bool, contact_details: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_link_account:
            del self.fields["user"]
        if not contact_details:
            del self.fields["email"]
            del self.fields["phone"]
        if person is not None:
            self.initial = {name: getattr(person, name) for name in self.fields if name != "user"}
            if "user" in self.fields:
                self.initial["user"] = person.user.get_username() if person.user_id else ""


class OrganisationChoiceField(forms.ModelChoiceField):
    """The body a seat represents, grouped: the system's ICB, its councils, other partners."""

    def __init__(self, partnership: Partnership, **kwargs):
        today = timezone.localdate()
        ics = partnership.ics
        councils_in_system = Q(pk__in=system_council_ids(ics.pk, today))
        queryset = Organisation.objects.current(today).filter(
            Q(integratedcareboard__ics=ics)
            | councils_in_system
            | ~Q(sector__in=[Organisation.Sector.ICB, Organisation.Sector.LOCAL_AUTHORITY])
        )
        super().__init__(queryset=queryset, **kwargs)
        icb = list(IntegratedCareBoard.objects.current(today).filter(ics=ics).values_list("pk", "name"))
        councils = list(
            Organisation.objects.current(today).filter(councils_in_system).order_by("name").values_list("pk", "name")
        )
        others = list(
            Organisation.objects.current(today)
            .exclude(sector__in=[Organisation.Sector.ICB, Organisation.Sector.LOCAL_AUTHORITY])
            .order_by("name")
            .values_list("pk", "name")
        )
        choices = [("", "None: the seat represents a sector, not a body")]
        choices += [
            (label, group)
            for label, group in (
                ("Integrated care board", icb),
                (f"Councils in {ics.name}", councils),
                ("Other organisations", others),
            )
            if group
        ]
        self.choices = choices


def chosen_person_field() -> forms.ModelChoiceField:
    """The person given a seat or a chair, one of the system's people (the form sets the queryset)."""
    return forms.ModelChoiceField(
        queryset=Person.objects.none(),
        label="Person",
        help_text="People of this system. Someone new? Add the person first.",
        empty_label="Choose a person",
        # Chosen by searching (membership.person_chooser); the form carries the choice.
        widget=forms.HiddenInput,
        error_messages={
            "required": "Search for the person by name and choose them.",
            "invalid_choice": "Search for the person by name and choose them.",
        },
    )


class MembershipForm(forms.Form):
    person = chosen_person_field()
    role = forms.ChoiceField(
        choices=Membership.Role.choices,
        initial=Membership.Role.MEMBER,
        widget=forms.RadioSelect,
        label="Role",
        error_messages={"required": "Choose the role."},
    )
    seat = text_field("Seat (optional)", 200, help_text="For example Director of Public Health, ICB chair.")
    sector = forms.ChoiceField(
        choices=[("", "The organisation's sector")] + list(Organisation.Sector.choices),
        required=False,
        label="Sector",
        help_text="Leave as it is to use the organisation's sector.",
    )
    is_voting = forms.TypedChoiceField(
        choices=[("yes", "Voting member"), ("no", "Non-voting")],
        coerce=lambda value: value == "yes",
        initial="yes",
        widget=forms.RadioSelect,
        label="Voting",
        error_messages={"required": "Choose whether the seat votes."},
    )
    start_date = date_field("Start date")
    end_date = date_field(
        "End date (optional)", required=False, help_text="The last day of a fixed term, if it has one."
    )

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = system_people(partnership).order_by("family_name", "given_name")
        # Inserted here so it sits between the seat and the sector, which defaults from it.
        fields = list(self.fields.items())
        organisation = OrganisationChoiceField(
            partnership,
            required=False,
            label="Representing organisation (optional)",
            help_text="The body whose seat this is. Councils and the ICB of this system come first.",
            error_messages={"invalid_choice": "Choose an organisation from the list."},
        )
        position = [name for name, _ in fields].index("sector")
        fields.insert(position, ("organisation", organisation))
        self.fields = dict(fields)

    def clean(self):
        cleaned = super().clean()
        start_and_end_in_order(self)
        if not cleaned.get("organisation") and not cleaned.get("sector") and "sector" not in self.errors:
            self.add_error("sector", "Choose the sector this seat represents, or the organisation.")
        return cleaned


class EndTermForm(forms.Form):
    end_date = date_field("End date", help_text="The last day of the term. For example, 2025-03-31.")
    end_reason = text_field(
        "Reason",
        300,
        required=True,
        help_text="For example: term of office ended, stood down, no longer leader of the council.",
    )


class ChairAppointForm(forms.Form):
    role = forms.ChoiceField(
        choices=ChairAppointment.Role.choices,
        widget=forms.RadioSelect,
        label="Role",
        error_messages={"required": "Choose the role."},
    )
    person = chosen_person_field()
    start_date = date_field("Start of term")
    end_date = date_field("End of term (optional)", required=False, help_text="The last day of the term, if set.")
    appointed_by = forms.ChoiceField(
        choices=ChairAppointment.AppointedBy.choices,
        initial=ChairAppointment.AppointedBy.JOINTLY,
        widget=forms.RadioSelect,
        label="Appointed by",
        help_text="The chair of an integrated care partnership is usually chosen jointly by the ICB and the councils.",
        error_messages={"required": "Choose how the appointment was made."},
    )
    appointed_on = date_field("Date of the decision (optional)", required=False)
    decision_reference = text_field(
        "Decision reference (optional)", 200, help_text="The decision or minute that made the appointment."
    )

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = system_people(partnership).order_by("family_name", "given_name")

    def clean(self):
        cleaned = super().clean()
        start_and_end_in_order(self)
        return cleaned


class InterestForm(forms.Form):
    category = forms.ChoiceField(
        choices=Interest.Category.choices,
        widget=forms.RadioSelect,
        label="Kind of interest",
        error_messages={"required": "Choose the kind of interest."},
    )
    description = forms.CharField(
        label="Description",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What the interest is, as the person declared it.",
        max_length=2000,
        error_messages={"required": "Describe the interest."},
    )
    organisation_name = text_field("Organisation (optional)", 200, help_text="The body the interest relates to.")
    start_date = date_field("Interest from (optional)", required=False)
    end_date = date_field("Interest to (optional)", required=False)
    declared_on = date_field("Date declared", initial=timezone.localdate)

    def clean(self):
        cleaned = super().clean()
        start_and_end_in_order(self)
        return cleaned


class NilReturnForm(forms.Form):
    declared_on = date_field("Date declared", initial=timezone.localdate)


def quorum_fraction_field(label: str) -> forms.IntegerField:
    """The top or bottom number of a quorum that is a fraction of the voting members."""
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=1,
        max_value=100,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "nhsuk-input--width-2"}),
        error_messages={"invalid": "Enter a whole number.", "min_value": "Enter a number of at least 1."},
    )


class PartnershipDetailsForm(forms.Form):
    purpose = forms.CharField(
        label="Purpose",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What the partnership is for, in the words of its terms of reference.",
    )
    quorum_rule = text_field(
        "The quorum in the terms of reference",
        300,
        help_text="In words, as the terms of reference put it, e.g. ‘One third of voting members, including one "
        "ICB and one council member’. The portal judges the quorum by the rule below.",
    )
    quorum_numerator = quorum_fraction_field("Top number")
    quorum_denominator = quorum_fraction_field("Bottom number")
    quorum_minimum = forms.IntegerField(
        label="Or a fixed number of voting members",
        required=False,
        min_value=1,
        max_value=500,
        help_text="Only where the terms of reference state a number rather than a fraction.",
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "nhsuk-input--width-4"}),
        error_messages={"invalid": "Enter a whole number.", "min_value": "Enter a number of at least 1."},
    )
    quorum_requires_icb = forms.BooleanField(label="A member from the integrated care board", required=False)
    quorum_requires_council = forms.BooleanField(label="A member from a council", required=False)
    quorum_substitutes_count = forms.BooleanField(
        label="A substitute counts in the place of the voting member they replace", required=False
    )
    access_rule = forms.ChoiceField(
        choices=Partnership.AccessRule.choices,
        widget=forms.RadioSelect,
        label="Access to information rule",
        help_text="The law or standing orders the partnership follows for public access to its meetings and papers.",
        error_messages={"required": "Choose the access to information rule."},
    )
    contact_email = forms.EmailField(
        label="Public contact email (optional)",
        required=False,
        help_text="Published, for the public to contact the partnership.",
        error_messages={"invalid": "Enter an email address in the correct format, like icp@example.org."},
    )
    website = forms.URLField(
        label="Website (optional)",
        required=False,
        assume_scheme="https",
        error_messages={"invalid": "Enter a web address, like https://www.example.org/icp."},
    )
    terms_of_reference = forms.FileField(
        label="Terms of reference (optional)",
        required=False,
        help_text="A PDF, Word (.docx) or OpenDocument (.odt) file of at most 20 MB. "
        "Leave empty to keep the current file.",
    )
    terms_of_reference_adopted_on = date_field("Date the terms of reference were adopted", required=False)
    minutes_due_working_days = forms.IntegerField(
        label="Draft minutes are due this many working days after a meeting",
        required=False,
        min_value=1,
        max_value=60,
        help_text="As the terms of reference set it; 10 if they are silent. Meeting pages say whether each "
        "meeting's draft minutes were published on time.",
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "nhsuk-input--width-2"}),
        error_messages={"invalid": "Enter a whole number of working days.", "min_value": "Enter at least 1 day."},
    )
    conflicts_policy = forms.ChoiceField(
        choices=ConflictsPolicy.choices,
        widget=forms.RadioSelect,
        required=False,
        label="Conflicts of interest: papers of exempt items",
        help_text="As the terms of reference say. Where papers are withheld, a member with a financial interest in "
        "an organisation an exempt item concerns (on their register, or declared at the meeting) sees "
        "‘Withheld: you have declared an interest’ instead of its papers.",
        error_messages={"required": "Choose whether members with a financial interest may read the papers."},
    )

    @classmethod
    def initial_for(cls, partnership: Partnership) -> dict:
        return {name: getattr(partnership, name) for name in cls.base_fields if name != "terms_of_reference"}

    def clean(self):
        cleaned = super().clean()
        numerator, denominator = cleaned.get("quorum_numerator"), cleaned.get("quorum_denominator")
        if (numerator is None) != (denominator is None) and not self.has_error("quorum_numerator"):
            self.add_error(
                "quorum_denominator" if denominator is None else "quorum_numerator",
                "Give both numbers of the fraction: 1 and 3 for one third.",
            )
        elif numerator and denominator and numerator > denominator:
            self.add_error("quorum_numerator", "The fraction cannot be more than the whole: the top number is larger.")
        if numerator and cleaned.get("quorum_minimum"):
            self.add_error("quorum_minimum", "Give a fraction or a fixed number, not both.")
        return cleaned

    def clean_terms_of_reference(self):
        upload = self.cleaned_data.get("terms_of_reference")
        if not upload:
            return None
        name = upload.name.lower()
        extension = name[name.rfind(".") :] if "." in name else ""
        if extension not in TERMS_OF_REFERENCE_TYPES:
            raise ValidationError("The terms of reference must be a PDF, Word (.docx) or OpenDocument (.odt) file.")
        if upload.size > TERMS_OF_REFERENCE_MAX_BYTES:
            raise ValidationError("The file is larger than 20 MB.")
        head = upload.read(8)
        upload.seek(0)
        if not head.startswith(TERMS_OF_REFERENCE_TYPES[extension]):
            raise ValidationError(f"The file is not a real {extension[1:].upper()} file: it may be damaged.")
        if len(upload.name) > 80:
            raise ValidationError("The file name must be at most 80 characters long.")
        return upload


class SecretariatAssignForm(forms.Form):
    user = AccountField(label="Sign-in account", error_messages={"required": "Enter the username or email address."})
    start_date = date_field("Start date", initial=timezone.localdate)
    end_date = date_field(
        "End date (optional)", required=False, help_text="The last day, if the assignment is temporary."
    )

    def clean(self):
        cleaned = super().clean()
        start_and_end_in_order(self)
        return cleaned


class SecretariatEndForm(forms.Form):
    end_date = date_field("End date", help_text="Their last day on the secretariat. For example, 2025-03-31.")


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text=f"A .csv file of at most {MAX_FILE_BYTES // 1024 // 1024} MB, in UTF-8, with the columns below.",
        error_messages={"required": "Choose a CSV file to upload.", "empty": "The file is empty."},
    )
