"""Writes that keep a partnership's membership current: people, seats, chairs, the register
of interests, the secretariat and the partnership's own details.

Every service runs in one transaction, validates with the model's `full_clean` (a
`ValidationError` reaches the caller, which shows it on the form), writes one audit entry
per changed record, and re-syncs the partnership's permission groups when access could
change. Nothing is deleted: terms end, with a date and a reason.
"""

from ._common import save_audited
from .bulk_import import ImportAlreadyApplied, ImportResult, membership_import
from .chairs import chair_appoint, chair_appointment_end
from .interests import interest_record, nil_return_record
from .memberships import membership_add, membership_end
from .partnership_details import PARTNERSHIP_DETAIL_FIELDS, partnership_update
from .people import (
    ONLY_ADMINISTRATORS_LINK,
    PERSON_FIELDS,
    PERSON_SLUG_ATTEMPTS,
    UNCHANGED,
    _names,
    _person_partnerships_resync,
    person_administer,
    person_create,
    person_shared_refusal,
    person_update,
)
from .secretariat import secretariat_assign, secretariat_assignment_end

__all__ = [
    "ONLY_ADMINISTRATORS_LINK",
    "PARTNERSHIP_DETAIL_FIELDS",
    "PERSON_FIELDS",
    "PERSON_SLUG_ATTEMPTS",
    "UNCHANGED",
    "ImportAlreadyApplied",
    "ImportResult",
    "chair_appoint",
    "chair_appointment_end",
    "interest_record",
    "membership_add",
    "membership_end",
    "membership_import",
    "nil_return_record",
    "partnership_update",
    "person_administer",
    "person_create",
    "person_shared_refusal",
    "person_update",
    "save_audited",
    "secretariat_assign",
    "secretariat_assignment_end",
    # Shared with `membership.accounts` and `membership.onboarding`, which write by the same rules.
    "_names",
    "_person_partnerships_resync",
]
