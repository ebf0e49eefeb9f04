from django import template

from membership.presenters import membership_title as _membership_title

register = template.Library()


@register.filter
def membership_title(membership) -> str:
    """A membership's role as the public pages show it, e.g. 'Participant (non-voting)'."""
    return _membership_title(membership)


@register.filter
def lower_first(text: str) -> str:
    """Lower-case the first letter only, to put a label mid-sentence: 'Jointly by the ICB' →
    'jointly by the ICB' (the `lower` filter would turn the ICB into the icb)."""
    text = str(text)
    return text[:1].lower() + text[1:]
