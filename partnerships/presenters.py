"""Shaping partnership data for templates."""

from dataclasses import dataclass, field

from .models import Partnership


@dataclass
class PartnershipNode:
    """A partnership and the sub-partnerships nested under it."""

    partnership: Partnership
    children: list["PartnershipNode"] = field(default_factory=list)


def partnership_tree(partnerships) -> list[PartnershipNode]:
    """Nest each partnership under its parent, keeping the order given within each level.

    The statutory ICP comes first among the top-level partnerships. A sub-partnership whose
    parent is not among `partnerships` (for example, the parent has been wound up) is listed
    at the top level, so that nothing the caller passed in is hidden."""
    nodes = {partnership.pk: PartnershipNode(partnership) for partnership in partnerships}
    roots = []
    for node in nodes.values():
        parent = nodes.get(node.partnership.parent_id)
        (parent.children if parent else roots).append(node)
    roots.sort(key=lambda node: node.partnership.kind != Partnership.Kind.STATUTORY_ICP)
    return roots
