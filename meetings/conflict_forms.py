"""The "organisations concerned" fields of the agenda item and paper forms.

They are added to those forms by the views (`add_concern_fields`), so the forms of the
agenda and the conflicts of interest check can change apart. The secretariat ticks the
organisations most agendas name (the system's ICB and councils, the bodies its members
represent, those already named on its agendas) and may name any other organisation on the
portal, one a line, as the portal writes it."""

from django import forms
from django.db.models import Q

from partnerships.models import Organisation, system_council_ids

from .conflicts import name_key

MAX_OTHER_LINES = 20


def relevant_organisations(partnership, chosen=()):
    """The organisations offered as checkboxes: the system's ICB and councils, the organisations
    the partnership's seats represent or its secretariat added, those already named on its
    agendas, and `chosen`."""
    chosen_pks = [o.pk for o in chosen]
    return (
        Organisation.objects.filter(
            Q(pk__in=chosen_pks)
            | Q(integratedcareboard__ics_id=partnership.ics_id)
            | Q(pk__in=system_council_ids(partnership.ics_id))
            | Q(memberships__partnership=partnership)
            | Q(added_for=partnership)
            | Q(agenda_items__meeting__partnership=partnership)
            | Q(papers__agenda_item__meeting__partnership=partnership)
        )
        .distinct()
        .order_by("name", "pk")
    )


class _OrganisationCheckboxes(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


def add_concern_fields(form, *, partnership, chosen=(), what: str = "item") -> None:
    """Add `organisations` (checkboxes) and `other_organisations` (one a line) to `form`, with
    `chosen` ticked when the form is not bound."""
    chosen = list(chosen)
    form.fields["organisations"] = _OrganisationCheckboxes(
        queryset=relevant_organisations(partnership, chosen),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=f"Organisations this {what} concerns",
        help_text="Members' registers of interests are checked against them, and a member with a financial "
        "interest in one may be withheld an exempt item's papers (see the partnership's conflicts policy).",
        error_messages={
            "invalid_choice": "Choose organisations from the list.",
            "invalid_pk_value": "Choose organisations from the list.",
        },
    )
    form.fields["other_organisations"] = forms.CharField(
        label="Other organisations on the portal (optional)",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One a line, named as the portal names them, for example ‘Leeds Teaching Hospitals NHS Trust’.",
    )
    if not form.is_bound:
        form.initial["organisations"] = [o.pk for o in chosen]
    form.concern_fields = True


def chosen_organisations(form) -> list[Organisation]:
    """The organisations ticked and named in a valid `form`. A name the portal does not know is
    a form error (returns None after adding it), so nothing is saved on a misspelling."""
    chosen = {o.pk: o for o in form.cleaned_data.get("organisations") or []}
    lines = [" ".join(line.split()) for line in (form.cleaned_data.get("other_organisations") or "").splitlines()]
    lines = [line for line in lines if line]
    if len(lines) > MAX_OTHER_LINES:
        form.add_error("other_organisations", f"Name at most {MAX_OTHER_LINES} organisations here.")
        return None
    unknown = []
    for line in lines:
        matches = [o for o in Organisation.objects.filter(name__iexact=line) if name_key(o.name) == name_key(line)]
        # A body renamed or merged keeps its record: prefer the one current today.
        current = [o for o in matches if o.valid_to is None] or matches
        if current:
            chosen.setdefault(current[0].pk, current[0])
        else:
            unknown.append(line)
    if unknown:
        names = ", ".join(f"‘{name}’" for name in unknown)
        form.add_error(
            "other_organisations",
            f"Not an organisation on the portal: {names}. Check the spelling, or add the organisation to the "
            "partnership's organisations first.",
        )
        return None
    return sorted(chosen.values(), key=lambda o: (o.name, o.pk))
