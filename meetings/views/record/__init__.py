"""Recording a meeting: attendance, declarations, minutes, decisions and actions (for the
secretariat), and the public decisions register and action log.

Staff views load the meeting through `meetings.access` (MANAGE on the partnership: 404
outside it, 403 without it), call a service in `record_services`, and redirect after a
successful POST with a message. Public views read only through the `public()` querysets;
readers who may see exempt material get it marked as such.

The pages by noun: `overview`, `attendance`, `declarations`, `minutes`, `decisions` and
`actions` (`_common` holds what they share).
"""
