"""What a meeting recorded (attendance, declarations, minutes, decisions, actions), as
the public and staff pages show it."""


def public_record(meeting) -> dict:
    """Context for templates/meetings/public/_record.html."""
    return {}
