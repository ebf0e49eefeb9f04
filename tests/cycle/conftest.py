# The record's partnership with a quorum rule, seats and meetings, shared with its own tests.
from tests.meetings_record.conftest import board  # noqa: F401
