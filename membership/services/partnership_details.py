"""A partnership's published details: purpose, quorum, access rule, contact and terms of reference."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from audit.services import audit_record, model_changes
from partnerships.models import Partnership

PARTNERSHIP_DETAIL_FIELDS = (
    "purpose",
    "quorum_rule",
    "quorum_numerator",
    "quorum_denominator",
    "quorum_minimum",
    "quorum_requires_icb",
    "quorum_requires_council",
    "quorum_substitutes_count",
    "access_rule",
    "contact_email",
    "website",
    "terms_of_reference_adopted_on",
    "minutes_due_working_days",
    "conflicts_policy",
)


@transaction.atomic
def partnership_update(
    *,
    actor,
    partnership: Partnership,
    purpose: str,
    quorum_rule: str,
    quorum_numerator: int | None,
    quorum_denominator: int | None,
    quorum_minimum: int | None,
    quorum_requires_icb: bool,
    quorum_requires_council: bool,
    quorum_substitutes_count: bool,
    access_rule: str,
    contact_email: str,
    website: str,
    terms_of_reference_adopted_on: dt.date | None,
    terms_of_reference=None,
    minutes_due_working_days: int | None = None,
    conflicts_policy: str | None = None,
) -> Partnership:
    """Edit a partnership's published details: purpose, quorum, access-to-information rule,
    contact, website and terms of reference. Each changed field is audited as [old, new].

    `terms_of_reference` is a new uploaded file, or None to keep the current one; a replaced
    file is kept in storage (the audit names both). Terms of reference need the date they were
    adopted, which cannot be in the future. The quorum is a fraction of the voting members
    (`quorum_numerator`/`quorum_denominator`) or a fixed number (`quorum_minimum`), not both; a
    fixed quorum that requires an ICB and a council member needs at least two."""
    partnership = Partnership.objects.select_for_update().get(pk=partnership.pk)
    data = {
        "purpose": purpose.strip(),
        "quorum_rule": quorum_rule.strip(),
        "quorum_numerator": quorum_numerator,
        "quorum_denominator": quorum_denominator,
        "quorum_minimum": quorum_minimum,
        "quorum_requires_icb": quorum_requires_icb,
        "quorum_requires_council": quorum_requires_council,
        "quorum_substitutes_count": quorum_substitutes_count,
        "access_rule": access_rule,
        "contact_email": contact_email.strip(),
        "website": website.strip(),
        "terms_of_reference_adopted_on": terms_of_reference_adopted_on,
    }
    # How many working days after a meeting its draft minutes are due (None keeps the current number).
    if minutes_due_working_days is not None:
        data["minutes_due_working_days"] = minutes_due_working_days
    # Whether a member with a financial interest may read an exempt item's papers (None keeps it).
    if conflicts_policy:
        data["conflicts_policy"] = conflicts_policy
    has_terms = bool(terms_of_reference or partnership.terms_of_reference)
    if has_terms and not terms_of_reference_adopted_on:
        raise ValidationError(
            {"terms_of_reference_adopted_on": "Enter the date the partnership adopted its terms of reference."}
        )
    if terms_of_reference_adopted_on and terms_of_reference_adopted_on > timezone.localdate():
        raise ValidationError(
            {"terms_of_reference_adopted_on": "The adoption date cannot be in the future: upload them once adopted."}
        )
    required = int(quorum_requires_icb) + int(quorum_requires_council)
    if quorum_minimum is not None and quorum_minimum < max(required, 1):
        raise ValidationError(
            {"quorum_minimum": f"The quorum must be at least {max(required, 1)}, to include the members it requires."}
        )
    changes = model_changes(partnership, data)
    if not changes and not terms_of_reference:
        return partnership
    for name, value in data.items():
        setattr(partnership, name, value)
    partnership.full_clean()
    if terms_of_reference:
        # Stored only once the details are valid. The storage picks a free name, so a replaced
        # file stays where it was and published links to it keep working.
        old_file = partnership.terms_of_reference.name or ""
        partnership.terms_of_reference.save(terms_of_reference.name, terms_of_reference, save=False)
        changes["terms_of_reference"] = [old_file, partnership.terms_of_reference.name]
    partnership.save()
    audit_record(
        actor=actor,
        action="membership.partnership.updated",
        obj=partnership,
        partnership=partnership,
        changes=changes,
    )
    return partnership
