from django import template

register = template.Library()


@register.inclusion_tag("membership/workspace/_actions_table_head.html")
def actions_table_head(*columns: str) -> dict:
    """The header row of a workspace table whose last column holds each row's links (ending a
    term, sending an invitation again): named for screen readers only, as its links say what
    they do."""
    return {"columns": columns}
