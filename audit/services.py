"""The audit log's one writer."""

import json

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder

from .models import AuditEvent


def audit_record(*, actor, action: str, obj=None, partnership=None, changes: dict | None = None) -> AuditEvent:
    """Record that `actor` did `action` (a dotted name) to `obj`, within `partnership`.

    `changes` is a JSON-able snapshot, typically {"field": [old, new]} or the new values."""
    snapshot = json.loads(json.dumps(changes or {}, cls=DjangoJSONEncoder))
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:300] if obj is not None else "",
        partnership=partnership,
        changes=snapshot,
    )


def model_changes(instance, data: dict) -> dict:
    """{field: [old, new]} for the fields of `data` whose value differs on `instance`."""
    return {name: [getattr(instance, name), value] for name, value in data.items() if getattr(instance, name) != value}
