"""`{% partnerships_glance partnerships %}`: when each partnership meets next, its latest
minutes and its latest decisions (see `meetings.glance`). A tag, so that the system page
(partnerships app) and the partnership page (membership app) can show it without importing
the meetings app, which sits above them."""

from django import template

from meetings.glance import partnerships_at_a_glance

register = template.Library()


@register.inclusion_tag("meetings/_glance.html")
def partnerships_glance(partnerships, heading_level=2):
    return {"glances": partnerships_at_a_glance(partnerships), "heading_level": heading_level}
