"""The secretariat workspace: signed-in pages where a partnership's secretariat keeps its
membership current without Django admin, a module for each thing it keeps (people, seats,
chairs, interests, the secretariat, the partnership's details, the bulk import, the audit trail).

Every view except `overview.home` needs `MANAGE` on the partnership named in the address: it
signs the visitor in first (`login_required`), then loads the partnership through
`partnership_for_user` (404 for an unknown partnership, 403 without the permission). People
and terms are then reached through that partnership, so an id from another partnership is a
404. Writes go through `membership.services`; forms post, then redirect with a message.
"""
