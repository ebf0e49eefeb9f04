"""Demo data for exemptions over time (docs/demo-data.md): review dates on the demo's exempt
items and restricted papers, and one released exemption, the diagnostic centre lease of NENC's
spring meeting, released by an officer's determination once the lease was completed."""

from django.db.models import Q

from partnerships.models import Partnership

from . import exemptions
from .models import AgendaItem, ExemptionRelease, Paper

RELEASED_ITEM = "Community diagnostic centre: lease terms"
RELEASE_REASON = "The lease has been completed and the landlord has published its terms."
RELEASE_DETERMINATION = (
    "The ICB's Director of Corporate Governance, as the officer the partnership's terms of reference name, "
    "determined that the heads of terms are no longer commercially sensitive."
)


def exemptions_demo_load(partnership: Partnership) -> None:
    """Give the demo's exemptions their review dates (the demo creates rows directly, not through
    the agenda services that set them), then release the lease item. Creates nothing twice."""
    items = AgendaItem.objects.filter(meeting__partnership=partnership, is_exempt=True, exemption_review_on=None)
    for item in items.select_related("meeting"):
        item.exemption_review_on = exemptions.default_review_on(item.meeting)
        item.save(update_fields=["exemption_review_on"])
    papers = Paper.objects.filter(
        Q(agenda_item__meeting__partnership=partnership), restricted=True, exemption_review_on=None
    ).select_related("agenda_item__meeting")
    for paper in papers:
        paper.exemption_review_on = exemptions.default_review_on(paper.agenda_item.meeting)
        paper.save(update_fields=["exemption_review_on"])
    lease = (
        AgendaItem.objects.filter(
            meeting__partnership=partnership, meeting__is_public=True, title=RELEASED_ITEM, is_exempt=True
        )
        .exclude(meeting__agenda_published_at=None)
        .order_by("meeting__starts_at")
        .first()
    )
    if lease is not None and not ExemptionRelease.objects.filter(agenda_item=lease).exists():
        exemptions.exemption_release(actor=None, item=lease, reason=RELEASE_REASON, determination=RELEASE_DETERMINATION)
