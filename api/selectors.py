"""What the open-data API and the CSV exports may read: the public record, and nothing else.

Each function starts from the `public()` queryset its own app defines (the same ones the
public pages use) and narrows it to partnerships the public may see, as the pages do by
reaching everything through `public_partnership_or_404`. Nothing here decides visibility
afresh: a rule changed in its app changes the API with it. Signed-in callers get exactly the
same rows: the API has no readers' view.
"""

from django.db.models import Q

from meetings.models import Action, AgendaItem, Consideration, Decision, Meeting, Paper
from membership.models import ChairAppointment, Membership, Person
from membership.views import PRIVATE_PERSON_FIELDS
from partnerships.models import Partnership
from strategy.models import Priority, Strategy, StrategyVersion


def public_partnerships():
    return Partnership.objects.public()


def public_memberships():
    """Seats on public partnerships, current, past and starting soon, as a person's page shows them."""
    return Membership.objects.filter(partnership__in=public_partnerships())


def public_chair_appointments():
    return ChairAppointment.objects.filter(partnership__in=public_partnerships())


def public_people():
    """People with a seat or a chair on a public partnership: their public record only. Their
    contact details are deferred here, so nothing downstream can print them without a query
    per person (which the query budgets would catch)."""
    return Person.objects.filter(
        Q(pk__in=public_memberships().values("person_id")) | Q(pk__in=public_chair_appointments().values("person_id"))
    ).defer(*PRIVATE_PERSON_FIELDS)


def public_meetings():
    """Meetings held in public by partnerships the public may see (private sessions never)."""
    return Meeting.objects.public().filter(partnership__in=public_partnerships())


def public_agenda_items():
    """Items of published agendas of public meetings. Exempt items are among them: the API
    shows them as the meeting page does (see `serializers.AgendaItemSerializer`)."""
    return AgendaItem.objects.public()


def public_papers():
    """Current versions of papers the public may download (as `meetings:paper` serves them)."""
    return Paper.objects.public().filter(agenda_item__meeting__partnership__in=public_partnerships())


def public_considerations():
    """Steps of papers' paths the public may see (`Consideration.objects.public()`): of a public
    paper, at an item the public read in full or outside the portal. A reused paper at an exempt
    item or in a private session is absent, as on the paper's page."""
    return Consideration.objects.public()


def public_decisions():
    return Decision.objects.public().filter(partnership__in=public_partnerships())


def public_actions():
    return Action.objects.public().filter(partnership__in=public_partnerships())


def public_strategy_versions():
    """Published versions (and published ones since superseded)."""
    return StrategyVersion.objects.public().filter(strategy__partnership__in=public_partnerships())


def public_strategies():
    """Strategies with at least one public version."""
    return Strategy.objects.filter(
        partnership__in=public_partnerships(), pk__in=public_strategy_versions().values("strategy_id")
    )


def public_priorities():
    return Priority.objects.filter(version__in=public_strategy_versions())
