"""The audit log: who did what to which object, when, with a snapshot. At the bottom of the apps
(docs/architecture.md): every service writes to it and it imports no domain app."""
