from django import template

from ..calendars import webcal_url

register = template.Library()


@register.filter
def webcal(path: str) -> str:
    """A calendar's path on this site as a webcal:// subscription link."""
    return webcal_url(path)
